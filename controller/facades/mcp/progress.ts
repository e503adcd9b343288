// Progress notifications for a client that sent a progress token (docs/mcp.md#progress-and-cancellation): the engine's
// batch_progress events of one batch, at most one every 100 ms plus the last, each strictly ahead of
// the one before as the protocol requires.
import type { Engine } from '../../engine/index.js';
import { EVENT, type ProgressData } from '../../domain/index.js';

const EVERY_MS = 100;

export interface ProgressSender {
  (params: { progress: number; total?: number; message?: string }): Promise<void>;
}

/** Follows batch `batchId` until the returned function is called. */
export function forwardProgress(engine: Engine, batchId: string, send: ProgressSender, onError: (error: unknown) => void): () => void {
  let sent = 0;
  let at = 0;
  const post = (progress: number, total: number | undefined, message: string): void => {
    sent = progress;
    at = performance.now();
    send({ progress, ...(total === undefined ? {} : { total }), message }).catch(onError);
  };
  // The first one says which batch it is, at once: a client can show it, or cancel it by its id.
  post(0, undefined, `${batchId}: queued`);
  return engine.on((event) => {
    if (event.batch_id !== batchId || event.type !== EVENT.batchProgress) return;
    const data = event.data as unknown as ProgressData;
    const done = data.completed + data.failed;
    const last = done >= data.total;
    // The first operation's is sent at once (the batch is running), later ones at most every EVERY_MS.
    if (done <= sent || (!last && sent > 0 && performance.now() - at < EVERY_MS)) return;
    post(done, data.total, `${batchId}: ${data.completed} done, ${data.failed} failed of ${data.total}`);
  });
}
