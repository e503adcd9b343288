// The part of GitOps publishing that batches and control changes share (docs/lifecycle.md#gitops-push): push with a
// lease, retry a transport error, and when the remote moved, fetch it and tell a head to rebuild on
// apart from one that is only behind us (push the same commit again) or that diverged (refuse).
import { ROLLBACK_TAG_PREFIX, TAG_PREFIX } from '../domain/index.js';
import { BatchctlError } from '../errors/index.js';
import { changedPaths, fetchUpstream, isAncestor, pushAtomic, tagsBetween, type Upstream } from '../git/index.js';
import type { Git } from '../git/index.js';

const ATTEMPTS = 5;
const BASE_DELAY_MS = 50;
/** the tags that make a commit a batch (and a rollback) in git: they travel with their commits */
const BATCH_TAGS = [`refs/tags/${TAG_PREFIX}`, `refs/tags/${ROLLBACK_TAG_PREFIX}`];

export interface PushRound {
  commit: string;
  /** [object, ref] pairs pushed with the commit in the same transaction (tags) */
  refs: ReadonlyArray<readonly [string, string]>;
  /** the lease: the remote head the commit is built on */
  expected: string | null;
  /** the local branch's head before this change (what "behind us" is measured against) */
  localHead: string | null;
  /** pushes made so far, across rebuilds: the bound holds for the whole change */
  attempts: { count: number };
  /** what the failure leaves behind, for the messages: "nothing was published" */
  consequence: string;
}

/** Null once published; otherwise the remote's new head, a descendant of localHead, to rebuild on. */
export async function pushOrFindNewHead(git: Git, up: Upstream, round: PushRound): Promise<string | null> {
  let expected = round.expected;
  let carried: ReadonlyArray<readonly [string, string]> = [];
  for (;;) {
    const refs = [...round.refs, ...carried];
    const pushed = await pushAtomic(git.runner, up, { commit: round.commit, expected, refs });
    if (pushed.ok) return null;
    round.attempts.count++;
    if (round.attempts.count >= ATTEMPTS) {
      throw new BatchctlError({
        code: 'PUSH_REJECTED',
        message: `${up.remote} rejected the push ${round.attempts.count} times; ${round.consequence}`,
        hint: 'run it again; if it keeps happening, serialise the writers (a GitHub Actions concurrency group)',
        data: { remote: up.remote, ref: up.remoteRef, detail: pushed.detail.slice(0, 2000) },
      });
    }
    await new Promise((resolve) => setTimeout(resolve, BASE_DELAY_MS * 2 ** round.attempts.count * (0.5 + Math.random())));
    if (!pushed.rejected) continue; // a transport error: push again
    const remoteHead = await fetchUpstream(git.runner, up);
    if (remoteHead === null) {
      throw new BatchctlError({
        code: 'PUSH_REJECTED',
        message: `${up.remote} rejected the push and has no ${up.remoteRef} to build on; ${round.consequence}`,
        hint: 'check the remote branch',
        data: { remote: up.remote, ref: up.remoteRef },
      });
    }
    const local = round.localHead;
    // Behind us (our branch had unpushed commits): the same commit still fast-forwards it.
    if (local !== null && (await isAncestor(git.runner, remoteHead, local))) {
      expected = remoteHead;
      // Those commits may be batches committed with --no-push. A batch is its commit AND its tag
      // (rollback, reindex and the script find it by tag): they are published together, in this
      // same atomic push, rather than refused — pushing now is what was asked, and a user who
      // wanted them kept back would not have asked to publish on top of them (docs/lifecycle.md#gitops-push).
      carried = await tagsBetween(git.runner, { from: remoteHead, to: local, prefixes: BATCH_TAGS });
      continue;
    }
    if (local !== null && !(await isAncestor(git.runner, local, remoteHead))) {
      throw new BatchctlError({
        code: 'PUSH_CONFLICT',
        message: `the local branch and ${up.remote} ${up.remoteRef} have diverged; ${round.consequence}`,
        hint: 'pull (or rebase) the local branch, then run it again',
        data: { remote: up.remote, head: remoteHead },
      });
    }
    return remoteHead;
  }
}

/**
 * What the remote's new head changed since localHead, except the paths `ours` claims; refuses when
 * local uncommitted work sits on one of them (taking their version would destroy it).
 */
export async function incomingPaths(
  git: Git,
  {
    localHead,
    remoteHead,
    ours,
    consequence,
  }: { localHead: string | null; remoteHead: string; ours: (path: string) => boolean; consequence: string },
): Promise<string[]> {
  const incoming = (await changedPaths(git.runner, localHead, remoteHead)).filter((path) => !ours(path));
  const dirty = [...(await git.pathStates(incoming)).keys()];
  if (dirty.length > 0) {
    throw new BatchctlError({
      code: 'PUSH_CONFLICT',
      message: `local changes to ${dirty.slice(0, 10).join(', ')} are in the way of the remote's newer head; ${consequence}`,
      hint: 'commit or stash them, pull, and run it again',
      data: { paths: dirty },
    });
  }
  return incoming;
}
