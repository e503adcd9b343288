// Putting paths back to their pre-batch state, from git's object store (no checkout, so no filter
// or hook runs). Used when a batch is rolled back before commit and by crash recovery.
import type { JournalPath } from '../domain/index.js';
import { BatchctlError } from '../errors/index.js';
import type { Git } from '../git/index.js';
import { atomicWrite, removeFile } from '../ops/index.js';

/** A path that could not be put back, and the system's reason (EISDIR, EFBIG, EPERM…). */
export interface RestoreFailure {
  path: string;
  code: string;
  message: string;
}

/** How many failed paths a RESTORE_INCOMPLETE error lists in its data (a full disk may fail them all). */
const LISTED = 1000;

function failureOf(path: string, error: unknown): RestoreFailure {
  const code = (error as NodeJS.ErrnoException).code;
  return { path, code: typeof code === 'string' ? code : 'ERROR', message: error instanceof Error ? error.message : String(error) };
}

function restoreIncomplete(failed: readonly RestoreFailure[], total: number): BatchctlError {
  const named = failed
    .slice(0, 5)
    .map((f) => `${f.path} (${f.code})`)
    .join(', ');
  const more = failed.length > 5 ? ` and ${failed.length - 5} more` : '';
  const causes = [...new Set(failed.map((f) => f.code))].join(', ');
  return new BatchctlError({
    code: 'RESTORE_INCOMPLETE',
    message: `${failed.length} of ${total} paths could not be put back as they were before the batch: ${named}${more}`,
    hint: `fix what stopped them (${causes}), then run \`batchctl recover\`: the journal is kept, and recovery puts back every path the batch touched`,
    data: { paths: failed.slice(0, LISTED).map((f) => f.path), failed: failed.length, errors: failed.slice(0, LISTED) },
  });
}

/**
 * Put every path back, whatever fails on the way; throws RESTORE_INCOMPLETE naming the paths left
 * once all others are done (the caller keeps the journal, so `recover` can finish the job).
 */
export async function restorePaths({ git, paths }: { git: Git; paths: readonly JournalPath[] }): Promise<number> {
  const blobs = await git.readBlobs(paths.flatMap((p) => (p.before ? [p.before.oid] : [])));
  const failed: RestoreFailure[] = [];
  // What the batch created goes first: a batch that turned a file into a directory (conf → conf/x)
  // or back must lose its new entries before the old file can return.
  for (const { path } of paths.filter((p) => p.before === null)) {
    try {
      removeFile(git.root, path);
    } catch (error) {
      failed.push(failureOf(path, error));
    }
  }
  for (const { path, before } of paths) {
    if (!before) continue;
    const bytes = blobs.get(before.oid);
    if (!bytes) {
      failed.push({ path, code: 'BLOB_MISSING', message: `blob ${before.oid} for ${path} is missing from the object store` });
      continue;
    }
    try {
      // In place: a failure leaves the journal in place, and the next command restores again.
      atomicWrite(git.root, path, bytes, before.mode, { inPlace: true });
    } catch (error) {
      failed.push(failureOf(path, error));
    }
  }
  if (failed.length > 0) throw restoreIncomplete(failed, paths.length);
  return paths.length;
}

/** Make these paths in the work tree and index what they are in `commit` (a replay's new head). */
export async function materializePaths(git: Git, commit: string, paths: readonly string[]): Promise<void> {
  const entries = await git.treeEntries(commit, paths);
  await restorePaths({ git, paths: paths.map((path) => ({ path, before: entries.get(path) ?? null })) });
  await git.updateIndex(paths.map((path) => ({ path, entry: entries.get(path) ?? null })));
}
