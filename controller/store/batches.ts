// The batch_operations table: one row per batch, its status, counts and provenance.
import type Database from 'better-sqlite3';

import type { BatchStatus } from '../domain/index.js';
import { BatchctlError } from '../errors/index.js';
import { guard } from './store-error.js';
import type { BatchListOptions, BatchPatch, BatchRow, EcosystemOutcomeRow, OutcomeRow, StoreBatches } from './store.js';

/** Every column of BatchRow; also the allow-list for update (SQL is never built from values). */
const COLUMNS = [
  'batch_id',
  'status',
  'operation_type',
  'total_count',
  'success_count',
  'failure_count',
  'created_at',
  'completed_at',
  'backup_id',
  'title',
  'ecosystem',
  'requested_by',
  'agent',
  'priority',
  'commit_sha',
  'tag',
  'plan_hash',
  'idempotency_key',
  'reason_code',
  'reason_message',
  'duration_ms',
  'options_json',
  'source',
] as const satisfies readonly (keyof BatchRow)[];
type Column = (typeof COLUMNS)[number];
// Fails to compile when BatchRow gains a field that COLUMNS does not list.
const complete: Exclude<keyof BatchRow, Column> extends never ? true : never = true;
void complete;

const UPDATABLE: ReadonlySet<string> = new Set(COLUMNS.filter((c) => c !== 'batch_id'));
const SELECT = `SELECT ${COLUMNS.join(', ')} FROM batch_operations`;

type Params = Record<string, unknown>;

export function createBatches(db: Database.Database): StoreBatches {
  const insert = db.prepare<Params>(
    `INSERT INTO batch_operations (${COLUMNS.join(', ')}, other_ecosystems) VALUES (${COLUMNS.map((c) => `@${c}`).join(', ')}, @other_ecosystems)`,
  );
  const get = db.prepare<[string], BatchRow>(`${SELECT} WHERE batch_id = ?`);
  const byKey = db.prepare<[string], BatchRow>(`${SELECT} WHERE idempotency_key = ?`);
  const outcomes = db.prepare<[string], OutcomeRow>(
    `SELECT ecosystem, other_ecosystems, ecosystem_outcomes, status, success_count, failure_count, duration_ms, source, created_at FROM batch_operations
     WHERE created_at >= ? AND status IN ('completed', 'failed', 'rolled_back') ORDER BY created_at, id`,
  );
  const setOutcomes = db.prepare<[string, string]>('UPDATE batch_operations SET ecosystem_outcomes = ? WHERE batch_id = ?');
  const countAll = db.prepare<[], number>('SELECT count(*) FROM batch_operations').pluck();
  const countByStatus = db.prepare<[string], number>('SELECT count(*) FROM batch_operations WHERE status = ?').pluck();

  // Lazily prepared, then cached for the life of the store: one statement per filter shape or column set.
  const listCache = new Map<string, Database.Statement<Params, BatchRow>>();
  const updateCache = new Map<string, Database.Statement<Params>>();

  function listStatement(opts: BatchListOptions): Database.Statement<Params, BatchRow> {
    const filters = [
      opts.status !== undefined ? 'status = @status' : '',
      opts.ecosystem !== undefined ? 'ecosystem = @ecosystem' : '',
      // Keyset paging: the rows after the cursor's in the list's own order (stable while rows are added).
      opts.after !== undefined ? '(created_at, id) < (SELECT created_at, id FROM batch_operations WHERE batch_id = @after)' : '',
    ].filter(Boolean);
    const key = filters.join(' AND ');
    let statement = listCache.get(key);
    if (!statement) {
      const where = key ? ` WHERE ${key}` : '';
      statement = db.prepare<Params, BatchRow>(`${SELECT}${where} ORDER BY created_at DESC, id DESC LIMIT @limit OFFSET @offset`);
      listCache.set(key, statement);
    }
    return statement;
  }

  function updateStatement(columns: readonly string[]): Database.Statement<Params> {
    const key = columns.join(',');
    let statement = updateCache.get(key);
    if (!statement) {
      const sets = columns.map((c) => `${c} = @${c}`).join(', ');
      statement = db.prepare<Params>(`UPDATE batch_operations SET ${sets} WHERE batch_id = @batch_id`);
      updateCache.set(key, statement);
    }
    return statement;
  }

  return guard('batches', {
    insert(row: BatchRow, ecosystems: readonly string[] = []): void {
      // Copy the known columns only: better-sqlite3 needs every named parameter present.
      const params: Params = {};
      for (const column of COLUMNS) params[column] = row[column] ?? null;
      const others = ecosystems.filter((e) => e !== row.ecosystem);
      params['other_ecosystems'] = others.length > 0 ? others.join(',') : null;
      insert.run(params);
    },

    update(batchId: string, patch: BatchPatch): boolean {
      const entries = Object.entries(patch).filter(([, value]) => value !== undefined);
      const unknown = entries.map(([column]) => column).filter((column) => !UPDATABLE.has(column));
      if (unknown.length > 0) {
        throw new BatchctlError({
          code: 'STORE_FAILED',
          message: `batches.update: not updatable: ${unknown.join(', ')}`,
          hint: 'batch_id is the key and cannot change; other names must be BatchRow columns',
          data: { columns: unknown },
        });
      }
      if (entries.length === 0) return get.get(batchId) !== undefined;
      // Sorted so that the same set of columns always reuses one cached statement.
      entries.sort(([a], [b]) => (a < b ? -1 : 1));
      const params: Params = Object.fromEntries(entries);
      params['batch_id'] = batchId;
      return updateStatement(entries.map(([column]) => column)).run(params).changes > 0;
    },

    get(batchId: string): BatchRow | undefined {
      return get.get(batchId);
    },

    list(opts: BatchListOptions): BatchRow[] {
      const { limit, offset = 0, status, ecosystem, after } = opts;
      const params: Params = { limit, offset };
      if (after !== undefined) params['after'] = after;
      if (status !== undefined) params['status'] = status;
      if (ecosystem !== undefined) params['ecosystem'] = ecosystem;
      return listStatement(opts).all(params);
    },

    count(opts: { status?: BatchStatus } = {}): number {
      return (opts.status === undefined ? countAll.get() : countByStatus.get(opts.status)) ?? 0;
    },

    findByIdempotencyKey(key: string): BatchRow | undefined {
      return byKey.get(key);
    },

    outcomesSince(since: string): OutcomeRow[] {
      return outcomes.all(since);
    },

    recordEcosystemOutcomes(batchId: string, byEcosystem: Readonly<Record<string, EcosystemOutcomeRow>>): boolean {
      return setOutcomes.run(JSON.stringify(byEcosystem), batchId).changes > 0;
    },
  });
}
