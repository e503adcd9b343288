// The drift pass (docs/lifecycle.md#drift): compare what batches recorded with HEAD and the work
// tree, and name the later commit behind each difference — unless batchctl made it (a later batch
// or a rollback is not drift, it is the record moving on; docs/lifecycle.md#drift says how that is proven).
import { isBatchId, TAG_PREFIX, type DriftEntry } from '../../domain/index.js';
import type { Git, PathToucher } from '../../git/index.js';
import type { RecordedFile } from './recorded-files.js';

/**
 * The drift entries for `files` against `head`, in path order: one `ls-tree`, one `log` for the
 * paths that differ at HEAD (none when nothing does), one `status` for the work tree.
 */
export async function findDrift({
  git,
  head,
  files,
  recordedCommit,
}: {
  git: Git;
  head: string;
  files: ReadonlyMap<string, RecordedFile>;
  /** the commit the database records for a batch id, or null */
  recordedCommit: (batchId: string) => string | null;
}): Promise<DriftEntry[]> {
  const atHead = await git.blobsAt(head);
  const differing: string[] = [];
  const matching = new Set<string>();
  for (const [path, file] of files) {
    if ((atHead.get(path) ?? null) === file.blob) matching.add(path);
    else differing.push(path);
  }
  const drift: DriftEntry[] = [];
  const touchers = await git.lastTouchers({ head, paths: differing });
  // A trailer alone is a claim anyone can type: batchctl's own commit is the one its database
  // records for that id, or the one its tag batch/<id> names (a rollback by the script, a batch
  // this database has not seen). Tags are listed once, only when some commit makes the claim.
  const claims = [...touchers.values()].some((t) => isBatchId(t.batchId));
  const tags = claims ? await git.refsUnder([`refs/tags/${TAG_PREFIX}`]) : new Map<string, string>();
  const madeByBatchctl = (t: PathToucher): boolean =>
    isBatchId(t.batchId) && (recordedCommit(t.batchId) === t.commit || tags.get(`refs/tags/${TAG_PREFIX}${t.batchId}`) === t.commit);
  for (const path of differing) {
    const file = files.get(path);
    const toucher = touchers.get(path);
    // No commit on HEAD changed it (the batch is on another branch), or batchctl did: not drift.
    if (!file || !toucher || madeByBatchctl(toucher)) continue;
    drift.push({
      batch_id: file.batchId,
      path,
      expected_blob: file.blob,
      actual_blob: atHead.get(path) ?? null,
      where: 'commit',
      changed_by: { commit: toucher.commit, subject: toucher.subject, author: toucher.author },
    });
  }
  // Only paths HEAD still has as recorded: the work tree of a path a later commit changed is that commit's story.
  const changes = matching.size === 0 ? new Map() : await git.workTreeChanges(matching);
  for (const [path, change] of changes) {
    const file = files.get(path);
    if (!file || change.blob === file.blob) continue;
    drift.push({ batch_id: file.batchId, path, expected_blob: file.blob, actual_blob: change.blob, where: 'work-tree', changed_by: null });
  }
  return drift.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
