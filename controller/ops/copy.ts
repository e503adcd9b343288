// copy: the source's bytes and mode at a new path (a symlink stays a symlink).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { PlanStep } from '../validate/index.js';
import { atomicWrite, diskMode, readLinkBytes } from './file-system.js';
import { OpFailure, type Effect, type OpContext } from './op-context.js';

export function applyCopy(step: PlanStep, ctx: OpContext): Effect[] {
  const source = step.source ?? '';
  const mode = diskMode(ctx.root, source);
  if (mode === null) throw new OpFailure('SOURCE_MISSING', `${source} is gone`);
  const bytes = mode === '120000' ? readLinkBytes(ctx.root, source) : readFileSync(join(ctx.root, source));
  atomicWrite(ctx.root, step.target, bytes, mode, { inPlace: !ctx.changedInRun(step.target), fresh: !ctx.stateOf(step.target).exists });
  const known = ctx.stateOf(source);
  return [{ path: step.target, state: known.oid ? { exists: true, oid: known.oid, mode } : { exists: true, oid: null, mode, bytes } }];
}
