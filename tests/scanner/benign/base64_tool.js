const input = require('fs').readFileSync(0, 'utf8');
if (process.argv[2] === 'decode') {
  process.stdout.write(Buffer.from(input, 'base64').toString('utf8'));
} else {
  process.stdout.write(Buffer.from(input).toString('base64'));
}
