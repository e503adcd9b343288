// SSE (docs/serve.md#events-over-sse) on a real server: a batch's events in order until it ends, a
// resume from Last-Event-ID or ?after_seq= with nothing lost or repeated, and who may read.
import { afterEach, describe, expect, it } from 'vitest';

import { batchEventSchema, type BatchEvent } from '../../../controller/domain/index.js';
import type { Engine } from '../../../controller/engine/index.js';
import { batch, useEngineRepos } from '../../helpers/engine.js';
import { purgeAllEvents, sseMessages, startStreamServer, VIEWER, type SseMessage, type StreamServer } from '../../helpers/stream-server.js';

const setup = useEngineRepos();
const servers: StreamServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

async function started(sse: { keepaliveMs?: number } = {}): Promise<{ engine: Engine; server: StreamServer; dir: string }> {
  const { engine, repo } = await setup();
  const server = await startStreamServer(engine, {}, sse);
  servers.push(server);
  return { engine, server, dir: repo.dir };
}

const writes = (count: number) =>
  batch({
    options: { concurrency: 1 },
    operations: Array.from({ length: count }, (_, i) => ({ type: 'write' as const, target: `f/${i}.txt`, content: `${i}\n` })),
  });

/** Every message of a stream until it closes, or until `stop` says so (then the connection is dropped). */
async function read(response: Response, stop: (m: SseMessage, seen: SseMessage[]) => boolean = () => false): Promise<SseMessage[]> {
  const seen: SseMessage[] = [];
  for await (const message of sseMessages(response)) {
    if (message.comment !== undefined && message.event === undefined) continue;
    seen.push(message);
    if (stop(message, seen)) break; // leaving the loop cancels the body: the client hangs up
  }
  return seen;
}

const eventsOf = (messages: SseMessage[]): BatchEvent[] =>
  messages.filter((m) => m.id !== undefined).map((m) => batchEventSchema.parse(JSON.parse(m.data ?? '')) as BatchEvent);
const stored = (engine: Engine, batchId: string): BatchEvent[] => engine.events({ batchId, limit: 10_000 });

describe('SSE events', () => {
  it("streams a batch's events in order, id = seq, with progress, and closes after its final event", async () => {
    const { engine, server } = await started();
    const submitted = await engine.submit(writes(40));
    const response = await fetch(`${server.http}/api/batches/${submitted.batch_id}/events`, { headers: VIEWER });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    const messages = await read(response);
    const events = eventsOf(messages);
    expect(events.map((e) => e.seq)).toEqual(stored(engine, submitted.batch_id).map((e) => e.seq));
    expect(messages.map((m) => m.id)).toEqual(events.map((e) => String(e.seq)));
    expect(messages.map((m) => m.event)).toEqual(events.map((e) => e.type));
    expect(events[0]?.type).toBe('batch_started');
    expect(events.at(-1)?.type).toBe('batch_complete');
    const progress = events.filter((e) => e.type === 'batch_progress').at(-1);
    expect(progress?.data).toMatchObject({ completed: 40, failed: 0, total: 40, current: { type: 'write' } });
    expect(Object.keys(progress?.data ?? {})).toEqual(
      expect.arrayContaining(['ops_per_second', 'eta_seconds', 'rss_bytes', 'current', 'completed', 'failed', 'total']),
    );
  });

  it('resumes from Last-Event-ID mid-batch with no event lost or repeated', async () => {
    const { engine, server } = await started();
    const submitted = await engine.submit(writes(400));
    const url = `${server.http}/api/batches/${submitted.batch_id}/events`;
    const first = await read(await fetch(url, { headers: VIEWER }), (_m, seen) => seen.length === 2);
    const lastId = first.at(-1)?.id ?? '';
    const rest = await read(await fetch(url, { headers: { ...VIEWER, 'last-event-id': lastId } }));
    const seqs = eventsOf([...first, ...rest]).map((e) => e.seq);
    expect(seqs).toEqual(stored(engine, submitted.batch_id).map((e) => e.seq));
    expect(new Set(seqs).size).toBe(seqs.length);
    expect(rest.at(-1)?.event).toBe('batch_complete');
  });

  it('resumes all batches from ?after_seq= with nothing lost or repeated, and a finished batch says it ended', async () => {
    const { engine, server } = await started();
    const one = await engine.run(writes(3));
    const two = await engine.run(writes(5));
    const all = engine.events({ limit: 10_000 });
    const middle = all[Math.floor(all.length / 2)]?.seq ?? 0;
    const tail = await read(
      await fetch(`${server.http}/api/events?after_seq=${middle}`, { headers: VIEWER }),
      (m) => m.id === String(all.at(-1)?.seq),
    );
    expect(eventsOf(tail).map((e) => e.seq)).toEqual(all.filter((e) => e.seq > middle).map((e) => e.seq));
    const typed = await read(
      await fetch(`${server.http}/api/events?after_seq=0&types=batch_complete`, { headers: VIEWER }),
      (_m, seen) => seen.length === 2,
    );
    expect(eventsOf(typed).map((e) => e.batch_id)).toEqual([one.batch_id, two.batch_id]);
    // Resuming after a finished batch's last event: nothing more will come, so the stream says so and closes.
    const last = stored(engine, one.batch_id).at(-1)?.seq ?? 0;
    const ended = await read(
      await fetch(`${server.http}/api/batches/${one.batch_id}/events`, { headers: { ...VIEWER, 'last-event-id': String(last) } }),
    );
    expect(ended).toEqual([{ event: 'end', data: JSON.stringify({ batch_id: one.batch_id, status: 'completed' }) }]);
  });

  it('refuses without a viewer token (401), a token in the URL, a bad resume point, and an unknown batch', async () => {
    const { engine, server } = await started();
    const done = await engine.run(writes(1));
    const url = `${server.http}/api/batches/${done.batch_id}/events`;
    const codeOf = async (response: Response) => [response.status, ((await response.json()) as { error: { code: string } }).error.code];
    expect(await codeOf(await fetch(url))).toEqual([401, 'UNAUTHENTICATED']);
    expect(await codeOf(await fetch(url, { headers: { authorization: 'Bearer nope' } }))).toEqual([401, 'UNAUTHENTICATED']);
    expect(await codeOf(await fetch(`${url}?token=viewer-token`))).toEqual([400, 'INPUT_INVALID']);
    expect(await codeOf(await fetch(`${server.http}/api/events`))).toEqual([401, 'UNAUTHENTICATED']);
    expect(await codeOf(await fetch(url, { headers: { ...VIEWER, 'last-event-id': 'x' } }))).toEqual([400, 'INPUT_INVALID']);
    expect(await codeOf(await fetch(`${server.http}/api/events?types=nope`, { headers: VIEWER }))).toEqual([400, 'INPUT_INVALID']);
    expect(await codeOf(await fetch(`${server.http}/api/batches/b-20260101-000000-aaaaaa/events`, { headers: VIEWER }))).toEqual([
      404,
      'BATCH_NOT_FOUND',
    ]);
    const viewer = await fetch(url, { headers: VIEWER });
    expect(viewer.status).toBe(200);
    expect(eventsOf(await read(viewer)).at(-1)?.type).toBe('batch_complete');
  });

  it('starts with a gap event when the history after the resume point was purged, and sends keepalive comments', async () => {
    const { engine, server, dir } = await started({ keepaliveMs: 20 });
    await engine.run(writes(2));
    const purged = purgeAllEvents(engine, dir);
    const later = await engine.run(writes(1));
    const messages = await read(
      await fetch(`${server.http}/api/events?after_seq=0`, { headers: VIEWER }),
      (m) => m.event === 'batch_complete',
    );
    expect(messages[0]).toEqual({ event: 'gap', data: JSON.stringify({ after_seq: 0, purged_through: purged }) });
    expect(eventsOf(messages.slice(1)).every((e) => e.batch_id === later.batch_id)).toBe(true);
    // Nothing more happens: the stream stays open with comment lines only.
    const idle = await fetch(`${server.http}/api/events`, { headers: VIEWER });
    for await (const message of sseMessages(idle)) {
      expect(message).toEqual({ comment: 'keepalive' });
      break;
    }
  });
});
