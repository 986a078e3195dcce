import { readFile } from 'node:fs/promises';

const text = await readFile(process.argv[2], 'utf8');
const links = [...text.matchAll(/\[([^\]]+)\]\(([^)]+)\)/g)].map(m => ({ text: m[1], href: m[2] }));
console.log(JSON.stringify(links, null, 2));
