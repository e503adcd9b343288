// Legacy batch ids (docs/lifecycle.md#rollback): the registry's older commits name their batch with a
// `batch_id: YYYY-MM-DD[-NNN|-<ecosystem>]` line, on batch/* branches, and one id may name several
// commits. Exactly one commit must be chosen before anything acts on it. In a shallow clone the commit
// (and, to revert it, its parent) must be in the history, as for batchctl's own ids (with-history.ts).
import { BatchctlError } from '../errors/index.js';
import { legacyBatchCommits, type Git, type LegacyCommit } from '../git/index.js';
import { withHistory } from './rollback/with-history.js';

export type { LegacyCommit };

const LEGACY_ID = /^\d{4}-\d{2}-\d{2}(-[0-9a-z][0-9a-z._-]*)?$/;

/**
 * The one commit of legacy batch `id` (`commit`: a full or abbreviated sha that picks one of several).
 * `parent`: its parent must be here too (a revert); `fetch`: deepen a shallow clone instead of refusing.
 * @example await findLegacyBatch(git, { id: '2025-03-14-npm' }) // { commit, date, subject }
 */
export async function findLegacyBatch(
  git: Git,
  { id, commit, parent = false, fetch = false }: { id: string; commit?: string | undefined; parent?: boolean; fetch?: boolean },
): Promise<LegacyCommit> {
  if (!LEGACY_ID.test(id)) {
    throw new BatchctlError({
      code: 'BATCH_ID_INVALID',
      message: `"${id}" is not a legacy batch id`,
      hint: 'legacy ids look like 2025-03-14, 2025-03-14-002 or 2025-03-14-npm; they are matched whole',
      data: { batch_id: id },
    });
  }
  const pick = (found: LegacyCommit[]): LegacyCommit[] =>
    commit === undefined ? found : found.filter((c) => /^[0-9a-f]{7,64}$/.test(commit) && c.commit.startsWith(commit));
  const found = await withHistory({
    git,
    fetch,
    need: `a commit of legacy batch ${id} (they live on batch/* branches: fetch them too)${parent ? ' or its parent' : ''}`,
    attempt: async (boundary) => {
      const all = await legacyBatchCommits(git.runner, id);
      if (boundary.size === 0) return all;
      const [one, ...more] = pick(all);
      // Several, or none --commit names among some: refused below whatever the depth, as the script does.
      if (all.length > 0 && (!one || more.length > 0)) return all;
      return one && !(parent && boundary.has(one.commit)) ? all : null; // none here, or its parent missing
    },
  });
  const chosen = pick(found);
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
  { commit, fetch = false }: { commit?: string | undefined; fetch?: boolean },
): Promise<{ commits: string[]; tagged: string | null }> {
  return { commits: [(await findLegacyBatch(git, { id, commit, parent: true, fetch })).commit], tagged: null };
}
