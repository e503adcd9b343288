// Clean: store/ is the one folder that opens SQLite.
import Database from 'better-sqlite3';

export const open = (): unknown => new Database(':memory:');
