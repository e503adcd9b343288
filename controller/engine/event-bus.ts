// The engine's event stream: one global sequence, listeners for facades, lifecycle events stored
// in SQLite (the audit log). Progress events are numbered but not stored: they are many and fleeting.
import type { BatchEvent, EventType } from '../domain/index.js';
import { EVENT } from '../domain/index.js';
import type { Store } from '../store/index.js';

export type EventListener = (event: BatchEvent) => void;

export interface EventBus {
  emit(type: EventType, batchId: string | null, data: Record<string, unknown>): BatchEvent;
  on(listener: EventListener): () => void;
}

const NOT_STORED: ReadonlySet<EventType> = new Set([EVENT.batchProgress]);

export function createEventBus({ store, now = () => new Date() }: { store: Store; now?: () => Date }): EventBus {
  const listeners = new Set<EventListener>();
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
      for (const listener of listeners) listener(event);
      return event;
    },
    on(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
