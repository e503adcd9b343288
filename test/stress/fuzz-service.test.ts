// Fuzzing the service's inputs (issue 17, docs/reliability.md#fuzzing): every POST route GET
// /openapi.json lists, on a real server on 127.0.0.1, gets random bodies (text, bytes, JSON, its valid
// body with a field broken) under random content types; WebSocket clients send random frames. No
// exception escapes (no 500, the server keeps answering), every refusal carries a code of the one
// outcome table, and a refused request changes nothing on disk. MCP arguments and InterLock frames
// are fuzzed by their own facades' tests.
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';

import { isErrorCode } from '../../controller/errors/index.js';
import { batch, useEngineRepos } from '../helpers/engine.js';
import { useHttpService } from '../helpers/http-service.js';
import { startStreamServer, VIEWER, type StreamServer } from '../helpers/stream-server.js';
import { diskFingerprint } from './fingerprint.js';
import { figure, fuzzRuns } from './stress-env.js';

/** A field of `value` replaced by any JSON value, removed, or a stranger key added (one level or two deep). */
function broken(value: Record<string, unknown>) {
  const keys = Object.keys(value);
  return fc
    .record({
      key: keys.length > 0 ? fc.constantFrom(...keys) : fc.constant('x'),
      value: fc.jsonValue({ maxDepth: 3 }),
      how: fc.constantFrom('set', 'delete', 'add', 'deep'),
    })
    .map(({ key, value: v, how }) => {
      const copy = structuredClone(value);
      if (how === 'set') copy[key] = v;
      else if (how === 'delete') delete copy[key];
      else if (how === 'add') copy[`x_${key}`] = v;
      else if (Array.isArray(copy[key]) && (copy[key] as unknown[]).length > 0) (copy[key] as unknown[])[0] = v;
      else copy[key] = { nested: v };
      return copy;
    });
}

const anyBody = (valid: Record<string, unknown>) =>
  fc.oneof(
    fc.string({ unit: 'binary', maxLength: 120 }),
    fc.uint8Array({ maxLength: 120 }).map((bytes) => Buffer.from(bytes)),
    fc.json({ maxDepth: 3 }),
    broken(valid).map((doc) => JSON.stringify(doc)),
    fc.constant(''),
  );

const contentType = fc.oneof(
  { weight: 6, arbitrary: fc.constant('application/json') },
  {
    weight: 1,
    arbitrary: fc.constantFrom('text/plain', 'application/x-ndjson', 'application/json; charset=utf-16', 'multipart/form-data', null),
  },
);

describe('fuzzing the service', () => {
  const start = useHttpService();

  it('every POST route, random bodies: named refusals, nothing changed, no 500, still answering', async () => {
    const { repo, call, engine } = await start({ 'a.txt': 'a\n' }, { rateLimits: { general: 1e9, write: 1e9, windowMs: 60_000 } });
    const landed = await engine.run(batch({ operations: [{ type: 'write', target: 'landed.txt', content: 'x\n' }] }));
    const openapi = (await (await call('/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(openapi.paths)
      .filter(([, methods]) => 'post' in methods)
      .map(([path]) => path);
    expect(routes.length).toBeGreaterThanOrEqual(7);
    const VALID: Record<string, Record<string, unknown>> = {
      '/api/batch': {
        title: 't',
        ecosystem: 'npm',
        requested_by: 'fuzz',
        operations: [{ type: 'write', target: 'fuzz.txt', content: 'f\n' }],
      },
      '/api/validate': {
        title: 't',
        ecosystem: 'npm',
        requested_by: 'fuzz',
        operations: [{ type: 'write', target: 'v.txt', content: 'v\n' }],
      },
      '/api/rollback': { batch_id: landed.batch_id, reason: 'fuzz' },
      '/api/control/stop': { reason: 'fuzz' },
      '/api/batches/{id}/cancel': { reason: 'fuzz' },
      '/api/batches/{id}/retry': { again: false },
    };
    const ids = [landed.batch_id, 'b-20261202-000000-aaaaaa', '..', '%2e%2e', 'x'.repeat(300), "'; drop table batches; --"];
    const statuses: Record<string, number> = {};
    let snapshot = diskFingerprint(repo.dir);
    await fc.assert(
      fc.asyncProperty(
        fc
          .constantFrom(...routes)
          .chain((route) => fc.tuple(fc.constant(route), anyBody(VALID[route] ?? {}), contentType, fc.constantFrom(...ids))),
        async ([route, body, type, id]) => {
          // the submit route waits for the batch to end: an accepted batch has changed the disk by the answer
          const path = route.replace('{id}', encodeURIComponent(id)) + (route === '/api/batch' ? '?wait=1' : '');
          const response = await call(path, { method: 'POST', body, headers: type ? { 'content-type': type } : {} });
          const text = await response.text();
          statuses[`${route} ${response.status}`] = (statuses[`${route} ${response.status}`] ?? 0) + 1;
          // no 5xx but 503 (a named NOT_READY or ENGINE_CLOSED, its code checked below like every refusal)
          expect(response.status < 500 || response.status === 503, `${path}: ${response.status} ${text}`).toBe(true);
          if (response.status < 400) {
            snapshot = diskFingerprint(repo.dir); // accepted: whatever it did is the new "before"
            return;
          }
          const { error } = JSON.parse(text) as { error: { code: string; message: string } };
          expect(isErrorCode(error.code)).toBe(true);
          expect(error.code).not.toBe('INTERNAL');
          expect(error.message).not.toBe('');
          expect(diskFingerprint(repo.dir)).toBe(snapshot);
        },
      ),
      fuzzRuns('fuzz_http', 300, 3_000),
    );
    figure('fuzz_http', statuses);
    expect((await call('/health')).status).toBe(200);
  });
});

describe('fuzzing WebSocket client messages', () => {
  const setup = useEngineRepos();
  const servers: StreamServer[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.close();
  });

  it('random frames: each answered in order by a named error or its reply, the socket stays open, nothing changes', async () => {
    const { engine, repo } = await setup({ 'a.txt': 'a\n' });
    const server = await startStreamServer(engine);
    servers.push(server);
    const before = diskFingerprint(repo.dir);
    const ws = new WebSocket(server.ws, { headers: VIEWER });
    await new Promise<void>((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const inbox: Array<Record<string, unknown>> = [];
    let wake: (() => void) | null = null;
    ws.on('message', (data) => {
      inbox.push(JSON.parse(data.toString()) as Record<string, unknown>);
      wake?.();
    });
    /** Messages up to the pong with this id (the server answers one frame at a time, in order). */
    const untilPong = async (id: string): Promise<Array<Record<string, unknown>>> => {
      for (;;) {
        const at = inbox.findIndex((m) => m.type === 'pong' && m.id === id);
        if (at >= 0) return inbox.splice(0, at + 1).slice(0, -1);
        await new Promise<void>((resolve) => (wake = resolve));
      }
    };
    const valid = [{ type: 'subscribe', after_seq: 0, types: ['batch_complete'] }, { type: 'unsubscribe' }, { type: 'ping', id: 'p' }];
    const frame = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 100 }).map((text) => ({ text })),
      fc.json({ maxDepth: 3 }).map((text) => ({ text })),
      fc
        .constantFrom(...valid)
        .chain((m) => broken(m as Record<string, unknown>))
        .map((m) => ({ text: JSON.stringify(m) })),
      fc.uint8Array({ maxLength: 60 }).map((bytes) => ({ binary: Buffer.from(bytes) })),
    );
    const kinds: Record<string, number> = {};
    let n = 0;
    await fc.assert(
      fc.asyncProperty(frame, async (f) => {
        const id = `fuzz-${n++}`;
        if ('binary' in f) ws.send(f.binary, { binary: true });
        else ws.send(f.text);
        ws.send(JSON.stringify({ type: 'ping', id }));
        const answers = await untilPong(id);
        for (const answer of answers) {
          const kind = answer.type === 'error' ? `error ${(answer.error as { code: string }).code}` : String(answer.type ?? 'event');
          kinds[kind] = (kinds[kind] ?? 0) + 1;
          if (answer.type === 'error') expect(isErrorCode((answer.error as { code: string }).code)).toBe(true);
          else expect(['subscribed', 'unsubscribed', 'pong', 'gap', 'batch_complete']).toContain(answer.type);
        }
        expect(ws.readyState).toBe(WebSocket.OPEN);
      }),
      fuzzRuns('fuzz_ws', 1_000, 20_000),
    );
    figure('fuzz_ws', kinds);
    ws.terminate();
    expect(diskFingerprint(repo.dir)).toBe(before);
  });
});
