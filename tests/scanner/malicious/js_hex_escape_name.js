// expect: js-obfuscated-call,js-dynamic-code
global['\x65\x76\x61\x6c']('4');
