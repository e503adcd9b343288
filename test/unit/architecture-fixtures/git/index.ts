// Breaks: side doors into journal/ (a sub-folder's index.ts, a file), and process.env outside app/.

import { deep } from '../journal/sub/index.js';
import { lockFile } from '../journal/lock-file.js';

export const where = process.env.BATCHCTL_WHERE ?? `${deep}${lockFile}`;
