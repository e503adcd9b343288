// GitOps push (SPEC §4 step 8): the batch commit, its control-state commit and its tags go to the
// branch's upstream in one atomic push, leased on the remote head the batch was built on, before any
// local ref moves. Rejected (someone pushed first): fetch, re-read the control file at the new head
// (a stop pushed meanwhile wins), refuse to replay over changes to the batch's paths, rebuild on the
// new head and try again, with jittered backoff, a bounded number of times.
import { parseControlFile, stopReason } from '../../control/index.js';
import { CONTROL_FILE_NAME } from '../../domain/index.js';
import { BatchctlError } from '../../errors/index.js';
import { changedPaths, fetchUpstream, fileAt, isAncestor, pushAtomic, type RefUpdate, type Upstream } from '../../git/index.js';
import { controlCommit, prepareControlState, type PendingControl } from '../control/control-state.js';
import type { CommitArgs } from './commit-batch.js';
import type { RunContext } from './run-context.js';

const ATTEMPTS = 5;
const BASE_DELAY_MS = 50;

/** Why the control file at the remote head stops this ecosystem (fail closed), or null. */
function stopAt(text: string | null, name: string, ecosystem: string): string | null {
  if (text === null) return `${CONTROL_FILE_NAME} is missing`;
  try {
    return stopReason(parseControlFile(text, name), ecosystem);
  } catch (error) {
    return (error as Error).message;
  }
}

export interface Publisher {
  publish: NonNullable<CommitArgs['publish']>;
  /** the control state the published commit carries (replaced on every replay) */
  pending(): PendingControl | null;
}

export function publisher(ctx: RunContext, up: Upstream, first: { expected: string | null; pending: PendingControl | null }, time: number): Publisher {
  const { git } = ctx.deps;
  const batchPaths = new Set(ctx.runtime.keys());
  let expected = first.expected;
  let pending = first.pending;
  let attempt = 0;
  return {
    pending: () => pending,
    async publish({ commit, tags }: { commit: string; tags: readonly RefUpdate[] }) {
      const refs = tags.flatMap((t) => (t.kind === 'delete' ? [] : [[t.newOid, t.ref] as const]));
      let remoteHead: string;
      for (;;) {
        const pushed = await pushAtomic(git.runner, up, { commit, expected, refs });
        if (pushed.ok) return { kind: 'published' };
        attempt++;
        if (attempt >= ATTEMPTS) {
          throw new BatchctlError({
            code: 'PUSH_REJECTED',
            message: `${up.remote} rejected the push of batch ${ctx.batchId} ${attempt} times; nothing was published and nothing committed`,
            hint: 'run the batch again; if it keeps happening, serialise the writers (a GitHub Actions concurrency group)',
            data: { remote: up.remote, ref: up.remoteRef, detail: pushed.detail.slice(0, 2000) },
          });
        }
        await new Promise((resolve) => setTimeout(resolve, BASE_DELAY_MS * 2 ** attempt * (0.5 + Math.random())));
        if (!pushed.rejected) continue; // a transport error: push again
        const fetched = await fetchUpstream(git.runner, up);
        if (fetched === null) {
          throw new BatchctlError({
            code: 'PUSH_REJECTED', message: `${up.remote} rejected the push and has no ${up.remoteRef} to replay on; nothing was published`,
            hint: 'check the remote branch', data: { remote: up.remote, ref: up.remoteRef },
          });
        }
        const local = ctx.journal?.head ?? null;
        // Behind us (our branch had unpushed commits): the same commit still fast-forwards it.
        if (local !== null && (await isAncestor(git.runner, fetched, local))) {
          expected = fetched;
          continue;
        }
        if (local !== null && !(await isAncestor(git.runner, local, fetched))) {
          throw new BatchctlError({
            code: 'PUSH_CONFLICT',
            message: `the local branch and ${up.remote} ${up.remoteRef} have diverged; the batch was rolled back and nothing was published`,
            hint: 'pull (or rebase) the local branch, then run the batch again',
            data: { remote: up.remote, head: fetched },
          });
        }
        remoteHead = fetched;
        break;
      }
      const controlText = await fileAt(git.runner, remoteHead, CONTROL_FILE_NAME);
      const where = `${up.remote} ${up.remoteRef} at ${remoteHead.slice(0, 12)}`;
      // A rollback is the incident tool: a stop does not halt it.
      const why = ctx.options.bypassAdmission ? null : stopAt(controlText, `${where}:${CONTROL_FILE_NAME}`, ctx.batch.ecosystem);
      if (why !== null) {
        throw new BatchctlError({
          code: 'EMERGENCY_STOP',
          message: `the control file on ${where} stops this batch (${why}); it was not published and its changes were rolled back`,
          hint: 'the stop was pushed while the batch ran; `git pull` to see it',
          data: { remote: up.remote, head: remoteHead },
        });
      }
      const theirs = await changedPaths(git.runner, ctx.journal?.head ?? null, remoteHead);
      const clash = theirs.filter((path) => batchPaths.has(path));
      const sync = theirs.filter((path) => path !== CONTROL_FILE_NAME && !batchPaths.has(path));
      const dirty = [...(await git.pathStates(sync)).keys()];
      if (clash.length > 0 || dirty.length > 0) {
        throw new BatchctlError({
          code: 'PUSH_CONFLICT',
          message: clash.length > 0
            ? `${where} changed paths this batch changes (${clash.slice(0, 10).join(', ')}); it cannot be replayed and was rolled back`
            : `local changes to ${dirty.slice(0, 10).join(', ')} are in the way of ${where}; the batch was rolled back`,
          hint: 'pull, then run the batch again: it is validated against the new head',
          data: { paths: clash.length > 0 ? clash : dirty },
        });
      }
      // Rebuilt on their head: the control state is recomputed from their control file.
      pending = await prepareControlState(ctx.deps, { batch: ctx.batch, batchId: ctx.batchId, outcome: 'success', from: { text: controlText, name: `${where}:${CONTROL_FILE_NAME}` } });
      expected = remoteHead;
      const base = pending ? await controlCommit(ctx.deps, pending, remoteHead, time) : remoteHead;
      return { kind: 'rebuild', base, after: pending?.oid ?? '', sync };
    },
  };
}
