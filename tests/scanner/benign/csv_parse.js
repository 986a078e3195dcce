const fs = require('fs');

function parse(text) {
  const [header, ...rows] = text.trim().split(/\r?\n/);
  const keys = header.split(',');
  return rows.map(r => Object.fromEntries(r.split(',').map((v, i) => [keys[i], v])));
}

console.log(parse(fs.readFileSync(process.argv[2], 'utf8')));
