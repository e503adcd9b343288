// A failed batch's control state (a breaker failure, the budget it used) as a commit of its own
// (docs/control-file.md#a-failure-not-yet-recorded), journaled like a batch: the failure is kept
// pending until its commit is in HEAD, so a crash or an error at any point records it exactly once.
import { batchEcosystems, CONTROL_FILE_NAME } from '../../domain/index.js';
import { BatchctlError } from '../../errors/index.js';
import { clearJournal, readJournal } from '../../journal/index.js';
import type { EngineDeps } from '../engine-deps.js';
import { finishControlJournal, journalControlCommit } from './control-journal.js';
import {
  announceTransitions,
  controlCommit,
  costOf,
  prepareControlState,
  type ChargedBatch,
  type PendingControl,
} from './control-state.js';
import { dropPendingFailure, keepPendingFailure } from './pending-failures.js';
import { publishControl } from './publish-control.js';

/**
 * Commit the failure while the run still holds the lock. It never changes the batch's outcome: what
 * cannot be committed now stays pending and is recorded by the next run. Once HEAD moved the failure
 * is recorded; what is left then (the work tree's file, the index) is the journal's, for `recover`.
 * `push: false` (the run's `--no-push`): the record is committed here only, never published.
 * @returns true when recorded (or nothing to record), false when kept pending
 */
export async function commitFailureState(
  deps: EngineDeps,
  batch: ChargedBatch,
  batchId: string,
  { push = true, failed }: { push?: boolean; failed?: readonly string[] | undefined } = {},
): Promise<boolean> {
  // `failed`: the ecosystems whose operations failed (docs/control-file.md#multi-ecosystem-outcomes);
  // default every one the batch touched. Kept pending as exactly those: the record replays as their batch.
  const ecosystems = failed && failed.length > 0 ? failed : batchEcosystems(batch);
  const [first = batch.ecosystem, ...others] = ecosystems;
  const log = (level: 'info' | 'warn', message: string, error?: unknown): void =>
    deps.logger[level]({ ...(error === undefined ? {} : { err: error }), batch_id: batchId, ecosystem: batch.ecosystem }, message);
  let keptPending = true;
  const kept = (why: string, error?: unknown): false => {
    if (!keptPending) {
      deps.logger.error({ err: error, batch_id: batchId }, `the failure of ${batchId} is neither recorded nor kept pending (${why})`);
      return false;
    }
    // A kept crash journal is expected (the batch's own outcome already says to run `recover`): info, not a warning.
    log(
      error === undefined ? 'info' : 'warn',
      `the failure of ${batchId} is not recorded in ${CONTROL_FILE_NAME} yet (${why}); the file is unchanged, the failure is kept pending and the next run records it`,
      error,
    );
    return false;
  };
  try {
    // First, durably: until the commit is in HEAD, this is the failure's only record.
    await keepPendingFailure(deps, {
      batch_id: batchId,
      ecosystem: first,
      ...(others.length > 0 ? { other_ecosystems: others } : {}),
      cost: costOf(batch),
    });
  } catch (error) {
    keptPending = false;
    log('warn', `the failure of ${batchId} could not be kept pending; committing it now`, error);
  }
  let landing: { commit: string; landed: PendingControl } | null = null;
  try {
    // A journal kept for `recover` (a restore left incomplete, an index lock in use) pins HEAD:
    // recovery finishes or undoes only on the HEAD the journal names.
    if (await readJournal(deps.stateDir)) return kept('a crash journal is kept for `batchctl recover`');
    const pending = await prepareControlState(deps, { batch, batchId, outcome: 'failure', ecosystems });
    if (!pending) {
      await dropPendingFailure(deps, batchId);
      return true;
    }
    const head = await deps.git.head();
    const time = Math.floor(deps.now().getTime() / 1000);
    let landed = pending;
    const published = await publishControl(
      deps,
      head,
      { commit: await controlCommit(deps, pending, head, time), text: pending.text },
      async (base, theirs) => {
        const again = await prepareControlState(deps, {
          batch,
          batchId,
          outcome: 'failure',
          ecosystems,
          from: { text: theirs, name: `${base.slice(0, 12)}:${CONTROL_FILE_NAME}` },
        });
        if (!again) throw new Error('the failure changed nothing in the remote control file');
        landed = again;
        return { commit: await controlCommit(deps, again, base, time), text: again.text };
      },
      { push },
    );
    landing = { commit: published.commit, landed };
    const journal = await journalControlCommit(deps, {
      batchId,
      head,
      commit: published.commit,
      control: { before: pending.originalOid, after: landed.oid },
      synced: published.sync,
    });
    await deps.git.updateRefs(
      [{ kind: 'update', ref: 'HEAD', newOid: published.commit, oldOid: head }],
      `batchctl: control state after ${batchId}`,
    );
    await finishControlJournal(deps, journal);
    announceTransitions(deps, landed, batchId);
    return true;
  } catch (error) {
    const code = error instanceof BatchctlError ? error.code : 'an error';
    try {
      if (landing && (await deps.git.head()) === landing.commit) {
        await dropPendingFailure(deps, batchId).catch(() => undefined); // recovery drops it too
        announceTransitions(deps, landing.landed, batchId);
        log(
          'warn',
          `the failure of ${batchId} is recorded in HEAD, but ${CONTROL_FILE_NAME} in the work tree and index is not refreshed yet (${code}); the journal is kept: run \`batchctl recover\``,
          error,
        );
        return true;
      }
      // HEAD did not move: there is nothing to undo, and the failure stays pending.
      if (landing) await clearJournal(deps.stateDir);
    } catch (again) {
      log('warn', `could not settle the control-state commit of ${batchId}; \`batchctl recover\` will`, again);
    }
    return kept(`${code} while committing it`, error);
  }
}
