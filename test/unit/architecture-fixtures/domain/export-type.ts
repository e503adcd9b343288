// Breaks: domain re-exports a type of the engine.

export type { Engine } from '../engine/index.js';
