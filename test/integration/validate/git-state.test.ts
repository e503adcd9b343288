// Git state through the real engine (docs/batch-format.md#what-validation-refuses): a batch that would destroy uncommitted, untracked or
// ignored work is refused whole, and the user's work is exactly where they left it.
import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { batch } from '../../helpers/engine.js';
import { expectRefused, expectValid, setup, useRepos } from './fixtures.js';

useRepos();

describe('uncommitted changes', () => {
  it('refuses a write to a file with unstaged changes, and keeps the change', async () => {
    const env = await setup({ 'a.txt': 'committed\n' });
    env.repo.write('a.txt', 'my unstaged work\n');
    await expectRefused(env, batch({ operations: [{ type: 'write', target: 'a.txt', content: 'batch\n' }] }), {
      code: 'PATH_DIRTY',
      index: 0,
      path: 'a.txt',
    });
    expect(env.repo.read('a.txt')).toBe('my unstaged work\n');
  });

  it('refuses a write to a file with staged changes, and keeps what is staged', async () => {
    const env = await setup({ 'a.txt': 'committed\n' });
    env.repo.write('a.txt', 'my staged work\n');
    env.repo.git('add', 'a.txt');
    await expectRefused(env, batch({ operations: [{ type: 'write', target: 'a.txt', content: 'batch\n' }] }), {
      code: 'PATH_DIRTY',
      index: 0,
      path: 'a.txt',
    });
    expect(env.repo.git('diff', '--cached', '--name-only').trim()).toBe('a.txt');
    expect(env.repo.git('show', ':a.txt')).toBe('my staged work\n');
  });

  it('refuses a write to a new file that is staged but never committed', async () => {
    const env = await setup({});
    env.repo.write('new.txt', 'staged, not committed\n');
    env.repo.git('add', 'new.txt');
    await expectRefused(env, batch({ operations: [{ type: 'write', target: 'new.txt', content: 'batch\n' }] }), {
      code: 'PATH_DIRTY',
      index: 0,
      path: 'new.txt',
    });
    expect(env.repo.read('new.txt')).toBe('staged, not committed\n');
  });

  it('refuses a copy or move whose source has unstaged changes (the copy would not be what git holds)', async () => {
    const env = await setup({ 'a.txt': 'committed\n', 'b.txt': 'b\n' });
    env.repo.write('a.txt', 'edited\n');
    env.repo.write('b.txt', 'edited\n');
    await expectRefused(
      env,
      batch({
        operations: [
          { type: 'copy', source: 'a.txt', target: 'a2.txt' },
          { type: 'move', source: 'b.txt', target: 'moved/b.txt' },
        ],
      }),
      [
        { code: 'PATH_DIRTY', index: 0, path: 'a.txt' },
        { code: 'PATH_DIRTY', index: 1, path: 'b.txt' },
      ],
    );
    expect(env.repo.read('b.txt')).toBe('edited\n');
  });

  it('refuses a write to a file untracked with git rm --cached (a staged deletion: uncommitted work)', async () => {
    const env = await setup({ 'a.txt': 'a\n' });
    env.repo.git('rm', '-q', '--cached', 'a.txt');
    await expectRefused(env, batch({ operations: [{ type: 'write', target: 'a.txt', content: 'x' }] }), {
      code: 'PATH_DIRTY',
      index: 0,
      path: 'a.txt',
    });
    expect(env.repo.read('a.txt')).toBe('a\n');
  });

  it('refuses a delete, a replace and a rename of files with unstaged changes', async () => {
    const env = await setup({ 'd.txt': 'd\n', 'r.txt': 'version 1\n', 'n.txt': 'n\n' });
    for (const path of ['d.txt', 'r.txt', 'n.txt']) env.repo.write(path, `mine: ${path}\n`);
    await expectRefused(
      env,
      batch({
        operations: [
          { type: 'delete', target: 'd.txt' },
          { type: 'replace', target: 'r.txt', find: 'version 1', replace: 'version 2' },
          { type: 'rename', source: 'n.txt', target: 'n2.txt' },
        ],
      }),
      [
        { code: 'PATH_DIRTY', index: 0, path: 'd.txt' },
        { code: 'PATH_DIRTY', index: 1, path: 'r.txt' },
        { code: 'PATH_DIRTY', index: 2, path: 'n.txt' },
      ],
    );
  });

  it('refuses a glob replace when one of the files it matches has unstaged changes, naming that file', async () => {
    const env = await setup({ 'recipes/a.toml': 'v = "1.0.0"\n', 'recipes/b.toml': 'v = "1.0.0"\n' });
    env.repo.write('recipes/b.toml', 'v = "1.0.0"\n# my note\n');
    await expectRefused(env, batch({ operations: [{ type: 'replace', target: 'recipes/*.toml', find: '1.0.0', replace: '1.0.1' }] }), {
      code: 'PATH_DIRTY',
      index: 0,
      path: 'recipes/b.toml',
    });
    expect(env.repo.read('recipes/a.toml')).toBe('v = "1.0.0"\n');
  });

  it('refuses a glob delete when a matching file was removed from disk but not from git', async () => {
    const env = await setup({ 'tmp/a.log': 'a', 'tmp/b.log': 'b' });
    rmSync(join(env.repo.dir, 'tmp/a.log'));
    await expectRefused(env, batch({ operations: [{ type: 'delete', target: 'tmp/*.log' }] }), {
      code: 'PATH_DIRTY',
      index: 0,
      path: 'tmp/a.log',
    });
  });

  it('still runs a batch that only touches clean files next to dirty ones', async () => {
    const { repo, engine } = await setup({ 'a.txt': 'a\n', 'b.txt': 'b\n' });
    repo.write('a.txt', 'mine\n');
    await expectValid(engine, batch({ operations: [{ type: 'write', target: 'b.txt', content: 'batch\n' }] }), [
      { code: 'OVERWRITE', index: 0, path: 'b.txt' },
    ]);
  });
});

describe('untracked and ignored files', () => {
  it('refuses a write that would overwrite an untracked file, and keeps the file', async () => {
    const env = await setup({});
    env.repo.write('notes.txt', 'my untracked notes\n');
    await expectRefused(env, batch({ operations: [{ type: 'write', target: 'notes.txt', content: 'batch\n' }] }), {
      code: 'UNTRACKED_OVERWRITE',
      index: 0,
      path: 'notes.txt',
    });
    expect(env.repo.read('notes.txt')).toBe('my untracked notes\n');
  });

  it('refuses a copy or move onto an untracked file, even with overwrite: true', async () => {
    const env = await setup({ 'a.txt': 'a\n', 'b.txt': 'b\n' });
    env.repo.write('dest/a.txt', 'untracked\n');
    env.repo.write('dest/b.txt', 'untracked\n');
    await expectRefused(
      env,
      batch({
        operations: [
          { type: 'copy', source: 'a.txt', target: 'dest/a.txt', overwrite: true },
          { type: 'move', source: 'b.txt', target: 'dest/b.txt', overwrite: true },
        ],
      }),
      [
        { code: 'UNTRACKED_OVERWRITE', index: 0, path: 'dest/a.txt' },
        { code: 'UNTRACKED_OVERWRITE', index: 1, path: 'dest/b.txt' },
      ],
    );
  });

  it('refuses a write to an ignored file that exists, and keeps it', async () => {
    const env = await setup({ '.gitignore': '*.log\nbuild/\n' });
    env.repo.write('debug.log', 'my log\n');
    await expectRefused(env, batch({ operations: [{ type: 'write', target: 'debug.log', content: 'batch\n' }] }), {
      code: 'PATH_IGNORED',
      index: 0,
      path: 'debug.log',
    });
    expect(env.repo.read('debug.log')).toBe('my log\n');
  });

  it('refuses a write to an ignored path that does not exist yet (the commit could not track it)', async () => {
    const env = await setup({ '.gitignore': '*.log\nbuild/\n' });
    await expectRefused(
      env,
      batch({
        operations: [
          { type: 'write', target: 'build/out.txt', content: 'x' },
          { type: 'write', target: 'logs/new.log', content: 'x' },
        ],
      }),
      [
        { code: 'PATH_IGNORED', index: 0, path: 'build/out.txt' },
        { code: 'PATH_IGNORED', index: 1, path: 'logs/new.log' },
      ],
    );
  });

  it('refuses a copy into an ignored directory', async () => {
    const env = await setup({ '.gitignore': 'cache/\n', 'a.txt': 'a' });
    await expectRefused(env, batch({ operations: [{ type: 'copy', source: 'a.txt', target: 'cache/a.txt' }] }), {
      code: 'PATH_IGNORED',
      index: 0,
      path: 'cache/a.txt',
    });
  });

  it('refuses a copy whose source is untracked, and keeps the file', async () => {
    const env = await setup({});
    env.repo.write('draft.txt', 'not committed\n');
    await expectRefused(env, batch({ operations: [{ type: 'copy', source: 'draft.txt', target: 'final.txt' }] }), {
      code: 'SOURCE_MISSING',
      index: 0,
      path: 'draft.txt',
    });
    expect(env.repo.read('draft.txt')).toBe('not committed\n');
  });

  it('refuses a move, a delete and a replace of untracked files', async () => {
    const env = await setup({});
    for (const name of ['m.txt', 'd.txt', 'r.txt']) env.repo.write(name, 'untracked\n');
    await expectRefused(
      env,
      batch({
        operations: [
          { type: 'move', source: 'm.txt', target: 'm2.txt' },
          { type: 'delete', target: 'd.txt' },
          { type: 'replace', target: 'r.txt', find: 'untracked', replace: 'x' },
        ],
      }),
      [
        { code: 'SOURCE_MISSING', index: 0, path: 'm.txt' },
        { code: 'SOURCE_MISSING', index: 1, path: 'd.txt' },
        { code: 'SOURCE_MISSING', index: 2, path: 'r.txt' },
      ],
    );
  });

  it('refuses a move of an ignored file', async () => {
    const env = await setup({ '.gitignore': '*.secret\n' });
    env.repo.write('key.secret', 'hunter2\n');
    await expectRefused(env, batch({ operations: [{ type: 'move', source: 'key.secret', target: 'public/key.txt' }] }), {
      code: 'PATH_IGNORED',
      index: 0,
      path: 'key.secret',
    });
  });

  it('lets a glob delete pass over untracked files it does not match, leaving them alone', async () => {
    const { repo, engine } = await setup({ 'tmp/a.log': 'a' });
    repo.write('tmp/mine.log', 'untracked\n');
    const result = await engine.run(batch({ operations: [{ type: 'delete', target: 'tmp/*.log' }] }));
    expect(result.status).toBe('completed');
    expect(repo.git('show', '--name-status', '--format=', 'HEAD').trim()).toBe('D\ttmp/a.log');
    expect(repo.read('tmp/mine.log')).toBe('untracked\n');
  });
});

describe('large batches in large indexes (one whole-index pass instead of per-path pathspecs)', () => {
  // 3,300 paths × 3,300 index entries is past the point where git/worktree-state.ts stops passing
  // pathspecs; the answers must be the same as path by path.
  const files: Record<string, string> = {};
  for (let i = 0; i < 3_300; i++) files[`pkg/${Math.floor(i / 100)}/f-${i}.txt`] = `v${i}\n`;
  const rewriteAll = (extra: Array<Record<string, unknown>> = []) =>
    batch({
      operations: [...Object.keys(files).map((target) => ({ type: 'write', target, content: `new ${target}\n` })), ...extra] as never,
    });

  it('finds unstaged, staged and untracked work among thousands of clean tracked paths', async () => {
    const env = await setup(files);
    env.repo.write('pkg/7/f-712.txt', 'unstaged work\n');
    env.repo.write('pkg/20/f-2001.txt', 'staged work\n');
    env.repo.git('add', 'pkg/20/f-2001.txt');
    env.repo.write('pkg/new/untracked.txt', 'mine\n');
    await expectRefused(env, rewriteAll([{ type: 'write', target: 'pkg/new/untracked.txt', content: 'x' }]), [
      { code: 'PATH_DIRTY', index: 712, path: 'pkg/7/f-712.txt' },
      { code: 'PATH_DIRTY', index: 2001, path: 'pkg/20/f-2001.txt' },
      { code: 'UNTRACKED_OVERWRITE', index: 3300, path: 'pkg/new/untracked.txt' },
    ]);
    expect(env.repo.read('pkg/7/f-712.txt')).toBe('unstaged work\n');
  }, 60_000);

  it('passes and commits them all when the work tree is clean', async () => {
    const { repo, engine } = await setup(files);
    const result = await engine.run(rewriteAll());
    expect(result.status).toBe('completed');
    expect(repo.git('show', '--name-only', '--format=', 'HEAD').trim().split('\n')).toHaveLength(3_300);
    expect(repo.git('status', '--porcelain')).toBe('');
    // that many blobs go into one pack (git fast-import), not 3,300 loose objects
    expect(repo.git('cat-file', '-p', 'HEAD:pkg/7/f-712.txt')).toBe('new pkg/7/f-712.txt\n');
    const blob = repo.git('rev-parse', 'HEAD:pkg/7/f-712.txt').trim();
    expect(existsSync(join(repo.dir, '.git', 'objects', blob.slice(0, 2), blob.slice(2)))).toBe(false);
    expect(repo.git('count-objects', '-v')).toMatch(/^in-pack: [1-9]/m);
    repo.git('fsck', '--strict', '--no-progress');
  }, 60_000);
});
