// Warnings that do not refuse, `validation: false` (advisory checks off, safety on), and globs that
// see the earlier operations of their own batch, through the real engine.
import { describe, expect, it } from 'vitest';

import { batch } from '../../helpers/engine.js';
import { expectRefused, expectValid, setup, useRepos } from './fixtures.js';

useRepos();

const noAdvice = { validation: false } as const;

describe('warnings', () => {
  it('warns about a write over a tracked file but still runs it', async () => {
    const { repo, engine } = await setup({ 'a.txt': 'old\n' });
    const write = batch({ operations: [{ type: 'write', target: 'a.txt', content: 'new\n' }] });
    await expectValid(engine, write, [{ code: 'OVERWRITE', index: 0, path: 'a.txt' }]);
    expect((await engine.run(write)).status).toBe('completed');
    expect(repo.read('a.txt')).toBe('new\n');
  });

  it('warns about a glob that matches nothing, naming the pattern', async () => {
    const { engine } = await setup({ 'tmp/keep.txt': 'k' });
    await expectValid(
      engine,
      batch({
        operations: [
          { type: 'delete', target: 'tmp/*.log' },
          { type: 'replace', target: 'nowhere/**/*.toml', find: 'a', replace: 'b' },
        ],
      }),
      [
        { code: 'GLOB_NO_MATCH', index: 0, path: 'tmp/*.log' },
        { code: 'GLOB_NO_MATCH', index: 1, path: 'nowhere/**/*.toml' },
      ],
    );
  });

  it('does not let a glob match dotfiles it does not name, so it warns instead', async () => {
    const { engine } = await setup({ 'conf/.env': 'SECRET=1' });
    await expectValid(engine, batch({ operations: [{ type: 'delete', target: 'conf/*' }] }), [
      { code: 'GLOB_NO_MATCH', index: 0, path: 'conf/*' },
    ]);
  });

  it('warns about a replace whose find text is absent, literal or regex', async () => {
    const { engine } = await setup({ 'a.txt': 'version = "1.0.0"\n', 'b.txt': 'version = "1.0.0"\n' });
    await expectValid(
      engine,
      batch({
        operations: [
          { type: 'replace', target: 'a.txt', find: '2.0.0', replace: '2.0.1' },
          { type: 'replace', target: 'b.txt', find: '^name', replace: 'title', regex: true },
        ],
      }),
      [
        { code: 'REPLACE_NO_MATCH', index: 0, path: 'a.txt' },
        { code: 'REPLACE_NO_MATCH', index: 1, path: 'b.txt' },
      ],
    );
  });

  it('does not warn about a replace whose find text is present', async () => {
    const { engine } = await setup({ 'a.txt': 'version = "1.0.0"\n' });
    await expectValid(
      engine,
      batch({ operations: [{ type: 'replace', target: 'a.txt', find: '\\d+\\.\\d+', replace: 'x', regex: true }] }),
    );
  });
});

describe('validation: false', () => {
  it('skips every warning', async () => {
    const { engine } = await setup({ 'a.txt': 'version 1\n', 'b.txt': 'b', 'c.txt': 'c' });
    await expectValid(
      engine,
      batch({
        options: noAdvice,
        operations: [
          { type: 'write', target: 'b.txt', content: 'over' },
          { type: 'delete', target: 'tmp/*.log' },
          { type: 'replace', target: 'a.txt', find: 'absent', replace: 'x' },
          { type: 'copy', source: 'b.txt', target: 'c.txt', overwrite: true },
        ],
      }),
    );
  });

  it.each([
    ['a .. path', '../escape.txt', 'PATH_TRAVERSAL'],
    ['a .git path', '.GIT/hooks/pre-commit', 'PATH_GIT_DIR'],
    ['a protected path', '.github/workflows/x.yml', 'PATH_PROTECTED'],
    ['an absolute path', 'C:/x', 'PATH_ABSOLUTE'],
  ])('never skips path safety: %s is still refused', async (_what, target, code) => {
    const env = await setup({});
    await expectRefused(env, batch({ options: noAdvice, operations: [{ type: 'write', target, content: 'x' }] }), {
      code,
      index: 0,
      path: target,
    });
  });

  it('never skips the protection of user work, symlinks or existing files', async () => {
    const env = await setup({ 'dirty.txt': 'd', 'a.txt': 'a', 'b.txt': 'b' });
    env.repo.write('dirty.txt', 'mine');
    env.repo.write('untracked.txt', 'mine');
    await expectRefused(
      env,
      batch({
        options: noAdvice,
        operations: [
          { type: 'write', target: 'dirty.txt', content: 'x' },
          { type: 'write', target: 'untracked.txt', content: 'x' },
          { type: 'copy', source: 'a.txt', target: 'b.txt' },
          { type: 'move', source: 'ghost.txt', target: 'c.txt' },
        ],
      }),
      [
        { code: 'PATH_DIRTY', index: 0, path: 'dirty.txt' },
        { code: 'UNTRACKED_OVERWRITE', index: 1, path: 'untracked.txt' },
        { code: 'TARGET_EXISTS', index: 2, path: 'b.txt' },
        { code: 'SOURCE_MISSING', index: 3, path: 'ghost.txt' },
      ],
    );
    expect(env.repo.read('dirty.txt')).toBe('mine');
  });
});

describe('globs see the earlier operations of their batch', () => {
  it('edits a file written earlier in the batch: write recipes/new.toml, then replace recipes/*.toml', async () => {
    const { repo, engine } = await setup({ 'recipes/old.toml': 'version = "1.0.0"\n', 'other/x.toml': 'version = "1.0.0"\n' });
    const result = await engine.run(
      batch({
        operations: [
          { type: 'write', target: 'recipes/new.toml', content: 'version = "1.0.0"\n' },
          { type: 'replace', target: 'recipes/*.toml', find: '1.0.0', replace: '1.0.1' },
        ],
      }),
    );
    expect(result.status).toBe('completed');
    expect(repo.read('recipes/new.toml')).toBe('version = "1.0.1"\n');
    expect(repo.read('recipes/old.toml')).toBe('version = "1.0.1"\n');
    expect(repo.read('other/x.toml')).toBe('version = "1.0.0"\n');
  });

  it('does not warn GLOB_NO_MATCH when only an earlier op of the batch creates the match', async () => {
    const { engine } = await setup({});
    await expectValid(
      engine,
      batch({
        operations: [
          { type: 'write', target: 'recipes/new.toml', content: 'v = 1\n' },
          { type: 'replace', target: 'recipes/*.toml', find: '1', replace: '2' },
        ],
      }),
    );
  });

  it('does not touch a file moved away: move tmp/a.log -> keep/a.log, then delete tmp/*.log', async () => {
    const { repo, engine } = await setup({ 'tmp/a.log': 'keep me\n', 'tmp/b.log': 'b\n', 'tmp/notes.txt': 'n\n' });
    const moveThenDelete = batch({
      operations: [
        { type: 'move', source: 'tmp/a.log', target: 'keep/a.log' },
        { type: 'delete', target: 'tmp/*.log' },
      ],
    });
    await expectValid(engine, moveThenDelete);
    expect((await engine.run(moveThenDelete)).status).toBe('completed');
    expect(repo.read('keep/a.log')).toBe('keep me\n');
    expect(repo.git('ls-files', 'tmp', 'keep').trim().split('\n')).toEqual(['keep/a.log', 'tmp/notes.txt']);
    expect(repo.git('status', '--porcelain', '--untracked-files=all')).toBe('');
  });

  it('skips a file deleted earlier in the batch instead of reporting DELETED_EARLIER', async () => {
    const { repo, engine } = await setup({ 'recipes/a.toml': 'v = 1\n', 'recipes/b.toml': 'v = 1\n' });
    const result = await engine.run(
      batch({
        operations: [
          { type: 'delete', target: 'recipes/a.toml' },
          { type: 'replace', target: 'recipes/*.toml', find: '1', replace: '2' },
        ],
      }),
    );
    expect(result.status).toBe('completed');
    expect(repo.git('ls-files', 'recipes').trim()).toBe('recipes/b.toml');
    expect(repo.read('recipes/b.toml')).toBe('v = 2\n');
  });

  it('still refuses a glob delete over files the batch created when it also matches the control file', async () => {
    const env = await setup({ 'a.json': '{}' });
    await expectRefused(
      env,
      batch({
        operations: [
          { type: 'copy', source: 'a.json', target: 'b.json' },
          { type: 'delete', target: '*.json' },
        ],
      }),
      { code: 'PATH_PROTECTED', index: 1, path: 'batch-control.json' },
    );
  });
});
