// Applies pending schema migrations, each in its own transaction, recorded in schema_migrations.
import type Database from 'better-sqlite3';

import { BatchctlError } from '../errors/index.js';
import { LATEST_VERSION, MIGRATIONS, type Migration } from './migrations/index.js';

function userVersion(db: Database.Database): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/** A database from a newer batchctl may hold columns or rules this build would silently break. */
function refuseNewer(version: number, file: string): void {
  if (version <= LATEST_VERSION) return;
  throw new BatchctlError({
    code: 'STORE_FAILED',
    message: `${file} has schema version ${version}; this batchctl knows up to ${LATEST_VERSION}`,
    hint: 'upgrade batchctl to the version that wrote this database, or point --db at another file',
    data: { file, user_version: version, latest: LATEST_VERSION },
  });
}

export function migrate(db: Database.Database, file: string): void {
  refuseNewer(userVersion(db), file);
  for (const migration of MIGRATIONS) applyOne(db, migration, file);
}

function applyOne(db: Database.Database, migration: Migration, file: string): void {
  // PRAGMA takes no placeholders; the version comes from our own table, checked to be an integer.
  if (!Number.isSafeInteger(migration.version)) {
    throw new BatchctlError({ code: 'INTERNAL', message: `migration ${migration.name} has a bad version` });
  }
  // IMMEDIATE takes the write lock before re-reading user_version, so two processes opening a fresh
  // database at once cannot both apply the same migration (docs/lifecycle.md#durability-and-concurrency: several processes per repository).
  db.transaction(() => {
    const current = userVersion(db);
    refuseNewer(current, file);
    if (current >= migration.version) return;
    db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)`);
    db.exec(migration.sql);
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(
      migration.version,
      migration.name,
      new Date().toISOString(),
    );
    // user_version lives in the file header and is written inside this transaction: all or nothing.
    db.pragma(`user_version = ${migration.version}`);
  }).immediate();
}
