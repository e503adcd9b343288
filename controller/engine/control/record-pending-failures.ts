// Recording the failures kept pending (docs/control-file.md#a-failure-not-yet-recorded), for a run's
// preflight and for `batchctl recover`: each is committed as the control-state commit its run could not
// make, with the caller's push rule. Never over an uncommitted edit of the control file: the commit
// would carry it under batchctl's name.
import { CONTROL_FILE_NAME } from '../../domain/index.js';
import type { EngineDeps } from '../engine-deps.js';
import { uncommittedControlFields } from './control-dirty.js';
import { commitFailureState } from './commit-failure-state.js';
import { applyPendingFailures, readPendingFailures, type PendingFailure } from './pending-failures.js';

export interface PendingFailuresReport {
  /** batch ids whose failure is now committed in batch-control.json */
  recorded: string[];
  /** batch ids whose failure is still pending (the log says why, or `why`) */
  pending: string[];
  why?: string;
}

/** One pending failure as its control-state commit; false when it is kept pending again. */
export function replayPendingFailure(deps: EngineDeps, record: PendingFailure, { push }: { push: boolean }): Promise<boolean> {
  // The other ecosystems stand in as operations that name them: each of their breakers hears it.
  const operations = (record.other_ecosystems ?? []).map((ecosystem) => ({ ecosystem }));
  return commitFailureState(deps, { ecosystem: record.ecosystem, options: { cost: record.cost }, operations }, record.batch_id, { push });
}

/**
 * Call with the repository lock held. `push: false` (`--no-push`): committed here only.
 * @example const { recorded, pending } = await recordPendingFailures(deps, { push: true });
 */
export async function recordPendingFailures(deps: EngineDeps, { push }: { push: boolean }): Promise<PendingFailuresReport> {
  const records = await readPendingFailures(deps);
  const ids = records.map((r) => r.batch_id);
  if (records.length === 0) return { recorded: [], pending: [] };
  const dirty = await uncommittedControlFields(deps);
  if (dirty.length > 0) {
    return { recorded: [], pending: ids, why: `${CONTROL_FILE_NAME} has uncommitted edits (${dirty.join(', ')}): commit them first` };
  }
  const still = new Set((await applyPendingFailures(deps, records, (r) => replayPendingFailure(deps, r, { push }))).map((r) => r.batch_id));
  return { recorded: ids.filter((id) => !still.has(id)), pending: ids.filter((id) => still.has(id)) };
}
