// Rows a dead run left unfinished (docs/lifecycle.md#the-journal-and-crash-recovery): a run killed
// before it wrote its journal leaves its row `queued`, `preflight` or `validating`; one killed after
// it removed its journal but before the final record leaves it `running`. Only rows whose owning
// process is gone are finalized (`failed`, INTERRUPTED): a live process's row is its own business,
// and a row of another host's process cannot be judged from here.
import { hostname } from 'node:os';

import { BATCH_STATUS, EVENT, TAG_PREFIX } from '../domain/index.js';
import { identityAlive } from '../journal/index.js';
import type { EngineDeps } from './engine-deps.js';

/** Statuses a run reaches before its journal exists: nothing of the batch touched the work tree. */
const BEFORE_JOURNAL: ReadonlySet<string> = new Set([BATCH_STATUS.queued, BATCH_STATUS.preflight, BATCH_STATUS.validating]);

/** Call with the repository lock held, after the journal (if any) was settled. Returns the ids finalized. */
export async function finalizeStuckRows(deps: EngineDeps): Promise<string[]> {
  const { store, git, bus, now, logger } = deps;
  const finalized: string[] = [];
  for (const { batch_id, status, owner } of store.batchOwners.unfinished()) {
    if (owner.host !== hostname() || identityAlive(owner)) continue;
    // Tagged: the batch landed and only its record is missing; `batchctl reindex` records it.
    if ((await git.readRef(`refs/tags/${TAG_PREFIX}${batch_id}`)) !== null) {
      logger.warn({ batch_id }, 'an interrupted batch is committed but its row is not final; `batchctl reindex` records it');
      continue;
    }
    const what = BEFORE_JOURNAL.has(status) ? 'before it touched the work tree' : 'after it had put the work tree back';
    store.batches.update(batch_id, {
      status: BATCH_STATUS.failed,
      completed_at: now().toISOString(),
      reason_code: 'INTERRUPTED',
      reason_message: `the run (pid ${owner.pid}) ended while the batch was ${status}, ${what}; recovery marked it failed`,
    });
    store.queue.take(batch_id); // a run() that died waiting for its turn: its entry goes with it
    finalized.push(batch_id);
    bus.emit(EVENT.recovered, batch_id, { batch_id, kind: 'batch', action: 'finalized', paths: 0 });
  }
  if (finalized.length > 0) logger.warn({ batches: finalized }, 'marked batches whose run had died failed (INTERRUPTED)');
  return finalized;
}
