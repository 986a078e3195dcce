const name = process.argv[2] || 'world';
const html = `<p>Hello ${name}. Run \`npm test\` before eval of the results.</p>`;
console.log(html);
