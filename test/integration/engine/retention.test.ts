// Retention: `engine.purge` and the pass after a run honour metrics_retention_days and
// backup_retention_days, and never take what a batch that is not over, or `rollback --restore`, needs.
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import type { Engine } from '../../../controller/engine/index.js';
import { writeJournal } from '../../../controller/journal/index.js';
import { batch, engineFor } from '../../helpers/engine.js';
import { gitRepo, removeRepo, type TestRepo } from '../../helpers/git-repo.js';

const DAY = 86_400_000;
const T0 = Date.parse('2026-01-05T00:00:00Z');

const opened: Array<{ repo: TestRepo; engine: Engine }> = [];
afterEach(() => {
  for (const { repo, engine } of opened.splice(0)) {
    engine.close();
    removeRepo(repo);
  }
});

/** A repository whose control file keeps records `metrics` days and backups `backups` days, and an engine on a clock the test moves. */
async function setup({ metrics = 30, backups = 10 } = {}): Promise<{ repo: TestRepo; engine: Engine; clock: { now: number } }> {
  const repo = gitRepo({ 'k.txt': 'keep\n' });
  const control = JSON.parse(repo.read('batch-control.json')) as { policy: { limits: Record<string, number> } };
  control.policy.limits = { ...control.policy.limits, metrics_retention_days: metrics, backup_retention_days: backups };
  repo.write('batch-control.json', `${JSON.stringify(control, null, 2)}\n`);
  repo.commitAll('retention windows');
  const clock = { now: T0 };
  const engine = await engineFor(repo, {}, () => new Date(clock.now));
  opened.push({ repo, engine });
  return { repo, engine, clock };
}

const write = (name: string) => batch({ title: name, operations: [{ type: 'write', target: `${name}.txt`, content: name }] });
const failing = batch({
  title: 'fails',
  options: { atomic: true },
  operations: [
    { type: 'write', target: 'f.txt', content: 'f' },
    { type: 'replace', target: 'k.txt', find: 'absent', replace: 'x' },
  ],
});
const refs = (repo: TestRepo, prefix: string): string[] =>
  repo.git('for-each-ref', '--format=%(refname)', prefix).split('\n').filter(Boolean);

describe('batchctl purge', () => {
  it('deletes old records, events, backup and retry refs and keeps recent ones; a dry run lists them and changes nothing', async () => {
    const { repo, engine, clock } = await setup();
    const old = await engine.run(write('old'));
    const failed = await engine.run(failing);
    expect(failed.status).toBe('failed');
    clock.now = T0 + 20 * 3_600_000; // within a day: no retention pass runs in between
    const recent = await engine.run(write('recent'));
    clock.now += 60_000;
    const newest = await engine.run(write('newest'));
    const backup = (id: string): string => `refs/batchctl/backups/${id}`;
    expect(refs(repo, 'refs/batchctl/')).toHaveLength(4); // three backups and the failed batch's content

    // 30 days and 10 hours later: records from before T0 + 10 h go; every backup is past 10 days.
    const later = new Date(T0 + 30 * DAY + 10 * 3_600_000);
    const allRefs = repo.git('for-each-ref');
    const eventsBefore = engine.events({ limit: 1000 });
    const planned = await engine.purge({ dryRun: true, now: later });
    expect(planned).toMatchObject({
      dry_run: true,
      batches: 2,
      batch_ids: [old.batch_id, failed.batch_id],
      backup_refs: [backup(old.batch_id), backup(recent.batch_id)],
      retry_refs: [`refs/batchctl/retry/${failed.batch_id}`],
      kept_refs: [{ ref: backup(newest.batch_id), why: 'newest_backup' }],
    });
    expect(planned.items).toBe(engine.status(old.batch_id).items_total + engine.status(failed.batch_id).items_total);
    expect(planned.events).toBe(eventsBefore.filter((e) => Date.parse(e.at) < T0 + 10 * 3_600_000).length);
    expect(planned.events).toBeGreaterThan(0);
    expect(repo.git('for-each-ref')).toBe(allRefs);
    expect(engine.events({ limit: 1000 })).toEqual(eventsBefore);
    expect(engine.status(old.batch_id).items_total).toBeGreaterThan(0);

    const done = await engine.purge({ now: later });
    expect(done).toMatchObject({
      dry_run: false,
      batches: 2,
      items: planned.items,
      events: planned.events,
      backup_refs: planned.backup_refs,
      retry_refs: planned.retry_refs,
    });
    for (const id of [old.batch_id, failed.batch_id])
      expect(() => engine.status(id)).toThrow(expect.objectContaining({ code: 'BATCH_NOT_FOUND' }));
    expect(refs(repo, 'refs/batchctl/')).toEqual([backup(newest.batch_id)]);
    expect(engine.status(recent.batch_id)).toMatchObject({ batch: { status: 'completed', backup_id: null }, items_total: 1 });
    expect(engine.status(newest.batch_id).batch.backup_id).toBe(backup(newest.batch_id));
    const events = engine.events({ limit: 1000 });
    expect(events.filter((e) => Date.parse(e.at) < T0 + 10 * 3_600_000)).toEqual([]);
    expect(events.some((e) => e.batch_id === recent.batch_id)).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'purged', data: { batches: 2, auto: false } });
    // The commits stay in history: the records of committed batches can be rebuilt from git.
    expect(repo.git('rev-parse', `batch/${old.batch_id}^{commit}`).trim()).toBe(old.commit);
  });

  it('keeps everything that is still within its window', async () => {
    const { repo, engine } = await setup();
    const first = await engine.run(write('a'));
    await engine.run(write('b'));
    const report = await engine.purge({ now: new Date(T0 + 5 * DAY) });
    expect(report).toMatchObject({ batches: 0, items: 0, events: 0, backup_refs: [], retry_refs: [], kept_refs: [] });
    expect(refs(repo, 'refs/batchctl/backups/')).toHaveLength(2);
    expect(engine.status(first.batch_id).items_total).toBe(1);
  });

  it('keeps the backup and the records of a batch the crash journal still names', async () => {
    const { repo, engine, clock } = await setup();
    const interrupted = await engine.run(write('interrupted'));
    clock.now += 60_000;
    await engine.run(write('later'));
    // A crash after the refs moved, before the record was finished: recovery still needs the backup.
    await writeJournal(join(repo.dir, '.git', 'batchctl'), {
      version: 1,
      batch_id: interrupted.batch_id,
      state: 'committing',
      head: repo.git('rev-parse', `${interrupted.commit}^`).trim(),
      commit: interrupted.commit,
      branch: null,
      pid: 999_999,
      pgid: null,
      hostname: 'elsewhere',
      started_at: new Date(T0).toISOString(),
      plan_hash: 'sha256:x',
      touched: [],
    });
    const report = await engine.purge({ now: new Date(T0 + 60 * DAY) });
    expect(report.batch_ids).not.toContain(interrupted.batch_id);
    expect(report.kept_refs).toContainEqual({ ref: `refs/batchctl/backups/${interrupted.batch_id}`, why: 'batch_not_finished' });
    expect(refs(repo, 'refs/batchctl/backups/')).toContain(`refs/batchctl/backups/${interrupted.batch_id}`);
    expect(engine.status(interrupted.batch_id).items_total).toBe(1);
  });
});

describe('the retention pass after a run', () => {
  it('runs at most once a day, after a run, and deletes what is past its window', async () => {
    const { repo, engine, clock } = await setup();
    const first = await engine.run(write('first'));
    clock.now = T0 + 40 * DAY;
    const second = await engine.run(write('second'));
    // 40 days on: the first batch's records and backup are past their windows; the newest backup stays.
    expect(() => engine.status(first.batch_id)).toThrow(expect.objectContaining({ code: 'BATCH_NOT_FOUND' }));
    expect(refs(repo, 'refs/batchctl/backups/')).toEqual([`refs/batchctl/backups/${second.batch_id}`]);
    expect(
      engine
        .events({ limit: 1000 })
        .filter((e) => e.type === 'purged')
        .map((e) => e.data),
    ).toEqual([expect.objectContaining({ auto: true, batches: 1, backup_refs: [`refs/batchctl/backups/${first.batch_id}`] })]);

    // A backup left from long ago: the next pass takes it, but not before a day has passed.
    const stale = 'refs/batchctl/backups/b-20250101-000000-aaaaaa';
    repo.git('update-ref', stale, repo.head());
    clock.now = T0 + 40 * DAY + 3_600_000;
    await engine.run(write('third'));
    expect(refs(repo, stale)).toEqual([stale]);
    clock.now = T0 + 41 * DAY + 3_600_000;
    await engine.run(write('fourth'));
    expect(refs(repo, stale)).toEqual([]);
  });
});
