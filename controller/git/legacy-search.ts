// The registry's older batch commits carry a `batch_id: <id>` line (on batch/* branches only) instead
// of batchctl's trailers, and their ids repeat: find every commit, on any ref, whose message has that
// exact line.
import { logRecords } from './log-records.js';
import type { GitRunner } from './runner.js';

export interface LegacyCommit {
  commit: string;
  /** committer date, ISO 8601 */
  date: string;
  subject: string;
}

/** Commits reachable from any ref (`git log --all`) with a whole line `batch_id: <id>`, newest first. */
export async function legacyBatchCommits(git: GitRunner, id: string): Promise<LegacyCommit[]> {
  const line = `batch_id: ${id}`;
  const records = await logRecords(git, ['--all', '--format=%H%x1f%cI%x1f%s%x1f%B%x1e', '--fixed-strings', `--grep=${line}`, '--']);
  return records.flatMap(([commit = '', date = '', subject = '', ...body]) =>
    // --grep narrows; the exact whole line decides (never a prefix: 2025-01-01 is not 2025-01-01-001)
    body.join('\x1f').split('\n').includes(line) ? [{ commit, date, subject }] : [],
  );
}
