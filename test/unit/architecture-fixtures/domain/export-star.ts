// Breaks: domain re-exports the engine.

export * from '../engine/index.js';
