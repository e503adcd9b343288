// A batch this engine knows is queued or running: its cancel switch and the promise of its result.
import type { Batch, BatchResult } from '../../domain/index.js';
import type { RunOptions } from '../run/run-context.js';

export interface Ticket {
  readonly batchId: string;
  /** aborted by cancel(): a running batch stops after its current operation and rolls back */
  readonly controller: AbortController;
  /** the final result; rejects only when the engine closes before the batch started (ENGINE_CLOSED) */
  readonly done: Promise<BatchResult>;
  settle(result: BatchResult): void;
  fail(error: unknown): void;
  /** claimed by the worker: cancel now aborts it instead of dequeuing it */
  started: boolean;
  /** the batch as submitted, kept so that its own process does not parse the stored copy again */
  batch?: Batch;
  /** what the submitter passed that is not stored (in-memory options) */
  live: RunOptions;
  /** stored with its batch (submit); false: run()'s, in memory only, cancelled when the engine closes */
  durable?: boolean;
}

export function newTicket(batchId: string, live: RunOptions = {}, batch?: Batch): Ticket {
  let settle!: (result: BatchResult) => void;
  let fail!: (error: unknown) => void;
  const done = new Promise<BatchResult>((resolve, reject) => {
    settle = resolve;
    fail = reject;
  });
  done.catch(() => undefined); // nobody may be waiting: a rejection nobody asked for is not an error
  return { batchId, controller: new AbortController(), done, settle, fail, started: false, live, ...(batch ? { batch } : {}) };
}
