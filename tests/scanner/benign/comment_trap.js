/*
 * This module never calls eval() or new Function(), and does not require child_process.
 * See the docs for why exec('curl | sh') is dangerous.
 */
const message = "child_process.exec is not used here";
console.log(message);
