// expect: js-dynamic-code
const f = new Function('a', 'b', body);
f(1, 2);
