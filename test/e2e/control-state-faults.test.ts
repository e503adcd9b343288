// Issue 11, classes 8 and 9: a failed batch's control-state commit (its breaker failure and budget)
// is journaled like a batch. A crash after HEAD moved and before the index refresh, or a write of
// batch-control.json that fails after HEAD moved, is finished by `batchctl recover`: no staged
// revert of the breaker and budget state is left, and the failure is counted exactly once.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { gitRepo, removeRepo, type TestRepo } from '../helpers/git-repo.js';
import { useGitHook } from '../helpers/git-hook-path.js';
import { jsonLines, runCli } from '../helpers/run-cli.js';
import { runCliWithFault } from '../helpers/strace-cli.js';

const repos: TestRepo[] = [];
afterEach(() => {
  for (const r of repos.splice(0)) removeRepo(r);
});
const hooked = useGitHook();

function repo(): TestRepo {
  const r = gitRepo({ 'r/a.txt': 'v1\n', 'notes.txt': 'mine\n' });
  repos.push(r);
  return r;
}

/** Fails at apply and rolls back: a breaker failure, recorded by a control-state commit of its own. */
const failing = JSON.stringify({
  title: 'fails',
  ecosystem: 'npm',
  options: { atomic: true },
  operations: [
    { type: 'write', target: 'ok.txt', content: 'x\n' },
    { type: 'replace', target: 'r/a.txt', find: 'absent', replace: 'y' },
  ],
});
const passing = JSON.stringify({ title: 'passes', ecosystem: 'npm', operations: [{ type: 'write', target: 'out.txt', content: 'out\n' }] });

const failureCommits = (r: TestRepo): string[] =>
  r
    .git('log', '--format=%s')
    .split('\n')
    .filter((s) => s.endsWith('(failure)'));
const breaker = (r: TestRepo, rev = 'HEAD'): { failures: number } =>
  (JSON.parse(r.git('show', `${rev}:batch-control.json`)) as { circuit_breaker: Record<string, { failures: number }> }).circuit_breaker
    .npm as { failures: number };
const pendingFailures = (r: TestRepo): unknown[] => {
  const file = join(r.dir, '.git', 'batchctl', 'pending-failures.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as unknown[]) : [];
};

/** After `recover`: clean status, the failure in HEAD once, nothing pending, and the next batch records no second failure. */
async function expectRecordedOnce(r: TestRepo, batchId: string): Promise<void> {
  expect(r.git('status', '--porcelain', '--untracked-files=all')).toBe('');
  expect(breaker(r).failures).toBe(1);
  expect(failureCommits(r)).toEqual([`batchctl: control state after ${batchId} (failure)`]);
  expect(pendingFailures(r)).toEqual([]);
  expect(existsSync(join(r.dir, '.git', 'batchctl', 'journal.json'))).toBe(false);
  const next = await runCli(['run', '-'], { cwd: r.dir, input: passing });
  expect(next.code, next.stderr).toBe(0);
  expect(failureCommits(r)).toHaveLength(1);
  expect(r.git('status', '--porcelain', '--untracked-files=all')).toBe('');
}

describe("a failed batch's control-state commit", () => {
  it('killed after HEAD moved, before the index refresh: `recover` lands the control file and index (class 8)', async () => {
    const r = repo();
    const PATH = hooked({ subcommand: 'update-index', once: true, before: 'kill -9 $BATCHCTL_PID; exit 137' });
    const out = await runCli(['run', '-', '--json'], { cwd: r.dir, input: failing, env: { PATH } });
    expect(out.code).toBeNull(); // killed
    const batchId = String(jsonLines(out.stdout).find((e) => e.type === 'batch_started')?.batch_id);
    expect(failureCommits(r)).toHaveLength(1); // HEAD moved: the failure is in HEAD

    const recovered = await runCli(['recover', '--json'], { cwd: r.dir });
    expect(recovered.code, recovered.stderr).toBe(0);
    expect(jsonLines(recovered.stdout).at(-1)).toMatchObject({
      recovered: { kind: 'control', action: 'finished', batch_id: batchId, commit: r.head() },
    });
    await expectRecordedOnce(r, batchId);
  });

  it('whose control file cannot be written after HEAD moved: recorded once, and `recover` brings the file and index up (class 9)', async () => {
    const r = repo();
    // The durable write of the control file fails at its last step, the fsync of the directory (strace
    // 6.1's -P does not match a rename's new name, so this is the point of that write it can aim at).
    const out = await runCliWithFault(['run', '-', '--json'], {
      cwd: r.dir,
      input: failing,
      fault: { path: r.dir, syscalls: ['fsync', 'fdatasync'], error: 'EIO' },
    });
    const result = jsonLines(out.stdout).at(-1) as { batch_id: string };
    expect(out.code, out.stderr).toBe(1);
    expect(result).toMatchObject({ status: 'failed', reason: { code: 'ATOMIC_FAILURE' } });
    expect(failureCommits(r)).toHaveLength(1);
    expect(pendingFailures(r)).toEqual([]); // in HEAD: not pending as well (that would count it twice)

    const recovered = await runCli(['recover', '--json'], { cwd: r.dir });
    expect(recovered.code, recovered.stderr).toBe(0);
    expect(jsonLines(recovered.stdout).at(-1)).toMatchObject({
      recovered: { kind: 'control', action: 'finished', batch_id: result.batch_id },
    });
    await expectRecordedOnce(r, result.batch_id);
  });

  it('killed right after HEAD moved, before the file was written: `recover` writes it and the index', async () => {
    const r = repo();
    const PATH = hooked({ subcommand: 'update-ref', after: 'case "$*" in *"control state after"*) kill -9 $BATCHCTL_PID ;; esac' });
    const out = await runCli(['run', '-', '--json'], { cwd: r.dir, input: failing, env: { PATH } });
    expect(out.code).toBeNull();
    const batchId = String(jsonLines(out.stdout).find((e) => e.type === 'batch_started')?.batch_id);
    expect(failureCommits(r)).toHaveLength(1);
    expect(r.git('status', '--porcelain')).toBe('M  batch-control.json\n'); // the staged revert recovery must take away

    const recovered = await runCli(['recover', '--json'], { cwd: r.dir });
    expect(recovered.code, recovered.stderr).toBe(0);
    expect(jsonLines(recovered.stdout).at(-1)).toMatchObject({ recovered: { kind: 'control', action: 'finished', batch_id: batchId } });
    await expectRecordedOnce(r, batchId);
  });

  it('killed before HEAD moved: nothing to undo, and the failure stays pending until `recover` records it, once', async () => {
    const r = repo();
    // The ref update of the control-state commit (its reflog message says so), not the retry content's.
    const PATH = hooked({
      subcommand: 'update-ref',
      before: 'case "$*" in *"control state after"*) kill -9 $BATCHCTL_PID; exit 137 ;; esac',
    });
    const out = await runCli(['run', '-', '--json'], { cwd: r.dir, input: failing, env: { PATH } });
    expect(out.code).toBeNull();
    const batchId = String(jsonLines(out.stdout).find((e) => e.type === 'batch_started')?.batch_id);
    expect(failureCommits(r)).toEqual([]);
    expect(pendingFailures(r)).toMatchObject([{ batch_id: batchId }]);

    // Recovery undoes the journaled control-state commit, then records the pending failure (once).
    const recovered = await runCli(['recover', '--json'], { cwd: r.dir });
    expect(recovered.code, recovered.stderr).toBe(0);
    expect(jsonLines(recovered.stdout).at(-1)).toMatchObject({
      recovered: { kind: 'control', action: 'restored', batch_id: batchId },
      pending_failures: { recorded: [batchId], pending: [] },
    });
    expect(failureCommits(r)).toEqual([`batchctl: control state after ${batchId} (failure)`]);
    expect(pendingFailures(r)).toEqual([]);
    expect(r.git('status', '--porcelain', '--untracked-files=all')).toBe('');

    // The next run does not record it again.
    const next = await runCli(['run', '-'], { cwd: r.dir, input: passing });
    expect(next.code, next.stderr).toBe(0);
    expect(failureCommits(r)).toEqual([`batchctl: control state after ${batchId} (failure)`]);
    expect(r.git('status', '--porcelain', '--untracked-files=all')).toBe('');
  });

  it('a stop killed after HEAD moved, before the index refresh: `recover` brings the index up to the committed stop', async () => {
    const r = repo();
    const PATH = hooked({ subcommand: 'update-index', once: true, before: 'kill -9 $BATCHCTL_PID; exit 137' });
    const out = await runCli(['stop', '--reason', 'incident 7', '--by', 'alice'], { cwd: r.dir, env: { PATH } });
    expect(out.code).toBeNull();
    expect(r.git('log', '-1', '--format=%(trailers:key=Control-Change,valueonly)').trim()).toBe('stop');
    expect(r.git('status', '--porcelain')).toBe('MM batch-control.json\n'); // staged: a revert of the stop

    const recovered = await runCli(['recover', '--json'], { cwd: r.dir });
    expect(recovered.code, recovered.stderr).toBe(0);
    expect(jsonLines(recovered.stdout).at(-1)).toMatchObject({ recovered: { kind: 'control', action: 'finished', batch_id: '' } });
    expect(r.git('status', '--porcelain', '--untracked-files=all')).toBe('');
    const refused = await runCli(['run', '-'], { cwd: r.dir, input: passing });
    expect(refused.code).toBe(3); // the stop holds
  });

  it('an edit of the control file made while the state is committed stays unstaged, the index follows HEAD (no staged revert)', async () => {
    for (const input of [passing, failing]) {
      const r = repo();
      // Someone edits the file (a trailing newline) just before the ref update that commits the state.
      const PATH = hooked({
        subcommand: 'update-ref',
        // the batch's ref update, or the failure's control-state one (not the retry content's)
        before: 'case "$*" in *"for retry"*) ;; *"batchctl: "*) echo >> batch-control.json ;; esac',
      });
      const out = await runCli(['run', '-'], { cwd: r.dir, input, env: { PATH } });
      expect(out.code, out.stderr).toBe(input === passing ? 0 : 1);
      expect(r.git('diff', '--cached', '--name-only')).toBe(''); // index = HEAD: nothing staged
      expect(r.git('status', '--porcelain')).toBe(' M batch-control.json\n'); // the edit, kept for review
      expect(r.git('diff', 'batch-control.json')).toMatch(/^\+$/m);
    }
  });

  it('an init killed after HEAD moved, before the index refresh: `recover` stages what init committed, nothing else', async () => {
    const r = gitRepo({ 'a.txt': 'a\n' }, { control: false });
    repos.push(r);
    r.write('a.txt', 'staged\n');
    r.git('add', 'a.txt');
    const PATH = hooked({ subcommand: 'update-index', once: true, before: 'kill -9 $BATCHCTL_PID; exit 137' });
    const out = await runCli(['init'], { cwd: r.dir, env: { PATH } });
    expect(out.code).toBeNull();
    expect(r.git('log', '-1', '--format=%(trailers:key=Control-Change,valueonly)').trim()).toBe('init');

    const recovered = await runCli(['recover', '--json'], { cwd: r.dir });
    expect(recovered.code, recovered.stderr).toBe(0);
    expect(jsonLines(recovered.stdout).at(-1)).toMatchObject({ recovered: { kind: 'control', action: 'finished' } });
    expect(r.git('status', '--porcelain', '--untracked-files=all')).toBe('M  a.txt\n'); // the user's staged work only
  });
});
