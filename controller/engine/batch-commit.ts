// A batch's commit for the dashboard's batch detail: its id, tag, subject, trailers and the lines each
// path gained and lost. A batch that made no commit (refused, failed, queued) answers with nulls.
import { parseTrailers, type FileStat } from '../git/index.js';
import type { BatchRow } from '../store/index.js';
import type { EngineDeps } from './engine-deps.js';

export interface BatchCommit {
  batch_id: string;
  commit: string | null;
  tag: string | null;
  subject: string | null;
  trailers: Array<{ key: string; value: string }>;
  files: FileStat[];
}

export async function batchCommit({ git }: Pick<EngineDeps, 'git'>, row: BatchRow): Promise<BatchCommit> {
  if (!row.commit_sha) return { batch_id: row.batch_id, commit: null, tag: row.tag, subject: null, trailers: [], files: [] };
  const [info, files] = await Promise.all([git.readCommit(row.commit_sha), git.diffStat(row.commit_sha)]);
  const trailers = [...parseTrailers(info.message)].map(([key, value]) => ({ key, value }));
  return { batch_id: row.batch_id, commit: row.commit_sha, tag: row.tag, subject: info.message.split('\n', 1)[0] ?? '', trailers, files };
}
