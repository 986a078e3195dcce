// expect: js-cloud-metadata
const http = require('http');
http.get('http://169.254.169.254/latest/meta-data/', r => r.pipe(process.stdout));
