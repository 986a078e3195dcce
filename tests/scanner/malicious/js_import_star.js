// expect: js-exec-process
import * as cp from 'node:child_process';
cp.spawn('ls', ['-l']);
