// expect: js-exec-shell
import { exec } from 'child_process';
exec('whoami');
