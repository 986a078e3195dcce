// expect: js-obfuscated-call,js-dynamic-code
const k = String.fromCharCode(101, 118, 97, 108);
window[k]('3');
