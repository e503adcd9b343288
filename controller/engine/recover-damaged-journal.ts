// A damaged crash journal (cut short, garbled) is not a dead end (docs/lifecycle.md#the-journal-and-crash-recovery):
// what can still be read of it — the batch, the pre-batch HEAD, the run's process, a prefix of the
// touched paths — is enough to undo what it names while HEAD is still the pre-batch commit. Nothing
// readable, a live run, or HEAD elsewhere: RECOVERY_BLOCKED naming the file, and nothing changes.
import { readFile, rename } from 'node:fs/promises';
import { hostname } from 'node:os';

import { BATCH_STATUS, CONTROL_FILE_NAME, EVENT } from '../domain/index.js';
import { BatchctlError } from '../errors/index.js';
import { journalFile, readJournal, runStillAlive, salvageJournal, syncDirectory } from '../journal/index.js';
import { removeTempFiles } from '../ops/index.js';
import type { EngineDeps } from './engine-deps.js';
import type { RecoveryReport } from './recover.js';
import { restorePaths } from './restore-paths.js';

/** Is the journal there and damaged? Its text then; null when absent or whole. */
async function damagedText(stateDir: string): Promise<string | null> {
  try {
    await readJournal(stateDir);
    return null;
  } catch (error) {
    if (!(error instanceof BatchctlError) || error.code !== 'RECOVERY_BLOCKED') throw error;
    return readFile(journalFile(stateDir), 'utf8');
  }
}

/** Call with the repository lock held, before the journal is read whole. Null when the journal is absent or whole. */
export async function recoverDamagedJournal(deps: EngineDeps): Promise<RecoveryReport | null> {
  const { git, store, stateDir, bus, now, logger } = deps;
  const text = await damagedText(stateDir);
  if (text === null) return null;
  const file = journalFile(stateDir);
  const salvaged = salvageJournal(text);
  const blocked = (why: string): BatchctlError =>
    new BatchctlError({
      code: 'RECOVERY_BLOCKED',
      message: `the crash journal ${file} is damaged and ${why}`,
      hint: 'inspect `git status` and `git log`; once the work tree is as you want it, delete the journal file',
      data: { file, batch_id: salvaged?.batch_id ?? null },
    });
  if (!salvaged || (salvaged.touched.length === 0 && !salvaged.complete)) throw blocked('names no path that can be read');
  if (salvaged.hostname === hostname() && runStillAlive(salvaged)) {
    throw blocked(`its run still has live processes (pid ${salvaged.pid}): wait for them to exit, then run \`batchctl recover\``);
  }
  const head = await git.head();
  if (head !== salvaged.head) {
    throw blocked(
      `HEAD (${head ?? 'unborn'}) is no longer the pre-batch commit it names, so what finishing the batch needs may be in the lost part`,
    );
  }
  const paths = salvaged.touched.map((p) => p.path);
  await removeTempFiles(git.root, [...paths, CONTROL_FILE_NAME]);
  // A path that cannot be put back stops here with RESTORE_INCOMPLETE, the journal kept.
  await restorePaths({ git, paths: salvaged.touched });
  const cut = salvaged.complete ? '' : '; the journal was cut short, so paths after the cut may still hold changes: check `git status`';
  if (!salvaged.complete)
    logger.warn({ file, batch_id: salvaged.batch_id, restored: paths.length }, `the damaged journal was cut short${cut}`);
  const row = store.batches.get(salvaged.batch_id);
  if (row && row.reason_code !== 'RESTORE_INCOMPLETE') {
    store.batches.update(salvaged.batch_id, {
      status: BATCH_STATUS.failed,
      completed_at: now().toISOString(),
      reason_code: 'INTERRUPTED',
      reason_message: `the run was interrupted and its journal was damaged; recovery restored the ${paths.length} paths it could read${cut}`,
    });
  }
  // Kept beside, not deleted: a human may want to see what was lost.
  await rename(file, `${file}.damaged-${now().toISOString().replace(/[:.]/g, '-')}`);
  await syncDirectory(stateDir);
  const report: RecoveryReport = { batch_id: salvaged.batch_id, kind: 'batch', action: 'restored', paths: paths.length };
  bus.emit(EVENT.recovered, salvaged.batch_id, { ...report });
  return report;
}
