// write: create or replace a file with the given bytes and mode.
import type { PlanStep } from '../validate/index.js';
import { atomicWrite } from './file-system.js';
import type { Effect, OpContext } from './op-context.js';

export async function applyWrite(step: PlanStep, ctx: OpContext): Promise<Effect[]> {
  const mode = step.mode ?? ctx.stateOf(step.target).mode ?? '100644';
  atomicWrite(ctx.root, step.target, step.content ?? Buffer.alloc(0), mode === '120000' ? '100644' : mode, { inPlace: !ctx.changedInRun(step.target) });
  return [{ path: step.target, state: { exists: true, oid: null, mode: mode === '120000' ? '100644' : mode } }];
}
