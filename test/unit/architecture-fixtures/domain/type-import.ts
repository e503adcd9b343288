// Breaks: an import type written in a type position.

export type Handle = import('../engine/index.js').Engine;
