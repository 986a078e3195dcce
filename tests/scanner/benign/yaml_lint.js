const fs = require('fs');
const yaml = require('js-yaml');

try {
  yaml.load(fs.readFileSync(process.argv[2], 'utf8'));
  console.log('ok');
} catch (e) {
  console.error(e.message);
  process.exit(1);
}
