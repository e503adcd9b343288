// Breaks: a type-only import points up a layer too.

import type { Engine } from '../engine/index.js';

export type Handle = Engine;
