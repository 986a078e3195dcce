#!/usr/bin/env node
// Merge JSON files given on the command line; later files win.
const fs = require('fs');

const out = {};
for (const path of process.argv.slice(2)) {
  Object.assign(out, JSON.parse(fs.readFileSync(path, 'utf8')));
}
process.stdout.write(JSON.stringify(out, null, 2) + '\n');
