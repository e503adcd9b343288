// Conflicts inside one batch, through the real engine: operations that fight over a path, name a
// path two ways, or need a file that is not there are refused before anything is written.
import { describe, expect, it } from 'vitest';

import type { BatchInput } from '../../../controller/domain/index.js';
import { batch } from '../../helpers/engine.js';
import { expectRefused, expectValid, setup, useRepos } from './fixtures.js';

useRepos();

type Op = BatchInput['operations'][number];

describe('operations that fight over one path', () => {
  it('refuses two writes of one path', async () => {
    const env = await setup({});
    await expectRefused(
      env,
      batch({
        operations: [
          { type: 'write', target: 'a.txt', content: 'first' },
          { type: 'write', target: '/a.txt', content: 'second' },
        ],
      }),
      { code: 'DUPLICATE_TARGET', index: 1, path: 'a.txt' },
    );
  });

  it('refuses a copy onto a path an earlier write created, even with overwrite', async () => {
    const env = await setup({ 'src.txt': 's' });
    await expectRefused(
      env,
      batch({
        operations: [
          { type: 'write', target: 'a.txt', content: 'first' },
          { type: 'copy', source: 'src.txt', target: 'a.txt', overwrite: true },
        ],
      }),
      { code: 'DUPLICATE_TARGET', index: 1, path: 'a.txt' },
    );
  });

  it.each<[string, Op]>([
    ['a replace', { type: 'replace', target: 'a.txt', find: 'a', replace: 'b' }],
    ['a second delete', { type: 'delete', target: 'a.txt' }],
    ['a copy from it', { type: 'copy', source: 'a.txt', target: 'b.txt' }],
    ['a write to it', { type: 'write', target: 'a.txt', content: 'back' }],
  ])('refuses %s after the path was deleted earlier in the batch', async (_what, op) => {
    const env = await setup({ 'a.txt': 'a' });
    await expectRefused(env, batch({ operations: [{ type: 'delete', target: 'a.txt' }, op] }), {
      code: 'DELETED_EARLIER',
      index: 1,
      path: 'a.txt',
    });
  });

  it('refuses an op on a path moved away earlier in the batch', async () => {
    const env = await setup({ 'old/b.toml': 'b' });
    await expectRefused(
      env,
      batch({
        operations: [
          { type: 'move', source: 'old/b.toml', target: 'new/b.toml' },
          { type: 'replace', target: 'old/b.toml', find: 'b', replace: 'c' },
        ],
      }),
      { code: 'DELETED_EARLIER', index: 1, path: 'old/b.toml' },
    );
  });

  it('refuses A.txt and a.txt in one batch (one file on macOS and Windows)', async () => {
    const env = await setup({});
    await expectRefused(
      env,
      batch({
        operations: [
          { type: 'write', target: 'A.txt', content: 'upper' },
          { type: 'write', target: 'a.txt', content: 'lower' },
        ],
      }),
      { code: 'PATH_COLLISION', index: 1, path: 'a.txt' },
    );
  });

  it('refuses the NFC and NFD spellings of one name in one batch', async () => {
    const env = await setup({});
    await expectRefused(
      env,
      batch({
        operations: [
          { type: 'write', target: 'caf\u00e9.txt', content: 'nfc' },
          { type: 'write', target: 'cafe\u0301.txt', content: 'nfd' },
        ],
      }),
      { code: 'PATH_COLLISION', index: 1, path: 'cafe\u0301.txt' },
    );
  });

  it('refuses Recipes/a.toml and recipes/b.toml (two directories in git, one on a Mac)', async () => {
    const env = await setup({});
    await expectRefused(
      env,
      batch({
        operations: [
          { type: 'write', target: 'Recipes/a.toml', content: 'a' },
          { type: 'write', target: 'recipes/b.toml', content: 'b' },
        ],
      }),
      { code: 'PATH_COLLISION', index: 1, path: 'recipes/b.toml' },
    );
  });

  it('refuses a copy whose source and target differ only in case', async () => {
    const env = await setup({ 'readme.md': 'r' });
    await expectRefused(env, batch({ operations: [{ type: 'copy', source: 'readme.md', target: 'README.md' }] }), {
      code: 'PATH_COLLISION',
      index: 0,
      path: 'README.md',
    });
  });

  it('refuses a write of a then a write of a/b (a file cannot be a directory)', async () => {
    const env = await setup({});
    await expectRefused(
      env,
      batch({
        operations: [
          { type: 'write', target: 'a', content: 'file' },
          { type: 'write', target: 'a/b', content: 'below a file' },
        ],
      }),
      { code: 'PATH_TYPE_CONFLICT', index: 1, path: 'a/b' },
    );
  });

  it('refuses a write of a/b then a write of a (a directory cannot be a file)', async () => {
    const env = await setup({});
    await expectRefused(
      env,
      batch({
        operations: [
          { type: 'write', target: 'a/b', content: 'x' },
          { type: 'write', target: 'a', content: 'x' },
        ],
      }),
      { code: 'PATH_TYPE_CONFLICT', index: 1, path: 'a' },
    );
  });

  it('replaces a file by a directory of the same name when the batch deletes the file first', async () => {
    const { repo, engine } = await setup({ a: 'file' });
    const swap = batch({
      operations: [
        { type: 'delete', target: 'a' },
        { type: 'write', target: 'a/b', content: 'below' },
        { type: 'write', target: 'a/c', content: 'below' },
      ],
    });
    await expectValid(engine, swap);
    expect((await engine.run(swap)).status).toBe('completed');
    expect(repo.git('ls-files', 'a').trim().split('\n')).toEqual(['a/b', 'a/c']);
  });

  it('refuses a write below a tracked file, and a write where a tracked directory is', async () => {
    const env = await setup({ 'file.txt': 'f', 'dir/x.txt': 'x' });
    await expectRefused(
      env,
      batch({
        operations: [
          { type: 'write', target: 'file.txt/child', content: 'x' },
          { type: 'write', target: 'dir', content: 'x' },
        ],
      }),
      [
        { code: 'PATH_TYPE_CONFLICT', index: 0, path: 'file.txt/child' },
        { code: 'PATH_TYPE_CONFLICT', index: 1, path: 'dir' },
      ],
    );
  });
});

describe('existence and overwrite', () => {
  it('refuses a rename into another directory', async () => {
    const env = await setup({ 'recipes/c.toml': 'c' });
    await expectRefused(env, batch({ operations: [{ type: 'rename', source: 'recipes/c.toml', target: 'archive/c.toml' }] }), {
      code: 'RENAME_CHANGES_DIRECTORY',
      index: 0,
      path: 'archive/c.toml',
    });
  });

  it('refuses a copy onto an existing file without overwrite, and accepts it with overwrite: true', async () => {
    const env = await setup({ 'a.txt': 'a', 'b.txt': 'b' });
    await expectRefused(env, batch({ operations: [{ type: 'copy', source: 'a.txt', target: 'b.txt' }] }), {
      code: 'TARGET_EXISTS',
      index: 0,
      path: 'b.txt',
    });
    await expectValid(env.engine, batch({ operations: [{ type: 'copy', source: 'a.txt', target: 'b.txt', overwrite: true }] }), [
      { code: 'OVERWRITE', index: 0, path: 'b.txt' },
    ]);
  });

  it('refuses a move or rename onto an existing file', async () => {
    const env = await setup({ 'a.txt': 'a', 'b.txt': 'b', 'c.txt': 'c' });
    await expectRefused(
      env,
      batch({
        operations: [
          { type: 'move', source: 'a.txt', target: 'b.txt' },
          { type: 'rename', source: 'c.txt', target: 'b.txt' },
        ],
      }),
      [
        { code: 'TARGET_EXISTS', index: 0, path: 'b.txt' },
        { code: 'TARGET_EXISTS', index: 1, path: 'b.txt' },
      ],
    );
  });

  it('refuses a move of a file that does not exist', async () => {
    const env = await setup({});
    await expectRefused(env, batch({ operations: [{ type: 'move', source: 'ghost.txt', target: 'b.txt' }] }), {
      code: 'SOURCE_MISSING',
      index: 0,
      path: 'ghost.txt',
    });
  });

  it('refuses a delete and a replace of files that do not exist', async () => {
    const env = await setup({});
    await expectRefused(
      env,
      batch({
        operations: [
          { type: 'delete', target: 'ghost.txt' },
          { type: 'replace', target: 'ghost.toml', find: 'a', replace: 'b' },
        ],
      }),
      [
        { code: 'SOURCE_MISSING', index: 0, path: 'ghost.txt' },
        { code: 'SOURCE_MISSING', index: 1, path: 'ghost.toml' },
      ],
    );
  });

  it('refuses a copy whose source and target are one path', async () => {
    const env = await setup({ 'a.txt': 'a' });
    await expectRefused(env, batch({ operations: [{ type: 'copy', source: 'a.txt', target: '/a.txt' }] }), {
      code: 'SAME_PATH',
      index: 0,
      path: 'a.txt',
    });
  });

  it('accepts a chain in one batch: write, then copy it, then move the copy, then delete the original', async () => {
    const { repo, engine } = await setup({});
    const chain = batch({
      operations: [
        { type: 'write', target: 'a.txt', content: 'chain' },
        { type: 'copy', source: 'a.txt', target: 'b.txt' },
        { type: 'move', source: 'b.txt', target: 'dir/c.txt' },
        { type: 'delete', target: 'a.txt' },
      ],
    });
    await expectValid(engine, chain);
    expect((await engine.run(chain)).status).toBe('completed');
    expect(repo.git('ls-files', 'a.txt', 'b.txt', 'dir').trim()).toBe('dir/c.txt');
    expect(repo.read('dir/c.txt')).toBe('chain');
  });
});
