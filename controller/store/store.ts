// The store's rows and its namespaced API (docs/lifecycle.md#durability-and-concurrency: SQLite is an index and metrics store, rebuildable from git).
import type { BatchEvent, BatchStatus, EventType, ItemStatus } from '../domain/index.js';
import type { StoreBatchStats } from './batch-stats.js';

/** One row of batch_operations: the seed design's columns first, then ours. */
export interface BatchRow {
  batch_id: string;
  status: BatchStatus;
  /** the single operation type of the batch, or 'mixed' */
  operation_type: string;
  total_count: number;
  success_count: number;
  failure_count: number;
  created_at: string;
  completed_at: string | null;
  backup_id: string | null;
  title: string;
  ecosystem: string;
  requested_by: string;
  agent: string | null;
  priority: number;
  commit_sha: string | null;
  tag: string | null;
  plan_hash: string | null;
  idempotency_key: string | null;
  reason_code: string | null;
  reason_message: string | null;
  duration_ms: number | null;
  /** the batch options as JSON text, kept verbatim */
  options_json: string | null;
  /** 'cli' | 'http' | 'mcp' | 'reindex' */
  source: string;
}

/** One row of batch_items: the outcome of one operation of a batch. */
export interface ItemRow {
  batch_id: string;
  item_index: number;
  operation: string;
  source_path: string | null;
  target_path: string;
  status: ItemStatus;
  error_code: string | null;
  error_message: string | null;
  attempts: number;
  /** the blob written, so `verify` can detect drift later */
  blob_id: string | null;
  processed_at: string | null;
  /** items that did not land (failed, skipped, reverted): the concrete operation as JSON, for retry */
  op_json?: string | null;
}

/** One row of batch_backups; backup_path holds the git ref name. */
export interface BackupRow {
  backup_id: string;
  batch_id: string;
  backup_path: string;
  created_at: string;
  expires_at: string;
  restored: boolean;
}

export type BatchPatch = Partial<Omit<BatchRow, 'batch_id'>>;

export interface BatchListOptions {
  limit: number;
  offset?: number;
  status?: BatchStatus;
  ecosystem?: string;
  /** the rows after this batch's in the list's order (keyset paging); an unknown id gives none */
  after?: string;
}

export interface ItemListOptions {
  limit: number;
  offset?: number;
  status?: ItemStatus;
}

export interface NewEvent {
  type: EventType;
  batch_id: string | null;
  at: string;
  data: Record<string, unknown>;
}

export interface EventListOptions {
  batchId?: string;
  /** only events with seq greater than this (resume point); default 0 */
  afterSeq?: number;
  limit: number;
}

export interface StoreBatches {
  /** Duplicate batch_id or idempotency_key → STORE_FAILED with `data.constraint` (see STORE_CONSTRAINT). */
  /**
   * `ecosystems`: every ecosystem the batch touched, its own first (docs/control-file.md#slis); the
   * others are kept for SLIs only, outside BatchRow.
   */
  insert(row: BatchRow, ecosystems?: readonly string[]): void;
  /** Returns false when no batch has that id. Unknown column names → STORE_FAILED. */
  update(batchId: string, patch: BatchPatch): boolean;
  get(batchId: string): BatchRow | undefined;
  /** Newest first (created_at desc, then insertion order desc). */
  list(opts: BatchListOptions): BatchRow[];
  count(opts?: { status?: BatchStatus }): number;
  findByIdempotencyKey(key: string): BatchRow | undefined;
  /** Batches created at or after `since` (ISO time) that ran to an outcome, for SLIs; oldest first. */
  outcomesSince(since: string): OutcomeRow[];
  /**
   * Each ecosystem's share of a multi-ecosystem batch's outcome (docs/control-file.md#multi-ecosystem-outcomes),
   * kept for SLIs outside BatchRow; false when no batch has that id.
   */
  recordEcosystemOutcomes(batchId: string, outcomes: Readonly<Record<string, EcosystemOutcomeRow>>): boolean;
}

/** One ecosystem's share of a batch: its steps' counts and what its SLIs hear (`none`: not a sample). */
export interface EcosystemOutcomeRow {
  succeeded: number;
  failed: number;
  outcome: 'success' | 'failure' | 'none';
}

/** The process running a batch: pid, start time and boot id (null where /proc is not there), host. */
export interface BatchOwner {
  pid: number;
  start: string | null;
  boot: string | null;
  host: string;
}

/** A row a run has not finished, with the process that owns it. */
export interface UnfinishedOwnedRow {
  batch_id: string;
  status: BatchStatus;
  owner: BatchOwner;
}

export interface StoreBatchOwners {
  /** Record which process runs the batch (in the transaction that inserts its row). */
  set(batchId: string, owner: BatchOwner): void;
  /** Rows with an owner whose status is not final (queued … committing), oldest first. */
  unfinished(): UnfinishedOwnedRow[];
}

/** What SLIs need of a batch that ran. */
export type OutcomeRow = Pick<
  BatchRow,
  'ecosystem' | 'status' | 'success_count' | 'failure_count' | 'duration_ms' | 'source' | 'created_at'
> & {
  /** the other ecosystems the batch touched, comma-separated and sorted; null: only its own */
  other_ecosystems: string | null;
  /** JSON of each ecosystem's EcosystemOutcomeRow; null (one ecosystem, or a row from before migration 7): the batch's counts for each */
  ecosystem_outcomes: string | null;
};

export interface StoreItems {
  /** All rows in one transaction; a duplicate (batch_id, item_index) rolls back the whole call. */
  /** rows may be generated one by one: 100,000 row objects at once are a heap of their own */
  insertMany(rows: Iterable<ItemRow>): void;
  /** Like insertMany, but an existing (batch_id, item_index) row is overwritten. */
  upsertMany(rows: Iterable<ItemRow>): void;
  /** Ordered by item_index. */
  list(batchId: string, opts: ItemListOptions): ItemRow[];
  count(batchId: string, opts?: { status?: ItemStatus }): number;
  /** Streams in item_index order, page by page, so the caller may write to the store between rows. */
  iterate(batchId: string): IterableIterator<ItemRow>;
  /** the operations of a batch that landed, in item_index order, with only what `verify` compares (four columns, not twelve) */
  landed(batchId: string): LandedItem[];
}

/** An operation that landed and the blob it left (docs/lifecycle.md#drift). */
export type LandedItem = Pick<ItemRow, 'operation' | 'source_path' | 'target_path' | 'blob_id'>;

export interface StoreBackups {
  insert(row: BackupRow): void;
  listByBatch(batchId: string): BackupRow[];
  /** Backups whose expires_at <= now (ISO text compare), oldest expiry first. */
  expired(now: string): BackupRow[];
  /** Returns false when no backup has that id. */
  markRestored(backupId: string): boolean;
  /** Forget a backup whose ref is gone (purged); false when no backup has that id. */
  remove(backupId: string): boolean;
  /** backups kept now (`GET /health`'s backup_count) */
  count(): number;
}

/** One rollback a caller asked for (migration 9): the revert batch's row holds its outcome, this the why. */
export interface RollbackRow {
  /** the revert batch that ran it (its own row in batch_operations) */
  rollback_batch_id: string;
  /** the batch it reverts */
  batch_id: string;
  /** the caller's reason (`POST /api/rollback {reason}`, `batchctl rollback --reason`); null: none given */
  reason: string | null;
  requested_by: string;
  /** `--paths` globs of a partial rollback; null: all of it */
  paths: string[] | null;
  restore: boolean;
  at: string;
}

export interface StoreRollbacks {
  /** in the revert batch's lifetime: its row must exist (FOREIGN KEY) */
  insert(row: RollbackRow): void;
  /** the rollbacks asked of a batch, oldest first */
  ofBatch(batchId: string): RollbackRow[];
  /** the rollback a revert batch ran, if it is one */
  byRollback(rollbackBatchId: string): RollbackRow | undefined;
}

/** A submitted batch as stored until a worker claims it: the batch and its run options as JSON. */
export interface QueueEntry {
  batch_id: string;
  batch_json: string;
  run_json: string;
}

export interface StoreQueue {
  /** the entry of a batch whose `queued` row is already inserted (in the same transaction) */
  add(entry: QueueEntry): void;
  /** the queued batches, next first: highest priority, then oldest */
  ids(): string[];
  /** claim a batch: its entry, deleted; undefined when it is gone (claimed or cancelled already) */
  take(batchId: string): QueueEntry | undefined;
  /** the entry's run options (JSON), without claiming it */
  peek(batchId: string): string | undefined;
  count(): number;
}

export interface StoreEvents {
  /** Assigns the next global seq (never reused, even after a purge) and returns the full envelope. */
  append(event: NewEvent, wantedSeq?: number): BatchEvent;
  /** Ascending seq. */
  list(opts: EventListOptions): BatchEvent[];
  /** The last seq ever assigned (0 for a fresh store), even if that event was purged. */
  lastSeq(): number;
  /** The highest seq a purge deleted (0: none ever was): a replay from before it has a gap. */
  purgedThrough(): number;
}

/** What a purge deletes from the metrics tables; a null time keeps everything of that kind. */
export interface RetentionScope {
  /** batches created before this ISO time go, with their items, if their status is in `statuses` */
  batchesBefore: string | null;
  statuses: readonly BatchStatus[];
  /** batch ids never deleted, whatever their age (the crash journal's batch) */
  keep: readonly string[];
  /** events before this ISO time go */
  eventsBefore: string | null;
}

export interface RetentionCounts {
  batches: number;
  items: number;
  events: number;
}

export interface RetentionPreview extends RetentionCounts {
  /** the batches that would go, oldest first */
  batch_ids: string[];
}

export interface StoreRetention {
  /** What purge(scope) would delete now; changes nothing. */
  preview(scope: RetentionScope): RetentionPreview;
  /** Deletes it, in one transaction; the counts of rows deleted. */
  purge(scope: RetentionScope): RetentionCounts;
  /** When the last retention pass ran (ISO time), or null if none ever did. */
  lastPassAt(): string | null;
  markPass(at: string): void;
}

export interface StoreControlAudit {
  /** true the first time a commit is marked, false when it was audited already */
  markAudited(commit: string, at: string): boolean;
}

export interface Store {
  /** absolute path of the database file (':memory:' kept as is) */
  readonly file: string;
  /**
   * The file was there but empty (0 bytes) when opened: a new database was made in it, so the batch
   * history it held is gone until `batchctl reindex` rebuilds it (docs/lifecycle.md#durability-and-concurrency).
   */
  readonly foundEmpty: boolean;
  controlAudit: StoreControlAudit;
  batches: StoreBatches;
  batchOwners: StoreBatchOwners;
  items: StoreItems;
  backups: StoreBackups;
  events: StoreEvents;
  queue: StoreQueue;
  retention: StoreRetention;
  rollbacks: StoreRollbacks;
  /** the dashboard's aggregates: batches per hour and success per ecosystem */
  stats: StoreBatchStats;
  /**
   * A token that differs whenever this connection or any other (another process included) has changed
   * the database since it was taken: two trivial statements, for read caches (SQLite's total_changes() and
   * PRAGMA data_version).
   */
  changeStamp(): string;
  /** Runs fn in one transaction (nested calls become savepoints); fn must be synchronous. */
  transaction<T>(fn: () => T): T;
  /** 'ok' when healthy, otherwise the problems PRAGMA integrity_check reports, one per line. */
  integrityCheck(): string;
  close(): void;
}

/** Names reported in `error.data.constraint` when an insert breaks a uniqueness rule. */
export const STORE_CONSTRAINT = {
  /** a batch with this batch_id is already stored */
  batchId: 'batch_operations.batch_id',
  /** a batch with this idempotency_key is already stored: look it up and return it instead */
  idempotencyKey: 'batch_operations.idempotency_key',
  /** an item index repeated within one batch */
  itemIndex: 'batch_items.batch_id, batch_items.item_index',
  /** an item or other child row names a batch that is not stored */
  foreignKey: 'FOREIGN KEY',
  backupId: 'batch_backups.backup_id',
} as const;
export type StoreConstraint = (typeof STORE_CONSTRAINT)[keyof typeof STORE_CONSTRAINT];
