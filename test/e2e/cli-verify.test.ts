// batchctl verify (docs/lifecycle.md#drift): drift by a later plain commit or the work tree is
// reported with exit 6; batchctl's own later commits (a rollback, a later batch) are not drift.
import { rmSync } from 'node:fs';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { VerifyReportSchema, type VerifyReport } from '../../controller/domain/index.js';
import { gitRepo, removeRepo, type GitRepoOptions, type TestRepo } from '../helpers/git-repo.js';
import { gitWrapper, removeGitWrapper, type GitWrapper } from '../helpers/git-wrapper.js';
import { jsonLines, runCli } from '../helpers/run-cli.js';

const repos: TestRepo[] = [];
const wrappers: GitWrapper[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) removeRepo(r);
  for (const w of wrappers.splice(0)) removeGitWrapper(w);
});

function repoWith(files: Record<string, string>, options?: GitRepoOptions): TestRepo {
  const repo = gitRepo(files, options);
  repos.push(repo);
  return repo;
}

async function runBatch(repo: TestRepo, operations: unknown[]): Promise<string> {
  const run = await runCli(['run', '-', '--json', '--no-push'], { cwd: repo.dir, input: JSON.stringify({ operations }) });
  const result = jsonLines(run.stdout).at(-1);
  expect(result).toMatchObject({ status: 'completed' });
  return result?.['batch_id'] as string;
}

/** `verify … --json`: the exit code and the report, parsed with the schema `github drift-issue` reads. */
async function verify(
  repo: TestRepo,
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number | null; report: VerifyReport; stderr: string }> {
  const result = await runCli(['verify', ...args, '--json'], { cwd: repo.dir, env });
  const last = jsonLines(result.stdout).at(-1);
  return { code: result.code, report: VerifyReportSchema.parse(last), stderr: result.stderr };
}

const writes = (...paths: string[]) => paths.map((target) => ({ type: 'write', target, content: `${target} by the batch\n` }));

describe('batchctl verify', () => {
  it('reports a file a later plain commit changed, with the expected and actual blob and that commit, and exits 6', async () => {
    const repo = repoWith({ 'keep.txt': 'k' });
    const id = await runBatch(repo, writes('a.txt', 'b.txt'));
    const expected = repo.git('rev-parse', 'HEAD:a.txt').trim();
    repo.write('a.txt', 'edited by hand\n');
    const commit = repo.commitAll('hand edit of a.txt');

    const { code, report, stderr } = await verify(repo, ['--all']);
    expect(code).toBe(6);
    expect(stderr).toContain('DRIFT_FOUND');
    expect(report).toMatchObject({ head: commit, checked_batches: 1, checked_files: 2 });
    expect(report.drift).toEqual([
      {
        batch_id: id,
        path: 'a.txt',
        expected_blob: expected,
        actual_blob: repo.git('rev-parse', 'HEAD:a.txt').trim(),
        where: 'commit',
        changed_by: { commit, subject: 'hand edit of a.txt', author: 'Test User <test@example.com>' },
      },
    ]);
    // the same for the one batch by id, and in words without --json
    expect((await verify(repo, [id])).report.drift).toHaveLength(1);
    const human = await runCli(['verify', id], { cwd: repo.dir });
    expect(human.code).toBe(6);
    expect(human.stdout).toContain('a.txt');
    expect(human.stdout).toContain('hand edit of a.txt');
  });

  it('reports a file changed or deleted only in the work tree (or staged), with no commit', async () => {
    const repo = repoWith({});
    const id = await runBatch(repo, writes('a.txt', 'b.txt', 'c.txt', 'dir with space/d e.txt', 'same.txt'));
    repo.write('a.txt', 'not committed\n');
    repo.write('dir with space/d e.txt', 'edited\n');
    // rewritten with the bytes the batch wrote: git may list it as modified (stat), its blob is as recorded
    repo.write('same.txt', 'same.txt by the batch\n');
    rmSync(join(repo.dir, 'b.txt'));
    repo.write('c.txt', 'staged\n');
    repo.git('add', 'c.txt');

    const { code, report } = await verify(repo, ['--all']);
    expect(code).toBe(6);
    expect(report.drift.map((d) => [d.path, d.where, d.changed_by, d.batch_id])).toEqual([
      ['a.txt', 'work-tree', null, id],
      ['b.txt', 'work-tree', null, id],
      ['c.txt', 'work-tree', null, id],
      ['dir with space/d e.txt', 'work-tree', null, id],
    ]);
    expect(report.drift[0]?.actual_blob).toBe(repo.git('hash-object', 'a.txt').trim());
    expect(report.drift[1]?.actual_blob).toBeNull();
    expect(report.drift[2]?.actual_blob).toBe(repo.git('rev-parse', ':c.txt').trim());
  });

  it('finds no drift after a batchctl rollback or a later batch rewrote the files, and exits 0', async () => {
    const repo = repoWith({ 'a.txt': 'before\n' });
    const first = await runBatch(repo, writes('a.txt', 'b.txt'));
    const second = await runBatch(repo, [{ type: 'write', target: 'b.txt', content: 'again\n' }]);
    expect((await verify(repo, [first])).report.drift).toEqual([]);
    const rollback = await runCli(['rollback', second, '--no-push'], { cwd: repo.dir });
    expect(rollback.code).toBe(0);

    for (const args of [['--all'], [first], [second]]) {
      const { code, report } = await verify(repo, args);
      expect(code).toBe(0);
      expect(report.drift).toEqual([]);
    }
    // and a plain commit after all that is drift again, against the newest record of the path
    repo.write('a.txt', 'by hand\n');
    repo.commitAll('by hand');
    const { code, report } = await verify(repo, ['--all']);
    expect(code).toBe(6);
    expect(report.drift.map((d) => d.path)).toEqual(['a.txt']);
  });

  it('reports a plain commit that carries a hand-typed Batch-Id trailer (no tag, not recorded) like any plain commit', async () => {
    const repo = repoWith({});
    const id = await runBatch(repo, writes('a.txt'));
    repo.write('a.txt', 'forged\n');
    repo.git('add', '-A');
    repo.git('commit', '-q', '-m', 'looks like a batch\n\nBatch-Id: b-20260101-000000-abcdef');
    const forged = repo.head();
    const { code, report } = await verify(repo, ['--all']);
    expect(code).toBe(6);
    expect(report.drift).toMatchObject([{ path: 'a.txt', batch_id: id, changed_by: { commit: forged, subject: 'looks like a batch' } }]);
  });

  it('reports a file a batch deleted that a plain commit brought back, and one it wrote that a commit deleted', async () => {
    const repo = repoWith({ 'old.txt': 'old\n' });
    await runBatch(repo, [{ type: 'delete', target: 'old.txt' }, ...writes('new.txt')]);
    repo.write('old.txt', 'back\n');
    rmSync(join(repo.dir, 'new.txt'));
    repo.commitAll('restore old, drop new');
    const { report } = await verify(repo, ['--all']);
    expect(report.drift.map((d) => [d.path, d.expected_blob === null, d.actual_blob === null])).toEqual([
      ['new.txt', false, true],
      ['old.txt', true, false],
    ]);
  });

  it('works in a SHA-256 repository (64-digit blob ids)', async () => {
    const repo = repoWith({}, { objectFormat: 'sha256' });
    await runBatch(repo, writes('a.txt'));
    repo.write('a.txt', 'edited\n');
    repo.commitAll('edit');
    const { code, report } = await verify(repo, ['--all']);
    expect(code).toBe(6);
    expect(report.drift[0]?.expected_blob).toMatch(/^[0-9a-f]{64}$/);
    expect(report.drift[0]?.actual_blob).toBe(repo.git('rev-parse', 'HEAD:a.txt').trim());
  });

  it('says when the history database lacks the batches (a cold cache) and names reindex; after reindex it finds the drift', async () => {
    const repo = repoWith({});
    const id = await runBatch(repo, writes('a.txt'));
    repo.write('a.txt', 'edited\n');
    repo.commitAll('edit');
    const stateDir = join(repo.dir, '.git', 'batchctl');
    rmSync(join(stateDir, 'state.db'), { force: true });
    for (const suffix of ['-wal', '-shm']) rmSync(join(stateDir, `state.db${suffix}`), { force: true });

    const cold = await verify(repo, ['--all']);
    expect(cold.report).toMatchObject({ checked_batches: 0, unrecorded_batches: 1 });
    expect(cold.report.note).toContain('batchctl reindex');
    expect(cold.stderr).toContain('batchctl reindex');
    const byId = await runCli(['verify', id], { cwd: repo.dir });
    expect(byId.code).toBe(5);
    expect(byId.stderr).toContain('batchctl reindex');

    expect((await runCli(['reindex'], { cwd: repo.dir })).code).toBe(0);
    const warm = await verify(repo, ['--all']);
    expect(warm.code).toBe(6);
    expect(warm.report.unrecorded_batches).toBeUndefined();
    expect(warm.report.drift.map((d) => [d.path, d.batch_id])).toEqual([['a.txt', id]]);
  });

  it('runs the same number of git log, ls-tree and status processes for 1 drifted file as for 40', async () => {
    const counted = (['log', 'ls-tree', 'status'] as const).map((subcommand) => ({ subcommand, run: 'exec "$GIT" "$@"' }));
    const calls = async (drifted: number): Promise<number[]> => {
      const repo = repoWith({});
      const paths = Array.from({ length: 41 }, (_, i) => `dir/f${i}.txt`);
      await runBatch(repo, writes(...paths));
      for (const path of paths.slice(0, drifted)) repo.write(path, 'edited\n');
      repo.commitAll('edit');
      const wrapper = gitWrapper(counted);
      wrappers.push(wrapper);
      const { code, report } = await verify(repo, ['--all'], { PATH: wrapper.path });
      expect(code).toBe(6);
      expect(report.drift).toHaveLength(drifted);
      return counted.map(({ subcommand }) => wrapper.faulted(subcommand));
    };
    const one = await calls(1);
    expect(await calls(40)).toEqual(one);
    expect(one[1]).toBe(1); // one ls-tree
  });

  it('refuses neither or both of an id and --all (exit 2, USAGE), and an id that is not one', async () => {
    const repo = repoWith({});
    const neither = await runCli(['verify'], { cwd: repo.dir });
    expect(neither.code).toBe(2);
    expect(neither.stderr).toContain('--all');
    expect((await runCli(['verify', 'b-20260101-000000-abcdef', '--all'], { cwd: repo.dir })).code).toBe(2);
    const bad = await runCli(['verify', 'nope'], { cwd: repo.dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('BATCH_ID_INVALID');
  });

  it('says a batch that committed nothing has no files to verify (exit 0)', async () => {
    const repo = repoWith({});
    const run = await runCli(['run', '-', '--json', '--no-push'], {
      cwd: repo.dir,
      input: JSON.stringify({ operations: [{ type: 'delete', target: 'absent.txt' }] }),
    });
    const id = jsonLines(run.stdout).at(-1)?.['batch_id'] as string;
    const { code, report } = await verify(repo, [id]);
    expect(code).toBe(0);
    expect(report).toMatchObject({ checked_batches: 0, checked_files: 0, drift: [] });
    expect(report.note).toContain(`batch ${id} is refused`);
  });
});
