// Breaks: store and git never meet, though both are L1 (rebuilding one from the other is the engine's job).

import type { where } from '../git/index.js';

export type Where = typeof where;
