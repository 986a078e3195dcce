const d = new Date(process.argv[2] || Date.now());
const pad = n => String(n).padStart(2, '0');
console.log(`${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`);
