// The engine's event stream: one global sequence, listeners for facades, lifecycle events stored
// in SQLite (the audit log). Progress events are numbered but not stored: they are many and fleeting.
// A listener is a guest: what it throws or rejects is caught and logged, and what it returns is never
// awaited, so no subscriber can change a batch's outcome or hold its apply loop (docs/events.md).
import type { BatchEvent, EventType } from '../domain/index.js';
import { EVENT } from '../domain/index.js';
import type { Logger } from '../log/index.js';
import type { Store } from '../store/index.js';

/** May return a promise; the bus does not wait for it. */
export type EventListener = (event: BatchEvent) => void | Promise<void>;

export interface EventBus {
  emit(type: EventType, batchId: string | null, data: Record<string, unknown>): BatchEvent;
  on(listener: EventListener): () => void;
}

const NOT_STORED: ReadonlySet<EventType> = new Set([EVENT.batchProgress]);

export interface EventBusOptions {
  store: Store;
  now?: () => Date;
  /** where a listener's failure is reported (once per listener) */
  logger?: Pick<Logger, 'warn'>;
}

export function createEventBus({ store, now = () => new Date(), logger }: EventBusOptions): EventBus {
  const listeners = new Set<EventListener>();
  const reported = new WeakSet<EventListener>();
  const report = (listener: EventListener, error: unknown): void => {
    if (reported.has(listener)) return;
    reported.add(listener);
    logger?.warn({ err: error }, 'an event listener failed; the batch goes on without it (reported once)');
  };
  const deliver = (listener: EventListener, event: BatchEvent): void => {
    try {
      const returned = listener(event);
      if (returned instanceof Promise) returned.catch((error: unknown) => report(listener, error));
    } catch (error) {
      report(listener, error);
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
  return {
    emit(type, batchId, data) {
      const at = isoNow();
      let event: BatchEvent;
      if (NOT_STORED.has(type)) {
        event = { seq: ++seq, type, batch_id: batchId, at, data };
      } else {
        event = store.events.append({ type, batch_id: batchId, at, data }, seq + 1);
        seq = event.seq;
      }
      for (const listener of listeners) deliver(listener, event);
      return event;
    },
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
