// expect: js-decode-exec,js-dynamic-code
const src = Buffer.from('Y29uc29sZS5sb2coMik=', 'base64').toString();
new Function(src)();
