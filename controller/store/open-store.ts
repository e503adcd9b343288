// Opens (and migrates) the SQLite store: WAL, full fsync, foreign keys, and one namespace per table group.
import fs from 'node:fs';
import path from 'node:path';

import Database from 'better-sqlite3';

import { BatchctlError } from '../errors/index.js';
import { createBackups } from './backups.js';
import { createBatchOwners } from './batch-owners.js';
import { createBatchStats } from './batch-stats.js';
import { createBatches } from './batches.js';
import { createControlAudit } from './control-audit.js';
import { createEvents } from './events.js';
import { createItems } from './items.js';
import { migrate } from './migrate.js';
import { createQueue } from './queue.js';
import { createRetention } from './retention.js';
import { createRollbacks } from './rollbacks.js';
import { guard, isSqliteFailure } from './store-error.js';
import type { Store } from './store.js';

export interface OpenStoreOptions {
  /** the database file; parent directories are created. ':memory:' gives a throwaway store. */
  file: string;
}

function configure(db: Database.Database): void {
  db.pragma('journal_mode = WAL');
  // docs/lifecycle.md#durability-and-concurrency, durability first: NORMAL may lose the last commits on power loss in WAL mode; FULL does not.
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // better-sqlite3 raises SQLite's page cache to 16 MB; a 100,000-item transaction then kept ~28 MB
  // of dirty pages resident. Writes here are appends and reads are by index: 2 MB (SQLite's own
  // default) spills to the WAL instead, with no cost to lookups (docs/benchmarks.md, peak RSS).
  db.pragma('cache_size = -2000');
}

function openFailed(file: string, error: unknown): BatchctlError {
  const sqliteCode = isSqliteFailure(error) ? error.code : undefined;
  const notADatabase = sqliteCode === 'SQLITE_NOTADB' || sqliteCode === 'SQLITE_CORRUPT';
  return new BatchctlError({
    code: 'STORE_FAILED',
    message: notADatabase
      ? `${file} is not a batchctl database (or is damaged)`
      : `cannot open the database ${file}: ${error instanceof Error ? error.message : String(error)}`,
    // docs/lifecycle.md#durability-and-concurrency: SQLite is only an index of git, so a damaged file can be set aside and rebuilt.
    hint: notADatabase
      ? 'move the file aside and run `batchctl reindex` to rebuild it from git history'
      : 'check that the directory exists and is writable, or pass another --db',
    data: { file, ...(sqliteCode ? { sqlite_code: sqliteCode } : {}) },
    cause: error,
  });
}

export function openStore({ file }: OpenStoreOptions): Store {
  const resolved = file === ':memory:' ? file : path.resolve(file);
  let db: Database.Database | undefined;
  let foundEmpty = false;
  try {
    if (resolved !== ':memory:') {
      fs.mkdirSync(path.dirname(resolved), { recursive: true });
      // SQLite takes a 0-byte file for a new database; ours never is one once opened (WAL header).
      foundEmpty = fs.statSync(resolved, { throwIfNoEntry: false })?.size === 0;
    }
    db = new Database(resolved);
    configure(db);
    migrate(db, resolved);
  } catch (error) {
    db?.close();
    throw error instanceof BatchctlError ? error : openFailed(resolved, error);
  }
  return assemble(db, resolved, foundEmpty);
}

function assemble(db: Database.Database, file: string, foundEmpty: boolean): Store {
  // total_changes(): rows this connection changed; data_version: moves when another connection commits.
  // Two statements cost half of one reading both through the pragma_data_version table function.
  const ownChanges = db.prepare<[], number>('SELECT total_changes()').pluck();
  const othersCommits = db.prepare<[], number>('PRAGMA data_version').pluck();
  const rest = guard('store', {
    changeStamp(): string {
      return `${ownChanges.get() ?? 0}.${othersCommits.get() ?? 0}`;
    },
    transaction<T>(fn: () => T): T {
      return db.transaction(fn)();
    },
    integrityCheck(): string {
      const rows = db.pragma('integrity_check') as { integrity_check: string }[];
      return rows.map((row) => row.integrity_check).join('\n');
    },
    close(): void {
      if (!db.open) return;
      // Lets SQLite refresh its planner statistics from this session's queries; cheap when nothing changed.
      db.pragma('optimize');
      db.close();
    },
  });
  return {
    file,
    foundEmpty,
    batches: createBatches(db),
    batchOwners: createBatchOwners(db),
    items: createItems(db),
    backups: createBackups(db),
    events: createEvents(db),
    queue: createQueue(db),
    retention: createRetention(db),
    rollbacks: createRollbacks(db),
    controlAudit: createControlAudit(db),
    stats: createBatchStats(db),
    ...rest,
  };
}
