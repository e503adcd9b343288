// A rollback follows files moved after the batch, as `git revert` does (docs/lifecycle.md#rollback): the revert
// lands on the new path, a real delete is still a conflict, and moved files are never counted as conflicts.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { batch, useEngineRepos } from '../../helpers/engine.js';
import { GIT_ENV, type TestRepo } from '../../helpers/git-repo.js';

const setup = useEngineRepos();
/** ten lines, so a rename with one line edited is still a rename to git (50% similar) */
const recipe = (name: string): string => Array.from({ length: 10 }, (_, i) => `${name}_${i} = ${i}\n`).join('');
const CONTROL = 'batch-control.json'; // the rollback keeps the budget the batch used; git revert does not

/** HEAD's tree as `path mode oid` lines, without the control file. */
function tree(git: (...args: string[]) => string): string[] {
  return git('ls-tree', '-r', '--full-tree', 'HEAD')
    .trim()
    .split('\n')
    .filter((line) => !line.endsWith(`\t${CONTROL}`));
}

/** `git revert --no-edit <commit>` in a clone of the repository as it is now: its tree, or the conflicted paths. */
function gitRevert(repo: TestRepo, commit: string): { tree: string[] } | { conflicts: string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'batchctl-revert-'));
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: dir, env: GIT_ENV, encoding: 'utf8', stdio: 'pipe' });
  try {
    execFileSync('git', ['clone', '-q', repo.dir, dir], { env: GIT_ENV, stdio: 'pipe' });
    try {
      git('revert', '--no-edit', commit);
    } catch {
      return { conflicts: git('diff', '--name-only', '--diff-filter=U').trim().split('\n').sort() };
    }
    return { tree: tree(git) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `git mv`, into a new directory */
function move(repo: TestRepo, from: string, to: string): void {
  mkdirSync(dirname(join(repo.dir, to)), { recursive: true });
  repo.git('mv', from, to);
}

const edit = (target: string, name: string) => ({ type: 'replace' as const, target, find: `${name}_0 = 0`, replace: `${name}_0 = 100` });

describe('rollback after a later commit moved the batch files', () => {
  it('reverts a moved file at its new path, with the tree git revert gives', async () => {
    const { repo, engine } = await setup({ 'recipes/a.toml': recipe('a') });
    const original = await engine.run(batch({ operations: [edit('recipes/a.toml', 'a')] }));
    move(repo, 'recipes/a.toml', 'recipes/x/a.toml');
    repo.commitAll('move a into x/');
    const expected = gitRevert(repo, original.commit as string);
    expect(expected).toHaveProperty('tree');

    const result = await engine.rollback(original.batch_id);
    expect(result).toMatchObject({ success: true, restored: ['recipes/x/a.toml'], conflicts: [] });
    expect(tree(repo.git)).toEqual((expected as { tree: string[] }).tree);
    expect(repo.read('recipes/x/a.toml')).toBe(recipe('a'));
    expect(repo.git('status', '--porcelain', '--untracked-files=all')).toBe('');
  });

  it('refuses to delete a file the batch added and a later commit moved (a rename/delete conflict to git revert)', async () => {
    const { repo, engine } = await setup({ 'recipes/a.toml': recipe('a') });
    const original = await engine.run(batch({ operations: [{ type: 'write', target: 'recipes/n.toml', content: recipe('n') }] }));
    move(repo, 'recipes/n.toml', 'recipes/x/n.toml');
    repo.commitAll('move n into x/');
    expect(gitRevert(repo, original.commit as string)).toEqual({ conflicts: ['recipes/x/n.toml'] });
    const before = repo.snapshot();

    await expect(engine.rollback(original.batch_id)).rejects.toMatchObject({
      code: 'ROLLBACK_CONFLICT',
      data: { conflicts: [{ path: 'recipes/x/n.toml' }] },
    });
    expect(repo.snapshot()).toBe(before);
  });

  it('merges the revert into a moved file edited on other lines, as git revert does', async () => {
    const { repo, engine } = await setup({ 'recipes/a.toml': recipe('a') });
    const original = await engine.run(batch({ operations: [edit('recipes/a.toml', 'a')] }));
    move(repo, 'recipes/a.toml', 'recipes/x/a.toml');
    repo.write('recipes/x/a.toml', repo.read('recipes/x/a.toml').replace('a_9 = 9', 'a_9 = 900'));
    repo.commitAll('move a into x/ and edit its last line');
    const expected = gitRevert(repo, original.commit as string);
    expect(expected).toHaveProperty('tree');

    const result = await engine.rollback(original.batch_id);
    expect(result).toMatchObject({ success: true, restored: ['recipes/x/a.toml'], conflicts: [] });
    expect(tree(repo.git)).toEqual((expected as { tree: string[] }).tree);
    expect(repo.read('recipes/x/a.toml')).toBe(recipe('a').replace('a_9 = 9', 'a_9 = 900'));
  });

  it('still refuses a file deleted after the batch (ROLLBACK_CONFLICT), and only that one', async () => {
    const { repo, engine } = await setup({ 'recipes/a.toml': recipe('a'), 'recipes/d.toml': recipe('d') });
    const original = await engine.run(batch({ operations: [edit('recipes/a.toml', 'a'), edit('recipes/d.toml', 'd')] }));
    move(repo, 'recipes/a.toml', 'recipes/x/a.toml');
    repo.git('rm', '-q', 'recipes/d.toml');
    repo.commitAll('move a, delete d');
    expect(gitRevert(repo, original.commit as string)).toEqual({ conflicts: ['recipes/d.toml'] });
    const before = repo.snapshot();

    await expect(engine.rollback(original.batch_id)).rejects.toMatchObject({
      code: 'ROLLBACK_CONFLICT',
      data: { conflicts: [{ path: 'recipes/d.toml' }] },
    });
    expect(repo.snapshot()).toBe(before);
  });

  it('counts the conflicts git revert counts: 4 moved and 4 edited in conflict give 4, not 8', async () => {
    const names = ['m1', 'm2', 'm3', 'm4', 'c1', 'c2', 'c3', 'c4'];
    const { repo, engine } = await setup(Object.fromEntries(names.map((n) => [`recipes/${n}.toml`, recipe(n)])));
    const original = await engine.run(batch({ operations: names.map((n) => edit(`recipes/${n}.toml`, n)) }));
    for (const n of names.slice(0, 4)) move(repo, `recipes/${n}.toml`, `recipes/moved/${n}.toml`);
    for (const n of names.slice(4)) repo.write(`recipes/${n}.toml`, repo.read(`recipes/${n}.toml`).replace(`${n}_0 = 100`, `${n}_0 = 7`));
    repo.commitAll('move four recipes, edit the batch line of four others');
    const conflicted = names.slice(4).map((n) => `recipes/${n}.toml`);
    expect(gitRevert(repo, original.commit as string)).toEqual({ conflicts: conflicted });

    const planned = await engine.rollback(original.batch_id, { dryRun: true });
    expect(planned.conflicts.map((c) => c.path).sort()).toEqual(conflicted);
    expect(planned.restored.sort()).toEqual(names.slice(0, 4).map((n) => `recipes/moved/${n}.toml`));
    await expect(engine.rollback(original.batch_id)).rejects.toMatchObject({ code: 'ROLLBACK_CONFLICT' });
  });
});
