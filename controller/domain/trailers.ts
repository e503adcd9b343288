// Commit trailer keys (docs/lifecycle.md#the-steps-of-a-run, §6): one place, so writers and readers agree.
export const TRAILER = {
  batchId: 'Batch-Id',
  ecosystem: 'Batch-Ecosystem',
  operations: 'Batch-Operations',
  failed: 'Batch-Failed',
  requestedBy: 'Batch-Requested-By',
  agent: 'Batch-Agent',
  signature: 'Batch-Sig',
  revertsBatch: 'Reverts-Batch',
  rollbackPaths: 'Rollback-Paths',
  /** the reason the caller gave for a rollback (one line) */
  rollbackReason: 'Rollback-Reason',
  retriesBatch: 'Retries-Batch',
  controlChange: 'Control-Change',
} as const;
export type TrailerKey = (typeof TRAILER)[keyof typeof TRAILER];

/** The block every batch commit carries, in this order. */
export const REQUIRED_BATCH_TRAILERS = [
  TRAILER.batchId,
  TRAILER.ecosystem,
  TRAILER.operations,
  TRAILER.failed,
  TRAILER.requestedBy,
] as const;

/**
 * The ecosystems a Batch-Ecosystem value lists (`npm, pypi`: the batch's own first, docs/batch-format.md#multi-ecosystem-batches);
 * a single name, as older commits carry, is a list of one.
 */
export function ecosystemsOfTrailer(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
}

export const TAG_PREFIX = 'batch/';
/** `run --pr`: the side branch a proposed batch is committed on, batch/<id> (the same name as its tag, as the design card says) */
export const PROPOSAL_BRANCH_PREFIX = 'batch/';
export const ROLLBACK_TAG_PREFIX = 'rollback/';
export const BACKUP_REF_PREFIX = 'refs/batchctl/backups/';
/** a tree of the content of writes a batch did not land, for `retry` (purged with the batch's rows) */
export const RETRY_REF_PREFIX = 'refs/batchctl/retry/';
