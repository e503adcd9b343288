// The batch commit message (SPEC §4 step 7): title, a one-line summary, the trailer block.
import { TRAILER, type Batch, type OperationType } from '../domain/index.js';
import { formatTrailers } from '../git/index.js';

const VERB: Record<OperationType, string> = {
  write: 'written', copy: 'copied', move: 'moved', rename: 'renamed', delete: 'deleted', replace: 'edited',
};

export function summarise(done: ReadonlyMap<OperationType, number>, failed: number): string {
  const parts = (Object.keys(VERB) as OperationType[])
    .filter((type) => (done.get(type) ?? 0) > 0)
    .map((type) => `${done.get(type)} ${VERB[type]}`);
  return `${parts.join(', ') || 'no changes'}; ${failed} failed`;
}

export function batchCommitMessage({
  batch, batchId, done, total, failed,
}: { batch: Batch; batchId: string; done: ReadonlyMap<OperationType, number>; total: number; failed: number }): string {
  const trailers: [string, string][] = [
    [TRAILER.batchId, batchId],
    [TRAILER.ecosystem, batch.ecosystem],
    [TRAILER.operations, String(total)],
    [TRAILER.failed, String(failed)],
    [TRAILER.requestedBy, batch.requested_by],
  ];
  const title = batch.title.replace(/\s+/g, ' ').trim();
  return `${title}\n\n${summarise(done, failed)}\n\n${formatTrailers(trailers)}\n`;
}
