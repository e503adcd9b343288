// The one push rule (docs/lifecycle.md#gitops-push, issue 10 §2) against a real bare remote: every command
// that commits publishes to the branch's upstream unless `push: false`; a failed `push: false` run
// publishes nothing (not its failure record either); earlier `push: false` batches are published with
// their tags, in the same push, by the next command that publishes.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import type { Engine } from '../../../controller/engine/index.js';
import { batch, engineFor } from '../../helpers/engine.js';
import { GIT_ENV, gitRepo, removeRepo, type TestRepo } from '../../helpers/git-repo.js';

const cleanup: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const undo of cleanup.splice(0)) await undo();
});

const git = (cwd: string, ...args: string[]): string => execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8' }).trim();

/** batchctl's clone, tracking origin/main of a bare remote. */
async function setup(
  files: Record<string, string>,
  options: { control?: boolean } = {},
): Promise<{ a: TestRepo; engine: Engine; remote: string; remoteHead: () => string; remoteTags: () => string[] }> {
  const a = gitRepo(files, options);
  const remote = mkdtempSync(join(tmpdir(), 'batchctl-remote-'));
  git(remote, 'init', '-q', '--bare', '-b', 'main');
  a.git('remote', 'add', 'origin', remote);
  a.git('push', '-q', '-u', 'origin', 'main');
  const engine = await engineFor(a);
  cleanup.push(async () => {
    await engine.close();
    removeRepo(a);
    rmSync(remote, { recursive: true, force: true });
  });
  return {
    a,
    engine,
    remote,
    remoteHead: () => git(remote, 'rev-parse', 'main'),
    remoteTags: () => git(remote, 'tag', '--list').split('\n').filter(Boolean).sort(),
  };
}

const write = (target: string, content: string) => batch({ operations: [{ type: 'write', target, content }] });
/** an atomic batch that fails (its replace finds nothing): it feeds the breaker, so it records a failure */
const failing = () =>
  batch({
    options: { atomic: true },
    operations: [
      { type: 'write', target: 'new.txt', content: 'new\n' },
      { type: 'replace', target: 'a.txt', find: 'later', replace: 'LATER' },
    ],
  });

describe('the push rule', () => {
  it('rollback with push: false commits the revert locally only', async () => {
    const { a, engine, remoteHead, remoteTags } = await setup({ 'a.txt': 'v1\n' });
    const run = await engine.run(write('a.txt', 'v2\n'));
    expect(remoteHead()).toBe(run.commit);
    const rolled = await engine.rollback(run.batch_id, { push: false });
    expect(rolled).toMatchObject({ success: true, status: 'completed' });
    expect(a.head()).toBe(rolled.commit);
    expect(remoteHead()).toBe(run.commit);
    expect(remoteTags()).toEqual([`batch/${run.batch_id}`]);
  });

  it('a pushing rollback of a push: false batch publishes that batch commit together with its tag', async () => {
    const { a, engine, remote, remoteHead, remoteTags } = await setup({ 'a.txt': 'v1\n' });
    const local = await engine.run(write('a.txt', 'v2\n'), { push: false });
    expect(local.status).toBe('completed');
    const rolled = await engine.rollback(local.batch_id);
    expect(rolled).toMatchObject({ success: true, status: 'completed' });
    expect(remoteHead()).toBe(a.head());
    expect(remoteTags()).toEqual(
      [`batch/${local.batch_id}`, `batch/${rolled.rollback_batch_id as string}`, `rollback/${local.batch_id}`].sort(),
    );
    expect(git(remote, 'rev-parse', `batch/${local.batch_id}^{commit}`)).toBe(local.commit);
  });

  it('a pushing run or stop publishes earlier push: false batches with their tags, rollback tags included', async () => {
    const { a, engine, remote, remoteHead, remoteTags } = await setup({ 'a.txt': 'v1\n', 'b.txt': 'b1\n' });
    const first = await engine.run(write('a.txt', 'v2\n'), { push: false });
    const revert = await engine.rollback(first.batch_id, { push: false });
    const next = await engine.run(write('b.txt', 'b2\n'));
    expect(next.status).toBe('completed');
    expect(remoteHead()).toBe(next.commit);
    expect(remoteTags()).toEqual(
      [
        `batch/${first.batch_id}`,
        `batch/${revert.rollback_batch_id as string}`,
        `rollback/${first.batch_id}`,
        `batch/${next.batch_id}`,
      ].sort(),
    );
    expect(git(remote, 'rev-parse', `rollback/${first.batch_id}^{commit}`)).toBe(revert.commit);

    const later = await engine.run(write('b.txt', 'b3\n'), { push: false });
    const stopped = await engine.stop({ reason: 'halt', by: 'alice' });
    expect(remoteHead()).toBe(stopped.commit);
    expect(a.head()).toBe(stopped.commit);
    expect(git(remote, 'rev-parse', `batch/${later.batch_id}^{commit}`)).toBe(later.commit);
  });

  it('a failed run with push: false publishes nothing, not even its failure record', async () => {
    const { a, engine, remoteHead, remoteTags } = await setup({ 'a.txt': 'v1\n' });
    const before = remoteHead();
    const failed = await engine.run(failing(), { push: false });
    expect(failed.status).toBe('failed');
    // the failure is recorded here (the breaker counts it) ...
    expect(a.head()).not.toBe(before);
    expect(JSON.parse(a.git('show', 'HEAD:batch-control.json')).circuit_breaker.npm).toMatchObject({ failures: 1 });
    // ... and nowhere else
    expect(remoteHead()).toBe(before);
    expect(remoteTags()).toEqual([]);
  });

  it('stop and resume with push: false commit locally only; without it they publish', async () => {
    const { a, engine, remoteHead } = await setup({ 'a.txt': 'v1\n' });
    const before = remoteHead();
    const stopped = await engine.stop({ reason: 'halt', by: 'alice', push: false });
    expect(a.head()).toBe(stopped.commit);
    expect(remoteHead()).toBe(before);
    const resumed = await engine.resume({ by: 'alice', push: false });
    expect(a.head()).toBe(resumed.commit);
    expect(remoteHead()).toBe(before);

    const again = await engine.stop({ reason: 'halt again', by: 'bob' });
    expect(remoteHead()).toBe(again.commit);
    const lifted = await engine.resume({ by: 'bob' });
    expect(remoteHead()).toBe(lifted.commit);
    expect(a.head()).toBe(lifted.commit);
  });

  it('init publishes its commit when the branch has an upstream, and not with push: false', async () => {
    const kept = await setup({ 'a.txt': 'v1\n' }, { control: false });
    const before = kept.remoteHead();
    const local = await kept.engine.init({ push: false });
    expect(local).toMatchObject({ created: true, commit: kept.a.head(), pushed: false, not_committed: null });
    expect(kept.remoteHead()).toBe(before);

    const { a, engine, remoteHead } = await setup({ 'a.txt': 'v1\n' }, { control: false });
    const published = await engine.init();
    expect(published).toMatchObject({ created: true, commit: a.head(), pushed: true, not_committed: null });
    expect(remoteHead()).toBe(published.commit);
    expect(git(a.dir, 'status', '--porcelain')).toBe('');
  });

  it('retry honours push: false', async () => {
    const { a, engine, remoteHead, remoteTags } = await setup({ 'a.txt': 'v1\n' });
    const failed = await engine.run(failing(), { push: false });
    expect(failed.status).toBe('failed');
    a.write('a.txt', 'v1 later\n');
    a.commitAll('make the replace possible');
    a.git('push', '-q', 'origin', 'main');
    const before = remoteHead();
    const retried = await engine.retry(failed.batch_id, { push: false });
    expect(retried.status).toBe('completed');
    expect(a.head()).toBe(retried.commit);
    expect(remoteHead()).toBe(before);
    expect(remoteTags()).toEqual([]);
  });
});
