// finishRun's journal step: a run that failed with its journal on disk is finished (HEAD is its
// commit) or undone, the same decision as crash recovery (docs/lifecycle.md#the-journal-and-crash-recovery).
// Once the refs moved the batch is committed, whatever fails after: the run reports it completed,
// with what is left (the index refresh, the record) pending for `batchctl recover`. When undoing
// cannot complete (a path it could not put back, a git lock in use), the batch ends with that error
// and the journal stays for `batchctl recover`: the run still resolves to a recorded result.
import type { Reason } from '../../domain/index.js';
import { BatchctlError, toBatchctlError } from '../../errors/index.js';
import { planRecovery, readJournal } from '../../journal/index.js';
import type { EngineDeps } from '../engine-deps.js';
import { recoverPending, undoAfterLostRace } from '../recover.js';
import { unsettledJournal } from './unsettled-journal.js';

/** Recovery errors that leave the journal for a later `recover`, and become the batch's reason. */
const KEEPS_JOURNAL: ReadonlySet<string> = new Set(['RESTORE_INCOMPLETE', 'RECOVERY_BLOCKED']);

export type Settled =
  /** the refs moved: the batch landed; `pending` is what recovery could not finish now (journal kept) */
  | { committed: string; pending: Reason | null }
  /** not committed: every touched path is back, or `failure` says what is left (journal kept) */
  | { committed: null; failure: BatchctlError };

/** What a committed batch left to `recover`, as the result says it: the cause, and what to run. */
function pendingReason(batchId: string, commit: string, cause: BatchctlError): Reason {
  return {
    code: cause.code,
    message: `batch ${batchId} is committed (${commit.slice(0, 12)}), but what follows the commit did not finish: ${cause.detail}`,
    hint: cause.hint?.includes('batchctl recover')
      ? cause.hint
      : "fix the cause, then run `batchctl recover`: it refreshes the index for the batch's paths and records the batch (the journal is kept)",
    ...(Object.keys(cause.data).length > 0 ? { data: cause.data } : {}),
  };
}

/** HEAD is this batch's commit, by the journal on disk (the copy in memory predates the commit). */
async function landedCommit(deps: EngineDeps, batchId: string): Promise<string | null> {
  const journal = await readJournal(deps.stateDir).catch(() => null);
  if (!journal || journal.batch_id !== batchId || journal.kind === 'control') return null;
  const plan = planRecovery(journal, await deps.git.head());
  return plan.action === 'finish' ? plan.commit : null;
}

export async function settleJournal(deps: EngineDeps, batchId: string, failure: BatchctlError): Promise<Settled> {
  try {
    const report = failure.code === 'HEAD_MOVED' && (await undoAfterLostRace(deps)) ? null : await recoverPending(deps);
    if (report?.action === 'finished' && report.batch_id === batchId && report.commit) return { committed: report.commit, pending: null };
    return { committed: null, failure };
  } catch (error) {
    const committed = await landedCommit(deps, batchId);
    if (committed) return { committed, pending: pendingReason(batchId, committed, toBatchctlError(error)) };
    if (error instanceof BatchctlError && KEEPS_JOURNAL.has(error.code)) return { committed: null, failure: error };
    // Any other error leaves the journal too: the batch ends saying what it left and that `recover` restores it.
    const unsettled = await unsettledJournal(deps, error);
    if (unsettled instanceof BatchctlError && KEEPS_JOURNAL.has(unsettled.code)) return { committed: null, failure: unsettled };
    throw unsettled;
  }
}
