// The state one batch run carries from step to step, and its one way of changing status.
import {
  BATCH_STATUS,
  canTransition,
  PROPOSAL_BRANCH_PREFIX,
  type Batch,
  type BatchStatus,
  type ControlFile,
  type JournalRecord,
  type OperationError,
  type Reason,
  type ValidationResult,
} from '../../domain/index.js';
import type { BlobPack, Upstream } from '../../git/index.js';
import type { RuntimeState } from '../../ops/index.js';
import type { Plan } from '../../validate/index.js';
import type { EngineDeps } from '../engine-deps.js';
import type { StepResult } from './apply-plan.js';

export interface RunOptions {
  /** refuse unless validation yields this plan hash */
  planHash?: string;
  dryRun?: boolean;
  signal?: AbortSignal;
  /** cli | http | mcp */
  source?: string;
  agent?: string;
  /** who is calling (an authenticated token's name, an agent): `requested_by` when the batch names no one */
  identity?: string;
  /** rollback and retry: trailers after the standard block */
  extraTrailers?: ReadonlyArray<readonly [string, string]>;
  /** rollback: more tags on the commit (rollback/<id>) */
  extraTags?: readonly string[];
  /** incident tools (rollback): the control plane's admission checks and operation limits do not apply */
  bypassAdmission?: boolean;
  /** false: do not push to the branch's upstream (`run --no-push`) */
  push?: boolean;
  /**
   * rollback: paths whose write puts back the bytes of a blob git already has, by path. Their state
   * records that blob id, so the bytes are neither hashed again nor packed a second time.
   */
  knownBlobs?: ReadonlyMap<string, string>;
  /** the id the batch gets, assigned by the caller (the queue; a rollback or retry that may be cancelled) */
  batchId?: string;
  /** the batch's `queued` row is stored already and its idempotency key checked (engine/queue) */
  queued?: boolean;
  /**
   * `run --pr` (propose-batch.ts): HEAD is on the new local branch batch/<id>, and the commit is
   * published to `remote` as a new branch of that name (the push's lease: the branch is absent)
   */
  proposal?: { remote: string };
  /** GitHub writes the run will make (status, pull request): charged as the budget's `api_writes` */
  apiWrites?: number;
}

export interface RunContext {
  deps: EngineDeps;
  batch: Batch;
  batchId: string;
  options: RunOptions;
  /** wall clock (ms since epoch), for records */
  startedAt: number;
  /** monotonic clock, for durations */
  startedMono: number;
  status: BatchStatus;
  reason: Reason | null;
  control: ControlFile | null;
  /** the control file's warnings (unknown top-level keys kept, deprecated settings): for the result */
  controlWarnings: string[];
  validation: ValidationResult | null;
  plan: Plan | null;
  journal: JournalRecord | null;
  results: StepResult[];
  runtime: Map<string, RuntimeState>;
  commit: string | null;
  tag: string | null;
  backupRef: string | null;
  errors: OperationError[];
  /** why the control file stopped this batch while it ran (emergency stop, ecosystem stop) */
  stoppedBy: string | null;
  /** set when the batch already ran under this idempotency key */
  replay: boolean;
  /** the batch row exists in the store */
  recorded: boolean;
  /** committed, but what follows the commit (index refresh, record) is left to `batchctl recover` */
  pending?: Reason;
  /** where the apply step streams written bytes (large batches; git/blob-pack.ts) */
  blobPack?: BlobPack;
  /** the bytes of writes that did not land, kept in git for `retry` (retry-content.ts): item index → blob */
  retryContent?: { tree: string; oids: Map<number, string> };
  /** the branch's upstream, asked of git once per run: see runUpstream */
  upstream?: Promise<Upstream | null>;
}

/** Where this run publishes (docs/lifecycle.md#gitops-push); null: the branch has no upstream, or `--no-push`. */
export function runUpstream(ctx: RunContext): Promise<Upstream | null> {
  const proposal = ctx.options.proposal;
  if (proposal) {
    const branch = `${PROPOSAL_BRANCH_PREFIX}${ctx.batchId}`;
    return Promise.resolve({
      remote: proposal.remote,
      remoteRef: `refs/heads/${branch}`,
      trackingRef: `refs/remotes/${proposal.remote}/${branch}`,
    });
  }
  if (ctx.options.push === false) return Promise.resolve(null);
  ctx.upstream ??= ctx.deps.git.upstream();
  return ctx.upstream;
}

/** Move to a new status; an impossible transition is a bug, caught here rather than in the data. */
export function transition(ctx: RunContext, to: BatchStatus, reason?: Reason): void {
  if (!canTransition(ctx.status, to)) throw new Error(`batch ${ctx.batchId}: ${ctx.status} → ${to} is not a lifecycle transition`);
  ctx.status = to;
  if (reason) ctx.reason = reason;
  if (ctx.recorded) {
    ctx.deps.store.batches.update(ctx.batchId, {
      status: to,
      ...(reason ? { reason_code: reason.code, reason_message: reason.message } : {}),
    });
  }
}

/** The batch commit exists (on the branch, or on batch/<id> for a proposal). */
export const COMMITTED: ReadonlySet<BatchStatus> = new Set([BATCH_STATUS.completed, BATCH_STATUS.proposed]);

export const TERMINAL: ReadonlySet<BatchStatus> = new Set([
  BATCH_STATUS.completed,
  BATCH_STATUS.proposed,
  BATCH_STATUS.failed,
  BATCH_STATUS.cancelled,
  BATCH_STATUS.refused,
  BATCH_STATUS.planned,
]);
