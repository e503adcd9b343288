// batchctl rollback (docs/lifecycle.md#rollback): revert a batch's commits as a new batch — one commit with
// `Reverts-Batch`, its own Batch-Id and tag, plus `rollback/<id>` — through the same lock, journal and
// compare-and-swap as any batch. Conflicts abort before anything is touched.
import {
  BATCH_STATUS,
  EVENT,
  ROLLBACK_TAG_PREFIX,
  TRAILER,
  BACKUP_REF_PREFIX,
  ecosystemsOfTrailer,
  parseBatchValue,
  type BatchStatus,
  type GitHubOutcome,
  type Operation,
  type Reason,
} from '../../domain/index.js';
import { BatchctlError } from '../../errors/index.js';
import type { IndexEntry, PathChange } from '../../git/index.js';
import { checkPath, compileGlob } from '../../paths/index.js';
import type { EngineDeps } from '../engine-deps.js';
import { legacyCommits } from '../legacy-batch.js';
import type { ProposalRequest } from '../run/proposal.js';
import { runBatch } from '../run/run-batch.js';
import { checkRevertScope } from './check-revert-scope.js';
import { findBatchCommits } from './find-batch-commits.js';
import { markRolledBack } from './mark-rolled-back.js';
import { planRevert, type RevertAction } from './plan-revert.js';
import { verifyBatchCommit } from './verify-batch-commit.js';

export interface RollbackOptions {
  /** the id is a legacy `batch_id:` id (legacy-batch.ts); `commit` picks one of the commits it names */
  legacy?: { commit?: string | undefined };
  dryRun?: boolean;
  /** reset the paths to the backup ref instead of merging with later changes (admin) */
  restore?: boolean;
  /** accept a commit batchctl cannot verify as its own */
  force?: boolean;
  /** revert only the paths matching these globs */
  paths?: readonly string[];
  /** who asks (the Batch-Requested-By trailer); default: the engine's actor */
  requestedBy?: string;
  /** why (the Rollback-Reason trailer, the rollback_started event, the stored rollback record) */
  reason?: string;
  /** an MCP client's `<name>/<version>`: the revert commit's Batch-Agent trailer, as its batches carry */
  agent?: string;
  /** false: commit locally only (`--no-push`; docs/lifecycle.md#gitops-push) */
  push?: boolean;
  /** in a shallow clone, fetch the missing history from the remote instead of refusing (SHALLOW_CLONE) */
  fetch?: boolean;
  /** the revert batch stops after its current operation and rolls back (the engine's cancel) */
  signal?: AbortSignal;
  /** the id the revert batch gets (the engine assigns it, so that cancel can name it) */
  runId?: string;
  /** `rollback --pr`: propose the revert as a pull request (docs/github-api.md#pull-requests) */
  pr?: ProposalRequest;
  /** set by propose-rollback.ts: the revert commits on batch/<runId>, pushed to this remote */
  proposal?: { remote: string };
  /** GitHub writes the revert's run makes, charged as api_writes */
  apiWrites?: number;
}

export interface RollbackResult {
  success: boolean;
  /** with a GitHub token: the pull request (`--pr`), the commit status, and what failed there */
  github?: GitHubOutcome;
  /** planned (dry run), completed, or the status of the revert batch that did not land */
  status: BatchStatus;
  batch_id: string;
  dry_run: boolean;
  rollback_batch_id: string | null;
  commit: string | null;
  tag: string | null;
  restored: string[];
  deleted: string[];
  unchanged: string[];
  conflicts: Array<{ path: string; why: string }>;
  reason?: Reason;
}

function pathFilter(globs: readonly string[]): (path: string) => boolean {
  const matchers = globs.map((glob) => {
    const checked = checkPath(glob);
    const compiled = checked.ok ? compileGlob(checked.path) : null;
    if (!checked.ok || !compiled?.ok) {
      throw new BatchctlError({
        code: 'USAGE',
        message: `--paths ${glob}: ${checked.ok ? 'not a valid glob' : checked.message}`,
        data: { glob },
      });
    }
    return compiled.match;
  });
  return (path) => matchers.some((match) => match(path));
}

/** Newest commit's after-state, oldest commit's before-state, per path. */
function combine(perCommit: PathChange[][]): PathChange[] {
  const byPath = new Map<string, PathChange>();
  for (const changes of perCommit) {
    for (const change of changes) {
      const newer = byPath.get(change.path);
      byPath.set(change.path, newer ? { ...newer, before: change.before } : change);
    }
  }
  return [...byPath.values()];
}

/** The rollback batch's operations, and for each restored path the blob its bytes are (see RunOptions.knownBlobs). */
async function toOperations(
  deps: EngineDeps,
  actions: readonly RevertAction[],
): Promise<{ operations: Operation[]; knownBlobs: Map<string, string> }> {
  const blobs = await deps.git.readBlobs(actions.flatMap((a) => (a.kind === 'restore' ? [a.entry.oid] : [])));
  const knownBlobs = new Map<string, string>();
  const operations = actions.flatMap((a): Operation[] => {
    const expected = (ours: IndexEntry | null): string | null => ours?.oid ?? null;
    if (a.kind === 'delete') return [{ type: 'delete', target: a.path }];
    if (a.kind === 'restore') {
      const bytes = blobs.get(a.entry.oid);
      if (bytes) knownBlobs.set(a.path, a.entry.oid);
      return [
        {
          type: 'write',
          target: a.path,
          content_base64: (bytes ?? Buffer.alloc(0)).toString('base64'),
          mode: a.entry.mode as '100644',
          expected_blob: expected(a.ours),
        },
      ];
    }
    if (a.kind === 'merge') {
      return [
        {
          type: 'write',
          target: a.path,
          content_base64: a.bytes.toString('base64'),
          mode: a.mode as '100644',
          expected_blob: expected(a.ours),
        },
      ];
    }
    return [];
  });
  return { operations, knownBlobs };
}

export async function rollbackBatch(deps: EngineDeps, batchId: string, options: RollbackOptions = {}): Promise<RollbackResult> {
  const { git, store, bus } = deps;
  const legacy = options.legacy !== undefined;
  const { commits, tagged } = options.legacy
    ? await legacyCommits(git, batchId, { ...options.legacy, fetch: options.fetch === true })
    : await findBatchCommits(git, batchId, { fetch: options.fetch === true });
  const partial = (options.paths?.length ?? 0) > 0;
  if (!partial && !legacy && (await git.resolveCommit(`refs/tags/${ROLLBACK_TAG_PREFIX}${batchId}`))) {
    throw new BatchctlError({
      code: 'ALREADY_ROLLED_BACK',
      message: `batch ${batchId} was rolled back already (tag ${ROLLBACK_TAG_PREFIX}${batchId})`,
      hint: 'to undo that rollback, roll back the rollback batch (its id is in the Batch-Id trailer of the rollback commit)',
      data: { batch_id: batchId },
    });
  }
  const verified = await Promise.all(
    commits.map((commit) => verifyBatchCommit({ git, commit, batchId, tagged, signingKey: deps.signingKey })),
  );
  const problems = verified.flatMap((v) => v.problems.map((p) => `${v.commit.slice(0, 12)}: ${p}`));
  // A legacy commit is never batchctl's own: choosing it (by id, and by --commit if it repeats) is the check.
  if (problems.length > 0 && !options.force && !legacy) {
    throw new BatchctlError({
      code: 'BATCH_NOT_VERIFIED',
      message: `batchctl did not make ${commits.length === 1 ? 'this commit' : 'these commits'} for batch ${batchId}: ${problems.join('; ')}`,
      hint: 'a hand-written Batch-Id trailer is not a batch; use --force only if you know the commit is genuine',
      data: { batch_id: batchId, problems },
    });
  }

  const head = await git.head();
  if (head === null) throw new BatchctlError({ code: 'BATCH_NOT_FOUND', message: 'the repository has no commits' });
  const wanted = partial ? pathFilter(options.paths ?? []) : () => true;
  const perCommit = await Promise.all(commits.map((c) => git.commitChanges(c)));
  const changes = combine(perCommit).filter((c) => wanted(c.path));
  let restoreFrom: Map<string, IndexEntry> | null = null;
  if (options.restore) {
    const backup = await git.resolveCommit(`${BACKUP_REF_PREFIX}${batchId}`);
    if (!backup)
      throw new BatchctlError({
        code: 'BACKUP_NOT_FOUND',
        message: `no backup ref ${BACKUP_REF_PREFIX}${batchId}`,
        hint: 'run without --restore to revert instead',
      });
    restoreFrom = await git.treeEntries(
      backup,
      changes.map((c) => c.path),
    );
  }
  const sources = changes.flatMap((c) => (c.after ? [c.path] : [])); // moved since the batch: reverted where they are now
  const renames = await git.renamesSince({ base: commits[0] ?? head, head, sources });
  const actions = await planRevert({ git, changes, head, scratchDir: deps.stateDir, restoreFrom, renames });
  checkRevertScope({
    batchId,
    commits: verified.map((v, i) => ({ commit: v.commit, trailers: v.trailers, changes: perCommit[i] ?? [] })),
    planned: actions.filter((a) => a.kind !== 'unchanged').map((a) => a.path),
    renamed: renames,
  });
  const pick = (kind: RevertAction['kind']): string[] => actions.filter((a) => a.kind === kind).map((a) => a.path);
  const conflicts = actions.flatMap((a) => (a.kind === 'conflict' || a.kind === 'unsupported' ? [{ path: a.path, why: a.why }] : []));
  const result: RollbackResult = {
    success: conflicts.length === 0,
    status: options.dryRun ? BATCH_STATUS.planned : BATCH_STATUS.completed,
    batch_id: batchId,
    dry_run: options.dryRun === true,
    rollback_batch_id: null,
    commit: null,
    tag: null,
    restored: [...pick('restore'), ...pick('merge')],
    deleted: pick('delete'),
    unchanged: pick('unchanged'),
    conflicts,
  };
  if (options.dryRun) return result;
  if (conflicts.length > 0) {
    throw new BatchctlError({
      code: actions.some((a) => a.kind === 'unsupported') ? 'ROLLBACK_UNSUPPORTED' : 'ROLLBACK_CONFLICT',
      message: `rolling back ${batchId} conflicts with later changes in ${conflicts.map((c) => `${c.path} (${c.why})`).join(', ')}; nothing was changed`,
      hint: 'resolve by hand, roll back only other paths with --paths, or reset to the backup with --restore (admin)',
      data: { batch_id: batchId, conflicts },
    });
  }

  const original = verified[0]?.trailers;
  const { operations, knownBlobs } = await toOperations(deps, actions);
  // Nothing to revert is an answer, not a rollback: no rollback_started without its rollback_complete.
  if (operations.length === 0)
    return { ...result, reason: { code: 'NOTHING_TO_REVERT', message: 'every path is already as it was before the batch' } };
  const reason = options.reason?.replace(/\s+/g, ' ').trim() || null;
  const requestedBy = options.requestedBy ?? deps.actor ?? 'unknown';
  bus.emit(EVENT.rollbackStarted, batchId, {
    paths: operations.length,
    partial,
    restore: options.restore === true,
    reason,
    requested_by: requestedBy,
  });
  const batch = parseBatchValue({
    title: `Revert batch ${batchId}${partial ? ' (partial)' : ''}`,
    ecosystem: ecosystemsOfTrailer(original?.get(TRAILER.ecosystem))[0] ?? 'default',
    requested_by: requestedBy,
    operations,
    options: { atomic: true },
  });
  const run = await runBatch(deps, batch, {
    // Always 'rollback', whichever facade asked: SLIs leave rollbacks out (docs/outcomes.md).
    source: 'rollback',
    bypassAdmission: true,
    push: options.push !== false,
    ...(options.agent ? { agent: options.agent } : {}),
    extraTrailers: [
      [TRAILER.revertsBatch, batchId],
      ...(partial ? [[TRAILER.rollbackPaths, (options.paths ?? []).join(' ')] as const] : []),
      ...(reason ? [[TRAILER.rollbackReason, reason] as const] : []),
    ],
    // Legacy ids repeat: a rollback/<id> tag would name several batches (a second rollback finds nothing to revert).
    // Proposed, it is not rolled back until merged: reindex reads its Reverts-Batch trailer on the branch then.
    extraTags: partial || legacy || options.proposal ? [] : [`${ROLLBACK_TAG_PREFIX}${batchId}`],
    // A restored file is the very blob it comes from: git has it, no need to hash or pack it again.
    knownBlobs,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.runId ? { batchId: options.runId } : {}),
    ...(options.proposal ? { proposal: options.proposal } : {}),
    ...(options.apiWrites ? { apiWrites: options.apiWrites } : {}),
  });
  const done = run.status === BATCH_STATUS.completed;
  const proposed = run.status === BATCH_STATUS.proposed;
  // The revert batch's row exists now (runBatch records every run): the why goes beside it, whatever its outcome.
  if (store.batches.get(run.batch_id)) {
    store.rollbacks.insert({
      rollback_batch_id: run.batch_id,
      batch_id: batchId,
      reason,
      requested_by: requestedBy,
      paths: partial ? [...(options.paths ?? [])] : null,
      restore: options.restore === true,
      at: deps.now().toISOString(),
    });
  }
  // (the run marked it rolled_back as it completed: mark-rolled-back.ts; this is for a row that ran before that rule)
  if (done && !partial) markRolledBack(store, batchId);
  bus.emit(EVENT.rollbackComplete, batchId, { rollback_batch_id: run.batch_id, status: run.status, commit: run.commit });
  return {
    ...result,
    success: done || proposed,
    status: run.status,
    rollback_batch_id: run.batch_id,
    commit: run.commit,
    tag: done && !partial && !legacy ? `${ROLLBACK_TAG_PREFIX}${batchId}` : null,
    ...(run.reason ? { reason: run.reason } : {}),
  };
}
