// copy: the source's bytes and mode at a new path (a symlink stays a symlink).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { PlanStep } from '../validate/index.js';
import { atomicWrite, diskMode, readLinkBytes } from './file-system.js';
import { OpFailure, type Effect, type OpContext } from './op-context.js';

export async function applyCopy(step: PlanStep, ctx: OpContext): Promise<Effect[]> {
  const source = step.source ?? '';
  const mode = await diskMode(ctx.root, source);
  if (mode === null) throw new OpFailure('SOURCE_MISSING', `${source} is gone`);
  const bytes = mode === '120000' ? await readLinkBytes(ctx.root, source) : await readFile(join(ctx.root, source));
  await atomicWrite(ctx.root, step.target, bytes, mode);
  const known = ctx.stateOf(source);
  return [{ path: step.target, state: { exists: true, oid: known.oid, mode } }];
}
