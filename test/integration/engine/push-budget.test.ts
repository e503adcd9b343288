// The push's retry budget (docs/lifecycle.md#gitops-push, issue 17): a remote whose pre-receive hook
// declines the first N pushes. Retries run for a time budget, not a fixed few tries: 8 refusals in a
// row (5 tries used to be all) still publish; a remote that never accepts ends PUSH_REJECTED after 10
// refusals that were no lost race, or sooner when the budget is spent, with nothing published and
// the clone as it was.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import type { Environment } from '../../../controller/app/index.js';
import { batch, engineFor } from '../../helpers/engine.js';
import { GIT_ENV, gitRepo, removeRepo, type TestRepo } from '../../helpers/git-repo.js';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const undo of cleanup.splice(0)) await undo();
});

const run = (cwd: string, ...args: string[]): string => execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8' }).trim();

/** A clone tracking a bare remote whose pre-receive hook declines the first `declines` pushes (-1: all). */
function declining(declines: number): { a: TestRepo; remote: string; pushes: () => number } {
  const a = gitRepo({ 'a.txt': 'v1\n' });
  const remote = mkdtempSync(join(tmpdir(), 'batchctl-remote-'));
  run(remote, 'init', '-q', '--bare', '-b', 'main');
  a.git('remote', 'add', 'origin', remote);
  a.git('push', '-q', '-u', 'origin', 'main');
  const counter = join(remote, 'pushes');
  writeFileSync(counter, '0');
  const hook = join(remote, 'hooks', 'pre-receive');
  writeFileSync(
    hook,
    [
      '#!/usr/bin/env bash',
      `n=$(( $(cat '${counter}') + 1 )); echo "$n" > '${counter}'`,
      `if [ ${declines} -lt 0 ] || [ "$n" -le ${declines} ]; then echo "declined push $n" >&2; exit 1; fi`,
      'exit 0',
      '',
    ].join('\n'),
  );
  chmodSync(hook, 0o755);
  cleanup.push(() => {
    removeRepo(a);
    rmSync(remote, { recursive: true, force: true });
  });
  return { a, remote, pushes: () => Number(readFileSync(counter, 'utf8')) };
}

async function engine(a: TestRepo, env: Partial<Environment> = {}) {
  const opened = await engineFor(a, env);
  cleanup.unshift(() => opened.close());
  return opened;
}

const write = batch({ operations: [{ type: 'write', target: 'a.txt', content: 'v2\n' }] });

describe('the push retry budget', () => {
  it('publishes through 8 declined pushes in a row (more than the 5 tries of before)', async () => {
    const { a, remote, pushes } = declining(8);
    const result = await (await engine(a)).run(write);
    expect(result.status).toBe('completed');
    expect(pushes()).toBe(9);
    expect(run(remote, 'rev-parse', 'main')).toBe(result.commit);
    expect(run(remote, 'rev-parse', `batch/${result.batch_id}^{commit}`)).toBe(result.commit);
    expect(a.head()).toBe(result.commit);
    expect(a.git('status', '--porcelain')).toBe('');
  });

  it('gives up after 10 pushes that fail without a lost race (a hook that always declines): PUSH_REJECTED, nothing published', async () => {
    const { a, remote, pushes } = declining(-1);
    const remoteBefore = run(remote, 'rev-parse', 'main');
    const result = await (await engine(a)).run(write);
    expect(result).toMatchObject({ status: 'failed', commit: null, reason: { code: 'PUSH_REJECTED' } });
    expect(result.reason?.message).toMatch(/refused the push 10 times/);
    expect(pushes()).toBe(10); // a lost race records no failure: nothing more is pushed
    expect(run(remote, 'rev-parse', 'main')).toBe(remoteBefore);
    expect(a.read('a.txt')).toBe('v1\n');
    expect(a.git('status', '--porcelain')).toBe('');
  });

  it('ends PUSH_REJECTED once the budget is spent: nothing published, the clone as it was', async () => {
    const { a, remote, pushes } = declining(-1);
    const remoteBefore = run(remote, 'rev-parse', 'main');
    const head = a.head();
    // 1 s: spent long before 10 pushes could be (each waits up to 2 s, each push is a git process)
    const result = await (await engine(a, { BATCHCTL_PUSH_BUDGET_MS: 1_000 })).run(write);
    expect(result).toMatchObject({ status: 'failed', commit: null, reason: { code: 'PUSH_REJECTED' } });
    expect(result.reason?.message).toMatch(/rejected the push \d+ times and the time to publish ran out/);
    expect(pushes()).toBeGreaterThanOrEqual(1);
    expect(pushes()).toBeLessThan(10);
    expect(run(remote, 'rev-parse', 'main')).toBe(remoteBefore);
    expect(run(remote, 'tag', '--list')).toBe('');
    expect(a.read('a.txt')).toBe('v1\n');
    expect(a.git('status', '--porcelain')).toBe('');
    // the failed batch's control state could not be published either: it stays local, HEAD where it was or on it
    expect(a.git('rev-list', `${head}..HEAD`, '--', 'a.txt')).toBe('');
  });

  it('refuses a budget that is not a whole number of milliseconds', async () => {
    const { readEnvironment } = await import('../../../controller/app/index.js');
    expect(() => readEnvironment({ BATCHCTL_PUSH_BUDGET_MS: '1.5s' })).toThrow(/BATCHCTL_PUSH_BUDGET_MS/);
    expect(readEnvironment({ BATCHCTL_PUSH_BUDGET_MS: '250' }).BATCHCTL_PUSH_BUDGET_MS).toBe(250);
    expect(readEnvironment({}).BATCHCTL_PUSH_BUDGET_MS).toBeUndefined();
  });
});
