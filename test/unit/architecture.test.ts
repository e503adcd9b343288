// The house rules of shared/STYLE.md, checked on every import under controller/.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../controller');
const LAYER: Record<string, number> = {
  domain: 0, errors: 0, log: 0,
  paths: 1, git: 1, store: 1, journal: 1, github: 1,
  control: 2, ops: 2, validate: 2,
  engine: 3,
  facades: 4,
  cli: 5, app: 5,
};
/** Pairs that may not import each other even though the layers allow it. */
const FORBIDDEN: ReadonlyArray<[string, string]> = [['store', 'git'], ['git', 'store'], ['cli', 'git'], ['cli', 'store'], ['cli', 'control']];

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

const imports = files(ROOT).flatMap((file) => {
  const from = relative(ROOT, file).split('/')[0] ?? '';
  return [...readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)].map((m) => {
    const target = relative(ROOT, resolve(dirname(file), m[1] ?? ''));
    return { file: relative(ROOT, file), from, to: target.split('/')[0] ?? '', target };
  });
});

describe('architecture', () => {
  it('knows the layer of every folder under controller/', () => {
    const folders = readdirSync(ROOT, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    expect(folders.filter((f) => LAYER[f] === undefined)).toEqual([]);
  });

  it('imports point down the layers only', () => {
    const upward = imports.filter((i) => i.from !== i.to && (LAYER[i.to] ?? 99) > (LAYER[i.from] ?? -1));
    expect(upward.map((i) => `${i.file} → ${i.target}`)).toEqual([]);
  });

  it('imports other folders through their index.ts only', () => {
    const sideDoors = imports.filter((i) => i.from !== i.to && !i.target.endsWith('/index.js') && i.target !== `${i.to}/index.js`);
    expect(sideDoors.map((i) => `${i.file} → ${i.target}`)).toEqual([]);
  });

  it('keeps the forbidden pairs apart', () => {
    const bad = imports.filter((i) => FORBIDDEN.some(([a, b]) => i.from === a && i.to === b));
    expect(bad.map((i) => `${i.file} → ${i.target}`)).toEqual([]);
  });

  it('reads process.env only in app/', () => {
    const readers = files(ROOT).filter((f) => !relative(ROOT, f).startsWith('app/') && /process\.env\b/.test(readFileSync(f, 'utf8')));
    // git/runner.ts copies the environment for child processes; it never reads a setting from it.
    expect(readers.map((f) => relative(ROOT, f))).toEqual(['git/runner.ts']);
  });
});
