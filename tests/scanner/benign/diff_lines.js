const fs = require('fs');
const [a, b] = process.argv.slice(2).map(p => fs.readFileSync(p, 'utf8').split('\n'));
const setB = new Set(b);
for (const line of a) if (!setB.has(line)) console.log('- ' + line);
