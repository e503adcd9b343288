// write: create or replace a file with the given bytes and mode.
import { stepBytes, type PlanStep } from '../validate/index.js';
import { atomicWrite } from './file-system.js';
import type { Effect, OpContext } from './op-context.js';

export function applyWrite(step: PlanStep, ctx: OpContext): Effect[] {
  const before = ctx.stateOf(step.target);
  const given = step.mode ?? before.mode ?? '100644';
  const mode = given === '120000' ? '100644' : given;
  const bytes = stepBytes(step.content);
  atomicWrite(ctx.root, step.target, bytes, mode, { inPlace: !ctx.changedInRun(step.target), fresh: !before.exists });
  return [{ path: step.target, state: { exists: true, oid: null, mode, bytes } }];
}
