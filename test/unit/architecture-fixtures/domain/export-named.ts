// Breaks: domain re-exports one name of the engine.

export { engine } from '../engine/index.js';
