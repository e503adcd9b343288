// The part of GitOps publishing that batches and control changes share (docs/lifecycle.md#gitops-push): push with a
// lease, retry a transport error, and when the remote moved, fetch it and tell a head to rebuild on
// apart from one that is only behind us (push the same commit again) or that diverged (refuse).
// Retries run within a time budget (not a count) with full jitter: writers of disjoint paths racing
// for one branch each lose a round now and then, and a fixed few tries lost 8–13 % of their batches
// with only 4 of them (docs/reliability.md#many-writers-one-remote).
import { ROLLBACK_TAG_PREFIX, TAG_PREFIX } from '../domain/index.js';
import { BatchctlError } from '../errors/index.js';
import { changedPaths, fetchUpstream, isAncestor, pushAtomic, tagsBetween, type Upstream } from '../git/index.js';
import type { Git } from '../git/index.js';

/** How long one change keeps trying to publish, across rebuilds, by default (BATCHCTL_PUSH_BUDGET_MS). */
export const PUSH_BUDGET_MS = 60_000;
/** The backoff's cap grows from this, doubling per failed push, up to MAX_DELAY_MS. */
const BASE_DELAY_MS = 20;
const MAX_DELAY_MS = 2_000;
/**
 * Pushes that failed without losing a race (a transport error, a hook that declined): tried again
 * this many times in all, within the budget. A lost race is worth the whole budget (the next round
 * is likely ours); a remote that is gone or refuses on principle is not worth a minute.
 */
const OTHER_FAILURES = 10;
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
  /** failed pushes so far and the deadline, across rebuilds: the bound holds for the whole change */
  budget: PushBudget;
  /** what the failure leaves behind, for the messages: "nothing was published" */
  consequence: string;
}

export interface PushBudget {
  /** pushes that failed so far */
  count: number;
  /** of those, the ones that were not a lost race (OTHER_FAILURES bounds them) */
  other: number;
  /** Date.now() past which no push starts */
  deadline: number;
}

/** A fresh budget for one change (a batch, a stop): `ms` from now. */
export function pushBudget(ms: number = PUSH_BUDGET_MS): PushBudget {
  return { count: 0, other: 0, deadline: Date.now() + ms };
}

/**
 * Full jitter (a uniform wait up to the exponential cap): losers of one round spread out instead of
 * colliding again in lockstep. Null when the wait would end past the deadline.
 */
function nextDelay(budget: PushBudget): number | null {
  const cap = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.min(budget.count, 16));
  const delay = Math.random() * cap;
  return Date.now() + delay < budget.deadline ? delay : null;
}

/** Did the remote branch move off `expected`? False when it cannot be read (unreachable: no race to tell). */
async function remoteMoved(git: Git, up: Upstream, expected: string | null): Promise<boolean> {
  try {
    return (await fetchUpstream(git.runner, up)) !== expected;
  } catch {
    return false;
  }
}

/** Null once published; otherwise the remote's new head, a descendant of localHead, to rebuild on. */
export async function pushOrFindNewHead(git: Git, up: Upstream, round: PushRound): Promise<string | null> {
  let expected = round.expected;
  let carried: ReadonlyArray<readonly [string, string]> = [];
  for (;;) {
    const refs = [...round.refs, ...carried];
    const pushed = await pushAtomic(git.runner, up, { commit: round.commit, expected, refs });
    if (pushed.ok) return null;
    const { budget } = round;
    budget.count++;
    // A refusal that is no lease failure may still be a lost race (the winner's push held the ref's
    // lock on the remote: "failed to update ref"): the remote's head tells.
    const raced = pushed.rejected || (await remoteMoved(git, up, expected));
    if (!raced && ++budget.other >= OTHER_FAILURES) {
      throw new BatchctlError({
        code: 'PUSH_REJECTED',
        message: `${up.remote} refused the push ${budget.other} times (${pushed.detail.split('\n')[0]?.slice(0, 200) ?? ''}); ${round.consequence}`,
        hint: 'check the remote: it may be unreachable, or a hook there declines the push',
        data: { remote: up.remote, ref: up.remoteRef, attempts: budget.count, detail: pushed.detail.slice(0, 2000) },
      });
    }
    const delay = nextDelay(budget);
    if (delay === null) {
      throw new BatchctlError({
        code: 'PUSH_REJECTED',
        message: `${up.remote} rejected the push ${budget.count} times and the time to publish ran out; ${round.consequence}`,
        hint: 'run it again; if it keeps happening, serialise the writers (a GitHub Actions concurrency group) or raise BATCHCTL_PUSH_BUDGET_MS',
        data: { remote: up.remote, ref: up.remoteRef, attempts: budget.count, detail: pushed.detail.slice(0, 2000) },
      });
    }
    await new Promise((resolve) => setTimeout(resolve, delay));
    if (!raced) continue; // a transport error or a declining hook: push again
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
    changed,
  }: {
    localHead: string | null;
    remoteHead: string;
    ours: (path: string) => boolean;
    consequence: string;
    /** changedPaths(localHead, remoteHead) when the caller has it already (one diff per rebuild) */
    changed?: readonly string[];
  },
): Promise<string[]> {
  const incoming = (changed ?? (await changedPaths(git.runner, localHead, remoteHead))).filter((path) => !ours(path));
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
