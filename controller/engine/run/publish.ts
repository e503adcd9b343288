// GitOps push of a batch (docs/lifecycle.md#gitops-push): the batch commit, its control-state commit and its tags go
// to the branch's upstream in one atomic push, leased on the remote head the batch was built on,
// before any local ref moves. When the remote moved: re-read the control file at the new head (a stop
// pushed meanwhile wins), refuse to replay over changes to the batch's paths, and rebuild there.
import { stopReasonInText } from '../../control/index.js';
import { batchEcosystems, CONTROL_FILE_NAME } from '../../domain/index.js';
import { BatchctlError } from '../../errors/index.js';
import { changedPaths, type RefUpdate, type Upstream } from '../../git/index.js';
import { committedWrites, controlCommit, prepareControlState, withApiWrites, type PendingControl } from '../control/control-state.js';
import { incomingPaths, pushBudget, pushOrFindNewHead } from '../push-retry.js';
import type { CommitArgs } from './commit-batch.js';
import type { RunContext } from './run-context.js';

const CONSEQUENCE = 'the batch was rolled back and nothing was published';

export interface Publisher {
  publish: NonNullable<CommitArgs['publish']>;
  /** the control state the published commit carries (replaced on every replay) */
  pending(): PendingControl | null;
}

export function publisher(
  ctx: RunContext,
  up: Upstream,
  first: { expected: string | null; pending: PendingControl | null },
  time: number,
): Publisher {
  const { git } = ctx.deps;
  const batchPaths = new Set(ctx.runtime.keys());
  const localHead = ctx.journal?.head ?? null;
  const budget = pushBudget(ctx.deps.pushBudgetMs);
  let expected = first.expected;
  let pending = first.pending;
  return {
    pending: () => pending,
    async publish({ commit, tags }: { commit: string; tags: readonly RefUpdate[] }) {
      const refs = tags.flatMap((t) => (t.kind === 'delete' ? [] : [[t.newOid, t.ref] as const]));
      const remoteHead = await pushOrFindNewHead(git, up, { commit, refs, expected, localHead, budget, consequence: CONSEQUENCE });
      if (remoteHead === null) return { kind: 'published' };

      const where = `${up.remote} ${up.remoteRef} at ${remoteHead.slice(0, 12)}`;
      const controlText = await git.fileAt(remoteHead, CONTROL_FILE_NAME);
      // A rollback is the incident tool: a stop does not halt it.
      const why = ctx.options.bypassAdmission
        ? null
        : stopReasonInText(controlText, `${where}: ${CONTROL_FILE_NAME}`, batchEcosystems(ctx.batch));
      if (why !== null) {
        throw new BatchctlError({
          code: 'EMERGENCY_STOP',
          message: `the control file on ${where} stops this batch (${why}); it was not published and its changes were rolled back`,
          hint: 'the stop was pushed while the batch ran; `git pull` to see it',
          data: { remote: up.remote, head: remoteHead },
        });
      }
      // One diff per rebuild: the clash check and the paths the work tree takes read the same list.
      const changed = await changedPaths(git.runner, localHead, remoteHead);
      const clash = changed.filter((path) => batchPaths.has(path));
      if (clash.length > 0) {
        throw new BatchctlError({
          code: 'PUSH_CONFLICT',
          message: `${where} changed paths this batch changes (${clash.slice(0, 10).join(', ')}); it cannot be replayed and was rolled back`,
          hint: 'pull, then run the batch again: it is validated against the new head',
          data: { paths: clash },
        });
      }
      const sync = await incomingPaths(git, {
        localHead,
        remoteHead,
        ours: (path) => path === CONTROL_FILE_NAME || batchPaths.has(path),
        consequence: CONSEQUENCE,
        changed,
      });
      // Rebuilt on their head: the control state is recomputed from their control file.
      pending = await prepareControlState(ctx.deps, {
        batch: withApiWrites(ctx.batch, committedWrites(ctx.deps, ctx.options.apiWrites)),
        batchId: ctx.batchId,
        outcome: 'success',
        from: { text: controlText, name: `${where}: ${CONTROL_FILE_NAME}` },
      });
      expected = remoteHead;
      const base = pending ? await controlCommit(ctx.deps, pending, remoteHead, time) : remoteHead;
      return { kind: 'rebuild', base, after: pending?.oid ?? '', sync };
    },
  };
}
