// Step 4, journal: before the first operation, durably record HEAD and every touched path's
// pre-batch state, so a crash at any later instant can be undone or finished (docs/lifecycle.md#durability-and-concurrency).
import { hostname } from 'node:os';

import { BATCH_STATUS, type JournalGitLock, type JournalRecord } from '../../domain/index.js';
import { gitLocksFor, ownProcessGroup, writeJournal } from '../../journal/index.js';
import { runUpstream, transition, type RunContext } from './run-context.js';
import type { RunStep } from './step.js';

async function trackingRefLock(ctx: RunContext): Promise<JournalGitLock[]> {
  const upstream = await runUpstream(ctx).catch(() => null);
  return upstream ? gitLocksFor({ gitDir: ctx.deps.git.gitDir, refs: [upstream.trackingRef] }) : [];
}

export const journalStep: RunStep = async (ctx) => {
  const { git, stateDir, store } = ctx.deps;
  const plan = ctx.plan;
  if (!plan) throw new Error('journal before validate');
  const journal: JournalRecord = {
    version: 1,
    batch_id: ctx.batchId,
    state: 'applying',
    head: await git.head(),
    commit: null,
    branch: null,
    pid: process.pid,
    pgid: ownProcessGroup(),
    hostname: hostname(),
    started_at: new Date(ctx.startedAt).toISOString(),
    plan_hash: plan.planHash,
    touched: [...plan.touched].map(([path, entry]) => ({ path, before: entry ? { oid: entry.oid, mode: entry.mode } : null })),
    // While applying, only publishing takes a git lock: fetch and push move the remote-tracking ref.
    // (A failed lookup is reported by the commit step, which then publishes nothing.)
    git_locks: await trackingRefLock(ctx),
  };
  // Set first: a write that fails after its rename (the directory's fsync) leaves the file on disk,
  // and the run's own recovery must then find and remove it.
  ctx.journal = journal;
  await writeJournal(stateDir, journal);
  store.batches.update(ctx.batchId, { total_count: plan.steps.length, plan_hash: plan.planHash });
  transition(ctx, BATCH_STATUS.running);
  return 'continue';
};
