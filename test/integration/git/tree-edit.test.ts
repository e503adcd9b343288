// editTree writes only the trees on the way to a change. Its answer must be the tree git itself
// builds for the same files from scratch (through an index), whatever the change: files added,
// rewritten, deleted, directories emptied or replaced by files and back.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';

import { createRunner, type TreeChange } from '../../../controller/git/index.js';
import { openObjectReader } from '../../../controller/git/object-reader.js';
import { editTree } from '../../../controller/git/tree-edit.js';
import { GIT_ENV } from '../../helpers/git-repo.js';

const dir = mkdtempSync(join(tmpdir(), 'batchctl-tree-'));

const git = (args: string[], input?: string | Buffer, env: Record<string, string> = {}): string =>
  execFileSync('git', args, { cwd: dir, env: { ...GIT_ENV, ...env }, input: input ?? '', encoding: 'utf8' }).trim();
git(['init', '-q', '-b', 'main']);
const runner = createRunner({ cwd: dir, identity: { name: 't', email: 't@example.com' } });
const reader = openObjectReader(runner);
afterAll(async () => {
  await reader.close();
  rmSync(dir, { recursive: true, force: true });
});
const edit = (base: string | null, changes: readonly TreeChange[]): Promise<string> =>
  editTree({ git: runner, reader, format: 'sha1', base, changes });
const blobs = ['one\n', 'two\n', 'three\n', '#!/bin/sh\n'].map((text) => git(['hash-object', '-w', '--stdin'], text));

type Files = Map<string, { mode: string; oid: string }>;

/** The tree git builds for exactly these files, through a throwaway index. */
function treeOf(files: Files): string {
  const index = join(dir, `.git/index-oracle-${Math.random().toString(16).slice(2)}`);
  try {
    const info = [...files].map(([path, e]) => `${e.mode} ${e.oid}\t${path}\0`).join('');
    git(['update-index', '-z', '--index-info'], info, { GIT_INDEX_FILE: index });
    return git(['write-tree'], undefined, { GIT_INDEX_FILE: index });
  } finally {
    rmSync(index, { force: true });
  }
}

function commitOf(files: Files): string {
  return git(['commit-tree', treeOf(files), '-m', 'base']);
}

/** The changes that turn `from` into `to`. */
function diff(from: Files, to: Files): TreeChange[] {
  const changes: TreeChange[] = [];
  for (const [path, e] of to) {
    const was = from.get(path);
    if (!was || was.mode !== e.mode || was.oid !== e.oid) changes.push({ path, entry: e });
  }
  for (const path of from.keys()) if (!to.has(path)) changes.push({ path, entry: null });
  return changes;
}

/** Paths where no file sits on the way to another (a/b and a/b/c cannot both be files). */
function consistent(paths: readonly string[]): string[] {
  const kept: string[] = [];
  for (const path of paths) {
    const clash = kept.some((k) => k === path || k.startsWith(`${path}/`) || path.startsWith(`${k}/`));
    if (!clash) kept.push(path);
  }
  return kept;
}

const files = (entries: Array<[string, number, string]>): Files =>
  new Map(entries.map(([path, blob, mode]) => [path, { mode, oid: blobs[blob] as string }]));

const arbitraryFiles = fc
  .array(
    fc.tuple(
      fc.array(fc.constantFrom('a', 'b', 'c', 'é', 'x y'), { minLength: 1, maxLength: 4 }).map((parts) => parts.join('/')),
      fc.nat(3),
      fc.constantFrom('100644', '100755', '120000'),
    ),
    { maxLength: 24 },
  )
  .map((entries) => {
    const paths = consistent(entries.map(([path]) => path));
    return files(entries.filter(([path], i) => paths.includes(path) && entries.findIndex(([p]) => p === path) === i));
  });

describe('editTree', () => {
  it('gives the tree git builds from scratch, for any change between two sets of files', async () => {
    await fc.assert(
      fc.asyncProperty(arbitraryFiles, arbitraryFiles, async (from, to) => {
        const base = from.size === 0 ? null : commitOf(from);
        expect(await edit(base, diff(from, to))).toBe(treeOf(to));
      }),
      { numRuns: 60 },
    );
  }, 60_000);

  it('removes directories a change leaves empty, up to the root', async () => {
    const from = files([
      ['a/b/c/only.txt', 0, '100644'],
      ['keep.txt', 1, '100644'],
    ]);
    const tree = await edit(commitOf(from), [{ path: 'a/b/c/only.txt', entry: null }]);
    expect(git(['ls-tree', '-r', '-t', '--name-only', tree])).toBe('keep.txt');
  });

  it('writes the empty tree when everything is deleted', async () => {
    const from = files([['a/x.txt', 0, '100644']]);
    expect(await edit(commitOf(from), [{ path: 'a/x.txt', entry: null }])).toBe(git(['mktree'], ''));
  });

  it('keeps entries it does not change exactly: a name that is not UTF-8, a submodule', async () => {
    // Made with plumbing: neither can come from a batch, both can be in a repository.
    const latin1Name = Buffer.from([0x63, 0x61, 0x66, 0xe9]); // "café" in Latin-1
    const sub = git(['commit-tree', git(['mktree'], ''), '-m', 'sub']);
    const input = Buffer.concat([
      Buffer.from(`100644 blob ${blobs[0]}\t`),
      latin1Name,
      Buffer.from('\0'),
      Buffer.from(`160000 commit ${sub}\tmodule\0`),
      Buffer.from(`100644 blob ${blobs[1]}\tchanged.txt\0`),
    ]);
    const tree = execFileSync('git', ['mktree', '-z'], { cwd: dir, env: GIT_ENV, input }).toString('utf8').trim();
    const base = git(['commit-tree', tree, '-m', 'odd names']);
    const edited = await edit(base, [{ path: 'changed.txt', entry: { mode: '100644', oid: blobs[2] as string } }]);
    const listing = execFileSync('git', ['ls-tree', '-z', edited], { cwd: dir, env: GIT_ENV });
    expect(listing.includes(Buffer.concat([Buffer.from(`100644 blob ${blobs[0]}\t`), latin1Name, Buffer.from('\0')]))).toBe(true);
    expect(listing.toString('latin1')).toContain(`160000 commit ${sub}\tmodule\0`);
    expect(listing.toString('latin1')).toContain(`100644 blob ${blobs[2]}\tchanged.txt\0`);
  });

  it('builds on an unborn branch (no base)', async () => {
    const to = files([
      ['x/y.txt', 0, '100644'],
      ['z.txt', 1, '100755'],
    ]);
    expect(await edit(null, diff(new Map(), to))).toBe(treeOf(to));
  });

  it('gives the same tree for a level of thousands of entries gaining and losing files', async () => {
    // 60 directories of 80 files, each directory gaining and losing files: 4,800 entries at one depth.
    const entries = (round: number): Array<[string, number, string]> =>
      Array.from({ length: 60 * 80 }, (_, i) => {
        const name = round === 0 || i % 3 !== 0 ? `f${i}` : `g${i}`;
        return [`d${Math.floor(i / 80)}/${name}.txt`, (i + round) % 3, i % 7 === 0 ? '100755' : '100644'];
      });
    const from = files(entries(0));
    const to = files([...entries(1), ['top.txt', 3, '100644']]);
    expect(await edit(commitOf(from), diff(from, to))).toBe(treeOf(to));
  }, 60_000);
});
