// GitOps push (docs/lifecycle.md#gitops-push, issue 4) against a real bare repository as the remote, with a second
// clone pushing in between: atomic publish with a lease, replay on the new head, a stop pushed
// meanwhile wins, a clash on the batch's paths refuses to replay.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import type { Engine } from '../../../controller/engine/index.js';
import { batch, engineFor } from '../../helpers/engine.js';
import { GIT_ENV, gitRepo, removeRepo, type TestRepo } from '../../helpers/git-repo.js';

const cleanup: Array<() => void> = [];
afterEach(() => {
  for (const undo of cleanup.splice(0)) undo();
});

const run = (cwd: string, ...args: string[]): string => execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8' }).trim();

/** A (batchctl's clone, tracking origin/main), the bare remote, and B (another writer's clone). */
async function setup(
  files: Record<string, string>,
  now?: () => Date,
): Promise<{ a: TestRepo; engine: Engine; remote: string; b: string; other: (path: string, content: string, message: string) => string }> {
  const a = gitRepo(files);
  const remote = mkdtempSync(join(tmpdir(), 'batchctl-remote-'));
  run(remote, 'init', '-q', '--bare', '-b', 'main');
  a.git('remote', 'add', 'origin', remote);
  a.git('push', '-q', '-u', 'origin', 'main');
  const b = mkdtempSync(join(tmpdir(), 'batchctl-other-'));
  run(b, 'clone', '-q', remote, '.');
  const engine = await engineFor(a, {}, now);
  cleanup.push(() => {
    engine.close();
    removeRepo(a);
    rmSync(remote, { recursive: true, force: true });
    rmSync(b, { recursive: true, force: true });
  });
  const other = (path: string, content: string, message: string): string => {
    run(b, 'pull', '-q', '--ff-only');
    writeFileSync(join(b, path), content);
    run(b, 'add', '-A');
    run(b, 'commit', '-q', '-m', message);
    run(b, 'push', '-q', 'origin', 'main');
    return run(b, 'rev-parse', 'HEAD');
  };
  return { a, engine, remote, b, other };
}

const write = (target: string, content: string) => batch({ operations: [{ type: 'write', target, content }] });

describe('GitOps push', () => {
  it('publishes the batch, its control state and its tag in one atomic push', async () => {
    const { a, engine, remote } = await setup({ 'a.txt': 'v1\n' });
    const result = await engine.run(write('a.txt', 'v2\n'));
    expect(result.status).toBe('completed');
    expect(run(remote, 'rev-parse', 'main')).toBe(result.commit);
    expect(run(remote, 'rev-parse', `batch/${result.batch_id}^{commit}`)).toBe(result.commit);
    expect(a.git('rev-parse', 'origin/main').trim()).toBe(result.commit);
    expect(a.git('status', '--porcelain')).toBe('');
  });

  it('replays on the remote head when someone pushed first, bringing their change into the work tree', async () => {
    const { a, engine, remote, other } = await setup({ 'a.txt': 'v1\n', 'b.txt': 'b1\n' });
    const theirs = other('b.txt', 'b2 from the other writer\n', 'other writer');
    const result = await engine.run(write('a.txt', 'v2\n'));
    expect(result.status).toBe('completed');
    expect(run(remote, 'rev-parse', 'main')).toBe(result.commit);
    expect(a.head()).toBe(result.commit);
    // batch commit → its control-state commit → their commit: linear, nothing lost
    expect(a.git('rev-parse', `${result.commit}^^`).trim()).toBe(theirs);
    expect(a.git('show', '--name-only', '--format=', result.commit ?? '').trim()).toBe('a.txt');
    expect(a.read('b.txt')).toBe('b2 from the other writer\n');
    expect(a.read('a.txt')).toBe('v2\n');
    expect(a.git('status', '--porcelain', '--untracked-files=all')).toBe('');
    expect(run(remote, 'rev-parse', `batch/${result.batch_id}^{commit}`)).toBe(result.commit);
    expect(engine.status(result.batch_id).batch.commit_sha).toBe(result.commit);
    expect(JSON.parse(a.read('batch-control.json')).budget.operations_used).toBe(1);
  });

  it('lets a stop pushed meanwhile win: nothing published, the batch rolled back and cancelled', async () => {
    const { a, engine, remote, b, other } = await setup({ 'a.txt': 'v1\n' });
    const control = JSON.parse(readFileSync(join(b, 'batch-control.json'), 'utf8')) as Record<string, unknown>;
    const stop = other(
      'batch-control.json',
      JSON.stringify({ ...control, enabled: false, reason: 'stopped from elsewhere' }, null, 2),
      'emergency stop',
    );
    const before = a.snapshot();
    const result = await engine.run(write('a.txt', 'v2\n'));
    expect(result).toMatchObject({ status: 'cancelled', commit: null, reason: { code: 'EMERGENCY_STOP' } });
    expect(result.reason?.message).toContain('stopped from elsewhere');
    expect(run(remote, 'rev-parse', 'main')).toBe(stop);
    expect(run(remote, 'tag', '--list')).toBe('');
    a.git('update-ref', 'refs/remotes/origin/main', a.head()); // the fetch moved only the tracking ref
    expect(a.snapshot()).toBe(before);
  });

  it('refuses to replay over a change to the same path, and rolls back', async () => {
    const { a, engine, remote, other } = await setup({ 'a.txt': 'v1\n' });
    const theirs = other('a.txt', 'their v2\n', 'same path');
    const head = a.head();
    const result = await engine.run(write('a.txt', 'our v2\n'));
    expect(result).toMatchObject({ status: 'failed', commit: null, reason: { code: 'PUSH_CONFLICT' } });
    expect(result.reason?.message).toContain('a.txt');
    expect(run(remote, 'rev-parse', 'main')).toBe(theirs);
    expect(a.head()).toBe(head);
    expect(a.read('a.txt')).toBe('v1\n');
    expect(a.git('status', '--porcelain')).toBe('');
  });

  it('commits locally only with push: false (run --no-push)', async () => {
    const { a, engine, remote } = await setup({ 'a.txt': 'v1\n' });
    const before = run(remote, 'rev-parse', 'main');
    const result = await engine.run(write('a.txt', 'v2\n'), { push: false });
    expect(result.status).toBe('completed');
    expect(a.head()).toBe(result.commit);
    expect(run(remote, 'rev-parse', 'main')).toBe(before);
  });

  it('pushes a stop; on a moved remote, re-applies it to their control file and brings their change in', async () => {
    const { a, engine, remote, b, other } = await setup({ 'a.txt': 'v1\n' });
    const control = JSON.parse(readFileSync(join(b, 'batch-control.json'), 'utf8')) as Record<string, unknown>;
    other('batch-control.json', JSON.stringify({ ...control, x_oncall: 'team-registry' }, null, 2), 'operators add a field');
    other('notes.txt', 'their note\n', 'unrelated change');
    const stopped = await engine.stop({ reason: 'halt', by: 'alice' });
    expect(run(remote, 'rev-parse', 'main')).toBe(stopped.commit);
    expect(a.head()).toBe(stopped.commit);
    const pushed = JSON.parse(run(remote, 'show', 'main:batch-control.json')) as Record<string, unknown>;
    expect(pushed).toMatchObject({ enabled: false, reason: 'halt', x_oncall: 'team-registry' });
    expect(JSON.parse(a.read('batch-control.json'))).toEqual(pushed);
    expect(a.read('notes.txt')).toBe('their note\n');
    expect(a.git('status', '--porcelain', '--untracked-files=all')).toBe('');
  });

  it("pushes a failed batch's control state (the breaker counts it everywhere)", async () => {
    const { a, engine, remote } = await setup({ 'a.txt': 'v1\n' });
    const failed = await engine.run(
      batch({ options: { atomic: true }, operations: [{ type: 'replace', target: 'a.txt', find: 'absent', replace: 'x' }] }),
    );
    expect(failed.status).toBe('failed');
    expect(run(remote, 'rev-parse', 'main')).toBe(a.head());
    expect(JSON.parse(run(remote, 'show', 'main:batch-control.json')).circuit_breaker.npm).toMatchObject({ failures: 1 });
  });

  it('never overwrites the remote: a fetched but unmerged remote head is replayed on, not forced over', async () => {
    const { a, engine, remote, other } = await setup({ 'a.txt': 'v1\n' });
    const theirs = other('b.txt', 'b\n', 'other writer');
    a.git('fetch', '-q', 'origin'); // the tracking ref is now ahead of the local branch
    const result = await engine.run(write('a.txt', 'v2\n'));
    expect(result.status).toBe('completed');
    expect(run(remote, 'merge-base', '--is-ancestor', theirs, 'main')).toBe('');
    expect(run(remote, 'rev-parse', 'main')).toBe(result.commit);
  });

  it('publishes unpushed local commits under the batch, and refuses when the branches diverged', async () => {
    const { a, engine, remote, other } = await setup({ 'a.txt': 'v1\n' });
    a.write('local.txt', 'committed, not pushed\n');
    const local = a.commitAll('local work');
    const result = await engine.run(write('a.txt', 'v2\n'));
    expect(result.status).toBe('completed');
    expect(run(remote, 'merge-base', '--is-ancestor', local, 'main')).toBe('');
    expect(run(remote, 'rev-parse', 'main')).toBe(result.commit);

    a.write('more.txt', 'more local work\n');
    a.commitAll('more local work');
    other('elsewhere.txt', 'x\n', 'pushed elsewhere');
    const head = a.head();
    const diverged = await engine.run(write('a.txt', 'v3\n'));
    expect(diverged).toMatchObject({ status: 'failed', reason: { code: 'PUSH_CONFLICT' } });
    expect(diverged.reason?.message).toContain('diverged');
    expect(a.head()).toBe(head);
    expect(a.read('a.txt')).toBe('v2\n');
  });

  it('polls the remote every remote_poll_seconds while running: a stop pushed from elsewhere halts the batch', async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 40; i++) files[`pkg/${i}.txt`] = `v1 ${i}\n`;
    const clock = { now: new Date('2026-11-23T10:00:00Z') };
    const { a, engine, remote, b, other } = await setup(files, () => clock.now);
    const before = a.snapshot();
    let afterStop = 0;
    let stopPushed = '';
    engine.on((event) => {
      if (event.type !== 'batch_progress') return;
      const done = (event.data as { completed: number }).completed;
      if (done === 5 && stopPushed === '') {
        const control = JSON.parse(readFileSync(join(b, 'batch-control.json'), 'utf8')) as Record<string, unknown>;
        stopPushed = other(
          'batch-control.json',
          JSON.stringify({ ...control, enabled: false, reason: 'pushed from a laptop' }, null, 2),
          'stop',
        );
        clock.now = new Date(clock.now.getTime() + 31_000); // the default poll interval (30 s) has passed
      } else if (done > 5) {
        afterStop++;
      }
    });
    const result = await engine.run(
      batch({ options: { concurrency: 1 }, operations: Object.keys(files).map((target) => ({ type: 'write', target, content: 'v2\n' })) }),
    );
    expect(result).toMatchObject({ status: 'cancelled', commit: null, reason: { code: 'EMERGENCY_STOP' } });
    expect(result.reason?.message).toContain('pushed from a laptop');
    expect(afterStop).toBe(0);
    expect(run(remote, 'rev-parse', 'main')).toBe(stopPushed);
    a.git('update-ref', 'refs/remotes/origin/main', a.head()); // the poll's fetch moved only the tracking ref
    expect(a.snapshot()).toBe(before);
  });
});
