// A rollback's events over the streams (issue 13's lifecycle: … → rollback → its events): on WebSocket
// and on SSE (`GET /api/events`), rollback_started (with the caller's reason), the revert batch's own
// events, then rollback_complete, in seq order, as stored.
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';

import type { BatchEvent } from '../../../controller/domain/index.js';
import { batch, useEngineRepos } from '../../helpers/engine.js';
import { sseMessages, startStreamServer, VIEWER, type StreamServer } from '../../helpers/stream-server.js';

const setup = useEngineRepos();
const servers: StreamServer[] = [];
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  for (const server of servers.splice(0)) await server.close();
});

describe('a rollback over the event streams', () => {
  it('is rollback_started with its reason, the revert batch, then rollback_complete, on WebSocket and SSE', async () => {
    const { engine } = await setup();
    const server = await startStreamServer(engine);
    servers.push(server);
    const landed = await engine.run(batch({ operations: [{ type: 'write', target: 'x.txt', content: 'x\n' }] }));
    const from = engine.lastSeq();

    const ws = new WebSocket(server.ws, { headers: VIEWER });
    sockets.push(ws);
    const overWs: BatchEvent[] = [];
    let subscribed!: () => void;
    const ready = new Promise<void>((resolve) => (subscribed = resolve));
    let completeWs!: () => void;
    const wsDone = new Promise<void>((resolve) => (completeWs = resolve));
    ws.on('message', (data) => {
      const message = JSON.parse(data.toString()) as Record<string, unknown>;
      if (message.type === 'subscribed') return subscribed();
      if (typeof message.seq !== 'number') return;
      overWs.push(message as unknown as BatchEvent);
      if (message.type === 'rollback_complete') completeWs();
    });
    await new Promise<void>((resolve) => ws.once('open', () => resolve()));
    ws.send(JSON.stringify({ type: 'subscribe', after_seq: from }));
    await ready;
    const sse = await fetch(`${server.http}/api/events?after_seq=${from}`, { headers: VIEWER });

    const result = await engine.rollback(landed.batch_id, { reason: 'wrong file', requestedBy: 'oncall' });
    expect(result.success).toBe(true);
    await wsDone;
    const overSse: BatchEvent[] = [];
    for await (const message of sseMessages(sse)) {
      if (message.id === undefined) continue;
      const event = JSON.parse(message.data ?? '') as BatchEvent;
      overSse.push(event);
      if (event.type === 'rollback_complete') break;
    }

    const expected = engine.events({ afterSeq: from, limit: 1000 });
    expect(overWs).toEqual(expected);
    expect(overSse).toEqual(expected);
    const types = expected.map((e) => e.type);
    expect(types[0]).toBe('rollback_started');
    expect(types.at(-1)).toBe('rollback_complete');
    expect(types).toContain('batch_complete');
    expect(expected[0]).toMatchObject({ batch_id: landed.batch_id, data: { reason: 'wrong file', requested_by: 'oncall' } });
    expect(expected.at(-1)).toMatchObject({
      batch_id: landed.batch_id,
      data: { rollback_batch_id: result.rollback_batch_id, status: 'completed' },
    });
    expect(expected.filter((e) => e.type === 'batch_complete').map((e) => e.batch_id)).toEqual([result.rollback_batch_id]);
  });
});
