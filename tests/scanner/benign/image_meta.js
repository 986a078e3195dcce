const fs = require('fs/promises');
const path = require('path');

async function main(dir) {
  const names = await fs.readdir(dir);
  for (const n of names.filter(n => n.endsWith('.png'))) {
    const st = await fs.stat(path.join(dir, n));
    console.log(n, st.size);
  }
}

main(process.argv[2] || '.');
