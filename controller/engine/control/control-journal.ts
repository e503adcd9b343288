// A control-state commit of its own (a failed batch's breaker and budget), journaled like a batch
// (docs/lifecycle.md#the-journal-and-crash-recovery): the journal names the commit and the control
// file's blobs before HEAD moves, so whatever stops the run between the ref update and the index
// refresh (a crash, a full disk, a lock) is finished by recovery, and the failure counts once.
import { hostname } from 'node:os';

import type { JournalRecord } from '../../domain/index.js';
import { clearJournal, gitLocksFor, ownProcessGroup, writeJournal } from '../../journal/index.js';
import type { EngineDeps } from '../engine-deps.js';
import { materializePaths } from '../restore-paths.js';
import { recoverControlState } from './control-state.js';
import { dropPendingFailure } from './pending-failures.js';

export interface ControlLanding {
  batchId: string;
  /** HEAD before, the compare-and-swap's old value */
  head: string | null;
  commit: string;
  /** the work tree's file as read (null: absent) and the committed one; none when `synced` has it (init) */
  control?: { before: string | null; after: string };
  /** paths the work tree and index take from `commit` once HEAD has it (a replay's, init's files) */
  synced: readonly string[];
}

/** The journal of a control-state commit about to move HEAD from `head` to `commit`, durably on disk. */
export async function journalControlCommit(deps: EngineDeps, landing: ControlLanding): Promise<JournalRecord> {
  const journal: JournalRecord = {
    version: 1,
    kind: 'control',
    batch_id: landing.batchId,
    state: 'committing',
    head: landing.head,
    commit: landing.commit,
    branch: null,
    pid: process.pid,
    pgid: ownProcessGroup(),
    hostname: hostname(),
    started_at: deps.now().toISOString(),
    plan_hash: '',
    touched: [],
    ...(landing.control ? { control: landing.control } : {}),
    ...(landing.synced.length > 0 ? { synced: [...landing.synced] } : {}),
    // update-ref (HEAD and its branch) and update-index may leave these if killed.
    git_locks: await gitLocksFor({ gitDir: deps.git.gitDir, refs: ['HEAD'], index: true }),
  };
  await writeJournal(deps.stateDir, journal);
  return journal;
}

/**
 * HEAD is the journal's commit: the work tree and index take the control file (unless edited
 * since) and the paths a replay brought; the failure is recorded, so it is pending no longer.
 * Idempotent: a run and a later `recover` may both get here.
 */
export async function landControlJournal(deps: EngineDeps, journal: JournalRecord): Promise<void> {
  // Recorded in HEAD from the moment it moved, whatever the work tree says yet.
  await dropPendingFailure(deps, journal.batch_id);
  if (journal.control) await recoverControlState(deps, journal.control);
  if (journal.commit && journal.synced && journal.synced.length > 0) await materializePaths(deps.git, journal.commit, journal.synced);
}

/** The normal end of a journaled control-state commit, once HEAD moved: land it, then drop the journal. */
export async function finishControlJournal(deps: EngineDeps, journal: JournalRecord): Promise<void> {
  await landControlJournal(deps, journal);
  await clearJournal(deps.stateDir);
}
