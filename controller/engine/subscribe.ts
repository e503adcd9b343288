// subscribe(): the stored events after a seq, then live ones, with no gap and no duplicate
// (docs/events.md#subscribing). Every live event is stored before it is tapped, so the store is the one
// source: the replay reads pages from it until a page comes back short, and in that same synchronous
// turn the subscriber switches to live events (nothing can be emitted in between), skipping any seq it
// has already seen. Each subscriber has its own bounded queue: one that falls behind is dropped, told
// why, and costs no more memory; the batch never waits for it.
import type { BatchEvent, EventType } from '../domain/index.js';
import type { Logger } from '../log/index.js';
import type { Store } from '../store/index.js';
import type { EventBus } from './event-bus.js';

export interface SubscribeOptions {
  /** deliver events with a greater seq (0: from the start of the stored log) */
  after_seq: number;
  /** only this batch's events */
  batch_id?: string;
  /** only these types */
  types?: readonly EventType[];
  /** messages waiting for the sink before it counts as too slow and is dropped (default 1,000) */
  queue_limit?: number;
}

export type SubscriptionMessage =
  | { kind: 'event'; event: BatchEvent }
  /** first, when events after `after_seq` were purged: those up to `purged_through` are gone */
  | { kind: 'gap'; after_seq: number; purged_through: number }
  /** last: the subscription ended without unsubscribe (`slow`: its queue was full) */
  | { kind: 'dropped'; reason: 'slow'; last_seq: number };

/** Awaited before the next message is delivered: a slow sink fills its own queue, no one else's. */
export type Sink = (message: SubscriptionMessage) => void | Promise<void>;

const DEFAULT_LIMIT = 1000;

export function subscribe(
  { store, bus, logger }: { store: Store; bus: EventBus; logger: Pick<Logger, 'warn'> },
  options: SubscribeOptions,
  sink: Sink,
): () => void {
  const limit = Math.max(2, options.queue_limit ?? DEFAULT_LIMIT);
  const page = Math.max(1, Math.min(200, Math.floor(limit / 2)));
  const types = options.types ? new Set(options.types) : null;
  const wanted = (event: BatchEvent): boolean =>
    (options.batch_id === undefined || event.batch_id === options.batch_id) && (types === null || types.has(event.type));
  const queue: SubscriptionMessage[] = [];
  let cursor = options.after_seq; // the last seq read or received: nothing at or below it is delivered again
  let delivered = options.after_seq;
  let replaying = true;
  let ended = false;
  let pumping = false;
  let drained: (() => void) | null = null;
  let failed = false;

  const pump = async (): Promise<void> => {
    if (pumping) return;
    pumping = true;
    while (queue.length > 0 && !ended) {
      const message = queue.shift() as SubscriptionMessage;
      try {
        await sink(message);
      } catch (error) {
        if (!failed) logger.warn({ err: error }, 'a subscriber failed on a message; it keeps its subscription (reported once)');
        failed = true;
      }
      if (message.kind === 'event') delivered = message.event.seq;
      if (queue.length <= page / 2) drained?.();
    }
    pumping = false;
    drained?.();
  };
  const push = (message: SubscriptionMessage): void => {
    queue.push(message);
    void pump();
  };
  const end = (): void => {
    ended = true;
    queue.length = 0;
    untap();
    drained?.();
  };

  const untap = bus.tap((event) => {
    if (replaying || ended || event.seq <= cursor) return;
    cursor = event.seq;
    if (!wanted(event)) return;
    if (queue.length >= limit) {
      end();
      // Told once, outside the queue (the sink may still be busy with the message it holds).
      void Promise.resolve()
        .then(() => sink({ kind: 'dropped', reason: 'slow', last_seq: delivered }))
        .catch(() => undefined);
      return;
    }
    push({ kind: 'event', event });
  });

  const purged = store.events.purgedThrough();
  if (options.after_seq < purged) push({ kind: 'gap', after_seq: options.after_seq, purged_through: purged });

  const replay = async (): Promise<void> => {
    for (;;) {
      if (ended) return;
      const events = store.events.list({ afterSeq: cursor, limit: page, ...(options.batch_id ? { batchId: options.batch_id } : {}) });
      for (const event of events) {
        cursor = event.seq;
        if (wanted(event)) queue.push({ kind: 'event', event });
      }
      if (events.length < page) {
        // A batch filter reads that batch's rows only: live events of others are below the cursor's reach.
        if (options.batch_id !== undefined) cursor = Math.max(cursor, store.events.lastSeq());
        replaying = false; // same turn as the read: the next tapped event is the next one stored
        void pump();
        return;
      }
      void pump();
      // Read the next page once the sink has taken most of this one: a long history never sits in memory.
      if (queue.length > page / 2) {
        await new Promise<void>((resolve) => {
          drained = resolve;
        });
        drained = null;
      }
    }
  };
  void replay();
  return end;
}
