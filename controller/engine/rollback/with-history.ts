// Commands that read history (rollback, find by id, reindex) in a shallow clone: they fetch just the
// history they need when the caller allowed it (`--fetch`, `fetch: true`) and a remote is there, or
// refuse with SHALLOW_CLONE. Never go on with a boundary commit's "everything added" diff.
import { BatchctlError } from '../../errors/index.js';
import type { Git } from '../../git/index.js';

const HINT =
  'fetch the history first: `git fetch --unshallow` (in GitHub Actions: `fetch-depth: 0` for actions/checkout), or pass --fetch to fetch just what is needed';

export function shallowCloneError({ need, fetch, remote }: { need: string; fetch: boolean; remote: string | null }): BatchctlError {
  return new BatchctlError({
    code: 'SHALLOW_CLONE',
    message: `this is a shallow clone and ${need} is not in its history; nothing was changed`,
    hint: fetch && !remote ? `--fetch needs a remote to fetch from (the branch's upstream, or origin); ${HINT}` : HINT,
    data: { need, fetch, remote },
  });
}

/**
 * Runs `attempt` with the clone's shallow boundary (empty: complete history) until it answers
 * (non-null). `null` means "the history I need is missing": with `fetch` the history is deepened
 * (1, 2, 4 … commits more, or all of it with `deepen: 'all'`) and `attempt` runs again; without it
 * SHALLOW_CLONE. `attempt` must answer once the boundary is empty.
 */
export async function withHistory<T>({
  git,
  fetch,
  need,
  deepen = 'double',
  attempt,
}: {
  git: Git;
  fetch: boolean;
  /** what is missing, for the error: "the parent of batch b-… 's commit" */
  need: string;
  deepen?: 'double' | 'all';
  attempt: (boundary: ReadonlySet<string>) => Promise<T | null>;
}): Promise<T> {
  let by = 1;
  for (;;) {
    const boundary = await git.shallowBoundary();
    const answer = await attempt(boundary);
    if (answer !== null) return answer;
    if (boundary.size === 0) throw new Error(`withHistory: no answer for ${need} with complete history`);
    const remote = fetch ? await git.historyRemote() : null;
    if (!fetch || !remote) throw shallowCloneError({ need, fetch, remote });
    // past 65536 commits, all of it: the loop must end even if git kept a boundary
    await git.deepenHistory({ remote, by: deepen === 'all' || by > 65536 ? 'all' : by });
    by *= 2;
  }
}
