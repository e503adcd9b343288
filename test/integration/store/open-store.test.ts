// openStore: file creation, pragmas, migrations, and refusing files it must not touch.
import fs from 'node:fs';
import path from 'node:path';

import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';

import { openStore } from '../../../controller/store/index.js';
import { tempDbFile, thrown } from './fixtures.js';

/** Reads the file with a second, raw connection, as another process would. */
function inspect<T>(file: string, fn: (db: Database.Database) => T): T {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

describe('openStore', () => {
  it('creates missing parent directories and the database file', () => {
    const file = path.join(path.dirname(tempDbFile()), 'deep', 'er', 'state.db');
    const store = openStore({ file });
    store.close();
    expect(fs.existsSync(file)).toBe(true);
    expect(store.file).toBe(file);
  });

  it('puts the database in WAL mode', () => {
    const file = tempDbFile();
    const store = openStore({ file });
    expect(inspect(file, (db) => db.pragma('journal_mode', { simple: true }))).toBe('wal');
    store.close();
  });

  it('migrates to the latest user_version and records each migration once, however often it is re-opened', () => {
    const file = tempDbFile();
    for (let i = 0; i < 3; i += 1) openStore({ file }).close();
    const migrations = inspect(file, (db) => db.prepare('SELECT version, name FROM schema_migrations').all());
    expect(migrations).toEqual([
      { version: 1, name: 'initial' },
      { version: 2, name: 'item-operations' },
      { version: 3, name: 'control-audit' },
      { version: 4, name: 'retention' },
      { version: 5, name: 'batch-ecosystems' },
      { version: 6, name: 'batch-owners' },
      { version: 7, name: 'ecosystem-outcomes' },
      { version: 8, name: 'batch-queue' },
      { version: 9, name: 'batch-rollbacks' },
    ]);
    expect(inspect(file, (db) => db.pragma('user_version', { simple: true }))).toBe(9);
  });

  it('creates the seed tables and indexes', () => {
    const file = tempDbFile();
    openStore({ file }).close();
    const names = inspect(file, (db) =>
      db.prepare<[], string>("SELECT name FROM sqlite_master WHERE type IN ('table', 'index')").pluck().all(),
    );
    expect(names).toEqual(
      expect.arrayContaining([
        'batch_operations',
        'batch_items',
        'batch_backups',
        'batch_events',
        'schema_migrations',
        'idx_batch_id',
        'idx_batch_status',
        'idx_batch_date',
        'idx_items_batch',
        'idx_items_status',
        'idx_backups_batch',
        'idx_backups_expires',
      ]),
    );
  });

  it('refuses a database written by a newer batchctl, and leaves it as it was', () => {
    const file = tempDbFile();
    openStore({ file }).close();
    const db = new Database(file);
    db.pragma('user_version = 99');
    db.close();

    const error = thrown(() => openStore({ file }));
    expect(error.code).toBe('STORE_FAILED');
    expect(error.data).toMatchObject({ file, user_version: 99, latest: 9 });
    expect(error.message).toMatch(/upgrade batchctl/);
    expect(inspect(file, (raw) => raw.pragma('user_version', { simple: true }))).toBe(99);
  });

  it('refuses a file that is not a database, naming the file', () => {
    const file = tempDbFile('garbage.db');
    fs.writeFileSync(file, 'this is not a database\n'.repeat(100));

    const error = thrown(() => openStore({ file }));
    expect(error.code).toBe('STORE_FAILED');
    expect(error.data).toMatchObject({ file, sqlite_code: 'SQLITE_NOTADB' });
    expect(error.message).toContain(file);
  });

  it('reports a healthy database as ok', () => {
    const store = openStore({ file: tempDbFile() });
    expect(store.integrityCheck()).toBe('ok');
    store.close();
  });

  it('tolerates being closed twice', () => {
    const store = openStore({ file: tempDbFile() });
    store.close();
    expect(() => store.close()).not.toThrow();
  });
});
