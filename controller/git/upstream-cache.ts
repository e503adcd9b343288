// The branch's upstream, asked of git once and then again only when what it is made of changes
// (docs/lifecycle.md#gitops-push): a long-lived engine runs many batches, and each asked two git
// processes (symbolic-ref, for-each-ref) for an answer that is the same until someone switches the
// branch or edits the configuration. The key: the branch HEAD names (read from HEAD itself) and
// each configuration file's identity (inode, size, modification time in nanoseconds).
import { statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { upstreamOf, type Upstream } from './remote.js';
import { userConfigFiles, type GitRunner } from './runner.js';

/** The files an upstream is configured in: the repository's, a worktree's own, the user's. */
function configFiles({ gitDir, commonDir }: { gitDir: string; commonDir: string }): string[] {
  return [join(commonDir, 'config'), join(gitDir, 'config.worktree'), ...userConfigFiles()];
}

function identityOf(file: string): string {
  const stat = statSync(file, { bigint: true, throwIfNoEntry: false });
  return stat ? `${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}` : '-';
}

/** The branch HEAD names (`refs/heads/main`), '' when detached; null when HEAD is not a plain file git's way. */
async function headRef(gitDir: string): Promise<string | null> {
  const text = await readFile(join(gitDir, 'HEAD'), 'utf8').catch(() => null);
  if (text === null) return null;
  if (text.startsWith('ref: ')) return text.slice(5).trim();
  return /^[0-9a-f]{40}(?:[0-9a-f]{24})?\n?$/.test(text) ? '' : null;
}

/**
 * `upstreamOf`, remembered by key. A HEAD in another form (a symlink's target, a reftable) is asked
 * of git every time.
 * @example const upstream = cachedUpstream({ git: runner, gitDir, commonDir }); await upstream();
 */
export function cachedUpstream({
  git,
  gitDir,
  commonDir,
}: {
  git: GitRunner;
  gitDir: string;
  commonDir: string;
}): () => Promise<Upstream | null> {
  let last: { key: string; answer: Promise<Upstream | null> } | null = null;
  return async () => {
    const ref = await headRef(gitDir);
    if (ref === null) return upstreamOf(git);
    if (ref === '') return null; // detached: no branch, no upstream (what upstreamOf answers)
    const key = [ref, ...configFiles({ gitDir, commonDir }).map(identityOf)].join('\0');
    if (last?.key !== key) {
      const answer = upstreamOf(git);
      last = { key, answer };
      answer.catch(() => {
        if (last?.answer === answer) last = null; // a failure is not remembered
      });
    }
    return last.answer;
  };
}
