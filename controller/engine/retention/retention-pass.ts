// The retention pass a run starts on its way out, at most once a day: one single-row lookup when it
// is not due, and never the batch's problem when it fails (a warning in the log).
import type { EngineDeps } from '../engine-deps.js';
import { purgeUnlocked } from './purge.js';

/** How long after one pass a run starts the next (docs/lifecycle.md#durability-and-concurrency: "purge, also run daily"). */
export const PASS_INTERVAL_MS = 86_400_000;

/** Runs with the repository lock held (the run's), after the batch is recorded. Never throws. */
export async function retentionPass(deps: EngineDeps): Promise<void> {
  try {
    const now = deps.now();
    const last = deps.store.retention.lastPassAt();
    // Marked first: a pass that fails is tried again tomorrow, not by every run until then.
    const mark = (): void => deps.store.retention.markPass(now.toISOString());
    // A database's first run starts the clock: nothing it holds is old yet, and a one-shot run on a
    // fresh clone (CI) does not pay for listing refs (a git process) it cannot need.
    if (last === null) return mark();
    const since = now.getTime() - Date.parse(last);
    // A clock set back (since < 0) makes the pass due rather than silent until it catches up.
    if (since >= 0 && since < PASS_INTERVAL_MS) return;
    mark();
    await purgeUnlocked(deps, { now, auto: true });
  } catch (error) {
    deps.logger.warn({ err: error }, 'the retention pass failed; the batch is not affected (`batchctl purge` shows why)');
  }
}
