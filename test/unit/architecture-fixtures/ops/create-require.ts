// Breaks: require() through createRequire reaches SQLite, a package only store/ may load.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
export const sqlite: unknown = require('better-sqlite3');
