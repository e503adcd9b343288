// A run's failure path could not undo its own half-applied batch for a reason other than a path it
// could not write (git failed reading the pre-batch blobs, a store error): the journal is still on
// disk, so say what that leaves — the work tree as the batch made it, which paths — and that
// `batchctl recover` puts them back (docs/lifecycle.md#the-journal-and-crash-recovery).
import { BatchctlError, toBatchctlError } from '../../errors/index.js';
import { journalFile, readJournal } from '../../journal/index.js';
import type { EngineDeps } from '../engine-deps.js';

/** How many paths the error's data lists, and its message names. */
const LISTED = 1000;
const NAMED = 5;

/**
 * The error a run ends with when undoing it failed with `cause`: RESTORE_INCOMPLETE naming the
 * paths the journal holds, or `cause` itself when there is no journal to undo with, or the batch
 * had landed (HEAD is its commit: nothing is to be put back).
 */
export async function unsettledJournal(deps: EngineDeps, cause: unknown): Promise<unknown> {
  const journal = await readJournal(deps.stateDir).catch(() => null);
  if (!journal) return cause;
  if (journal.commit !== null && (await deps.git.head().catch(() => null)) === journal.commit) return cause;
  const why = toBatchctlError(cause);
  const paths = journal.touched.map((p) => p.path);
  const more = paths.length > NAMED ? ` and ${paths.length - NAMED} more` : '';
  return new BatchctlError({
    code: 'RESTORE_INCOMPLETE',
    message:
      `the failed batch could not be rolled back (${why.code}: ${why.detail}); the work tree is left modified: ` +
      `${paths.length} paths may still hold the batch's changes: ${paths.slice(0, NAMED).join(', ')}${more}`,
    hint: `run \`batchctl recover\` (once the cause is fixed): the journal ${journalFile(deps.stateDir)} is kept, and recovery restores every path the batch touched`,
    data: {
      paths: paths.slice(0, LISTED),
      failed: paths.length,
      cause: { code: why.code, message: why.detail, ...(Object.keys(why.data).length > 0 ? { data: why.data } : {}) },
    },
    cause,
  });
}
