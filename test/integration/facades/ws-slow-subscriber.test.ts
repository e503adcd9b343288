// A WebSocket client that stops reading is dropped by the engine's bounded subscriber queue
// (docs/events.md#subscribing, docs/serve.md#websocket), not by the byte bound: the batches run on, the
// other client gets every event, and the slow one, once it reads again, gets `dropped` then close 1013.
// Deterministic: the client's own pings fill the socket with pongs it does not read, and each round
// runs a batch until the server reports the drop; no sleeps, a bounded number of rounds.
import type { Socket } from 'node:net';

import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';

import type { BatchEvent } from '../../../controller/domain/index.js';
import { batch, useEngineRepos } from '../../helpers/engine.js';
import { startStreamServer, VIEWER, type StreamServer } from '../../helpers/stream-server.js';

const setup = useEngineRepos();
const servers: StreamServer[] = [];
const clients: WebSocket[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) client.terminate();
  for (const server of servers.splice(0)) await server.close();
});

type Message = Record<string, unknown> & { type: string };

/** A client subscribed to every event; it records what it gets, and `closed` resolves with the close code. */
async function subscribed(url: string): Promise<{ ws: WebSocket; messages: Message[]; closed: Promise<number>; afterSeq: number }> {
  const ws = new WebSocket(url, { headers: VIEWER });
  clients.push(ws);
  const messages: Message[] = [];
  const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
  const ack = new Promise<Message>((resolve) =>
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as Message;
      messages.push(message);
      if (message.type === 'subscribed') resolve(message);
    }),
  );
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  ws.send(JSON.stringify({ type: 'subscribe' }));
  return { ws, messages, closed, afterSeq: Number((await ack).after_seq) };
}

const events = (messages: Message[]): BatchEvent[] => messages.filter((m) => typeof m.seq === 'number') as unknown as BatchEvent[];

const writes = (round: number) =>
  batch({ operations: Array.from({ length: 5 }, (_, i) => ({ type: 'write' as const, target: `r${round}/${i}.txt`, content: `${i}\n` })) });

describe('WebSocket: a subscriber that stops reading', () => {
  it('is dropped by the engine queue while batches run on; the others get every event; it gets dropped, then 1013', async () => {
    let report!: (info: Record<string, unknown>) => void;
    const warned = new Promise<Record<string, unknown>>((resolve) => (report = resolve));
    let dropped = false;
    void warned.then(() => (dropped = true));
    const { engine } = await setup();
    const server = await startStreamServer(engine, {
      queueLimit: 4,
      // Far above anything this test sends: only the engine's queue can drop the client.
      maxBufferedBytes: 256 * 1024 * 1024,
      closeGraceMs: 60_000,
      logger: { warn: (info: object) => report(info as Record<string, unknown>) },
    });
    servers.push(server);
    const fast = await subscribed(server.ws);
    const slow = await subscribed(server.ws);
    const socket = (slow.ws as unknown as { _socket: Socket })._socket; // ws keeps its socket private; pausing it is "not reading"
    socket.pause();

    const ping = JSON.stringify({ type: 'ping', id: 'p'.repeat(64) });
    const results = [];
    for (let round = 0; !dropped && round < 200; round += 1) {
      // Pongs the slow client does not read fill the kernel's buffers; then its event frames wait, and its queue fills.
      for (let i = 0; i < 5_000; i += 1) slow.ws.send(ping);
      await new Promise<void>((resolve) => slow.ws.send(ping, () => resolve()));
      results.push(await engine.run(writes(round))); // never held by the slow client
    }
    const info = await warned;
    // The engine dropped it (last_seq is the last event it saw taken); the byte bound was never reached.
    expect(typeof info.last_seq).toBe('number');
    expect(Number(info.buffered)).toBeLessThan(256 * 1024 * 1024);
    expect(results.every((r) => r.status === 'completed')).toBe(true);
    const last = await engine.run(writes(999)); // and a batch after the drop runs as ever
    expect(last.status).toBe('completed');

    socket.resume();
    expect(await slow.closed).toBe(1013);
    const stored = engine.events({ afterSeq: slow.afterSeq, limit: 100_000 });
    const got = events(slow.messages);
    // What it got is the stored stream from its start, nothing skipped, then `dropped`, and nothing after it.
    expect(got).toEqual(stored.slice(0, got.length));
    const tail = slow.messages.filter((m) => m.type !== 'pong').at(-1);
    expect(tail).toMatchObject({ type: 'dropped', reason: 'slow', last_seq: info.last_seq });
    expect(Number(tail?.last_seq)).toBeLessThanOrEqual(got.at(-1)?.seq ?? slow.afterSeq);
    expect(got.length).toBeLessThan(stored.length);

    // The fast client, subscribed the same way, got every event of every batch, in order.
    await new Promise<void>((resolve) => {
      const check = (): void => {
        if (events(fast.messages).some((e) => e.batch_id === last.batch_id && e.type === 'batch_complete')) resolve();
        else fast.ws.once('message', check);
      };
      check();
    });
    expect(events(fast.messages)).toEqual(engine.events({ afterSeq: fast.afterSeq, limit: 100_000 }));
    const metrics = await server.metrics.registry.getSingleMetricAsString('batchctl_events_dropped_total');
    expect(metrics).toContain('batchctl_events_dropped_total{transport="ws"} 1');
  });
});
