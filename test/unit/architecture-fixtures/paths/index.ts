// Breaks: the other half of the journal ⇄ paths cycle.

import { lock } from '../journal/index.js';

export const isSafe = (path: string): boolean => path.length > 0;
export const locked = (path: string): boolean => lock(path);
