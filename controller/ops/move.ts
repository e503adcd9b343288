// move and rename: one rename(2), so the file is never in two places or none.
import type { PlanStep } from '../validate/index.js';
import { atomicMove } from './file-system.js';
import type { Effect, OpContext } from './op-context.js';

export function applyMove(step: PlanStep, ctx: OpContext): Effect[] {
  const source = step.source ?? '';
  const known = ctx.stateOf(source);
  atomicMove(ctx.root, source, step.target);
  return [
    // The source's state moves with it: its blob id, or its bytes or blob-pack mark if this run wrote it.
    { path: step.target, state: { ...known, exists: true } },
    { path: source, state: { exists: false, oid: null, mode: null } },
  ];
}
