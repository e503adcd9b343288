// The remote side of GitOps (docs/lifecycle.md#gitops-push): the branch's upstream, an atomic push with a lease
// (compare-and-swap on the remote), and a fetch of one branch.
import { splitNul, type GitRunner } from './runner.js';

export interface Upstream {
  /** remote name (origin) */
  remote: string;
  /** the branch on the remote (refs/heads/main) */
  remoteRef: string;
  /** our remote-tracking ref for it (refs/remotes/origin/main) */
  trackingRef: string;
}

/** The upstream of the branch HEAD is on, or null (detached HEAD, no upstream configured). */
export async function upstreamOf(git: GitRunner): Promise<Upstream | null> {
  const branch = await git.exec(['symbolic-ref', '-q', 'HEAD'], { okExitCodes: [1] });
  const ref = branch.stdout.toString('utf8').trim();
  if (branch.exitCode !== 0 || ref === '') return null;
  const { stdout } = await git.exec(['for-each-ref', '--format=%(upstream:remotename)%00%(upstream:remoteref)%00%(upstream)', '--', ref]);
  const [remote, remoteRef, trackingRef] = stdout.toString('utf8').trim().split('\0');
  return remote && remoteRef && trackingRef ? { remote, remoteRef, trackingRef } : null;
}

export type PushOutcome = { ok: true } | { ok: false; rejected: boolean; detail: string };

/**
 * Push `commit` to the upstream branch and each [object, ref] tag in one atomic transaction, only if
 * the branch is still at `expected` (null: absent) — otherwise nothing changes on the remote.
 */
export async function pushAtomic(
  git: GitRunner,
  up: Upstream,
  { commit, expected, refs }: { commit: string; expected: string | null; refs: ReadonlyArray<readonly [string, string]> },
): Promise<PushOutcome> {
  const { exitCode, stdout, stderr } = await git.exec(
    [
      'push',
      '--atomic',
      '--porcelain',
      '--no-verify',
      `--force-with-lease=${up.remoteRef}:${expected ?? ''}`,
      '--',
      up.remote,
      `${commit}:${up.remoteRef}`,
      ...refs.map(([oid, ref]) => `${oid}:${ref}`),
    ],
    { okExitCodes: [1, 128] },
  );
  if (exitCode === 0) return { ok: true };
  const detail = `${stdout.toString('utf8')}\n${stderr}`.trim();
  // porcelain: "!\t<src>:<dst>\t[rejected] (stale info)" or "(fetch first)", "(non-fast-forward)"
  return { ok: false, rejected: /\[rejected\]|stale info|fetch first|non-fast-forward/.test(detail), detail };
}

/**
 * The tags under `prefixes` (refs/tags/batch/, …) on commits reachable from `to` but not from
 * `from`, as [object, ref] pairs: the tags of commits that a push of `to` over `from` publishes.
 */
export async function tagsBetween(
  git: GitRunner,
  { from, to, prefixes }: { from: string; to: string; prefixes: readonly string[] },
): Promise<Array<readonly [string, string]>> {
  const { stdout } = await git.exec([
    'for-each-ref',
    '--format=%(objectname) %(refname)',
    `--merged=${to}`,
    `--no-merged=${from}`,
    '--',
    ...prefixes,
  ]);
  return stdout
    .toString('utf8')
    .split('\n')
    .flatMap((line) => {
      const [oid, ref] = line.split(' ');
      return oid && ref ? [[oid, ref] as const] : [];
    });
}

/** Fetch the upstream branch into its tracking ref; the remote's head, or null when it has none. */
export async function fetchUpstream(git: GitRunner, up: Upstream): Promise<string | null> {
  await git.exec(['fetch', '--no-tags', '--quiet', '--', up.remote, `+${up.remoteRef}:${up.trackingRef}`]);
  const { stdout, exitCode } = await git.exec(['rev-parse', '-q', '--verify', '--end-of-options', `${up.trackingRef}^{commit}`], {
    okExitCodes: [1, 128],
  });
  return exitCode === 0 ? stdout.toString('utf8').trim() : null;
}

/** Paths that differ between two commits (whole trees; `from` null: everything in `to`). */
export async function changedPaths(git: GitRunner, from: string | null, to: string): Promise<string[]> {
  const args = from ? ['diff-tree', '-r', '-z', '--name-only', '--no-renames', from, to] : ['ls-tree', '-r', '-z', '--name-only', to];
  return splitNul((await git.exec(args)).stdout);
}

/** Whether `ancestor` is `descendant` or one of its ancestors. */
export async function isAncestor(git: GitRunner, ancestor: string, descendant: string): Promise<boolean> {
  const { exitCode } = await git.exec(['merge-base', '--is-ancestor', ancestor, descendant], { okExitCodes: [1] });
  return exitCode === 0;
}
