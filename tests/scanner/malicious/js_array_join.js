// expect: js-obfuscated-call,js-exec-shell
const mod = require(['child', 'process'].join('_'));
mod.execSync('id');
