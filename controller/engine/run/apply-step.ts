// Step 5, apply: run the plan, one progress event per finished step (docs/events.md#progress-events), and the control
// file's stop checked before every step (docs/lifecycle.md#apply).
import { watchForStop } from '../../control/index.js';
import { batchEcosystems, EVENT, ITEM_STATUS, type ProgressData } from '../../domain/index.js';
import { openBlobPack, PACK_FROM_FILES } from '../../git/index.js';
import type { Effect, RuntimeState } from '../../ops/index.js';
import { applyPlan } from './apply-plan.js';
import { remoteStopPoll } from './remote-stop-poll.js';
import { residentBytes } from './resident-memory.js';
import { runUpstream } from './run-context.js';
import type { RunStep } from './step.js';

export const applyStep: RunStep = async (ctx) => {
  const { plan, control } = ctx;
  if (!plan || !control) throw new Error('apply before validate');
  const cap = control.policy.limits.max_concurrent_operations;
  const concurrency = Math.max(1, Math.min(ctx.batch.options.concurrency ?? cap, cap));
  const total = plan.steps.length;
  let completed = 0;
  let failed = 0;
  let skipped = 0;
  const started = performance.now();
  // Reading the RSS is a /proc read; once per 100 ms is plenty for a progress display.
  let rss = { bytes: residentBytes(0), at: started };
  // A rollback is the incident tool: a stop must not halt it (it bypasses admission for that reason).
  const stopCheck = ctx.options.bypassAdmission ? null : watchForStop(ctx.deps.git.root, batchEcosystems(ctx.batch));
  const upstream = ctx.options.bypassAdmission ? null : await runUpstream(ctx);
  const remote = upstream ? remoteStopPoll(ctx, upstream, control.policy.remote_poll_seconds) : null;
  // A large batch streams what it writes into one pack while it runs (git/blob-pack.ts); the
  // recorded state keeps the mark (which gives the blob id at once), not the bytes.
  const pack = total >= PACK_FROM_FILES ? openBlobPack(ctx.deps.git.runner, ctx.deps.git.objectFormat) : null;
  if (pack) ctx.blobPack = pack;
  const known = ctx.options.knownBlobs;
  const onEffect = (effect: Effect): RuntimeState => {
    const { exists, mode, bytes } = effect.state;
    const oid = bytes ? known?.get(effect.path) : undefined;
    if (oid !== undefined) return { exists, oid, mode };
    return pack && bytes ? { exists, oid: null, mode, mark: pack.add(bytes) } : effect.state;
  };
  const outcome = await applyPlan({
    plan,
    root: ctx.deps.git.root,
    concurrency,
    signal: ctx.options.signal ?? new AbortController().signal,
    shouldStop: () => {
      ctx.stoppedBy ??= stopCheck?.() ?? remote?.reason() ?? null;
      return ctx.stoppedBy;
    },
    // A due poll of the remote holds the next step back, and so does a blob pack git lags behind.
    gate: () => remote?.due() ?? pack?.backlog() ?? null,
    ...(pack || known ? { onEffect } : {}),
    onStepDone(step, result) {
      if (result.status === ITEM_STATUS.succeeded) completed++;
      else failed++;
      // `failed` stays every step that did not land (as failure_count), so done = completed + failed for
      // every client; `skipped` says how many of those were never started (a dependency failed, a stop).
      if (result.status === ITEM_STATUS.skipped) skipped++;
      const now = performance.now();
      if (now - rss.at > 100) rss = { bytes: residentBytes(rss.bytes), at: now };
      const seconds = (now - started) / 1000;
      const rate = seconds > 0 ? (completed + failed) / seconds : 0;
      const progress = {
        completed,
        failed,
        skipped,
        total,
        current: { index: step.index, type: step.type, path: step.target },
        ops_per_second: Math.round(rate),
        eta_seconds: rate > 0 ? Math.round((total - completed - failed) / rate) : null,
        rss_bytes: rss.bytes,
      } satisfies ProgressData;
      ctx.deps.bus.emit(EVENT.batchProgress, ctx.batchId, progress);
    },
  });
  ctx.results = outcome.results;
  ctx.runtime = outcome.runtime;
  ctx.errors = plan.steps.flatMap((step, id) => {
    const error = outcome.results[id]?.error;
    return error ? [{ index: step.index, type: step.type, path: step.target, code: error.code, message: error.message }] : [];
  });
  return 'continue';
};
