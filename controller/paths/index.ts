// Paths: the only door to path safety, glob and protected-path matching, and collision keys (pure, no I/O).
export { checkPath, type PathCheck } from './check-path.js';
export { collisionKey, findCollisions } from './collision-key.js';
export { compileGlob, globBase, isGlob, type CompiledGlob } from './glob.js';
export { createProtectedMatcher } from './protected.js';
export { spellingIndex } from './spelling-index.js';
