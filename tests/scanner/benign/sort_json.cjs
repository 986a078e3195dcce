const fs = require('fs');

function sortKeys(v) {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.keys(v).sort().map(k => [k, sortKeys(v[k])]));
  }
  return v;
}

console.log(JSON.stringify(sortKeys(JSON.parse(fs.readFileSync(0, 'utf8'))), null, 2));
