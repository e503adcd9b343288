// The batch commit message (docs/lifecycle.md#commit-format): title, a one-line summary, the trailer block.
import { batchEcosystems, TRAILER, type Batch, type OperationType } from '../domain/index.js';
import { formatTrailers } from '../git/index.js';

const VERB: Record<OperationType, string> = {
  write: 'written',
  copy: 'copied',
  move: 'moved',
  rename: 'renamed',
  delete: 'deleted',
  replace: 'edited',
};

export function summarise(done: ReadonlyMap<OperationType, number>, failed: number): string {
  const parts = (Object.keys(VERB) as OperationType[])
    .filter((type) => (done.get(type) ?? 0) > 0)
    .map((type) => `${done.get(type)} ${VERB[type]}`);
  return `${parts.join(', ') || 'no changes'}; ${failed} failed`;
}

export interface CommitMessageArgs {
  batch: Batch;
  batchId: string;
  done: ReadonlyMap<OperationType, number>;
  total: number;
  failed: number;
  /** after the standard block: Batch-Agent, Reverts-Batch, Rollback-Paths, Retries-Batch, Batch-Sig */
  extra?: ReadonlyArray<readonly [string, string]>;
}

export function batchCommitMessage({ batch, batchId, done, total, failed, extra = [] }: CommitMessageArgs): string {
  const trailers: (readonly [string, string])[] = [
    [TRAILER.batchId, batchId],
    [TRAILER.ecosystem, batchEcosystems(batch).join(', ')],
    [TRAILER.operations, String(total)],
    [TRAILER.failed, String(failed)],
    [TRAILER.requestedBy, batch.requested_by],
    ...extra,
  ];
  const title = batch.title.replace(/\s+/g, ' ').trim();
  return `${title}\n\n${summarise(done, failed)}\n\n${formatTrailers(trailers)}\n`;
}
