// expect: js-dynamic-code
const vm = require('vm');
vm.runInNewContext(code, {});
