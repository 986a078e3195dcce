export function Card({ title, body }) {
  return (
    <div className="card">
      <h2>{title}</h2>
      <p>Don't worry, it's fine: {body}</p>
    </div>
  );
}
