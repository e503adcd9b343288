// Breaks: domain loads the engine for its side effects.

import '../engine/index.js';
