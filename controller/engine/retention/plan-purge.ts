// What a purge takes, from the control file's retention windows: finished batches' rows (with their
// items and retry content) and events older than metrics_retention_days, backup refs older than
// backup_retention_days. Never anything of a batch that is not finished, never the newest backup.
import { BACKUP_REF_PREFIX, BATCH_STATUS, RETRY_REF_PREFIX, type BatchStatus, type LimitsPolicy } from '../../domain/index.js';
import { readJournal } from '../../journal/index.js';
import type { RetentionPreview, RetentionScope } from '../../store/index.js';
import type { EngineDeps } from '../engine-deps.js';

const DAY_MS = 86_400_000;

/** Statuses a batch never leaves: only batches in these may go. */
export const FINISHED: readonly BatchStatus[] = [
  BATCH_STATUS.completed,
  BATCH_STATUS.failed,
  BATCH_STATUS.refused,
  BATCH_STATUS.cancelled,
  BATCH_STATUS.rolled_back,
  BATCH_STATUS.planned,
];

/** Why a ref past its window stays. */
export const KEPT_BECAUSE = {
  /** the newest backup: `rollback --restore` of the latest batch needs it, however old it is */
  newest: 'newest_backup',
  /** its batch is running, or was interrupted and the crash journal still names it */
  unfinished: 'batch_not_finished',
  /** the ref moved after it was listed (compare-and-swap lost); the next purge looks again */
  moved: 'ref_moved',
} as const;
export type KeptReason = (typeof KEPT_BECAUSE)[keyof typeof KEPT_BECAUSE];

export interface RefToDelete {
  ref: string;
  /** the value it was listed at: deleted only if it still has it */
  oid: string;
  batchId: string;
}

export interface PurgePlan {
  /** rows and events from before this time go; null: metrics_retention_days is 0, keep them all */
  metricsBefore: string | null;
  /** backups from before this time go; null: backup_retention_days is 0, keep them all */
  backupsBefore: string | null;
  scope: RetentionScope;
  rows: RetentionPreview;
  backupRefs: RefToDelete[];
  retryRefs: RefToDelete[];
  kept: Array<{ ref: string; why: KeptReason }>;
}

/** b-20261122-101500-7k3m9q → the time it names (ms); null when the name is not a batch id. */
export function batchIdTime(id: string): number | null {
  const m = /^b-(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})-[0-9a-z]{6}$/.exec(id);
  if (!m) return null;
  const time = Date.parse(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
  return Number.isNaN(time) ? null : time;
}

function cutoff(now: Date, days: number): string | null {
  return days > 0 ? new Date(now.getTime() - days * DAY_MS).toISOString() : null;
}

export async function planPurge(deps: EngineDeps, { limits, now }: { limits: LimitsPolicy; now: Date }): Promise<PurgePlan> {
  const { git, store, stateDir } = deps;
  const metricsBefore = cutoff(now, limits.metrics_retention_days);
  const backupsBefore = cutoff(now, limits.backup_retention_days);
  // A batch the crash journal names is not over, whatever its row says: recovery still needs it all.
  const journal = await readJournal(stateDir);
  const live = new Set(journal ? [journal.batch_id] : []);
  const unfinished = (id: string): boolean => {
    const status = store.batches.get(id)?.status;
    return live.has(id) || (status !== undefined && !FINISHED.includes(status));
  };
  const scope: RetentionScope = { batchesBefore: metricsBefore, statuses: FINISHED, keep: [...live], eventsBefore: metricsBefore };
  const rows = store.retention.preview(scope);
  const refs = await git.refsUnder([BACKUP_REF_PREFIX, RETRY_REF_PREFIX]);
  const kept: PurgePlan['kept'] = [];

  // A backup's age: when its row says it was made, else the time in its batch id (a rebuilt database).
  const backups = [...refs].flatMap(([ref, oid]) => {
    if (!ref.startsWith(BACKUP_REF_PREFIX)) return [];
    const batchId = ref.slice(BACKUP_REF_PREFIX.length);
    const row = store.backups.listByBatch(batchId).find((b) => b.backup_path === ref);
    const created = row ? Date.parse(row.created_at) : batchIdTime(batchId);
    return created === null || Number.isNaN(created) ? [] : [{ ref, oid, batchId, created }];
  });
  const newest = backups.reduce<(typeof backups)[number] | null>((a, b) => (a && a.created >= b.created ? a : b), null);
  const backupRefs: RefToDelete[] = [];
  for (const backup of backups) {
    if (backupsBefore === null || backup.created >= Date.parse(backupsBefore)) continue;
    const why = backup === newest ? KEPT_BECAUSE.newest : unfinished(backup.batchId) ? KEPT_BECAUSE.unfinished : null;
    if (why) kept.push({ ref: backup.ref, why });
    else backupRefs.push({ ref: backup.ref, oid: backup.oid, batchId: backup.batchId });
  }

  // Retry content goes with its batch's rows: one without the other is of no use to `retry`.
  const going = new Set(rows.batch_ids);
  const retryRefs: RefToDelete[] = [];
  for (const [ref, oid] of refs) {
    if (!ref.startsWith(RETRY_REF_PREFIX)) continue;
    const batchId = ref.slice(RETRY_REF_PREFIX.length);
    const time = batchIdTime(batchId);
    const orphanPastWindow = metricsBefore !== null && time !== null && time < Date.parse(metricsBefore) && !store.batches.get(batchId);
    if (going.has(batchId) || (orphanPastWindow && !live.has(batchId))) retryRefs.push({ ref, oid, batchId });
  }
  return { metricsBefore, backupsBefore, scope, rows, backupRefs, retryRefs, kept };
}
