// expect: js-obfuscated-call,js-dynamic-code
const n = 'lave'.split('').reverse().join('');
globalThis[n]('2');
