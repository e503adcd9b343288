// Breaks: only store/ opens SQLite.

import Database from 'better-sqlite3';

export const open = (): unknown => new Database(':memory:');
