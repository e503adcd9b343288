// Crash recovery (SPEC §8): an unfinished journal is finished (HEAD is the batch's commit) or undone
// (HEAD is still the pre-batch commit); anything else stops with a message and changes nothing.
import { BATCH_STATUS, EVENT, TAG_PREFIX } from '../domain/index.js';
import { BatchctlError } from '../errors/index.js';
import { clearJournal, planRecovery, readJournal } from '../journal/index.js';
import type { EngineDeps } from './engine-deps.js';
import { restorePaths } from './restore-paths.js';

export interface RecoveryReport {
  batch_id: string;
  action: 'finished' | 'restored';
  paths: number;
}

/** Call with the repository lock held. Returns null when there was nothing to recover. */
export async function recoverPending(deps: EngineDeps): Promise<RecoveryReport | null> {
  const { git, store, stateDir, bus, now } = deps;
  const journal = await readJournal(stateDir);
  if (!journal) return null;
  const plan = planRecovery(journal, await git.head());
  const paths = journal.touched.map((p) => p.path);
  let report: RecoveryReport;
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
    const entries = await git.treeEntries(plan.commit, paths);
    await git.updateIndex(paths.map((path) => ({ path, entry: entries.get(path) ?? null })));
    store.batches.update(journal.batch_id, {
      status: BATCH_STATUS.completed, completed_at: now().toISOString(), commit_sha: plan.commit, tag: `${TAG_PREFIX}${journal.batch_id}`,
    });
    report = { batch_id: journal.batch_id, action: 'finished', paths: paths.length };
  } else {
    await restorePaths({ git, paths: journal.touched });
    store.batches.update(journal.batch_id, {
      status: BATCH_STATUS.failed,
      completed_at: now().toISOString(),
      reason_code: 'INTERRUPTED',
      reason_message: 'the run was interrupted; recovery restored every touched path',
    });
    report = { batch_id: journal.batch_id, action: 'restored', paths: paths.length };
  }
  await clearJournal(stateDir);
  bus.emit(EVENT.recovered, journal.batch_id, { ...report });
  return report;
}
