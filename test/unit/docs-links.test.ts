// Code comments point to docs/ for the contract: every `docs/<file>.md#<section>` they name exists.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';

import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? files(join(dir, entry.name)) : /\.(ts|mjs|sh)$/.test(entry.name) ? [join(dir, entry.name)] : [],
  );
}

/** GitHub's heading anchors: lower case, punctuation dropped (but - and _), spaces to dashes. */
function anchors(markdown: string): Set<string> {
  const slugs = new Set<string>();
  for (const [, heading = ''] of markdown.matchAll(/^#{1,6} (.+)$/gm)) {
    slugs.add(
      heading
        .toLowerCase()
        .replace(/`/g, '')
        .replace(/[^\p{L}\p{N}\s_-]/gu, '')
        .trim()
        .replace(/\s/g, '-'),
    );
  }
  return slugs;
}

describe('pointers into docs/', () => {
  it('name files and sections that exist', () => {
    const broken: string[] = [];
    for (const file of ['controller', 'test', 'scripts', 'bench'].flatMap((dir) => files(join(ROOT, dir)))) {
      for (const [, doc = '', anchor] of readFileSync(file, 'utf8').matchAll(/docs\/([\w-]+\.md)(?:#([\w-]+))?/g)) {
        let text: string;
        try {
          text = readFileSync(join(ROOT, 'docs', doc), 'utf8');
        } catch {
          broken.push(`${relative(ROOT, file)}: docs/${doc}`);
          continue;
        }
        if (anchor !== undefined && !anchors(text).has(anchor)) broken.push(`${relative(ROOT, file)}: docs/${doc}#${anchor}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
