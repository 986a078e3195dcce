// expect: js-obfuscated-call,js-dynamic-code
global['ev' + 'al']('1+1');
