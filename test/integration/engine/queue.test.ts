// The engine as a long-lived service (issue 12; docs/lifecycle.md#the-queue): several callers in one
// process submit, wait for and cancel batches; they run one at a time, highest priority first, and
// what is queued survives a restart.
import { existsSync, readFileSync } from 'node:fs';

import Database from 'better-sqlite3';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { openEngine } from '../../../controller/app/index.js';
import type { Engine } from '../../../controller/engine/index.js';
import { batch, useEngineRepos } from '../../helpers/engine.js';
import { gitRepo, removeRepo } from '../../helpers/git-repo.js';

const setup = useEngineRepos();
const ENV = { BATCHCTL_LOG_LEVEL: 'silent' as const, BATCHCTL_AUTHOR_NAME: 'batchctl', BATCHCTL_AUTHOR_EMAIL: 'b@localhost' };

/** A batch of `count` writes into f/, one at a time, so that it is still running when its first step is done. */
const slow = (count = 40, tag = 'new') =>
  batch({
    options: { concurrency: 1 },
    operations: Array.from({ length: count }, (_, i) => ({ type: 'write' as const, target: `f/${i}.txt`, content: `${tag} ${i}\n` })),
  });
const one = (target: string, content: string, priority = 0) =>
  batch({ options: { priority }, operations: [{ type: 'write', target, content }] });
const seeded = () => Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`f/${i}.txt`, `v${i}\n`]));

/** Resolves with the first event of `type` (of `batchId`, if given). */
function first(engine: Engine, type: string, batchId?: string): Promise<string> {
  return new Promise((resolve) => {
    const off = engine.on((event) => {
      if (event.type !== type || (batchId !== undefined && event.batch_id !== batchId)) return;
      off();
      resolve(event.batch_id ?? '');
    });
  });
}

describe('submit and wait', () => {
  it('returns an id at once, runs queued batches one at a time by priority then age, and wait gives each result', async () => {
    const { repo, engine } = await setup(seeded());
    const started: string[] = [];
    engine.on((event) => {
      if (event.type === 'batch_started') started.push(event.batch_id ?? '');
    });
    const a = await engine.submit(slow());
    const low = await engine.submit(one('low.txt', 'low\n', 0));
    const high = await engine.submit(one('high.txt', 'high\n', 7));
    const later = await engine.submit(one('later.txt', 'later\n', 0));
    expect(engine.status(low.batch_id).batch.status).toBe('queued');
    expect(engine.list({ limit: 10, status: 'queued' }).map((row) => row.batch_id)).toEqual(
      expect.arrayContaining([low.batch_id, high.batch_id, later.batch_id]),
    );
    expect((await engine.health()).queue_depth).toBe(3);

    const results = await Promise.all([a, low, high, later].map((s) => engine.wait(s.batch_id)));
    expect(results.map((r) => r.status)).toEqual(['completed', 'completed', 'completed', 'completed']);
    expect(started).toEqual([a.batch_id, high.batch_id, low.batch_id, later.batch_id]);
    // One commit each, in the order they ran.
    const landed = repo.git('log', '--format=%(trailers:key=Batch-Id,valueonly)').split('\n').filter(Boolean);
    expect(landed.slice(0, 4)).toEqual([later.batch_id, low.batch_id, high.batch_id, a.batch_id]);
    expect(await engine.wait(a.batch_id)).toMatchObject({ status: 'completed', commit: results[0]?.commit });
  });

  it('lets two callers run at once in one process: both land, neither waits on the lock', async () => {
    const { repo, engine } = await setup(seeded());
    const [x, y, z] = await Promise.all([engine.run(slow(40, 'x')), engine.run(one('y.txt', 'y\n')), engine.run(one('z.txt', 'z\n'))]);
    expect([x.status, y.status, z.status]).toEqual(['completed', 'completed', 'completed']);
    expect(repo.read('y.txt')).toBe('y\n');
    expect(repo.read('f/3.txt')).toBe('x 3\n');
  });

  it('queues a batch submitted while another runs, and runs it after', async () => {
    const { repo, engine } = await setup(seeded());
    const a = await engine.submit(slow());
    await first(engine, 'batch_progress', a.batch_id);
    const b = await engine.submit(one('f/0.txt', 'from b\n'));
    expect(engine.status(b.batch_id).batch.status).toBe('queued');
    expect(await engine.wait(b.batch_id)).toMatchObject({ status: 'completed' });
    expect(await engine.wait(a.batch_id)).toMatchObject({ status: 'completed' });
    expect(repo.read('f/0.txt')).toBe('from b\n');
  });

  it('refuses a document that is not a batch at submit, and a dry run, storing nothing', async () => {
    const { engine } = await setup();
    await expect(engine.submit({ document: '{"title": 1}' })).rejects.toMatchObject({ code: 'INPUT_INVALID' });
    await expect(
      engine.submit(batch({ options: { dry_run: true }, operations: [{ type: 'write', target: 'a', content: 'a' }] })),
    ).rejects.toMatchObject({ code: 'DRY_RUN_NOT_QUEUED' });
    await expect(engine.submit(one('a.txt', 'a'), { priority: 12 })).rejects.toMatchObject({ code: 'INPUT_INVALID' });
    expect(engine.list({ limit: 5 })).toEqual([]);
  });
});

describe('cancel', () => {
  it('cancels a queued batch at once: it never runs, and its wait says cancelled', async () => {
    const { repo, engine } = await setup(seeded());
    const a = await engine.submit(slow());
    const b = await engine.submit(one('b.txt', 'b\n'));
    expect(engine.cancel(b.batch_id, 'not needed')).toEqual({ batch_id: b.batch_id, status: 'cancelled' });
    expect(await engine.wait(b.batch_id)).toMatchObject({ status: 'cancelled', reason: { code: 'CANCELLED' }, commit: null });
    expect(await engine.wait(a.batch_id)).toMatchObject({ status: 'completed' });
    expect(() => repo.read('b.txt')).toThrow();
    const ofB = engine.events({ limit: 100, batchId: b.batch_id }).map((e) => e.type);
    expect(ofB).toEqual(['batch_cancelled']);
  });

  it('stops a running batch after its current operation and rolls it back', async () => {
    const { repo, engine } = await setup(seeded());
    repo.commitAll('seed');
    const before = repo.snapshot();
    const a = await engine.submit(slow());
    await first(engine, 'batch_progress', a.batch_id);
    expect(engine.cancel(a.batch_id, 'operator asked')).toEqual({ batch_id: a.batch_id, status: 'cancelling' });
    const result = await engine.wait(a.batch_id);
    expect(result).toMatchObject({ status: 'cancelled', reason: { code: 'CANCELLED' }, commit: null });
    expect(result.reason?.message).toContain('operator asked');
    expect(repo.snapshot()).toBe(before);
    expect(engine.status(a.batch_id).batch.status).toBe('cancelled');
  });

  it('names what it cannot cancel: an unknown id, a finished batch, not an id', async () => {
    const { engine } = await setup();
    const done = await engine.run(one('a.txt', 'a\n'));
    expect(() => engine.cancel('b-20260101-000000-aaaaaa', 'x')).toThrow(expect.objectContaining({ code: 'BATCH_NOT_FOUND' }));
    expect(() => engine.cancel(done.batch_id, 'x')).toThrow(expect.objectContaining({ code: 'BATCH_FINISHED' }));
    expect(() => engine.cancel('nope', 'x')).toThrow(expect.objectContaining({ code: 'BATCH_ID_INVALID' }));
  });

  it('cancels a running rollback by the id of its revert batch', async () => {
    const { repo, engine } = await setup(seeded());
    const done = await engine.run(slow());
    const head = repo.head();
    const revert = first(engine, 'batch_started');
    const rolling = engine.rollback(done.batch_id);
    engine.cancel(await revert, 'wrong batch');
    expect(await rolling).toMatchObject({ success: false, status: 'cancelled', reason: { code: 'CANCELLED' } });
    expect(repo.head()).toBe(head);
    expect(engine.status(done.batch_id).batch.status).toBe('completed');
  });
});

describe('cancel a retry', () => {
  it('stops a running retry by the id of its batch, changing nothing', async () => {
    const { repo, engine } = await setup(seeded());
    repo.commitAll('seed');
    const a = await engine.submit(slow());
    await first(engine, 'batch_progress', a.batch_id);
    engine.cancel(a.batch_id, 'first try');
    expect(await engine.wait(a.batch_id)).toMatchObject({ status: 'cancelled' });
    const head = repo.head();
    const started = first(engine, 'batch_started');
    const retrying = engine.retry(a.batch_id);
    const retryId = await started;
    expect(engine.cancel(retryId, 'not now')).toEqual({ batch_id: retryId, status: 'cancelling' });
    expect(await retrying).toMatchObject({ batch_id: retryId, status: 'cancelled', reason: { code: 'CANCELLED' } });
    expect(await engine.wait(retryId)).toMatchObject({ status: 'cancelled' });
    expect(repo.head()).toBe(head);
  });
});

describe('a restart', () => {
  it('keeps queued batches: a new engine on the same database runs them once started', async () => {
    const repo = gitRepo(seeded());
    const db = join(repo.dir, '.git', 'queue-test.db');
    try {
      const first_ = await openEngine({ repo: repo.dir, db, env: ENV });
      const a = await first_.submit(slow());
      const b = await first_.submit(one('b.txt', 'kept\n', 3));
      await first(first_, 'batch_progress', a.batch_id);
      const waiting = expect(first_.wait(b.batch_id)).rejects.toMatchObject({ code: 'ENGINE_CLOSED' });
      await first_.close();
      await waiting;

      const second = await openEngine({ repo: repo.dir, db, env: ENV });
      try {
        expect(second.status(a.batch_id).batch.status).toBe('cancelled');
        expect(second.status(b.batch_id).batch.status).toBe('queued');
        expect((await second.health()).queue_depth).toBe(1);
        const result = second.wait(b.batch_id);
        second.start();
        expect(await result).toMatchObject({ status: 'completed' });
        expect(readFileSync(join(repo.dir, 'b.txt'), 'utf8')).toBe('kept\n');
        expect((await second.health()).queue_depth).toBe(0);
      } finally {
        await second.close();
      }
    } finally {
      removeRepo(repo);
    }
  });
  it('refuses a stored batch whose run options are not valid (another build, a hand edit): failed INPUT_INVALID, nothing run', async () => {
    const repo = gitRepo(seeded());
    const db = join(repo.dir, '.git', 'queue-bad.db');
    try {
      const first_ = await openEngine({ repo: repo.dir, db, env: ENV });
      const a = await first_.submit(slow());
      const b = await first_.submit(one('b.txt', 'b\n'));
      await first(first_, 'batch_progress', a.batch_id);
      const waiting = first_.wait(b.batch_id).catch(() => undefined);
      await first_.close();
      await waiting;
      const raw = new Database(db);
      raw.prepare('UPDATE batch_queue SET run_json = ? WHERE batch_id = ?').run('{"push": "yes"}', b.batch_id);
      raw.close();

      const second = await openEngine({ repo: repo.dir, db, env: ENV });
      try {
        const result = second.wait(b.batch_id).catch((error: unknown) => error);
        second.start();
        await result;
        expect(second.status(b.batch_id).batch).toMatchObject({ status: 'failed', reason_code: 'INPUT_INVALID' });
        expect(existsSync(join(repo.dir, 'b.txt'))).toBe(false);
      } finally {
        await second.close();
      }
    } finally {
      removeRepo(repo);
    }
  });
  it('cancels a run() still waiting for its turn when the engine closes: its caller gets that result, nothing stays queued', async () => {
    const repo = gitRepo(seeded());
    const db = join(repo.dir, '.git', 'queue-close.db');
    try {
      const engine = await openEngine({ repo: repo.dir, db, env: ENV });
      const a = await engine.submit(slow());
      await first(engine, 'batch_progress', a.batch_id);
      const waiting = engine.run(one('b.txt', 'b\n'));
      await engine.close();
      const result = await waiting;
      expect(result).toMatchObject({ status: 'cancelled', reason: { code: 'CANCELLED' }, commit: null });
      const reopened = await openEngine({ repo: repo.dir, db, env: ENV });
      try {
        expect(reopened.status(result.batch_id).batch.status).toBe('cancelled');
        expect((await reopened.health()).queue_depth).toBe(0);
      } finally {
        await reopened.close();
      }
    } finally {
      removeRepo(repo);
    }
  });
});

describe('control-file edits in one process', () => {
  it('lands every one of several stops made at once (none overwrites another)', async () => {
    const { repo, engine } = await setup();
    const ecosystems = ['npm', 'pypi', 'cargo', 'maven'];
    await Promise.all(ecosystems.map((ecosystem) => engine.stop({ reason: `${ecosystem} outage`, ecosystem, by: 'alice' })));
    const control = JSON.parse(readFileSync(join(repo.dir, 'batch-control.json'), 'utf8')) as { disabled_ecosystems: string[] };
    expect([...control.disabled_ecosystems].sort()).toEqual([...ecosystems].sort());
    expect(repo.git('status', '--porcelain')).toBe('');
    expect(JSON.parse(repo.git('show', 'HEAD:batch-control.json'))).toMatchObject({
      disabled_ecosystems: expect.arrayContaining(ecosystems),
    });
  });
});
