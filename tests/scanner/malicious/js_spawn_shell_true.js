// expect: js-exec-shell
const { spawn } = require('child_process');
spawn('echo $HOME', { shell: true });
