// The latest progress of each batch running in this engine, and when it started (its batch_started
// event: a queued batch starts well after its created_at), for status() and health() while the batch
// runs (its row's counts are written when it ends).
import { EVENT, type ProgressData } from '../domain/index.js';
import type { EventBus } from './event-bus.js';

const ENDS: ReadonlySet<string> = new Set([EVENT.batchComplete, EVENT.batchFailed, EVENT.batchCancelled, EVENT.batchRefused]);

export interface LiveProgress {
  of(batchId: string): ProgressData | undefined;
  /** when the batch started running (ISO), while it runs */
  startedAt(batchId: string): string | undefined;
  close(): void;
}

export function trackProgress(bus: EventBus): LiveProgress {
  const latest = new Map<string, ProgressData>();
  const started = new Map<string, string>();
  const off = bus.on((event) => {
    if (event.batch_id === null) return;
    if (event.type === EVENT.batchProgress) latest.set(event.batch_id, event.data as unknown as ProgressData);
    else if (event.type === EVENT.batchStarted) started.set(event.batch_id, event.at);
    else if (ENDS.has(event.type)) {
      latest.delete(event.batch_id);
      started.delete(event.batch_id);
    }
  });
  return { of: (batchId) => latest.get(batchId), startedAt: (batchId) => started.get(batchId), close: off };
}
