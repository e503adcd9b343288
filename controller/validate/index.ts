// validate/: the whole batch is judged before anything is touched (docs/batch-format.md#what-validation-refuses). Returns findings as
// data (never throws for a bad batch) and, when valid, the plan the engine executes.
import { ISSUE, type Batch, type ControlFile, type ValidationResult } from '../domain/index.js';
import type { Git, IndexEntry } from '../git/index.js';
import { createProtectedMatcher } from '../paths/index.js';
import { describeStep } from './describe-step.js';
import { gatherFacts } from './facts.js';
import { resolveOperations, touchedPaths as touchedOf } from './expand.js';
import { IssueList } from './issues.js';
import { computePlanHash } from './plan-hash.js';
import { stepByteLength, type Plan } from './plan.js';
import { checkPathSafety } from './rules/path-safety.js';
import { checkStaticLimits } from './rules/static-limits.js';
import { simulate } from './simulate.js';

export { stepByteLength, stepBytes, type Plan, type PlanStep, type StepContent } from './plan.js';
export { compilePattern, type TextPattern } from './text-pattern.js';

/** Rough throughput measured by bench/ (files per second through apply and commit). */
const STEPS_PER_SECOND = 5000;
const FIXED_SECONDS = 0.3;

export interface ValidateArgs {
  batch: Batch;
  git: Git;
  control: ControlFile;
  /** include the step-by-step plan description (dry run) */
  describe?: boolean;
  /** who submits (RunOptions.source): 'mcp' is held to policy.limits.max_operations_per_batch_mcp too (docs/mcp.md#safety) */
  source?: string | undefined;
}

/** The operation cap a caller is held to, and the setting that raises it. */
function operationCap(limits: ControlFile['policy']['limits'], source: string | undefined): { limit: number; setting: string } {
  if (source === 'mcp' && limits.max_operations_per_batch_mcp < limits.max_operations_per_batch)
    return { limit: limits.max_operations_per_batch_mcp, setting: 'max_operations_per_batch_mcp' };
  return { limit: limits.max_operations_per_batch, setting: 'max_operations_per_batch' };
}

/**
 * @example const { result, plan } = await validateBatch({ batch, git, control });
 * if (!result.valid) console.log(result.issues);
 */
export async function validateBatch({
  batch,
  git,
  control,
  describe = false,
  source,
}: ValidateArgs): Promise<{ result: ValidationResult; plan: Plan | null }> {
  const issues = new IssueList();
  const advisory = batch.options.validation;
  const isProtected = createProtectedMatcher(control.policy.protected_paths);
  const cap = operationCap(control.policy.limits, source);
  const contents = checkStaticLimits(batch, { ...control.policy.limits, max_operations_per_batch: cap.limit }, issues, cap.setting);
  const normalised = checkPathSafety(batch, isProtected, issues);
  const resolved = await resolveOperations({ batch, normalised, contents, git, issues });
  const facts = await gatherFacts(git, git.root, touchedOf(resolved));
  const steps = simulate({ resolved, facts, issues, root: git.root, advisory, isProtected });
  const { limit } = cap;
  if (steps.length > limit && batch.operations.length <= limit) {
    issues.error(
      ISSUE.tooManyOperations,
      -1,
      undefined,
      `the batch's globs expand to ${steps.length} file operations; the limit is ${limit}`,
      'narrow the globs or split the batch',
    );
  }

  // The journal and plan hash cover the paths steps really touch, with their pre-batch entries.
  const touched = new Map<string, IndexEntry | null>();
  for (const step of steps) {
    for (const path of step.source === null ? [step.target] : [step.source, step.target]) touched.set(path, facts.index.get(path) ?? null);
  }
  const planHash = computePlanHash(batch, touched);
  const totalSize = steps.reduce((sum, s) => sum + stepByteLength(s.content), 0);
  const valid = issues.errors.length === 0;
  const result: ValidationResult = {
    valid,
    issues: issues.errors,
    warnings: issues.warnings,
    estimated_time_seconds: Math.round((FIXED_SECONDS + steps.length / STEPS_PER_SECOND) * 10) / 10,
    total_size_bytes: totalSize,
    plan_hash: planHash,
    ...(describe ? { plan: steps.map((s) => describeStep(s, facts.index.has(s.target))) } : {}),
  };
  return { result, plan: valid ? { steps, touched, planHash } : null };
}
