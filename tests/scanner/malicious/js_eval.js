// expect: js-dynamic-code
const input = process.argv[2];
console.log(eval(input));
