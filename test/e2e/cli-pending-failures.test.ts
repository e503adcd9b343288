// A failure kept pending from the command line (issue 10 §3, docs/control-file.md#a-failure-not-yet-recorded):
// `control` shows it and counts it, `recover` commits it (with the push rule) and says so.
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { divergeFromRemote } from '../helpers/diverged-remote.js';
import { gitRepo, removeRepo, type TestRepo } from '../helpers/git-repo.js';
import { jsonLines, runCli } from '../helpers/run-cli.js';

const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const undo of cleanup.splice(0)) undo();
});

const FAILING = JSON.stringify({
  title: 'fails',
  ecosystem: 'npm',
  options: { atomic: true },
  operations: [
    { type: 'write', target: 'new.txt', content: 'new\n' },
    { type: 'replace', target: 'a.txt', find: 'absent', replace: 'x' },
  ],
});

/** A failed batch on a diverged branch: its failure could not be committed and is kept pending. */
async function pendingFailure(): Promise<{ r: TestRepo; id: string; remoteHead(): string }> {
  const r = gitRepo({ 'a.txt': 'v1\n' });
  const diverged = divergeFromRemote(r);
  cleanup.push(() => {
    removeRepo(r);
    for (const dir of diverged.dirs) rmSync(dir, { recursive: true, force: true });
  });
  const head = r.head();
  const out = await runCli(['run', '-', '--json'], { cwd: r.dir, input: FAILING });
  const result = jsonLines(out.stdout).at(-1) as { batch_id: string; status: string };
  expect(result.status, out.stderr).toBe('failed');
  expect(r.head()).toBe(head); // nothing could be committed
  return { r, id: result.batch_id, remoteHead: () => diverged.remoteGit('rev-parse', 'main').trim() };
}

const npmFailures = (r: TestRepo): number =>
  (JSON.parse(readFileSync(join(r.dir, 'batch-control.json'), 'utf8')) as { circuit_breaker: Record<string, { failures?: number }> })
    .circuit_breaker.npm?.failures ?? 0;

describe('a failure kept pending', () => {
  it('is shown and counted by `control`, which commits nothing', async () => {
    const { r, id } = await pendingFailure();
    const head = r.head();
    const out = await runCli(['control', '--json'], { cwd: r.dir });
    expect(out.code, out.stderr).toBe(0);
    const status = jsonLines(out.stdout).at(-1) as {
      pending_failures: unknown[];
      breakers: Array<{ ecosystem: string; failures: number }>;
    };
    expect(status.pending_failures).toEqual([{ batch_id: id, ecosystems: ['npm'] }]);
    expect(status.breakers.find((b) => b.ecosystem === 'npm')).toMatchObject({ failures: 1 });
    expect(r.head()).toBe(head);
    expect(npmFailures(r)).toBe(0);
  });

  it('is committed by `recover --no-push` once the branch is fixed, here only and once, and said', async () => {
    const { r, id, remoteHead } = await pendingFailure();
    r.git('pull', '-q', '--rebase'); // the operator fixes the branch

    const local = await runCli(['recover', '--no-push', '--json'], { cwd: r.dir });
    expect(local.code, local.stderr).toBe(0);
    expect(jsonLines(local.stdout).at(-1)).toEqual({ recovered: null, pending_failures: { recorded: [id], pending: [] } });
    expect(npmFailures(r)).toBe(1);
    expect(r.git('log', '-1', '--format=%s').trim()).toBe(`batchctl: control state after ${id} (failure)`);
    expect(remoteHead()).not.toBe(r.head()); // --no-push: committed here only
    expect(r.git('status', '--porcelain').trim()).toBe('');

    const again = await runCli(['recover'], { cwd: r.dir });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toBe('nothing to recover\n'); // recorded once, not twice
    expect(npmFailures(r)).toBe(1);
  });

  it('is published by `recover` when the branch has an upstream, and named in its output', async () => {
    const { r, id, remoteHead } = await pendingFailure();
    r.git('pull', '-q', '--rebase');
    const out = await runCli(['recover'], { cwd: r.dir });
    expect(out.code, out.stderr).toBe(0);
    expect(out.stdout).toContain(id);
    expect(npmFailures(r)).toBe(1);
    expect(remoteHead()).toBe(r.head());
  });

  it('stays pending, and `recover` says so, while the branch is still diverged', async () => {
    const { r, id } = await pendingFailure();
    const head = r.head();
    const out = await runCli(['recover', '--json'], { cwd: r.dir });
    expect(out.code, out.stderr).toBe(0);
    expect(jsonLines(out.stdout).at(-1)).toMatchObject({ pending_failures: { recorded: [], pending: [id] } });
    expect(r.head()).toBe(head);
  });
});
