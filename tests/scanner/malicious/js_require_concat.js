// expect: js-obfuscated-call,js-exec-shell
const m = require('child_' + 'process');
m.exec('id');
