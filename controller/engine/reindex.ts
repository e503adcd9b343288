// batchctl reindex (docs/lifecycle.md#durability-and-concurrency): SQLite is an index; git is the record. Rebuild the rows of committed
// batches (and rollbacks) from trailers and tags, and their items from what each commit changed.
import { BACKUP_REF_PREFIX, BATCH_STATUS, ecosystemsOfTrailer, isBatchId, TAG_PREFIX, TRAILER } from '../domain/index.js';
import { parseTrailers } from '../git/index.js';
import { followSquashMerges, rolledBackIds } from './reindex-landed.js';
import type { BatchRow, ItemRow } from '../store/index.js';
import type { EngineDeps } from './engine-deps.js';
import { withHistory } from './rollback/with-history.js';

export interface ReindexReport {
  commits_scanned: number;
  batches_found: number;
  inserted: number;
  already_present: number;
  note: string;
}

const NOTE = 'failed, refused and cancelled batches were never committed: git cannot give back their records or metrics';

export async function reindex(deps: EngineDeps, { fetch = false }: { fetch?: boolean } = {}): Promise<ReindexReport> {
  const { git, store } = deps;
  // A shallow clone would lose the batches behind its boundary, and record the boundary commit as
  // having added every file: all of history, or nothing.
  await withHistory({
    git,
    fetch,
    deepen: 'all',
    need: 'the history of HEAD beyond its boundary (reindex reads every batch commit)',
    attempt: async (boundary) => (boundary.size === 0 ? true : null),
  });
  const commits = await git.batchCommits();
  const refs = await git.refsUnder(['refs/tags/batch/', 'refs/tags/rollback/', 'refs/batchctl/backups/']);
  const batches = commits.flatMap((commit) => {
    const trailers = parseTrailers(commit.message);
    const id = trailers.get(TRAILER.batchId) ?? '';
    return isBatchId(id) ? [{ ...commit, id, trailers }] : [];
  });
  // A full revert (not a --paths one) marks its batch rolled back even where the tag was not pushed.
  const rolledBack = rolledBackIds(batches, refs);
  const squashed = await followSquashMerges({ git, batches, refs });
  const missing = batches.filter((b) => !store.batches.get(b.id));
  const changes = await git.changesOf(missing.map((b) => b.oid));
  const tagOf = (b: { id: string; oid: string }): string | null =>
    refs.get(`refs/tags/${TAG_PREFIX}${b.id}`) === b.oid ? `${TAG_PREFIX}${b.id}` : null;

  store.transaction(() => {
    // Rows already present learn what git says happened since: a rollback by the script, a squash merge.
    for (const b of batches) {
      const row = store.batches.get(b.id);
      if (!row || missing.includes(b)) continue;
      if (rolledBack.has(b.id) && row.status === BATCH_STATUS.completed) store.batches.update(b.id, { status: BATCH_STATUS.rolled_back });
      if (squashed.has(b.id) && tagOf(b)) store.batches.update(b.id, { commit_sha: b.oid, tag: tagOf(b) });
      // A proposed batch (`run --pr`) whose commit is on the branch now: its pull request was merged.
      if (row.status === BATCH_STATUS.proposed)
        store.batches.update(b.id, { status: rolledBack.has(b.id) ? BATCH_STATUS.rolled_back : BATCH_STATUS.completed });
    }
    for (const b of missing) {
      const at = new Date(b.time * 1000).toISOString();
      const total = Number(b.trailers.get(TRAILER.operations) ?? 0);
      const failed = Number(b.trailers.get(TRAILER.failed) ?? 0);
      const backup = `${BACKUP_REF_PREFIX}${b.id}`;
      // `Batch-Ecosystem: npm, pypi` lists every ecosystem the batch touched, its own first.
      const ecosystems = ecosystemsOfTrailer(b.trailers.get(TRAILER.ecosystem));
      const row: BatchRow = {
        batch_id: b.id,
        status: rolledBack.has(b.id) ? BATCH_STATUS.rolled_back : BATCH_STATUS.completed,
        operation_type: 'mixed',
        total_count: total,
        success_count: Math.max(0, total - failed),
        failure_count: failed,
        created_at: at,
        completed_at: at,
        backup_id: refs.has(backup) ? backup : null,
        title: b.message.split('\n')[0] ?? '',
        ecosystem: ecosystems[0] ?? 'default',
        requested_by: b.trailers.get(TRAILER.requestedBy) ?? 'unknown',
        agent: b.trailers.get(TRAILER.agent) ?? null,
        priority: 0,
        commit_sha: b.oid,
        tag: tagOf(b),
        plan_hash: null,
        idempotency_key: null,
        reason_code: null,
        reason_message: null,
        duration_ms: null,
        options_json: null,
        source: 'reindex',
      };
      store.batches.insert(row, ecosystems);
      const items: ItemRow[] = (changes.get(b.oid) ?? []).map((change, index) => ({
        batch_id: b.id,
        item_index: index,
        operation: change.after ? 'write' : 'delete',
        source_path: null,
        target_path: change.path,
        status: 'succeeded',
        error_code: null,
        error_message: null,
        attempts: 1,
        blob_id: change.after?.oid ?? null,
        processed_at: at,
        op_json: null,
      }));
      store.items.insertMany(items);
    }
    // The rollback records (migration 9) of revert commits, from their trailers: the reason, who, which
    // paths. Whether it was a --restore is not in git: such a record says false.
    for (const b of batches) {
      const reverts = b.trailers.get(TRAILER.revertsBatch);
      if (!reverts || !isBatchId(reverts) || store.rollbacks.byRollback(b.id)) continue;
      const paths = b.trailers.get(TRAILER.rollbackPaths);
      store.rollbacks.insert({
        rollback_batch_id: b.id,
        batch_id: reverts,
        reason: b.trailers.get(TRAILER.rollbackReason) ?? null,
        requested_by: b.trailers.get(TRAILER.requestedBy) ?? 'unknown',
        paths: paths ? paths.split(' ').filter(Boolean) : null,
        restore: false,
        at: new Date(b.time * 1000).toISOString(),
      });
    }
  });
  return {
    commits_scanned: commits.length,
    batches_found: batches.length,
    inserted: missing.length,
    already_present: batches.length - missing.length,
    note: NOTE,
  };
}
