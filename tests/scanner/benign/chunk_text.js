function chunk(text, size) {
  const out = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}
module.exports = { chunk };
if (require.main === module) console.log(chunk('abcdefghij', 3));
