// expect: js-persistence
const fs = require('fs');
fs.appendFileSync(require('os').homedir() + '/.bashrc', 'alias ls=x\n');
