// batchctl purge: delete what the control file's retention windows let go (plan-purge.ts says what),
// rows first, then refs by compare-and-swap, and record it as an event.
import { loadControlFile } from '../../control/index.js';
import { EVENT } from '../../domain/index.js';
import { GitError, type Git, type RefUpdate } from '../../git/index.js';
import { acquireRepoLock } from '../../journal/index.js';
import type { EngineDeps } from '../engine-deps.js';
import { KEPT_BECAUSE, planPurge, type KeptReason, type RefToDelete } from './plan-purge.js';

export interface PurgeOptions {
  /** list what would go; change nothing */
  dryRun?: boolean;
  /** the time the windows count back from (default: the engine's clock) */
  now?: Date;
}

export interface PurgeReport {
  dry_run: boolean;
  /** rows and events from before this time go (metrics_retention_days); null: 0 days, kept forever */
  metrics_before: string | null;
  /** backup refs from before this time go (backup_retention_days); null: 0 days, kept forever */
  backups_before: string | null;
  /** finished batches whose rows went (or would go), with their items and retry content */
  batches: number;
  items: number;
  events: number;
  batch_ids: string[];
  backup_refs: string[];
  retry_refs: string[];
  /** refs past their window that stay, and why */
  kept_refs: Array<{ ref: string; why: KeptReason }>;
}

const REASON = 'batchctl purge: past its retention window';

/** All in one transaction; when one ref moved (that fails them all), each alone, leaving the moved ones. */
async function deleteRefs(git: Git, refs: readonly RefToDelete[]): Promise<{ deleted: Set<string>; moved: string[] }> {
  const updates = refs.map((r): RefUpdate => ({ kind: 'delete', ref: r.ref, oldOid: r.oid }));
  if (updates.length === 0) return { deleted: new Set(), moved: [] };
  try {
    await git.updateRefs(updates, REASON);
    return { deleted: new Set(refs.map((r) => r.ref)), moved: [] };
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
  }
  const deleted = new Set<string>();
  const moved: string[] = [];
  for (const update of updates) {
    try {
      await git.updateRefs([update], REASON);
      deleted.add(update.ref);
    } catch (error) {
      if (!(error instanceof GitError)) throw error;
      moved.push(update.ref);
    }
  }
  return { deleted, moved };
}

/**
 * The purge itself, for a caller that holds the repository lock (a run's retention pass).
 * `auto`: a pass after a run, recorded as an event only when it deleted something.
 */
export async function purgeUnlocked(
  deps: EngineDeps,
  { dryRun = false, now = deps.now(), auto = false }: PurgeOptions & { auto?: boolean } = {},
): Promise<PurgeReport> {
  const { git, store, bus } = deps;
  const control = await loadControlFile(git.root);
  const plan = await planPurge(deps, { limits: control.policy.limits, now });
  const report: PurgeReport = {
    dry_run: dryRun,
    metrics_before: plan.metricsBefore,
    backups_before: plan.backupsBefore,
    batches: plan.rows.batches,
    items: plan.rows.items,
    events: plan.rows.events,
    batch_ids: plan.rows.batch_ids,
    backup_refs: plan.backupRefs.map((r) => r.ref),
    retry_refs: plan.retryRefs.map((r) => r.ref),
    kept_refs: plan.kept,
  };
  if (dryRun) return report;

  // Rows before refs: a crash between leaves refs without rows, which the next purge finds again.
  const counts = store.retention.purge(plan.scope);
  const { deleted, moved } = await deleteRefs(git, [...plan.backupRefs, ...plan.retryRefs]);
  store.transaction(() => {
    for (const backup of plan.backupRefs) {
      if (!deleted.has(backup.ref)) continue;
      for (const row of store.backups.listByBatch(backup.batchId)) if (row.backup_path === backup.ref) store.backups.remove(row.backup_id);
      if (store.batches.get(backup.batchId)?.backup_id === backup.ref) store.batches.update(backup.batchId, { backup_id: null });
    }
    store.retention.markPass(now.toISOString());
  });
  const done: PurgeReport = {
    ...report,
    ...counts,
    batch_ids: report.batch_ids,
    backup_refs: report.backup_refs.filter((ref) => deleted.has(ref)),
    retry_refs: report.retry_refs.filter((ref) => deleted.has(ref)),
    kept_refs: [...plan.kept, ...moved.map((ref) => ({ ref, why: KEPT_BECAUSE.moved }))],
  };
  const anything = done.batches + done.events + done.backup_refs.length + done.retry_refs.length > 0;
  if (!auto || anything) {
    const { batch_ids: _ids, ...summary } = done; // the ids can be thousands; the counts say it
    bus.emit(EVENT.purged, null, { ...summary, auto });
  }
  return done;
}

/**
 * Purge under the repository lock, so no batch runs meanwhile.
 * @example const report = await purge(deps, { dryRun: true });
 */
export async function purge(deps: EngineDeps, options: PurgeOptions = {}): Promise<PurgeReport> {
  const release = await acquireRepoLock({ stateDir: deps.stateDir });
  try {
    return await purgeUnlocked(deps, options);
  } finally {
    await release();
  }
}
