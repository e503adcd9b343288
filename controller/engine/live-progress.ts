// The latest progress of each batch running in this engine, for status() and health() while the
// batch runs (its row's counts are written when it ends).
import { EVENT, type ProgressData } from '../domain/index.js';
import type { EventBus } from './event-bus.js';

const ENDS: ReadonlySet<string> = new Set([EVENT.batchComplete, EVENT.batchFailed, EVENT.batchCancelled, EVENT.batchRefused]);

export interface LiveProgress {
  of(batchId: string): ProgressData | undefined;
  close(): void;
}

export function trackProgress(bus: EventBus): LiveProgress {
  const latest = new Map<string, ProgressData>();
  const off = bus.on((event) => {
    if (event.batch_id === null) return;
    if (event.type === EVENT.batchProgress) latest.set(event.batch_id, event.data as unknown as ProgressData);
    else if (ENDS.has(event.type)) latest.delete(event.batch_id);
  });
  return { of: (batchId) => latest.get(batchId), close: off };
}
