import { readFileSync } from 'fs';

const text: string = readFileSync(process.argv[2], 'utf8');
const counts = new Map<string, number>();
for (const w of text.toLowerCase().match(/[a-z']+/g) ?? []) {
  counts.set(w, (counts.get(w) ?? 0) + 1);
}
const top = [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10);
console.log(top);
