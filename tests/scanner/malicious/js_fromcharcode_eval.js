// expect: js-decode-exec,js-dynamic-code
eval(String.fromCharCode(97, 108, 101, 114, 116) + unescape('%28%31%29'));
