// The engine's event stream: one global sequence, listeners for facades, events stored in SQLite (the
// audit log). Every progress event reaches on() listeners; the stored stream (tap(), which subscribe()
// replays and follows) has them coalesced to ~10 a second per batch plus the final one
// (progress-coalescer.ts; docs/events.md#progress-events).
// A listener is a guest: what it throws or rejects is caught and logged, and what it returns is never
// awaited, so no subscriber can change a batch's outcome or hold its apply loop (docs/events.md).
import type { BatchEvent, EventType, ProgressData } from '../domain/index.js';
import { EVENT } from '../domain/index.js';
import type { Logger } from '../log/index.js';
import type { Store } from '../store/index.js';
import { createProgressCoalescer } from './progress-coalescer.js';

/** May return a promise; the bus does not wait for it. */
export type EventListener = (event: BatchEvent) => void | Promise<void>;

export interface EventBus {
  emit(type: EventType, batchId: string | null, data: Record<string, unknown>): BatchEvent;
  /** every event, progress included, in seq order */
  on(listener: EventListener): () => void;
  /** every stored event, as stored (progress coalesced), in seq order: what a replay returns */
  tap(listener: EventListener): () => void;
}

/** A batch's last event: its coalescing window closes with it. */
const FINAL: ReadonlySet<EventType> = new Set([EVENT.batchComplete, EVENT.batchFailed, EVENT.batchCancelled, EVENT.batchRefused]);

export interface EventBusOptions {
  store: Store;
  now?: () => Date;
  /** where a listener's failure is reported (once per listener) */
  logger?: Pick<Logger, 'warn'>;
}

export function createEventBus({ store, now = () => new Date(), logger }: EventBusOptions): EventBus {
  const listeners = new Set<EventListener>();
  const taps = new Set<EventListener>();
  const reported = new WeakSet<EventListener>();
  const report = (listener: EventListener, error: unknown): void => {
    if (reported.has(listener)) return;
    reported.add(listener);
    logger?.warn({ err: error }, 'an event listener failed; the batch goes on without it (reported once)');
  };
  const deliver = (to: ReadonlySet<EventListener>, event: BatchEvent): void => {
    for (const listener of to) {
      try {
        const returned = listener(event);
        if (returned instanceof Promise) returned.catch((error: unknown) => report(listener, error));
      } catch (error) {
        report(listener, error);
      }
    }
  };
  let seq = store.events.lastSeq();
  // A 10,000-operation batch emits 10,000 progress events, most within the same millisecond as the
  // one before: format the time once per millisecond.
  let stamp = { ms: Number.NaN, iso: '' };
  const isoNow = (): string => {
    const date = now();
    const ms = date.getTime();
    if (ms !== stamp.ms) stamp = { ms, iso: date.toISOString() };
    return stamp.iso;
  };
  const append = (type: EventType, batchId: string | null, data: Record<string, unknown>, at: string): BatchEvent => {
    const event = store.events.append({ type, batch_id: batchId, at, data }, seq + 1);
    seq = event.seq;
    return event;
  };
  /** A held progress event is stored under a number of its own: listeners saw the original already. */
  const flush = (batchId: string): void => {
    const held = coalescer.take(batchId);
    if (held) deliver(taps, append(EVENT.batchProgress, batchId, { ...held }, isoNow()));
  };
  // From a timer, nobody would catch it: a progress event that cannot be stored (the store closed) is let go.
  const coalescer = createProgressCoalescer((batchId) => {
    try {
      flush(batchId);
    } catch (error) {
      logger?.warn({ err: error, batch_id: batchId }, 'a held progress event could not be stored');
    }
  });
  return {
    emit(type, batchId, data) {
      const at = isoNow();
      if (type === EVENT.batchProgress && batchId !== null) {
        if (!coalescer.offer(batchId, data as unknown as ProgressData)) {
          const event = { seq: ++seq, type, batch_id: batchId, at, data };
          deliver(listeners, event);
          return event;
        }
        const event = append(type, batchId, data, at);
        deliver(listeners, event);
        deliver(taps, event);
        return event;
      }
      if (batchId !== null) {
        flush(batchId); // its progress first, then what follows it
        if (FINAL.has(type)) coalescer.end(batchId);
      }
      const event = append(type, batchId, data, at);
      deliver(listeners, event);
      deliver(taps, event);
      return event;
    },
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    tap(listener) {
      taps.add(listener);
      return () => taps.delete(listener);
    },
  };
}
