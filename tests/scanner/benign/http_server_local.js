// Serves the output folder on localhost for previewing.
const http = require('http');
const fs = require('fs');

http.createServer((req, res) => {
  res.end(fs.readFileSync('output/index.html'));
}).listen(8080, '127.0.0.1');
