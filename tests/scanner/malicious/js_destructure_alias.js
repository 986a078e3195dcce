// expect: js-exec-shell
const { execSync: run } = require('node:child_process');
run('id');
