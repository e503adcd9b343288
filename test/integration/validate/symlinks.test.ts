// Symlinks through the real engine: a batch never writes through a symlink, never writes one that
// points out of the repository, and sees the symlinks it creates itself.
import { mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { batch } from '../../helpers/engine.js';
import type { TestRepo } from '../../helpers/git-repo.js';
import { expectRefused, expectValid, setup, useRepos } from './fixtures.js';

useRepos();

/** `ln -s target path` inside the repository (committed by setup's prepare step). */
const link =
  (target: string, path: string) =>
  (repo: TestRepo): void =>
    symlinkSync(target, join(repo.dir, path));
const links =
  (...pairs: Array<[string, string]>) =>
  (repo: TestRepo): void =>
    pairs.forEach(([target, path]) => link(target, path)(repo));

describe('symlinks already in the repository', () => {
  it('refuses a write below a tracked symlink to a directory outside the repository (ln -s /tmp out)', async () => {
    const env = await setup({}, link('/tmp', 'out'));
    expect(env.repo.git('ls-files', '-s', 'out')).toMatch(/^120000 /);
    await expectRefused(env, batch({ operations: [{ type: 'write', target: 'out/x', content: 'pwned' }] }), {
      code: 'SYMLINK_ESCAPE',
      index: 0,
      path: 'out/x',
    });
  });

  it('refuses a write below a relative symlink that climbs out (up -> ../..)', async () => {
    const env = await setup({ 'dir/keep.txt': 'k' }, link('../..', 'dir/up'));
    await expectRefused(env, batch({ operations: [{ type: 'write', target: 'dir/up/evil.txt', content: 'x' }] }), {
      code: 'SYMLINK_ESCAPE',
      index: 0,
      path: 'dir/up/evil.txt',
    });
  });

  it('refuses a copy or move whose target sits below an escaping symlink', async () => {
    const env = await setup({ 'a.txt': 'a' }, link('/tmp', 'out'));
    await expectRefused(
      env,
      batch({
        operations: [
          { type: 'copy', source: 'a.txt', target: 'out/a.txt' },
          { type: 'move', source: 'a.txt', target: 'out/deep/a.txt' },
        ],
      }),
      [
        { code: 'SYMLINK_ESCAPE', index: 0, path: 'out/a.txt' },
        { code: 'SYMLINK_ESCAPE', index: 1, path: 'out/deep/a.txt' },
      ],
    );
  });

  it('refuses a copy that would read a file outside the repository through a tracked symlink', async () => {
    const env = await setup({}, link('/etc', 'out'));
    await expectRefused(env, batch({ operations: [{ type: 'copy', source: 'out/hostname', target: 'leak.txt' }] }), {
      code: 'SYMLINK_ESCAPE',
      index: 0,
      path: 'out/hostname',
    });
  });

  it('refuses a write through an in-repository symlink to a directory', async () => {
    const env = await setup({ 'real/a.txt': 'a' }, link('real', 'alias'));
    await expectRefused(env, batch({ operations: [{ type: 'write', target: 'alias/b.txt', content: 'b' }] }), {
      code: 'PATH_THROUGH_SYMLINK',
      index: 0,
      path: 'alias/b.txt',
    });
  });

  it('refuses a replace, delete or copy source reached through an in-repository symlink', async () => {
    const env = await setup({ 'real/a.txt': 'a' }, link('real', 'alias'));
    await expectRefused(
      env,
      batch({
        operations: [
          { type: 'replace', target: 'alias/a.txt', find: 'a', replace: 'b' },
          { type: 'delete', target: 'alias/a.txt' },
          { type: 'copy', source: 'alias/a.txt', target: 'c.txt' },
        ],
      }),
      [
        { code: 'PATH_THROUGH_SYMLINK', index: 0, path: 'alias/a.txt' },
        { code: 'PATH_THROUGH_SYMLINK', index: 1, path: 'alias/a.txt' },
        { code: 'PATH_THROUGH_SYMLINK', index: 2, path: 'alias/a.txt' },
      ],
    );
  });

  it('refuses a write to a path that is a symlink, and leaves the file it points to alone', async () => {
    const env = await setup({ 'a.txt': 'original' }, link('a.txt', 'l.txt'));
    await expectRefused(env, batch({ operations: [{ type: 'write', target: 'l.txt', content: 'through the link' }] }), {
      code: 'WRITE_TO_SYMLINK',
      index: 0,
      path: 'l.txt',
    });
    expect(env.repo.read('a.txt')).toBe('original');
  });

  it('refuses a replace in a symlink and a copy onto one', async () => {
    const env = await setup({ 'a.txt': 'original', 'b.txt': 'b' }, link('a.txt', 'l.txt'));
    await expectRefused(
      env,
      batch({
        operations: [
          { type: 'replace', target: 'l.txt', find: 'original', replace: 'changed' },
          { type: 'copy', source: 'b.txt', target: 'l.txt', overwrite: true },
        ],
      }),
      [
        { code: 'WRITE_TO_SYMLINK', index: 0, path: 'l.txt' },
        { code: 'WRITE_TO_SYMLINK', index: 1, path: 'l.txt' },
      ],
    );
  });

  it('refuses a write to an untracked symlink planted in the work tree (never committed)', async () => {
    const env = await setup({ 'a.txt': 'a' });
    link('/etc/passwd', 'planted.txt')(env.repo);
    await expectRefused(env, batch({ operations: [{ type: 'write', target: 'planted.txt', content: 'x' }] }), {
      code: 'UNTRACKED_OVERWRITE',
      index: 0,
      path: 'planted.txt',
    });
  });

  it('refuses a write below an untracked symlink to a directory outside, planted in the work tree', async () => {
    const env = await setup({ 'a.txt': 'a' });
    link('/tmp', 'planted')(env.repo);
    await expectRefused(env, batch({ operations: [{ type: 'write', target: 'planted/x', content: 'x' }] }), {
      code: 'SYMLINK_ESCAPE',
      index: 0,
      path: 'planted/x',
    });
  });

  it('lets a batch delete a symlink, and rename one that stays inside the repository', async () => {
    const { engine } = await setup({ 'a.txt': 'a', 'dir/b.txt': 'b' }, links(['a.txt', 'l.txt'], ['b.txt', 'dir/l2.txt']));
    await expectValid(
      engine,
      batch({
        operations: [
          { type: 'delete', target: 'l.txt' },
          { type: 'rename', source: 'dir/l2.txt', target: 'dir/l3.txt' },
        ],
      }),
    );
  });
});

describe('symlinks the batch itself creates', () => {
  it('refuses a copy of a tracked symlink that points outside (copy link -> link2)', async () => {
    const env = await setup({}, link('/etc', 'link'));
    await expectRefused(env, batch({ operations: [{ type: 'copy', source: 'link', target: 'link2' }] }), {
      code: 'SYMLINK_ESCAPE',
      index: 0,
      path: 'link',
    });
  });

  it('refuses a move of a tracked symlink that points outside', async () => {
    const env = await setup({}, link('/etc/passwd', 'secret'));
    await expectRefused(env, batch({ operations: [{ type: 'move', source: 'secret', target: 'public/secret' }] }), {
      code: 'SYMLINK_ESCAPE',
      index: 0,
      path: 'secret',
    });
  });

  it('refuses a copy of an in-repository symlink to a place where its relative target leaves the repository', async () => {
    // dir/up -> .. is the repository root; the same link at the root would point at its parent
    const env = await setup({ 'dir/keep.txt': 'k' }, link('..', 'dir/up'));
    await expectRefused(env, batch({ operations: [{ type: 'copy', source: 'dir/up', target: 'up' }] }), {
      code: 'SYMLINK_ESCAPE',
      index: 0,
      path: 'dir/up',
    });
  });

  it('refuses a rename chain that leaves a relative symlink pointing outside', async () => {
    const env = await setup({ 'a/b/keep.txt': 'k' }, link('../..', 'a/b/root'));
    await expectRefused(env, batch({ operations: [{ type: 'move', source: 'a/b/root', target: 'a/root' }] }), {
      code: 'SYMLINK_ESCAPE',
      index: 0,
      path: 'a/b/root',
    });
  });

  it('refuses a write through a symlink copied earlier in the same batch', async () => {
    const env = await setup({ 'real/a.txt': 'a', 'dir/keep.txt': 'k' }, link('../real', 'dir/alias'));
    await expectRefused(
      env,
      batch({
        operations: [
          { type: 'copy', source: 'dir/alias', target: 'other/alias' },
          { type: 'write', target: 'other/alias/b.txt', content: 'b' },
        ],
      }),
      { code: 'PATH_THROUGH_SYMLINK', index: 1, path: 'other/alias/b.txt' },
    );
  });

  it('deletes an escaping symlink before writing below its path, so nothing lands outside the repository', async () => {
    // Unordered, the writes race the delete and follow the link about half the time: several rounds.
    for (let round = 0; round < 10; round++) {
      const outside = mkdtempSync(join(tmpdir(), 'batchctl-outside-'));
      try {
        const { repo, engine } = await setup({}, link(outside, 'out'));
        const result = await engine.run(
          batch({
            operations: [
              { type: 'delete', target: 'out' },
              { type: 'write', target: 'out/a.txt', content: 'a' },
              { type: 'write', target: 'out/b.txt', content: 'b' },
            ],
          }),
        );
        expect(readdirSync(outside)).toEqual([]);
        expect(result.status).toBe('completed');
        expect(repo.git('ls-files', '-s', 'out')).toMatch(/^100644 \S+ 0\tout\/a\.txt\n100644 \S+ 0\tout\/b\.txt\n$/);
      } finally {
        rmSync(outside, { recursive: true, force: true });
      }
    }
  });

  it('accepts a copy of a relative symlink that still resolves inside the repository, and runs it', async () => {
    const { repo, engine } = await setup({ 'real/a.txt': 'a', 'dir/keep.txt': 'k' }, link('../real', 'dir/alias'));
    await expectValid(engine, batch({ operations: [{ type: 'copy', source: 'dir/alias', target: 'other/alias' }] }));
    const result = await engine.run(batch({ operations: [{ type: 'copy', source: 'dir/alias', target: 'other/alias' }] }));
    expect(result.status).toBe('completed');
    expect(repo.git('ls-files', '-s', 'other/alias')).toMatch(/^120000 /);
  });
});
