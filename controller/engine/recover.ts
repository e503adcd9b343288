// Crash recovery (docs/lifecycle.md#durability-and-concurrency): an unfinished journal is finished (HEAD is the batch's commit) or undone
// (HEAD is still the pre-batch commit); anything else stops with a message and changes nothing.
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

import { BATCH_STATUS, CONTROL_FILE_NAME, EVENT, TAG_PREFIX, type JournalRecord } from '../domain/index.js';
import { BatchctlError } from '../errors/index.js';
import { GitError, parseTrailers } from '../git/index.js';
import { clearJournal, planRecovery, readJournal, removeRunGitLocks, runStillAlive, type KeptLock } from '../journal/index.js';
import type { EngineDeps } from './engine-deps.js';
import { removeTempFiles } from '../ops/index.js';
import { landControlJournal } from './control/control-journal.js';
import { recoverControlState } from './control/control-state.js';
import { finalizeStuckRows } from './finalize-stuck-rows.js';
import { recoverDamagedJournal } from './recover-damaged-journal.js';
import { materializePaths, restorePaths } from './restore-paths.js';
import { markRolledBack, revertedInFull } from './rollback/mark-rolled-back.js';

export interface RecoveryReport {
  batch_id: string;
  /** batch: a batch's run; control: a control-state commit alone (a failed batch's breaker and budget, with its id; a stop or resume, id '') */
  kind: 'batch' | 'control';
  /** finished: HEAD is the commit, the work tree and index now follow it; restored: back to the pre-batch state */
  action: 'finished' | 'restored';
  paths: number;
  /** finished: the batch's commit, which HEAD now is */
  commit?: string;
}

/**
 * Call with the repository lock held. Returns null when there was no journal to recover. Then rows a
 * dead run left unfinished are finalized (finalize-stuck-rows.ts).
 */
export async function recoverPending(deps: EngineDeps): Promise<RecoveryReport | null> {
  const report = (await recoverDamagedJournal(deps)) ?? (await recoverJournal(deps));
  await finalizeStuckRows(deps);
  return report;
}

async function recoverJournal(deps: EngineDeps): Promise<RecoveryReport | null> {
  const { git, store, stateDir, bus, now } = deps;
  // A durable write killed midway (the journal's, the pending failures') leaves its temp file here;
  // every writer of this directory holds the lock we hold.
  await removeTempFiles(stateDir, ['journal.json']);
  const journal = await readJournal(stateDir);
  if (!journal) return null;
  if (journal.hostname === hostname() && runStillAlive(journal)) {
    throw new BatchctlError({
      code: 'RECOVERY_BLOCKED',
      message: `the interrupted batch ${journal.batch_id} still has live processes (pid ${journal.pid}, group ${journal.pgid ?? '?'})`,
      hint: 'wait for them to exit (or kill them), then run `batchctl recover`',
      data: { batch_id: journal.batch_id, pid: journal.pid, pgid: journal.pgid },
    });
  }
  // No process of that run is left: a lock file it named and left behind, that nobody uses, is debris.
  const runHost = journal.hostname === hostname() ? null : journal.hostname;
  const locks = await removeRunGitLocks({ gitDir: git.gitDir, root: git.root, locks: journal.git_locks ?? [], runHost });
  if (locks.removed.length > 0) deps.logger.warn({ removed: locks.removed }, 'removed the git lock files the interrupted run left');
  if (locks.kept.length > 0)
    deps.logger.warn({ kept: locks.kept }, 'left git lock files that may be in use; remove them once no git command runs here');
  // batch-control.json too: its control state is written the same way, next to it
  await removeTempFiles(git.root, [...journal.touched.map((p) => p.path), CONTROL_FILE_NAME]);
  const head = await git.head();
  const paths = journal.touched.map((p) => p.path);
  let report: RecoveryReport;
  if (journal.kind === 'control') {
    // It touched no path before HEAD moved: landed, the work tree and index follow; not, nothing to undo.
    const landed = journal.commit !== null && head === journal.commit;
    if (landed) await withIndex({ deps, journal, kept: locks.kept }, () => landControlJournal(deps, journal));
    report = {
      batch_id: journal.batch_id,
      kind: 'control',
      action: landed ? 'finished' : 'restored',
      paths: 0,
      ...(landed ? { commit: head } : {}),
    };
    await clearJournal(stateDir);
    bus.emit(EVENT.recovered, journal.batch_id || null, { ...report });
    return report;
  }
  const plan = planRecovery(journal, head);
  if (plan.action === 'blocked') {
    throw new BatchctlError({
      code: 'RECOVERY_BLOCKED',
      message: `an interrupted batch needs a human: ${plan.reason}`,
      hint: `inspect \`git log\` and \`git status\`; the journal is ${stateDir}/journal.json`,
      data: { batch_id: journal.batch_id },
    });
  }
  if (plan.action === 'finish') {
    // The refs moved together (tag included); what may be missing is the index refresh and the record.
    const { commit } = plan;
    await withIndex({ deps, journal, kept: locks.kept }, async () => {
      const entries = await git.treeEntries(commit, paths);
      await git.updateIndex(paths.map((path) => ({ path, entry: entries.get(path) ?? null })));
      if (journal.control) await recoverControlState(deps, journal.control);
      if (journal.synced) await materializePaths(git, commit, journal.synced);
    });
    // A rollback whose commit landed: the batch it reverts in full is rolled_back with it (mark-rolled-back.ts).
    const reverted = revertedInFull(parseTrailers((await git.readCommit(commit)).message));
    store.transaction(() => {
      store.batches.update(journal.batch_id, {
        status: BATCH_STATUS.completed,
        completed_at: now().toISOString(),
        commit_sha: plan.commit,
        tag: `${TAG_PREFIX}${journal.batch_id}`,
      });
      if (reverted) markRolledBack(store, reverted);
    });
    report = { batch_id: journal.batch_id, kind: 'batch', action: 'finished', paths: paths.length, commit: plan.commit };
  } else {
    // A path that cannot be put back stops here with RESTORE_INCOMPLETE, the journal kept.
    await restorePaths({ git, paths: journal.touched });
    const row = store.batches.get(journal.batch_id);
    if (row?.reason_code === 'RESTORE_INCOMPLETE') {
      // The batch ended already; what it could not put back then is back now.
      store.batches.update(journal.batch_id, { reason_message: `${row.reason_message ?? ''} [since restored in full by recovery]` });
    } else {
      store.batches.update(journal.batch_id, {
        status: BATCH_STATUS.failed,
        completed_at: now().toISOString(),
        reason_code: 'INTERRUPTED',
        reason_message: 'the run was interrupted; recovery restored every touched path',
      });
    }
    report = { batch_id: journal.batch_id, kind: 'batch', action: 'restored', paths: paths.length };
  }
  await clearJournal(stateDir);
  bus.emit(EVENT.recovered, journal.batch_id, { ...report });
  return report;
}

/**
 * Run `refresh` (which writes git's index): if git's index lock is in the way, it was left alone by
 * the lock sweep or appeared since, and may be a live git's. Stop with RECOVERY_BLOCKED naming it.
 */
async function withIndex(
  { deps, journal, kept }: { deps: EngineDeps; journal: JournalRecord; kept: readonly KeptLock[] },
  refresh: () => Promise<void>,
): Promise<void> {
  const lock = join(deps.git.gitDir, 'index.lock');
  const blocked = (): BatchctlError => {
    const why = kept.find((k) => k.file === lock);
    return new BatchctlError({
      code: 'RECOVERY_BLOCKED',
      message: `batch ${journal.batch_id} is committed, but git's index lock ${lock} is in the way of the index refresh: ${why?.why ?? 'it is not one the interrupted run took'}`,
      hint: why?.user
        ? `let that git command finish (or end pid ${why.user.pid}), then run \`batchctl recover\``
        : `if no git command is running in this repository, delete ${lock}, then run \`batchctl recover\``,
      data: { batch_id: journal.batch_id, lock, user: why?.user ?? null },
    });
  };
  if (existsSync(lock)) throw blocked();
  try {
    await refresh();
  } catch (error) {
    // Taken while we worked: git refused without writing; the journal stays for the next try.
    if (error instanceof GitError && existsSync(lock)) throw blocked();
    throw error;
  }
}

/**
 * After a lost compare-and-swap (HEAD_MOVED): our commit never landed, and if the commit that did
 * land left every touched path as it was before the batch, undoing our work-tree changes is safe.
 * Otherwise the journal stays and a human decides (the same rule as crash recovery).
 */
export async function undoAfterLostRace(deps: EngineDeps): Promise<boolean> {
  const journal = await readJournal(deps.stateDir);
  const head = await deps.git.head();
  if (!journal || head === null) return false;
  const entries = await deps.git.treeEntries(
    head,
    journal.touched.map((p) => p.path),
  );
  const untouched = journal.touched.every(({ path, before }) => {
    const now = entries.get(path);
    return before === null ? now === undefined : now?.oid === before.oid && now.mode === before.mode;
  });
  if (!untouched) return false;
  await restorePaths({ git: deps.git, paths: journal.touched });
  await clearJournal(deps.stateDir);
  return true;
}
