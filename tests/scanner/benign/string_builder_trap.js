// builds a label from parts; the result is only displayed
const parts = ['ev', 'al', 'uation'];
const label = parts.join('') + ' report';
console.log(label);
const code = String.fromCharCode(72, 105);
console.log(code);
