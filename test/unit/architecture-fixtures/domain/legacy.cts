// Breaks: import = require (CommonJS syntax; ES modules refuse it, so typecheck never sees this file).

import engine = require('../engine/index.js');

export = engine;
