// subscribe() (docs/events.md#subscribing): replay from a seq, then live, every event once and in
// order; progress coalesced and stored; a purged history reported as a gap; a slow subscriber
// dropped while the batch completes. Every event a subscriber gets matches the shared zod union.
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { batchEventSchema, type BatchEvent } from '../../../controller/domain/index.js';
import type { Engine, SubscriptionMessage } from '../../../controller/engine/index.js';
import { openStore } from '../../../controller/store/index.js';
import { batch, useEngineRepos } from '../../helpers/engine.js';

const setup = useEngineRepos();

const writes = (count: number, tag: string) =>
  batch({
    options: { concurrency: 1 },
    operations: Array.from({ length: count }, (_, i) => ({ type: 'write' as const, target: `f/${i}.txt`, content: `${tag} ${i}\n` })),
  });

/** Resolves once `engine` emits an event of `type` for `batchId`. */
function once(engine: Engine, type: string, batchId?: string): Promise<BatchEvent> {
  return new Promise((resolve) => {
    const off = engine.on((event) => {
      if (event.type === type && (batchId === undefined || event.batch_id === batchId)) {
        off();
        resolve(event);
      }
    });
  });
}

/** A subscriber that records what it gets and resolves `until` when `done` says so. */
function recorder(done: (message: SubscriptionMessage) => boolean) {
  const messages: SubscriptionMessage[] = [];
  let finish!: () => void;
  const until = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const sink = (message: SubscriptionMessage): void => {
    messages.push(message);
    if (done(message)) finish();
  };
  return { messages, sink, until };
}

const eventsOf = (messages: SubscriptionMessage[]): BatchEvent[] => messages.flatMap((m) => (m.kind === 'event' ? [m.event] : []));

describe('subscribe', () => {
  it('from seq 0 in the middle of a batch: every stored event once, in order, then the live ones', async () => {
    const { engine } = await setup();
    await engine.run(writes(3, 'earlier'));
    const running = await engine.submit(writes(300, 'now'));
    await once(engine, 'batch_progress', running.batch_id);
    const seen = recorder((m) => m.kind === 'event' && m.event.type === 'batch_complete' && m.event.batch_id === running.batch_id);
    const off = engine.subscribe({ after_seq: 0 }, seen.sink);
    const result = await engine.wait(running.batch_id);
    await seen.until;
    off();
    expect(result.status).toBe('completed');

    const got = eventsOf(seen.messages);
    const stored = engine.events({ limit: 10_000 });
    expect(got.map((e) => e.seq)).toEqual(stored.map((e) => e.seq));
    expect(new Set(got.map((e) => e.seq)).size).toBe(got.length);
    expect(got).toEqual(stored);
    for (const event of got) expect(batchEventSchema.safeParse(event).success, JSON.stringify(event)).toBe(true);
    expect(seen.messages.some((m) => m.kind !== 'event')).toBe(false);

    // Progress is stored, coalesced: far fewer than one per step, the last one the final count.
    const progress = got.filter((e) => e.type === 'batch_progress' && e.batch_id === running.batch_id);
    expect(progress.length).toBeGreaterThan(0);
    expect(progress.length).toBeLessThan(300);
    expect(progress.at(-1)?.data).toMatchObject({ completed: 300, total: 300 });
    const types = got.filter((e) => e.batch_id === running.batch_id).map((e) => e.type);
    expect(types[0]).toBe('batch_started');
    expect(types.at(-1)).toBe('batch_complete');
  });

  it('resumes after a seq, filtered by batch and type', async () => {
    const { engine } = await setup();
    const a = await engine.run(writes(2, 'a'));
    const mark = engine.events({ limit: 1000 }).at(-1)?.seq ?? 0;
    const b = await engine.submit(writes(2, 'b'));
    const seen = recorder((m) => m.kind === 'event' && m.event.type === 'batch_complete');
    const off = engine.subscribe({ after_seq: 0, batch_id: b.batch_id, types: ['batch_started', 'batch_complete'] }, seen.sink);
    await seen.until;
    off();
    expect(eventsOf(seen.messages).map((e) => [e.type, e.batch_id])).toEqual([
      ['batch_started', b.batch_id],
      ['batch_complete', b.batch_id],
    ]);
    const after = recorder((m) => m.kind === 'event' && m.event.type === 'batch_complete');
    const offAfter = engine.subscribe({ after_seq: mark }, after.sink);
    await after.until;
    offAfter();
    expect(eventsOf(after.messages).every((e) => e.seq > mark && e.batch_id !== a.batch_id)).toBe(true);
  });

  it('reports a gap first when the history after its seq was purged', async () => {
    const { repo, engine } = await setup();
    await engine.run(writes(2, 'a'));
    const last = engine.events({ limit: 1000 }).at(-1)?.seq ?? 0;
    // Retention, as a purge does it: every event older than now goes.
    const store = openStore({ file: join(repo.dir, '.git', 'batchctl', 'state.db') });
    store.retention.purge({ batchesBefore: null, statuses: [], keep: [], eventsBefore: '9999-01-01T00:00:00.000Z' });
    store.close();
    const b = await engine.submit(writes(2, 'b'));
    const seen = recorder((m) => m.kind === 'event' && m.event.type === 'batch_complete');
    const off = engine.subscribe({ after_seq: 0 }, seen.sink);
    await seen.until;
    off();
    expect(seen.messages[0]).toEqual({ kind: 'gap', after_seq: 0, purged_through: last });
    expect(eventsOf(seen.messages).every((e) => e.batch_id === b.batch_id)).toBe(true);
  });

  it('drops a subscriber that does not keep up, with a reason, while the batch completes', async () => {
    const { engine } = await setup();
    const messages: SubscriptionMessage[] = [];
    let dropped!: () => void;
    const wasDropped = new Promise<void>((resolve) => {
      dropped = resolve;
    });
    // Takes the first message and never finishes with it.
    engine.subscribe({ after_seq: engine.events({ limit: 1 }).at(-1)?.seq ?? 0, queue_limit: 2 }, (message) => {
      messages.push(message);
      if (message.kind === 'dropped') dropped();
      return new Promise<void>(() => undefined);
    });
    const fast = recorder((m) => m.kind === 'event' && m.event.type === 'batch_complete');
    engine.subscribe({ after_seq: 0 }, fast.sink);
    const result = await engine.run(writes(200, 'x'));
    expect(result.status).toBe('completed');
    await wasDropped;
    await fast.until;
    expect(messages.at(-1)).toMatchObject({ kind: 'dropped', reason: 'slow' });
    expect(messages.length).toBe(2); // the message it held, then the notice: no more
    expect(eventsOf(fast.messages).at(-1)).toMatchObject({ type: 'batch_complete', batch_id: result.batch_id });
  });
});

describe('the event union', () => {
  it('types every event a run, a refusal, a stop and resume, a cancel and a rollback store', async () => {
    const { engine } = await setup();
    const done = await engine.run(writes(3, 'a'));
    await engine.stop({ reason: 'drill', by: 'alice' });
    expect((await engine.run(writes(1, 'refused'))).status).toBe('refused');
    await engine.resume({ by: 'alice' });
    const queued = await engine.submit(batch({ operations: [{ type: 'write', target: 'other/b.txt', content: 'b\n' }] }));
    const later = await engine.submit(batch({ operations: [{ type: 'write', target: 'other/c.txt', content: 'c\n' }] }));
    engine.cancel(later.batch_id, 'drill');
    await engine.wait(queued.batch_id);
    expect((await engine.rollback(done.batch_id)).status).toBe('completed');
    const stored = engine.events({ limit: 1000 });
    const types = new Set(stored.map((e) => e.type));
    for (const type of [
      'batch_started',
      'batch_progress',
      'batch_complete',
      'batch_refused',
      'batch_cancelled',
      'control_changed',
      'rollback_started',
      'rollback_complete',
    ])
      expect(types.has(type as BatchEvent['type']), type).toBe(true);
    for (const event of stored) {
      const parsed = batchEventSchema.safeParse(event);
      expect(parsed.success, `${event.type}: ${JSON.stringify(parsed.error?.issues ?? [])}`).toBe(true);
    }
  });
});

describe('live state', () => {
  it('status shows live counts while a batch runs; health names it, the queue and the lock holder', async () => {
    const { engine } = await setup();
    const a = await engine.submit(writes(200, 'a'));
    const b = await engine.submit(writes(1, 'b'));
    const progress = await once(engine, 'batch_progress', a.batch_id);
    const status = engine.status(a.batch_id);
    expect(status.progress).toMatchObject({ total: 200 });
    expect(status.result.success_count).toBe(status.progress?.completed);
    expect(progress.data['completed']).toBeGreaterThan(0);
    const health = await engine.health();
    expect(health).toMatchObject({
      queue_depth: 1,
      running: { batch_id: a.batch_id, status: 'running' },
      pending_journal: { batch_id: a.batch_id },
      lock_holder: { pid: process.pid },
    });
    expect(engine.list({ limit: 10, status: 'queued' }).map((r) => r.batch_id)).toEqual([b.batch_id]);
    expect(engine.list({ limit: 10, ecosystem: 'pypi' })).toEqual([]);
    const pageOne = engine.list({ limit: 1 });
    expect(pageOne.map((r) => r.batch_id)).toEqual([b.batch_id]);
    expect(engine.list({ limit: 5, cursor: b.batch_id }).map((r) => r.batch_id)).toEqual([a.batch_id]);
    await engine.wait(b.batch_id);
    expect(await engine.health()).toMatchObject({ queue_depth: 0, running: null, pending_journal: null, lock_holder: null });
    expect(engine.status(a.batch_id).progress).toBeUndefined();
  });
});
