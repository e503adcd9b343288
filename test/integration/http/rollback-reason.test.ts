// POST /api/rollback's reason is recorded by the engine: the revert commit's Rollback-Reason trailer,
// the rollback_started event, and the rollback record GET /api/batches/:id shows on both batches.
import { describe, expect, it } from 'vitest';

import { json, useHttpService } from '../../helpers/http-service.js';

const start = useHttpService();

interface Rollback {
  rollback_batch_id: string;
  batch_id: string;
  reason: string | null;
  requested_by: string;
  paths: string[] | null;
  restore: boolean;
}
interface Detail {
  batch: { status: string };
  rollbacks: Rollback[];
  rollback_of: Rollback | null;
}

describe('POST /api/rollback: the reason', () => {
  it('lands in the revert commit, the event log and GET /api/batches/:id of both batches', async () => {
    const { call, repo, engine } = await start({ 'a.txt': 'old' });
    const done = await call('/api/batch?wait=1', {
      as: 'operator',
      ...json({ title: 'add x', ecosystem: 'npm', operations: [{ type: 'write', target: 'x.txt', content: 'x' }] }),
    });
    const { batch_id: id } = (await done.json()) as { batch_id: string };
    const reason = 'bad recipes\nfrom the generator';

    const rolled = await call('/api/rollback', { as: 'operator', ...json({ batch_id: id, reason }) });
    expect(rolled.status).toBe(200);
    const { rollback_batch_id: revert } = (await rolled.json()) as { rollback_batch_id: string };

    // One line in the trailer block: a reason cannot forge a trailer of its own.
    expect(repo.git('log', '-1', '--format=%(trailers:key=Rollback-Reason,valueonly)').trim()).toBe('bad recipes from the generator');
    expect(repo.git('log', '-1', '--format=%(trailers:key=Reverts-Batch,valueonly)').trim()).toBe(id);

    const original = (await (await call(`/api/batches/${id}`, { as: 'viewer' })).json()) as Detail;
    expect(original.batch.status).toBe('rolled_back');
    expect(original.rollbacks).toMatchObject([
      {
        rollback_batch_id: revert,
        batch_id: id,
        reason: 'bad recipes from the generator',
        requested_by: 'operator-bot',
        paths: null,
        restore: false,
      },
    ]);
    expect(original.rollback_of).toBeNull();
    const revertDetail = (await (await call(`/api/batches/${revert}`, { as: 'viewer' })).json()) as Detail;
    expect(revertDetail.rollback_of).toMatchObject({ batch_id: id, reason: 'bad recipes from the generator' });
    expect(revertDetail.rollbacks).toEqual([]);

    const started = engine.events({ limit: 100, batchId: id }).find((e) => e.type === 'rollback_started');
    expect(started?.data).toMatchObject({ reason: 'bad recipes from the generator', requested_by: 'operator-bot' });
  });

  it('records each partial rollback with its paths and reason, oldest first', async () => {
    const { call } = await start();
    const done = await call('/api/batch?wait=1', {
      as: 'operator',
      ...json({
        title: 'two files',
        ecosystem: 'npm',
        operations: [
          { type: 'write', target: 'p/a.txt', content: 'a' },
          { type: 'write', target: 'p/b.txt', content: 'b' },
        ],
      }),
    });
    const { batch_id: id } = (await done.json()) as { batch_id: string };
    for (const [path, reason] of [
      ['p/a.txt', 'a was wrong'],
      ['p/b.txt', 'b too'],
    ] as const) {
      const rolled = await call('/api/rollback', { as: 'admin', ...json({ batch_id: id, reason, paths: [path] }) });
      expect(rolled.status).toBe(200);
    }
    const detail = (await (await call(`/api/batches/${id}`, { as: 'viewer' })).json()) as Detail;
    expect(detail.rollbacks.map((r) => [r.paths, r.reason, r.requested_by])).toEqual([
      [['p/a.txt'], 'a was wrong', 'admin-bot'],
      [['p/b.txt'], 'b too', 'admin-bot'],
    ]);
  });

  it('refuses a rollback without a reason (400 naming reason), and records nothing', async () => {
    const { call, engine } = await start();
    const done = await call('/api/batch?wait=1', {
      as: 'operator',
      ...json({ title: 't', ecosystem: 'npm', operations: [{ type: 'write', target: 'y.txt', content: 'y' }] }),
    });
    const { batch_id: id } = (await done.json()) as { batch_id: string };
    const refused = await call('/api/rollback', { as: 'operator', ...json({ batch_id: id }) });
    expect(refused.status).toBe(400);
    const body = (await refused.json()) as { error: { code: string; details: { issues: Array<{ field: string }> } } };
    expect(body.error.code).toBe('INPUT_INVALID');
    expect(body.error.details.issues.map((i) => i.field)).toContain('reason');
    expect(engine.status(id).rollbacks).toEqual([]);
    expect(engine.status(id).batch.status).toBe('completed');
  });
});
