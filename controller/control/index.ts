// control/: batch-control.json — load (fail closed), defaults, preflight.
export { defaultControlFile, renderControlFile } from './default-control-file.js';
export { loadControlFile, parseControlFile } from './load-control-file.js';
export { preflight, type PreflightDecision } from './preflight.js';
export { controlFileJsonSchema } from './json-schema.js';
