// app/: the composition root.
export { readEnvironment, type Environment } from './environment.js';
export { openEngine, type OpenEngineOptions } from './open-engine.js';
