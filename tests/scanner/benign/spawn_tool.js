// Runs ffmpeg with an argument list (no shell).
const { spawn } = require('child_process');

const child = spawn('ffmpeg', ['-i', process.argv[2], '-vf', 'scale=640:-1', 'out.mp4']);
child.on('close', code => process.exit(code));
