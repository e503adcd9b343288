// What the engine fills in that a caller may leave out, so that every facade gets the same batch
// from the same document: who asked for it, and whether it is a dry run (docs/batch-format.md).
import type { Batch } from '../../domain/index.js';
import type { EngineDeps } from '../engine-deps.js';
import type { RunOptions } from './run-context.js';

/** The schema's default when a document names no one. */
const NOBODY = 'unknown';

/**
 * `requested_by`: the document's, else the caller's identity (an authenticated token, an agent),
 * else the process's actor. Dry run: the document's `options.dry_run` or the caller's flag; either
 * one is enough, so nothing is ever applied that someone asked only to see.
 */
export function withCallerDefaults(deps: EngineDeps, batch: Batch, options: RunOptions): { batch: Batch; options: RunOptions } {
  const requestedBy = batch.requested_by !== NOBODY ? batch.requested_by : (options.identity ?? deps.actor ?? NOBODY);
  const dryRun = options.dryRun === true || batch.options.dry_run;
  return {
    batch: requestedBy === batch.requested_by ? batch : { ...batch, requested_by: requestedBy },
    options: dryRun === options.dryRun ? options : { ...options, dryRun },
  };
}
