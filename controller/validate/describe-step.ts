// A plan step in words a reviewer reads (dry run output).
import type { PlannedStep } from '../domain/index.js';
import { stepByteLength, type PlanStep } from './plan.js';

export function describeStep(step: PlanStep, existed: boolean): PlannedStep {
  const paths = step.source === null ? [step.target] : [step.source, step.target];
  const over = existed ? ' (overwrites)' : '';
  const action = {
    write: `write ${step.target}${existed ? ' (overwrites)' : ' (new)'}, ${stepByteLength(step.content)} bytes`,
    copy: `copy ${step.source} → ${step.target}${over}`,
    move: `move ${step.source} → ${step.target}${over}`,
    rename: `rename ${step.source} → ${step.target}`,
    delete: `delete ${step.target}`,
    replace: `replace ${JSON.stringify(step.find)} with ${JSON.stringify(step.replaceWith)} in ${step.target}${step.regex ? ' (regex)' : ''}`,
  }[step.type];
  return { index: step.index, type: step.type, action, paths };
}
