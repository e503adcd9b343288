// delete: remove a tracked file (glob deletes arrive here one file at a time).
import type { PlanStep } from '../validate/index.js';
import { removeFile } from './file-system.js';
import type { Effect, OpContext } from './op-context.js';

export function applyDelete(step: PlanStep, ctx: OpContext): Effect[] {
  removeFile(ctx.root, step.target);
  return [{ path: step.target, state: { exists: false, oid: null, mode: null } }];
}
