// Reading batches back from history for reindex: commits with a Batch-Id trailer, the batch and
// rollback tags, and what each commit changed — three git processes whatever the history's size.
import type { PathChange } from './history.js';
import { logRecords } from './log-records.js';
import { splitNul, type GitRunner } from './runner.js';

export interface HistoryCommit {
  oid: string;
  time: number;
  message: string;
}

/** Commits reachable from HEAD whose message mentions a Batch-Id (callers parse the trailer exactly). */
export async function batchCommits(git: GitRunner): Promise<HistoryCommit[]> {
  const records = await logRecords(git, ['--format=%H%x1f%ct%x1f%B%x1e', '--fixed-strings', '--grep=Batch-Id: ', 'HEAD', '--']);
  return records.map(([oid = '', time = '0', ...rest]) => ({ oid, time: Number(time), message: rest.join('\x1f') }));
}

/** refname → the commit it points at (tags peeled), for refs under the given prefixes. */
export async function refsUnder(git: GitRunner, prefixes: readonly string[]): Promise<Map<string, string>> {
  const { stdout } = await git.exec(['for-each-ref', '--format=%(refname)%09%(objectname)%09%(*objectname)', ...prefixes]);
  const refs = new Map<string, string>();
  for (const line of stdout.toString('utf8').split('\n')) {
    const [ref, oid, peeled] = line.split('\t');
    if (ref && oid) refs.set(ref, peeled || oid);
  }
  return refs;
}

/** What each commit changed relative to its first parent, in one `diff-tree --stdin` process. */
export async function changesOf(git: GitRunner, commits: readonly string[]): Promise<Map<string, PathChange[]>> {
  const result = new Map<string, PathChange[]>();
  if (commits.length === 0) return result;
  const { stdout } = await git.exec(['diff-tree', '--stdin', '-r', '-z', '--no-renames', '--root', '-m', '--first-parent'], {
    input: `${commits.join('\n')}\n`,
  });
  const records = splitNul(stdout);
  let current: PathChange[] = [];
  for (let i = 0; i < records.length; i++) {
    const record = records[i] ?? '';
    if (/^[0-9a-f]{40,64}$/.test(record)) {
      current = [];
      result.set(record, current);
    } else if (record.startsWith(':')) {
      const [oldMode, newMode, oldOid, newOid] = record.slice(1).split(' ');
      const path = records[++i] ?? '';
      const zero = (oid: string | undefined): boolean => !oid || /^0+$/.test(oid);
      current.push({
        path,
        before: zero(oldOid) ? null : { mode: oldMode ?? '', oid: oldOid ?? '' },
        after: zero(newOid) ? null : { mode: newMode ?? '', oid: newOid ?? '' },
      });
    }
  }
  return result;
}
