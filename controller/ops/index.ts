// ops/: one file per operation type; `applyStep` dispatches on the step's type.
import type { OperationType } from '../domain/index.js';
import type { PlanStep } from '../validate/index.js';
import { applyCopy } from './copy.js';
import { applyDelete } from './delete.js';
import { applyMove } from './move.js';
import type { Effect, OpContext } from './op-context.js';
import { applyReplace } from './replace.js';
import { applyWrite } from './write.js';

export { atomicWrite, pruneEmptyParents, removeFile, removeTempFiles } from './file-system.js';
export { OpFailure, type Effect, type OpContext, type RuntimeState } from './op-context.js';

/** Synchronous on purpose: file calls in a tight loop cost a fraction of their promise-based twins (docs/benchmarks.md). */
const APPLY: Record<OperationType, (step: PlanStep, ctx: OpContext) => Effect[]> = {
  write: applyWrite,
  copy: applyCopy,
  move: applyMove,
  rename: applyMove,
  delete: applyDelete,
  replace: applyReplace,
};

export function applyStep(step: PlanStep, ctx: OpContext): Effect[] {
  return APPLY[step.type](step, ctx);
}
