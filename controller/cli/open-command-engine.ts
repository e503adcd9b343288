// The one way a CLI command opens the engine: it also prints the warnings every command shows
// (settings another writer removed from batch-control.json, docs/control-file.md#other-writers).
import { openEngine, type OpenEngineOptions } from '../app/index.js';
import type { Engine } from '../engine/index.js';
import { printControlWarnings } from './output/control-warnings.js';

/** @example const engine = await openCommandEngine({ ...options }); */
export async function openCommandEngine(options: OpenEngineOptions): Promise<Engine> {
  const engine = await openEngine(options);
  printControlWarnings(await engine.settingsWarnings());
  return engine;
}
