// replace: a text edit in place. An explicit path without a match fails; a file matched by a glob
// without a match is left alone (the glob said "wherever it occurs").
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { compilePattern, type PlanStep } from '../validate/index.js';
import { atomicWrite, diskMode } from './file-system.js';
import { OpFailure, type Effect, type OpContext } from './op-context.js';

export function applyReplace(step: PlanStep, ctx: OpContext): Effect[] {
  const compiled = compilePattern(step.find ?? '', step.regex);
  if (!compiled.ok) throw new OpFailure('REGEX_INVALID', compiled.message);
  const text = readFileSync(join(ctx.root, step.target), 'utf8');
  if (!compiled.pattern.test(text)) {
    if (step.fromGlob) return [];
    throw new OpFailure('REPLACE_NO_MATCH', `"${step.find}" does not occur in ${step.target}`);
  }
  const edited = compiled.pattern.replaceAll(text, step.replaceWith ?? '');
  if (edited === text) return []; // the same text put back: nothing to write, nothing changed
  const mode = diskMode(ctx.root, step.target) ?? '100644';
  const bytes = Buffer.from(edited, 'utf8');
  atomicWrite(ctx.root, step.target, bytes, mode, { inPlace: !ctx.changedInRun(step.target) });
  return [{ path: step.target, state: { exists: true, oid: null, mode, bytes } }];
}
