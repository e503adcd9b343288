// Counters and the duration histogram, moved by the engine's events as they happen
// (docs/serve.md#metrics): on() gets every progress event, so each finished operation is counted once.
import { Counter, Histogram, type Registry } from 'prom-client';

import { EVENT, type BatchEvent, type ProgressData } from '../../../domain/index.js';
import type { Engine } from '../../../engine/index.js';

const FINAL: ReadonlySet<string> = new Set([EVENT.batchComplete, EVENT.batchFailed, EVENT.batchCancelled, EVENT.batchRefused]);

/** Follows the engine's events into `registry`; returns the function that stops. */
export function countEngineEvents({ engine, registry }: { engine: Engine; registry: Registry }): () => void {
  const batches = new Counter({
    name: 'batchctl_batches_total',
    help: 'Batches that ended, by ecosystem and final status',
    labelNames: ['ecosystem', 'status'] as const,
    registers: [registry],
  });
  const operations = new Counter({
    name: 'batchctl_operations_total',
    help: 'Operations that finished, by operation type and status (succeeded, failed: failed or skipped)',
    labelNames: ['type', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'batchctl_batch_duration_seconds',
    help: 'Duration of batches that ended, from start to record',
    labelNames: ['ecosystem', 'status'] as const,
    buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600],
    registers: [registry],
  });
  const rollbacks = new Counter({
    name: 'batchctl_rollbacks_total',
    help: 'Rollbacks that ran, by the status of the rollback batch',
    labelNames: ['status'] as const,
    registers: [registry],
  });
  /** the counts of each running batch's last progress event: the next one's difference is one operation */
  const last = new Map<string, { completed: number; failed: number }>();
  const ecosystemOf = (batchId: string, event: BatchEvent): string => {
    if (typeof event.data.ecosystem === 'string') return event.data.ecosystem;
    try {
      return engine.status(batchId, { itemLimit: 0 }).batch.ecosystem;
    } catch {
      return 'unknown';
    }
  };

  return engine.on((event) => {
    const batchId = event.batch_id;
    if (batchId === null) return;
    if (event.type === EVENT.batchProgress) {
      const progress = event.data as unknown as ProgressData;
      const before = last.get(batchId) ?? { completed: 0, failed: 0 };
      const type = progress.current?.type ?? 'unknown';
      if (progress.completed > before.completed) operations.inc({ type, status: 'succeeded' }, progress.completed - before.completed);
      if (progress.failed > before.failed) operations.inc({ type, status: 'failed' }, progress.failed - before.failed);
      last.set(batchId, { completed: progress.completed, failed: progress.failed });
    } else if (FINAL.has(event.type)) {
      last.delete(batchId);
      const status = String(event.data.status ?? event.type);
      const ecosystem = ecosystemOf(batchId, event);
      batches.inc({ ecosystem, status });
      if (typeof event.data.duration_ms === 'number') duration.observe({ ecosystem, status }, event.data.duration_ms / 1000);
    } else if (event.type === EVENT.rollbackComplete) {
      rollbacks.inc({ status: String(event.data.status) });
    }
  });
}
