// scripts/github/result.mjs: the line of each operation in a batch file, for the ::error
// annotations batch.yml puts on an invalid batch (docs/github.md#the-scripts).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterEach, describe, expect, it } from 'vitest';

const SCRIPT = fileURLToPath(new URL('../../scripts/github/result.mjs', import.meta.url));
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** The annotations for errors at these operation indices of this batch text. */
function annotate(batch: string, indices: number[], name = 'batch.json'): string[] {
  const dir = mkdtempSync(join(tmpdir(), 'batchctl-result-'));
  dirs.push(dir);
  writeFileSync(join(dir, name), batch);
  const errors = indices.map((index) => ({ index, path: `p${index}`, code: 'X', message: 'bad, really: 100%' }));
  writeFileSync(join(dir, 'result.json'), JSON.stringify({ errors }));
  const r = spawnSync(process.execPath, [SCRIPT, 'annotations', join(dir, 'result.json'), join(dir, name), `batches/${name}`], {
    encoding: 'utf8',
  });
  expect(r.status).toBe(0);
  return r.stdout.trim().split('\n');
}

describe('scripts/github/result.mjs annotations', () => {
  it('finds each operation of a JSON document past strings with brackets, escapes and nested operations keys', () => {
    const batch = [
      '{',
      '  "title": "operations [ , ] {",',
      '  "options": { "operations": [1, 2] },',
      '  "operations": [',
      '    { "type": "write", "target": "a\\"],[.txt", "content": "line\\nbreak" },',
      '',
      '    {',
      '      "type": "delete", "target": "b.txt" },',
      '    { "type": "copy", "source": "a", "target": "c", "x": { "operations": [ {"y": 1} ] } }',
      '  ]',
      '}',
    ].join('\n');
    expect(annotate(batch, [0, 1, 2]).map((l) => /line=(\d+)/.exec(l)?.[1])).toEqual(['5', '7', '9']);
  });

  it('counts NDJSON lines after the header, skipping blank ones, and escapes the message', () => {
    const lines = annotate('{"title":"t"}\n{"type":"write"}\n\n{"type":"delete"}\n', [1], 'b.ndjson');
    expect(lines).toEqual(['::error file=batches/b.ndjson,line=4,title=X::operation 1 (p1): bad, really: 100%25']);
  });
});
