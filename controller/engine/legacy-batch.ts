// Legacy batch ids (docs/lifecycle.md#rollback): the registry's older commits name their batch with a
// `batch_id: YYYY-MM-DD[-NNN|-<ecosystem>]` line, on batch/* branches, and one id may name several
// commits. Exactly one commit must be chosen before anything acts on it.
import { BatchctlError } from '../errors/index.js';
import { legacyBatchCommits, type Git, type LegacyCommit } from '../git/index.js';

export type { LegacyCommit };

const LEGACY_ID = /^\d{4}-\d{2}-\d{2}(-[0-9a-z][0-9a-z._-]*)?$/;

/**
 * The one commit of legacy batch `id` (`commit`: a full or abbreviated sha that picks one of several).
 * @example await findLegacyBatch(git, { id: '2025-03-14-npm' }) // { commit, date, subject }
 */
export async function findLegacyBatch(git: Git, { id, commit }: { id: string; commit?: string | undefined }): Promise<LegacyCommit> {
  if (!LEGACY_ID.test(id)) {
    throw new BatchctlError({
      code: 'BATCH_ID_INVALID',
      message: `"${id}" is not a legacy batch id`,
      hint: 'legacy ids look like 2025-03-14, 2025-03-14-002 or 2025-03-14-npm; they are matched whole',
      data: { batch_id: id },
    });
  }
  const found = await legacyBatchCommits(git.runner, id);
  const chosen = commit === undefined ? found : found.filter((c) => /^[0-9a-f]{7,64}$/.test(commit) && c.commit.startsWith(commit));
  if (chosen.length === 0) {
    throw new BatchctlError({
      code: 'BATCH_NOT_FOUND',
      message: `no commit on any branch has the line "batch_id: ${id}"${commit !== undefined && found.length > 0 ? ` and is ${commit}` : ''}`,
      hint:
        found.length > 0
          ? `the commits of ${id}: ${found.map((c) => c.commit.slice(0, 12)).join(', ')}`
          : 'fetch the batch/* branches (git fetch origin "refs/heads/batch/*:refs/remotes/origin/batch/*")',
      data: { batch_id: id, ...(commit !== undefined ? { commit } : {}) },
    });
  }
  const [only] = chosen;
  if (chosen.length > 1 || !only) {
    throw new BatchctlError({
      code: 'BATCH_AMBIGUOUS',
      message: `legacy batch ${id} names ${chosen.length} commits:\n${chosen.map((c) => `  ${c.commit.slice(0, 12)} ${c.date} ${c.subject}`).join('\n')}`,
      hint: 'choose one with --commit <sha>',
      data: { batch_id: id, candidates: chosen },
    });
  }
  return only;
}

/** The rollback's view: the chosen commit, and no batch tag (legacy batches have none). */
export async function legacyCommits(
  git: Git,
  id: string,
  { commit }: { commit?: string | undefined },
): Promise<{ commits: string[]; tagged: string | null }> {
  return { commits: [(await findLegacyBatch(git, { id, commit })).commit], tagged: null };
}
