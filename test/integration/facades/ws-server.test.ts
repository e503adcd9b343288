// The WebSocket facade (docs/serve.md#websocket) with real `ws` clients: every event of a batch in
// order on both listeners, resume from a seq, refusals before the upgrade, bad messages answered by
// name, a slow client closed with 1013, a dead peer terminated, 1001 on shutdown.
import type { Socket } from 'node:net';

import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';

import { batchEventSchema, type BatchEvent } from '../../../controller/domain/index.js';
import type { Engine } from '../../../controller/engine/index.js';
import type { AttachWebSocketOptions } from '../../../controller/facades/ws/index.js';
import { batch, useEngineRepos } from '../../helpers/engine.js';
import { ORIGINS, purgeAllEvents, startStreamServer, VIEWER, type StreamServer } from '../../helpers/stream-server.js';

const setup = useEngineRepos();
const servers: StreamServer[] = [];
const clients: WebSocket[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.terminate();
  for (const server of servers.splice(0)) await server.close();
});

async function started(options: Partial<AttachWebSocketOptions> = {}): Promise<{ engine: Engine; server: StreamServer; dir: string }> {
  const { engine, repo } = await setup();
  const server = await startStreamServer(engine, options);
  servers.push(server);
  return { engine, server, dir: repo.dir };
}

const writes = (count: number) =>
  batch({
    options: { concurrency: 1 },
    operations: Array.from({ length: count }, (_, i) => ({ type: 'write' as const, target: `f/${i}.txt`, content: `${i}\n` })),
  });

type Message = Record<string, unknown> & { type: string };

/** An open client that records every message; `next(pred)` resolves with the first (past or future) that matches. */
async function connect(url: string, options: ConstructorParameters<typeof WebSocket>[2] = { headers: VIEWER }, protocols?: string[]) {
  const ws = new WebSocket(url, protocols, options);
  clients.push(ws);
  const messages: Message[] = [];
  const waiters: Array<{ match: (m: Message) => boolean; resolve: (m: Message) => void }> = [];
  ws.on('message', (data) => {
    const message = JSON.parse(data.toString()) as Message;
    messages.push(message);
    for (const waiter of waiters.filter((w) => w.match(message))) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(message);
    }
  });
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const next = (match: (m: Message) => boolean): Promise<Message> => {
    const seen = messages.find(match);
    return seen ? Promise.resolve(seen) : new Promise((resolve) => waiters.push({ match, resolve }));
  };
  return { ws, messages, next, closed, events: () => messages.filter((m) => typeof m.seq === 'number') as unknown as BatchEvent[] };
}

/** The status (and error code) a refused upgrade answered with: no WebSocket was opened. */
function refusal(url: string, options: ConstructorParameters<typeof WebSocket>[2], protocols?: string[]): Promise<[number, string]> {
  const ws = new WebSocket(url, protocols, options);
  clients.push(ws);
  return new Promise((resolve, reject) => {
    ws.on('open', () => reject(new Error('upgraded')));
    ws.on('error', () => undefined);
    ws.on('unexpected-response', (_req, res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve([res.statusCode ?? 0, (JSON.parse(body) as { error: { code: string } }).error.code]));
    });
  });
}

const isFinal = (batchId: string) => (m: Message) => m.type === 'batch_complete' && m.batch_id === batchId;

describe('WebSocket', () => {
  it('sends every event of a batch in order as {seq, type, batch_id, at, data}, on its own port and at /ws', async () => {
    const { engine, server } = await started();
    const earlier = await engine.run(writes(2));
    const own = await connect(server.ws);
    const onHttp = await connect(server.wsOnHttp, { headers: VIEWER, origin: ORIGINS[0] });
    for (const client of [own, onHttp]) client.ws.send(JSON.stringify({ type: 'subscribe' }));
    const [subscribed] = await Promise.all([own.next((m) => m.type === 'subscribed'), onHttp.next((m) => m.type === 'subscribed')]);
    const result = await engine.run(writes(30));
    await Promise.all([own.next(isFinal(result.batch_id)), onHttp.next(isFinal(result.batch_id))]);
    const expected = engine.events({ afterSeq: Number(subscribed?.after_seq), limit: 10_000 });
    for (const client of [own, onHttp]) {
      expect(client.events()).toEqual(expected);
      for (const event of client.events()) {
        expect(Object.keys(event).sort()).toEqual(['at', 'batch_id', 'data', 'seq', 'type']);
        batchEventSchema.parse(event);
      }
    }
    expect(expected.map((e) => e.type)).toEqual(expect.arrayContaining(['batch_started', 'batch_progress', 'batch_complete']));
    expect(server.sockets.clients()).toBe(2);
    // Without after_seq a subscription follows live events only.
    expect(subscribed?.after_seq).toBe(engine.events({ batchId: earlier.batch_id, limit: 100 }).at(-1)?.seq);
    expect(expected.some((e) => e.batch_id === earlier.batch_id)).toBe(false);
  });

  it('resumes from after_seq on a new connection with no event lost or repeated; one batch only when asked', async () => {
    const { engine, server } = await started();
    const other = await engine.run(writes(2));
    const submitted = await engine.submit(writes(300));
    const first = await connect(server.ws);
    first.ws.send(JSON.stringify({ type: 'subscribe', after_seq: 0, batch_id: submitted.batch_id }));
    await first.next((m) => m.type === 'batch_progress');
    first.ws.close();
    await first.closed;
    const seen = first.events();
    const second = await connect(server.ws);
    second.ws.send(JSON.stringify({ type: 'subscribe', after_seq: seen.at(-1)?.seq, batch_id: submitted.batch_id }));
    await second.next(isFinal(submitted.batch_id));
    const all = [...seen, ...second.events()];
    expect(all).toEqual(engine.events({ batchId: submitted.batch_id, limit: 10_000 }));
    expect(all.some((e) => e.batch_id === other.batch_id)).toBe(false);
  });

  it('tells a subscriber from before a purge about the gap first', async () => {
    const { engine, server, dir } = await started();
    await engine.run(writes(2));
    const purged = purgeAllEvents(engine, dir);
    const later = await engine.run(writes(1));
    const client = await connect(server.ws);
    client.ws.send(JSON.stringify({ type: 'subscribe', after_seq: 0 }));
    await client.next(isFinal(later.batch_id));
    expect(client.messages.slice(0, 2)).toEqual([
      { type: 'subscribed', after_seq: 0, batch_id: null, types: null },
      { type: 'gap', after_seq: 0, purged_through: purged },
    ]);
    expect(client.events()).toEqual(engine.events({ limit: 100 }));
  });

  it('checks Origin and token before the upgrade: 403 and 401 written on the socket, no WebSocket opened', async () => {
    const { server } = await started();
    expect(await refusal(server.ws, {})).toEqual([401, 'UNAUTHENTICATED']);
    expect(await refusal(server.ws, { headers: { authorization: 'Bearer nope' } })).toEqual([401, 'UNAUTHENTICATED']);
    expect(await refusal(server.wsOnHttp, {}, ['batchctl', 'bearer.nope'])).toEqual([401, 'UNAUTHENTICATED']);
    expect(await refusal(server.ws, { headers: VIEWER, origin: 'https://evil.example' })).toEqual([403, 'ORIGIN_REFUSED']);
    expect(await refusal(server.wsOnHttp, { headers: VIEWER, origin: 'https://evil.example' })).toEqual([403, 'ORIGIN_REFUSED']);
    expect(server.sockets.clients()).toBe(0);
    // A browser cannot set headers: it offers the token as a subprotocol, and the server selects `batchctl`.
    const browser = await connect(server.wsOnHttp, { origin: ORIGINS[0] }, ['batchctl', 'bearer.viewer-token']);
    expect(browser.ws.protocol).toBe('batchctl');
    expect(server.sockets.clients()).toBe(1);
  });

  it('answers bad messages with a named INPUT_INVALID and keeps the connection; an oversized one closes it (1009)', async () => {
    const { server } = await started({ maxPayload: 1024 });
    const client = await connect(server.ws);
    const errors: string[] = [];
    for (const bad of [
      'not json',
      '{"type":"nope"}',
      '{"type":"subscribe","after_seq":-1}',
      '{"type":"subscribe","typez":[]}',
      '{"type":"subscribe","types":["x"]}',
      '{"type":"subscribe","batch_id":"b-1"}',
    ]) {
      client.ws.send(bad);
      client.ws.send(JSON.stringify({ type: 'ping', id: String(errors.length) }));
      const pong = await client.next((m) => m.type === 'pong' && m.id === String(errors.length));
      const error = client.messages[client.messages.indexOf(pong) - 1] as unknown as {
        error: { code: string; details: { field: string } };
      };
      expect(error.error.code).toBe('INPUT_INVALID');
      errors.push(error.error.details.field);
    }
    client.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    client.ws.send(JSON.stringify({ type: 'ping', id: 'binary' }));
    await client.next((m) => m.type === 'pong' && m.id === 'binary');
    expect(errors).toEqual(['(message)', 'type', 'after_seq', 'typez', 'types.0', 'batch_id']);
    expect(client.messages.filter((m) => m.type === 'error')).toHaveLength(7);
    client.ws.send('x'.repeat(2048));
    expect(await client.closed).toBe(1009);
  });

  it('closes a client that does not read what it asks for with 1013, at a bounded buffer', async () => {
    let reportSlow!: (info: Record<string, unknown>) => void;
    const slow = new Promise<Record<string, unknown>>((resolve) => (reportSlow = resolve));
    const { server } = await started({
      maxBufferedBytes: 64 * 1024,
      closeGraceMs: 60_000,
      logger: { warn: (info: object) => reportSlow(info as Record<string, unknown>) },
    });
    const client = await connect(server.ws);
    client.ws.send(JSON.stringify({ type: 'subscribe' }));
    await client.next((m) => m.type === 'subscribed');
    // Stop reading: every pong the server owes piles up, first in the kernel's buffers, then in its own.
    const socket = (client.ws as unknown as { _socket: Socket })._socket;
    socket.pause();
    let told = false;
    void slow.then(() => (told = true));
    const ping = JSON.stringify({ type: 'ping', id: 'p'.repeat(64) });
    for (let round = 0; !told && round < 2_000; round += 1) {
      for (let i = 0; i < 200; i += 1) client.ws.send(ping);
      await new Promise<void>((resolve) => client.ws.send(ping, () => setImmediate(resolve)));
    }
    const info = await slow;
    expect(Number(info.buffered)).toBeGreaterThan(64 * 1024);
    expect(Number(info.buffered)).toBeLessThan(64 * 1024 + 4096); // checked at every frame: over by at most one
    socket.resume();
    expect(await client.closed).toBe(1013);
    const metrics = await server.metrics.registry.getSingleMetricAsString('batchctl_events_dropped_total');
    expect(metrics).toContain('batchctl_events_dropped_total{transport="ws"} 1');
  });

  it('terminates a peer that answers no ping, and closes every client with 1001 on shutdown', async () => {
    const { server } = await started({ heartbeatMs: 50 });
    const dead = await connect(server.ws, { headers: VIEWER, autoPong: false });
    const healthy = await connect(server.ws);
    expect(await dead.closed).toBe(1006); // terminated: no closing handshake
    await server.sockets.close();
    expect(await healthy.closed).toBe(1001); // it answered every ping: still open until the shutdown
    expect(server.sockets.clients()).toBe(0);
  });
});
