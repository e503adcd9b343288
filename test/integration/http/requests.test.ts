// What the edge refuses before the engine sees anything (bodies, types, sizes, origins, rates), and
// that it changed nothing; and cancel of a queued and a running batch.
import { describe, expect, it } from 'vitest';

import type { Engine } from '../../../controller/engine/index.js';
import { json, useHttpService } from '../../helpers/http-service.js';

const start = useHttpService();
const FAKE = 'b-20261122-101500-7k3m9q';
const doc = (target = 'a.txt') => ({ title: 't', ecosystem: 'npm', operations: [{ type: 'write', target, content: 'x' }] });
const codeOf = async (response: Response) =>
  ((await response.json()) as { error: { code: string; details?: { issues?: Array<{ field: string }> } } }).error;

function first(engine: Engine, type: string, batchId: string): Promise<void> {
  return new Promise((resolve) => {
    const off = engine.on((event) => {
      if (event.type === type && event.batch_id === batchId) {
        off();
        resolve();
      }
    });
  });
}

describe('batchctl serve: bad requests change nothing', () => {
  it('refuses malformed, wrong-type, unknown-field, wrong-media-type and oversized bodies', async () => {
    const { call, repo, engine } = await start({ 'a.txt': 'a' }, { bodyLimit: 2048 });
    repo.commitAll('seed');
    const before = repo.snapshot();
    const post = (path: string, body: string, type = 'application/json') =>
      call(path, { as: 'operator', method: 'POST', headers: { 'content-type': type }, body });

    const malformed = await post('/api/batch', '{"title": ');
    expect([malformed.status, (await codeOf(malformed)).code]).toEqual([400, 'INPUT_INVALID']);
    const unknown = await post('/api/batch', JSON.stringify({ ...doc(), bogus: 1 }));
    expect(unknown.status).toBe(400);
    expect((await codeOf(unknown)).details?.issues?.map((i) => i.field)).toContain('bogus');
    const wrongType = await post('/api/rollback', JSON.stringify({ batch_id: 5, reason: 'x' }));
    expect(wrongType.status).toBe(400);
    expect((await codeOf(wrongType)).details?.issues?.[0]?.field).toBe('batch_id');
    const missing = await post(`/api/batches/${FAKE}/cancel`, '{}');
    expect((await codeOf(missing)).details?.issues?.[0]?.field).toBe('reason');
    const badQuery = await call('/api/batches?limit=0', { as: 'viewer' });
    expect([badQuery.status, (await codeOf(badQuery)).details?.issues?.[0]?.field]).toEqual([400, 'query.limit']);
    const text = await post('/api/batch', JSON.stringify(doc()), 'text/plain');
    expect([text.status, (await codeOf(text)).code]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    const big = await post('/api/batch', JSON.stringify(doc('x'.repeat(4000))));
    expect([big.status, (await codeOf(big)).code]).toEqual([413, 'BODY_TOO_LARGE']);

    // NDJSON without a Content-Length: counted as it streams, refused partway.
    const lines = [
      JSON.stringify({ title: 't', ecosystem: 'npm' }),
      ...Array.from({ length: 200 }, (_, i) => JSON.stringify({ type: 'write', target: `s/${i}`, content: 'y' })),
    ];
    const encoder = new TextEncoder();
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (const line of lines) controller.enqueue(encoder.encode(`${line}\n`));
        controller.close();
      },
    });
    const streamed = await call('/api/batch', {
      as: 'operator',
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: stream,
      duplex: 'half',
    } as RequestInit);
    expect([streamed.status, (await codeOf(streamed)).code]).toEqual([413, 'BODY_TOO_LARGE']);

    const route = await call('/api/nothing', { as: 'viewer' });
    expect([route.status, (await codeOf(route)).code]).toEqual([404, 'ROUTE_NOT_FOUND']);
    expect(repo.snapshot()).toBe(before);
    expect(engine.list({ limit: 10 })).toEqual([]);
  });

  it('allows listed origins, refuses others, and answers preflights', async () => {
    const { call } = await start();
    const allowed = await call('/api/batches', { as: 'viewer', headers: { origin: 'http://localhost:5173' } });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    const refused = await call('/api/batches', { as: 'viewer', headers: { origin: 'https://evil.example' } });
    expect([refused.status, (await codeOf(refused)).code]).toEqual([403, 'ORIGIN_REFUSED']);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await call('/api/batch', {
      as: 'none',
      method: 'OPTIONS',
      headers: {
        origin: 'http://localhost:8022',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://localhost:8022');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    const badPreflight = await call('/api/batch', {
      as: 'none',
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(badPreflight.status).toBe(403);
    expect(allowed.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it('limits 100 requests a minute per token and 20 for rollback, with draft-7 headers and Retry-After', async () => {
    const { call } = await start();
    for (let i = 1; i <= 100; i++) {
      const response = await call('/api/batches', { as: 'viewer' });
      expect(response.status).toBe(200);
      expect(response.headers.get('ratelimit')).toMatch(new RegExp(`^limit=100, remaining=${100 - i}, reset=\\d+$`));
      expect(response.headers.get('ratelimit-policy')).toBe('100;w=60');
      await response.arrayBuffer();
    }
    const over = await call('/api/batches', { as: 'viewer' });
    expect([over.status, (await codeOf(over)).code]).toEqual([429, 'RATE_LIMITED']);
    expect(Number(over.headers.get('retry-after'))).toBeGreaterThan(0);
    // Another token has a budget of its own; the write routes have a tighter one.
    for (let i = 1; i <= 20; i++) {
      const response = await call('/api/rollback', { as: 'operator', ...json({ batch_id: FAKE, reason: 'r' }) });
      expect(response.status).toBe(404);
      await response.arrayBuffer();
    }
    const writes = await call('/api/rollback', { as: 'operator', ...json({ batch_id: FAKE, reason: 'r' }) });
    expect([writes.status, (await codeOf(writes)).code]).toEqual([429, 'RATE_LIMITED']);
    expect(writes.headers.get('ratelimit-policy')).toBe('20;w=60');
  });
});

describe('batchctl serve: cancel', () => {
  const slow = {
    title: 'slow',
    ecosystem: 'npm',
    options: { concurrency: 1 },
    // long enough that it still runs when the cancel arrives over HTTP
    operations: Array.from({ length: 3000 }, (_, i) => ({ type: 'write', target: `f/${i}.txt`, content: `new ${i}\n` })),
  };

  it('cancels a queued batch at once and a running one after its current operation; both leave the repository as it was', async () => {
    const files = Object.fromEntries(Array.from({ length: 40 }, (_, i) => [`f/${i}.txt`, `v${i}\n`]));
    const { call, engine, repo } = await start(files);
    repo.commitAll('seed');
    const before = repo.snapshot();
    const a = (await (await call('/api/batch', { as: 'operator', ...json(slow) })).json()) as { batch_id: string };
    const progress = first(engine, 'batch_progress', a.batch_id);
    const b = (await (await call('/api/batch', { as: 'operator', ...json(doc('b.txt')) })).json()) as { batch_id: string };
    const queued = await call(`/api/batches/${b.batch_id}/cancel`, { as: 'operator', ...json({ reason: 'not needed' }) });
    expect(await queued.json()).toEqual({ batch_id: b.batch_id, status: 'cancelled' });
    await progress;
    const running = await call(`/api/batches/${a.batch_id}/cancel`, { as: 'operator', ...json({ reason: 'operator asked' }) });
    expect(await running.json()).toEqual({ batch_id: a.batch_id, status: 'cancelling' });
    expect(await engine.wait(a.batch_id)).toMatchObject({ status: 'cancelled', reason: { code: 'CANCELLED' } });
    const again = await call(`/api/batches/${a.batch_id}/cancel`, { as: 'operator', ...json({ reason: 'again' }) });
    expect([again.status, (await codeOf(again)).code]).toEqual([409, 'BATCH_FINISHED']);
    expect(repo.snapshot()).toBe(before);
    const list = (await (await call('/api/batches?status=cancelled', { as: 'viewer' })).json()) as { batches: Array<{ batch_id: string }> };
    expect(list.batches.map((row) => row.batch_id).sort()).toEqual([a.batch_id, b.batch_id].sort());
  });
});
