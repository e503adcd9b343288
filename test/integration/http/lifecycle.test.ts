// A batch's whole life over HTTP: submit (202), its final state, ?wait=1, rollback, and NDJSON upload.
import { describe, expect, it } from 'vitest';

import { json, useHttpService } from '../../helpers/http-service.js';

const start = useHttpService();
const writeBatch = (path: string, content: string) => ({
  title: 'http batch',
  ecosystem: 'npm',
  operations: [{ type: 'write', target: path, content }],
});

describe('batchctl serve: a batch over HTTP', () => {
  it('answers /health and /ready', async () => {
    const { call, service } = await start();
    const health = await call('/health', { as: 'none' });
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({
      status: 'ok',
      active_batches: 0,
      queue_depth: 0,
      backup_count: 0,
      journal_pending: false,
      version: 'test',
    });
    expect((await call('/ready', { as: 'none' })).status).toBe(200);
    service.phase = 'recovering';
    const ready = await call('/ready', { as: 'none' });
    expect(ready.status).toBe(503);
    expect(((await ready.json()) as { error: { code: string } }).error.code).toBe('NOT_READY');
  });

  it('refuses new submissions with 503 ENGINE_CLOSED while shutting down, and still answers reads', async () => {
    const { call, service, engine } = await start();
    service.phase = 'stopping';
    const refused = await call('/api/batch', { as: 'operator', ...json(writeBatch('s.txt', 's')) });
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('ENGINE_CLOSED');
    expect((await call('/api/batches', { as: 'viewer' })).status).toBe(200);
    expect(((await (await call('/health', { as: 'none' })).json()) as { status: string }).status).toBe('stopping');
    expect(engine.list({ limit: 5 })).toEqual([]);
  });

  it('queues a batch (202), runs it to completed, and rolls it back', async () => {
    const { call, repo, engine } = await start({ 'a.txt': 'old' });
    const submitted = await call('/api/batch', { as: 'operator', ...json(writeBatch('pkgs/x.json', '{"v":1}')) });
    expect(submitted.status).toBe(202);
    const body = (await submitted.json()) as Record<string, string>;
    expect(body).toMatchObject({
      status: 'queued',
      status_url: `/api/batches/${body.batch_id}`,
      events_url: `/api/batches/${body.batch_id}/events`,
    });
    await engine.wait(body.batch_id ?? '');
    const detail = (await (await call(`/api/batches/${body.batch_id}`, { as: 'viewer' })).json()) as { batch: Record<string, unknown> };
    expect(detail.batch).toMatchObject({ status: 'completed', requested_by: 'operator-bot' });
    expect(repo.read('pkgs/x.json')).toBe('{"v":1}');

    const restore = await call('/api/rollback', { as: 'operator', ...json({ batch_id: body.batch_id, reason: 'reset', restore: true }) });
    expect([restore.status, ((await restore.json()) as { error: { code: string } }).error.code]).toEqual([403, 'FORBIDDEN']);
    const rolled = await call('/api/rollback', { as: 'operator', ...json({ batch_id: body.batch_id, reason: 'test' }) });
    expect(rolled.status).toBe(200);
    expect(await rolled.json()).toMatchObject({ success: true, batch_id: body.batch_id });
    expect(repo.git('ls-files').split('\n')).not.toContain('pkgs/x.json');
    const again = await call('/api/rollback', { as: 'operator', ...json({ batch_id: body.batch_id, reason: 'twice' }) });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe('ALREADY_ROLLED_BACK');
  });

  it('holds ?wait=1 and answers with the final execute_batch result', async () => {
    const { call } = await start();
    const response = await call('/api/batch?wait=1', { as: 'operator', ...json(writeBatch('w.txt', 'w')) });
    expect(response.status).toBe(200);
    const result = (await response.json()) as Record<string, unknown>;
    expect(Object.keys(result).sort()).toEqual(
      ['backup_id', 'batch_id', 'errors', 'failure_count', 'rollback_available', 'status', 'success_count'].sort(),
    );
    expect(result).toMatchObject({ status: 'completed', success_count: 1, failure_count: 0, rollback_available: true, errors: [] });
  });

  it('answers ?wait=1 of a refused batch with 422 and the validation issues', async () => {
    const { call, repo } = await start();
    const before = repo.snapshot();
    const response = await call('/api/batch?wait=1', { as: 'operator', ...json(writeBatch('.git/hooks/x', 'x')) });
    const result = (await response.json()) as { status: string; reason: { code: string }; errors: unknown[] };
    expect(response.status).toBe(422);
    expect(result.reason.code).toBe('VALIDATION_FAILED');
    expect(result.errors.length).toBeGreaterThan(0);
    expect(repo.snapshot()).toBe(before);
  });

  it('answers a failed atomic batch with 422 ATOMIC_FAILURE, and retries it once the repository allows', async () => {
    const { call, repo, engine } = await start({ 'k.txt': 'keep\n' });
    repo.commitAll('seed');
    const failing = {
      title: 'atomic',
      ecosystem: 'npm',
      options: { atomic: true },
      operations: [
        { type: 'write', target: 'n.txt', content: 'n' },
        { type: 'replace', target: 'k.txt', find: 'later', replace: 'LATER' },
      ],
    };
    const failed = await call('/api/batch?wait=1', { as: 'operator', ...json(failing) });
    const result = (await failed.json()) as { batch_id: string; reason: { code: string } };
    expect([failed.status, result.reason.code]).toEqual([422, 'ATOMIC_FAILURE']);
    repo.write('k.txt', 'keep later\n');
    repo.commitAll('the missing text arrives');
    const retried = await call(`/api/batches/${result.batch_id}/retry`, { as: 'operator', method: 'POST' });
    expect(retried.status).toBe(200);
    const retry = (await retried.json()) as { batch_id: string; status: string };
    expect(retry.status).toBe('completed');
    expect(engine.status(retry.batch_id).batch.requested_by).toBe('operator-bot');
    expect(repo.read('k.txt')).toBe('keep LATER\n');
  });

  it('takes an NDJSON upload of 10,000 operations, streamed', async () => {
    const { call, engine } = await start();
    const lines = [JSON.stringify({ title: 'big', ecosystem: 'npm' })];
    for (let i = 0; i < 10_000; i++) lines.push(JSON.stringify({ type: 'write', target: `many/f${i}.txt`, content: `${i}` }));
    const response = await call('/api/batch', {
      as: 'operator',
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: `${lines.join('\n')}\n`,
    });
    expect(response.status).toBe(202);
    const { batch_id } = (await response.json()) as { batch_id: string };
    const result = await engine.wait(batch_id);
    expect(result).toMatchObject({ status: 'completed', success_count: 10_000 });
    const items = (await (await call(`/api/batches/${batch_id}/items?limit=1000`, { as: 'viewer' })).json()) as {
      items: unknown[];
      items_total: number;
      next_cursor: string;
    };
    expect(items).toMatchObject({ items_total: 10_000, next_cursor: '1000' });
    expect(items.items).toHaveLength(1000);
  });

  it('maps Idempotency-Key to options.idempotency_key: a second submit replays the first', async () => {
    const { call, engine } = await start();
    const init = { as: 'operator' as const, ...json(writeBatch('i.txt', 'i')) };
    const first = (await (await call('/api/batch', { ...init, headers: { ...init.headers, 'idempotency-key': 'k-1' } })).json()) as {
      batch_id: string;
    };
    await engine.wait(first.batch_id);
    const second = await call('/api/batch', { ...init, headers: { ...init.headers, 'idempotency-key': 'k-1' } });
    expect(await second.json()).toMatchObject({ batch_id: first.batch_id, idempotent_replay: true, status: 'completed' });
  });
});
