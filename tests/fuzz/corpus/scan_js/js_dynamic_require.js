// expect: js-dynamic-require
const name = process.argv[2];
const plugin = require(name);
