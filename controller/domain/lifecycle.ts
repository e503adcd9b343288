// Batch statuses and the transitions between them (docs/lifecycle.md#the-steps-of-a-run): the lifecycle is data.

export const BATCH_STATUS = {
  /** stored, waiting for a worker (HTTP and MCP submissions) */
  queued: 'queued',
  /** checking the control file */
  preflight: 'preflight',
  validating: 'validating',
  running: 'running',
  committing: 'committing',
  /** committed and tagged */
  completed: 'completed',
  /**
   * `run --pr`: committed and tagged on the side branch batch/<id>, pushed, its pull request opened;
   * `completed` when reindex finds the commit on the branch (docs/github-api.md#pull-requests)
   */
  proposed: 'proposed',
  /** refused before anything ran (control plane, validation, --plan-hash): never an SLI or breaker failure */
  refused: 'refused',
  /** an operation failed beyond the threshold (or any, when atomic): rolled back, no commit */
  failed: 'failed',
  /** stopped or cancelled while running: rolled back, no commit */
  cancelled: 'cancelled',
  /** a committed batch later reverted */
  rolled_back: 'rolled_back',
  /** validated and planned only (dry run) */
  planned: 'planned',
} as const;
export type BatchStatus = (typeof BATCH_STATUS)[keyof typeof BATCH_STATUS];

/** Which status may follow which; anything else is a bug (checked by the engine's recorder). */
export const TRANSITIONS: Readonly<Record<BatchStatus, readonly BatchStatus[]>> = {
  queued: ['preflight', 'cancelled'],
  preflight: ['validating', 'refused', 'cancelled'],
  validating: ['running', 'refused', 'planned', 'cancelled'],
  running: ['committing', 'failed', 'cancelled'],
  committing: ['completed', 'proposed', 'failed'],
  completed: ['rolled_back'],
  proposed: ['completed', 'rolled_back'],
  refused: [],
  failed: [],
  cancelled: [],
  rolled_back: [],
  planned: [],
};

export function canTransition(from: BatchStatus, to: BatchStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/** Per-operation outcome stored in batch_items. */
export const ITEM_STATUS = {
  pending: 'pending',
  succeeded: 'succeeded',
  failed: 'failed',
  /** not run because an operation it depends on failed */
  skipped: 'skipped',
  /** applied, then undone because the batch was rolled back */
  reverted: 'reverted',
} as const;
export type ItemStatus = (typeof ITEM_STATUS)[keyof typeof ITEM_STATUS];
