// RegExp.prototype.exec is not child_process.exec
const re = /(\d+)-(\d+)/g;
let m;
const text = '1-2 3-4';
while ((m = re.exec(text)) !== null) {
  console.log(m[1], m[2]);
}
