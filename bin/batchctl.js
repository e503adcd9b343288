#!/usr/bin/env node
// Thin launcher: the CLI is compiled and bundled into dist/cli/ (npm run build).
import('../dist/cli/main.js').then((m) => m.main(process.argv));
