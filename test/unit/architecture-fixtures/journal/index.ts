// Breaks: journal and paths (both L1) import each other (with paths/index.ts).

import { isSafe } from '../paths/index.js';

export const lock = (path: string): boolean => isSafe(path);
