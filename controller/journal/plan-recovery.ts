// What to do with an interrupted batch, decided from the journal and HEAD alone (pure).
// git's sequencer rule: never undo when HEAD has moved to a commit the journal does not know.
import type { JournalRecord } from '../domain/index.js';

export type RecoveryPlan = { action: 'finish'; commit: string } | { action: 'restore' } | { action: 'blocked'; reason: string };

export function planRecovery(journal: JournalRecord, head: string | null): RecoveryPlan {
  if (journal.state === 'committing' && journal.commit !== null && head === journal.commit) {
    return { action: 'finish', commit: journal.commit };
  }
  if (head === journal.head) return { action: 'restore' };
  return {
    action: 'blocked',
    reason:
      `HEAD is ${head ?? '(unborn)'}, which batch ${journal.batch_id} never saw ` +
      `(it started at ${journal.head ?? '(unborn)'}${journal.commit ? ` and was committing ${journal.commit}` : ''})`,
  };
}
