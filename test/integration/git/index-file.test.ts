// readIndexEntries reads .git/index itself instead of asking `git ls-files`: for every layout it
// reads, its answer must be git's own; for the layouts it does not read (version 4, split index),
// it must say so (null) rather than answer from part of the index.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { createRunner } from '../../../controller/git/index.js';
import { readIndexEntries } from '../../../controller/git/index-file.js';
import { listIndexEntries } from '../../../controller/git/worktree-state.js';
import { GIT_ENV } from '../../helpers/git-repo.js';

const root = mkdtempSync(join(tmpdir(), 'batchctl-index-file-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function repo(name: string, format: 'sha1' | 'sha256' = 'sha1'): { dir: string; git: (args: string[], input?: string) => string } {
  const dir = join(root, name);
  const git = (args: string[], input?: string): string =>
    execFileSync('git', args, { cwd: dir, env: GIT_ENV, input: input ?? '', encoding: 'utf8' }).trim();
  execFileSync('git', ['init', '-q', '-b', 'main', `--object-format=${format}`, dir], { env: GIT_ENV });
  return { dir, git };
}

/** Entries for paths of every kind: plain, executable, symlink, long, conflicted, absent, a directory, a prefix. */
function stage(git: (args: string[], input?: string) => string): string[] {
  const blob = git(['hash-object', '-w', '--stdin'], 'x\n');
  const other = git(['hash-object', '-w', '--stdin'], 'y\n');
  const long = `deep/${'n'.repeat(5000)}.txt`; // longer than the 12-bit name length field
  const records = [
    `100644 ${blob}\ta.txt`,
    `100755 ${other}\tbin/run`,
    `120000 ${blob}\tlink`,
    `100644 ${blob}\tdir/sub/file.txt`,
    `100644 ${blob}\tdir/sub-file.txt`,
    `100644 ${blob}\t${long}`,
    `100644 ${blob}\tnaïve/ü.txt`,
    `100644 ${blob} 1\tconflict.txt`,
    `100644 ${other} 2\tconflict.txt`,
    `100644 ${blob} 3\tconflict.txt`,
  ];
  git(['update-index', '-z', '--index-info'], records.join('\0') + '\0');
  const paths = ['a.txt', 'bin/run', 'link', 'dir/sub/file.txt', 'dir/sub-file.txt', long, 'naïve/ü.txt', 'conflict.txt'];
  return [...paths, 'dir', 'dir/sub', 'a.tx', 'a.txt.orig', 'zzz', 'naïve'];
}

async function gitsAnswer(dir: string, paths: readonly string[]): Promise<Map<string, unknown>> {
  return listIndexEntries(createRunner({ cwd: dir, identity: { name: 't', email: 't@example.com' } }), paths);
}

describe('readIndexEntries', () => {
  it.each([
    ['version 2, SHA-1', 'sha1', '2'],
    ['version 3 (an intent-to-add entry has extended flags), SHA-1', 'sha1', '3'],
    ['version 2, SHA-256', 'sha256', '2'],
  ] as const)('%s: the entries git lists for exactly these paths', async (name, format, version) => {
    const { dir, git } = repo(name.replace(/\W+/g, '-'), format);
    const paths = stage(git);
    git(['update-index', `--index-version=${version}`]);
    if (version === '3') {
      execFileSync('sh', ['-c', 'echo new > new.txt'], { cwd: dir });
      git(['add', '--intent-to-add', 'new.txt']);
      paths.push('new.txt');
    }
    const ours = await readIndexEntries({ gitDir: join(dir, '.git'), format, paths });
    expect(ours).toEqual(await gitsAnswer(dir, paths));
    expect(ours?.size).toBeGreaterThan(6);
  });

  it('a buffer kept between reads: each read answers from the index as it is now (smaller, then larger)', async () => {
    const { dir, git } = repo('scratch');
    const paths = stage(git);
    const scratch = { buffer: null, busy: false };
    const read = () => readIndexEntries({ gitDir: join(dir, '.git'), format: 'sha1', paths, scratch });
    expect(await read()).toEqual(await gitsAnswer(dir, paths));
    git(['update-index', '--force-remove', '--', paths[5] as string, 'a.txt']); // the long path: the file shrinks
    expect(await read()).toEqual(await gitsAnswer(dir, paths));
    expect((await read())?.has('a.txt')).toBe(false);
    const [first, second] = await Promise.all([read(), read()]); // at once: one of them reads into its own buffer
    expect(first).toEqual(second);
    stage(git);
    expect(await read()).toEqual(await gitsAnswer(dir, paths));
  });

  it('no index yet: no entries', async () => {
    const { dir } = repo('fresh');
    expect(await readIndexEntries({ gitDir: join(dir, '.git'), format: 'sha1', paths: ['a.txt'] })).toEqual(new Map());
  });

  it.each([
    ['version 4 (paths compressed)', ['update-index', '--index-version=4']],
    ['a split index (entries in a shared file)', ['update-index', '--split-index']],
  ])('%s: left to git (null)', async (name, args) => {
    const { dir, git } = repo(name.replace(/\W+/g, '-'));
    const paths = stage(git);
    git(args);
    expect(await readIndexEntries({ gitDir: join(dir, '.git'), format: 'sha1', paths })).toBeNull();
  });
});
