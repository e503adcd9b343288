// Step 7, commit, and its bookkeeping: items are stored (status committing) before HEAD moves, so a
// crash after the ref update finds everything recovery needs.
import { BATCH_STATUS, CONTROL_FILE_NAME, ITEM_STATUS, TRAILER, type OperationType } from '../../domain/index.js';
import { clearJournal } from '../../journal/index.js';
import { signBatch } from '../batch-signature.js';
import { batchCommitMessage } from '../commit-message.js';
import { advanceControlHistory } from '../control/control-history-cache.js';
import {
  announceTransitions,
  committedWrites,
  controlCommit,
  indexFollowsHead,
  landControlFile,
  prepareControlState,
  withApiWrites,
} from '../control/control-state.js';
import { batchTreeChanges, commitBatch } from './commit-batch.js';
import { markRolledBack, revertedInFull } from '../rollback/mark-rolled-back.js';
import { publisher } from './publish.js';
import { itemRows } from './item-rows.js';
import { keepRetryContent } from './retry-content.js';
import { runUpstream, transition } from './run-context.js';
import type { RunStep } from './step.js';

export const commitStep: RunStep = async (ctx) => {
  const { git, store, stateDir, now } = ctx.deps;
  const { plan, journal } = ctx;
  if (!plan || !journal) throw new Error('commit before apply');
  const done = new Map<OperationType, number>();
  let failed = 0;
  let unchanged = 0;
  plan.steps.forEach((step, id) => {
    const result = ctx.results[id];
    // A replace that changed nothing is no edit: neither in the summary nor in Batch-Operations.
    if (result?.status === ITEM_STATUS.succeeded && result.unchanged && step.type === 'replace') unchanged++;
    else if (result?.status === ITEM_STATUS.succeeded) done.set(step.type, (done.get(step.type) ?? 0) + 1);
    else failed++;
  });
  const { signingKey } = ctx.deps;
  const extra = [...(ctx.options.agent ? [[TRAILER.agent, ctx.options.agent] as const] : []), ...(ctx.options.extraTrailers ?? [])];
  const messageFor = (tree: string, parent: string | null): string => {
    const signature = signingKey ? [[TRAILER.signature, signBatch({ key: signingKey, batchId: ctx.batchId, tree, parent })] as const] : [];
    return batchCommitMessage({
      batch: ctx.batch,
      batchId: ctx.batchId,
      done,
      total: plan.steps.length - unchanged,
      failed,
      extra: [...extra, ...signature],
    });
  };
  const time = Math.floor(now().getTime() / 1000);
  // The blob pack ends (fast-import writes its index) while the control state and the trees are built.
  const pack = ctx.blobPack;
  const objectsStored = pack?.seal(
    [...ctx.runtime.values()].flatMap((s) => (s.exists && s.oid === null && s.mark !== undefined ? [s.mark] : [])),
  );
  objectsStored?.catch(() => undefined); // a failure is reported where it is awaited (commitBatch)
  const changesReady = batchTreeChanges(git, ctx.runtime, pack);
  changesReady.catch(() => undefined); // a failure is reported where it is awaited, below
  // The budget charge and the breaker's success ride under the batch commit, in one ref update.
  const pending = ctx.options.bypassAdmission
    ? null
    : await prepareControlState(ctx.deps, {
        batch: withApiWrites(ctx.batch, committedWrites(ctx.deps, ctx.options.apiWrites)),
        batchId: ctx.batchId,
        outcome: 'success',
      });
  const control = pending
    ? { base: await controlCommit(ctx.deps, pending, journal.head, time), before: pending.originalOid, after: pending.oid }
    : undefined;
  // GitOps: with an upstream, nothing lands here before it landed there (docs/lifecycle.md#gitops-push). The lease
  // is the commit the batch is built on: the push can only ever fast-forward the remote.
  const upstream = await runUpstream(ctx);
  // A proposal creates its branch on the remote: the lease is that it does not exist yet.
  const expected = ctx.options.proposal ? null : journal.head;
  const pub = upstream ? publisher(ctx, upstream, { expected, pending }, time) : null;
  await keepRetryContent(ctx); // before the item rows are written (beforeRefs): they name its blobs
  const committed = await commitBatch({
    ...(control ? { control } : {}),
    ...(pub ? { publish: pub.publish } : {}),
    git,
    stateDir,
    journal,
    changes: await changesReady,
    ...(objectsStored ? { objectsStored } : {}),
    batchId: ctx.batchId,
    messageFor,
    extraTags: ctx.options.extraTags ?? [],
    tagMessage: `${ctx.batch.title}\n\nBatch-Id: ${ctx.batchId}`,
    backup: ctx.batch.options.createBackup,
    time,
    async afterRefs() {
      // The control state lands with the batch. The work tree still holds the file as first read,
      // whatever head the state was rebuilt on.
      const state = pub ? pub.pending() : pending;
      if (!pending || !state) return [];
      const landed = await landControlFile(ctx.deps, { original: pending.original, text: state.text });
      return landed || (await indexFollowsHead(ctx.deps, pending.originalOid)) ? [state.change] : [];
    },
    beforeRefs(commit, changes) {
      // The items are final here, blob ids included: written once (100,000 rows are not cheap twice).
      const blobs = new Map<string, string>();
      for (const c of changes) if (c.entry) blobs.set(c.path, c.entry.oid);
      store.transaction(() => {
        store.items.upsertMany(itemRows(ctx, blobs));
        transition(ctx, BATCH_STATUS.committing);
        store.batches.update(ctx.batchId, { commit_sha: commit });
      });
    },
  });
  const landed = pub ? pub.pending() : pending;
  if (committed && landed) announceTransitions(ctx.deps, landed, ctx.batchId);
  if (committed) {
    // HEAD moved by this batch's own commits only (no remote head in between, the file untouched by
    // the batch): the control file's history record follows it (control-history-cache.ts).
    const ours =
      committed.parent === (control ? control.base : journal.head) && !committed.changes.some((c) => c.path === CONTROL_FILE_NAME);
    if (ours && journal.head !== null) {
      // a control-state commit counts as a commit of the file only when it changed it (git log -- file)
      const changed = control !== undefined && (await git.readRef(`${journal.head}:${CONTROL_FILE_NAME}`)) !== control.after;
      await advanceControlHistory(ctx.deps, { from: journal.head, to: committed.commit, controlCommit: changed });
    }
    ctx.commit = committed.commit;
    ctx.tag = committed.tag;
    ctx.backupRef = committed.backupRef;
    store.transaction(() => {
      if (committed.backupRef) {
        const days = ctx.control?.policy.limits.backup_retention_days ?? 30;
        store.backups.insert({
          backup_id: committed.backupRef,
          batch_id: ctx.batchId,
          backup_path: committed.backupRef,
          created_at: now().toISOString(),
          expires_at: new Date(now().getTime() + days * 86_400_000).toISOString(),
          restored: false,
        });
      }
    });
  } else {
    transition(ctx, BATCH_STATUS.committing);
  }
  // A full rollback's commit: the batch it reverts is rolled_back with this one's completed, before the journal goes.
  // Proposed (a pull request), it reverts nothing until merged: reindex marks both then.
  const reverted = committed && !ctx.options.proposal ? revertedInFull(new Map(ctx.options.extraTrailers ?? [])) : null;
  store.transaction(() => {
    transition(ctx, ctx.options.proposal ? BATCH_STATUS.proposed : BATCH_STATUS.completed);
    if (reverted) markRolledBack(store, reverted);
  });
  await clearJournal(stateDir);
  ctx.journal = null;
  return 'continue';
};
