const fs = require('fs');
const path = require('path');

fs.mkdirSync('output', { recursive: true });
fs.writeFileSync(path.join('output', 'report.json'), JSON.stringify({ ok: true }));
fs.writeFileSync('/tmp/skill.log', 'done');
