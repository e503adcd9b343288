// Rewrites the code table of docs/outcomes.md from controller/errors/codes.ts: one row per code,
// in the table's order, the meaning taken from the code's doc comment. test/unit/errors keeps them in step.
import { readFileSync, writeFileSync } from 'node:fs';

const source = readFileSync(new URL('../controller/errors/codes.ts', import.meta.url), 'utf8');
const doc = new URL('../docs/outcomes.md', import.meta.url);
const exits = Object.fromEntries([...source.matchAll(/^\s+(\w+): (\d+),$/gm)].map((m) => [m[1], m[2]]));
// A doc comment (one line or several), then the code's entry.
const entry = /\/\*\*((?:(?!\*\/)[\s\S])*)\*\/\s*([A-Z_]+): \{ kind: '(\w+)', exit: EXIT\.(\w+), http: (\d+) \}/g;
const rows = [...source.matchAll(entry)].map(([, comment, code, kind, exit, http]) => {
  const meaning = comment
    .replace(/^\s*\*\s?/gm, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return `| ${code} | ${kind} | ${exits[exit]} | ${http} | ${meaning.replace(/\|/g, '\\|').replace(/<id>/g, '`<id>`')} |`;
});
const text = readFileSync(doc, 'utf8');
const head = '| code | kind | exit | http | meaning |\n|---|---|---|---|---|\n';
const start = text.indexOf(head);
if (start === -1) throw new Error('docs/outcomes.md: no code table');
const end = text.indexOf('\n\n', start);
writeFileSync(doc, `${text.slice(0, start)}${head}${rows.join('\n')}${text.slice(end)}`);
console.log(`docs/outcomes.md: ${rows.length} codes`);
