// finishRun's journal step: a run that failed with its journal on disk is finished (HEAD is its
// commit) or undone, the same decision as crash recovery. When that cannot complete (a path it
// could not put back, a git lock in use), the batch ends with that error and the journal stays for
// `batchctl recover`: the run still resolves to a recorded result.
import { BatchctlError } from '../../errors/index.js';
import type { EngineDeps } from '../engine-deps.js';
import { recoverPending, undoAfterLostRace, type RecoveryReport } from '../recover.js';
import { unsettledJournal } from './unsettled-journal.js';

/** Recovery errors that leave the journal for a later `recover`, and become the batch's reason. */
const KEEPS_JOURNAL: ReadonlySet<string> = new Set(['RESTORE_INCOMPLETE', 'RECOVERY_BLOCKED']);

export async function settleJournal(
  deps: EngineDeps,
  failure: BatchctlError,
): Promise<{ report: RecoveryReport | null; failure: BatchctlError }> {
  try {
    const report = failure.code === 'HEAD_MOVED' && (await undoAfterLostRace(deps)) ? null : await recoverPending(deps);
    return { report, failure };
  } catch (error) {
    if (error instanceof BatchctlError && KEEPS_JOURNAL.has(error.code)) return { report: null, failure: error };
    // Any other error leaves the journal too: the batch ends saying what it left and that `recover` restores it.
    const unsettled = await unsettledJournal(deps, error);
    if (unsettled instanceof BatchctlError && KEEPS_JOURNAL.has(unsettled.code)) return { report: null, failure: unsettled };
    throw unsettled;
  }
}
