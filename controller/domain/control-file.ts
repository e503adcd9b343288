// batch-control.json (docs/control-file.md): a superset of the registry design's file. The top level and the state
// objects are loose so that other tools' fields survive a rewrite by batchctl; `policy` is batchctl's
// own namespace and strict, so a misspelt setting is refused rather than ignored (control/control-keys.ts).
// Unset dates are empty strings, as in that design.
import { z } from 'zod';

/** An ISO-8601 time, or "" for "not set" (the registry design's initial form). */
const optionalTime = z
  .union([z.literal(''), z.iso.datetime({ offset: true })])
  .default('')
  .describe('ISO-8601 time, or "" when unset');

/**
 * A setting batchctl no longer reads: still accepted (files in the wild carry it), reported as a
 * warning, never refused. `why` says what replaced it.
 */
const deprecated = (why: string) =>
  z
    .unknown()
    .optional()
    .meta({ deprecated: true, description: `deprecated, ignored: ${why}` });

export const breakerStateSchema = z.enum(['closed', 'open', 'half-open']);

export const breakerSchema = z.looseObject({
  state: breakerStateSchema.default('closed'),
  failures: z.number().int().nonnegative().default(0).describe('consecutive failed batches'),
  last_failure: optionalTime,
  opens_at: optionalTime.describe('while open: when the breaker turns half-open'),
  recent: z.string().optional().describe('outcomes of the last policy.circuit_breaker.window batches, oldest first: S success, F failure'),
});

export const budgetStateSchema = z
  .looseObject({
    week_start: optionalTime.describe('Monday 00:00 UTC of the current budget week'),
    sampling_active: z.boolean().default(false).describe("the week's use is at or above policy.budget.sample_above (written by batchctl)"),
  })
  .describe("this week's use, as <unit>_used counters (operations_used, ci_minutes_used, …) beside these fields");

const nonNegative = z.number().nonnegative();
const fraction = z.number().min(0).max(1);

export const limitsPolicySchema = z.strictObject({
  max_operations_per_batch: z.number().int().positive().default(10_000).describe('a batch with more operations is refused at validation'),
  max_operations_per_batch_mcp: z
    .number()
    .int()
    .positive()
    .default(50)
    .describe('the same limit for batches submitted through MCP (`batchctl mcp`; the lower of the two applies)'),
  max_concurrent_operations: z.number().int().positive().default(5).describe('operations of one batch applied at the same time'),
  auto_rollback_failure_rate: fraction
    .default(0.2)
    .describe("a batch whose failed/total exceeds this is not committed (a batch's options.failure_threshold overrides it)"),
  backup_retention_days: nonNegative.default(30).describe('days a backup ref (refs/batchctl/backups/<id>) is kept'),
  metrics_retention_days: nonNegative.default(90).describe('days events and item rows are kept in the state database'),
});

export const DEFAULT_PROTECTED_PATHS = [
  '.git/**',
  '.github/**',
  'batch-control.json',
  'batch-control.schema.json',
  'batchctl.policy.json',
] as const;

export const circuitBreakerPolicySchema = z.strictObject({
  failure_threshold: z.number().int().positive().default(5).describe('consecutive failed batches that open the breaker'),
  recovery_minutes: nonNegative.default(60).describe('an open breaker refuses batches for this long, then admits a probe'),
  min_success_rate: fraction
    .default(0.5)
    .describe('the breaker also opens when the success rate over the last `window` batches is below this'),
  window: z.number().int().positive().default(10).describe('batches the success rate is taken over'),
  // Batches run one at a time per repository (the repository lock), so "probes at a time" has
  // nothing to limit: a half-open breaker admits the next batch, whose outcome decides.
  half_open_probes: deprecated('batches run one at a time per repository, so a half-open breaker admits one probe batch'),
});

export const budgetPolicySchema = z.strictObject({
  limits: z
    .record(z.string(), nonNegative)
    .default({ operations: 100_000, ci_minutes: 5000 })
    .describe('weekly limit per unit; a batch is charged its options.cost (default: one operations unit per operation)'),
  sample_above: fraction.default(0.8).describe('at this fraction of any limit only a sample of batches is admitted'),
  sample_rate: fraction.default(0.25).describe('the share of batches admitted while sampling (priority 8 or more always)'),
  pause_above: fraction.default(0.95).describe('at this fraction of any limit every batch is refused until the week rolls over'),
});

export const policySchema = z
  .strictObject({
    circuit_breaker: circuitBreakerPolicySchema.prefault({}),
    budget: budgetPolicySchema.prefault({}),
    limits: limitsPolicySchema.prefault({}),
    slo: z.record(z.string(), fraction).default({ default: 0.98 }).describe('batch success-rate objective per ecosystem, and the default'),
    protected_paths: z
      .array(z.string().min(1))
      .default([...DEFAULT_PROTECTED_PATHS])
      .describe('globs no batch may change'),
    automation_identities: z
      .array(z.string().min(1))
      .default(['github-actions[bot]', '*[bot]'])
      .describe(
        'commit authors (name or email; * matches any run of characters) whose edits of this file are automation, audited as such rather than as changes by hand',
      ),
    remote_poll_seconds: z
      .number()
      .positive()
      .default(30)
      .describe("while a batch runs, how often the upstream's control file is read for a stop"),
  })
  .describe("batchctl's settings: an unknown key here refuses every batch");

export const controlFileSchema = z.looseObject({
  $schema: z.string().optional().describe('the JSON Schema editors check this file against'),
  enabled: z.boolean().describe('false = emergency stop: every batch is refused'),
  disabled_ecosystems: z.array(z.string()).default([]).describe('ecosystems whose batches are refused'),
  reason: z.string().default('').describe('why the latest stop was made'),
  incident_url: z.string().default('').describe('the incident behind the latest stop'),
  disabled_by: z.string().default('').describe('who made the latest stop'),
  disabled_at: optionalTime,
  expected_resume: optionalTime,
  circuit_breaker: z.record(z.string(), breakerSchema).default({}).describe('breaker state per ecosystem (written by batchctl)'),
  budget: budgetStateSchema.prefault({}),
  policy: policySchema.prefault({}),
});

export type ControlFile = z.infer<typeof controlFileSchema>;
export type Policy = z.infer<typeof policySchema>;
export type LimitsPolicy = z.infer<typeof limitsPolicySchema>;

export const CONTROL_FILE_NAME = 'batch-control.json';
export const CONTROL_SCHEMA_FILE_NAME = 'batch-control.schema.json';
/** batchctl's own settings beside the control file (same schema as `policy`; wins when present). */
export const POLICY_FILE_NAME = 'batchctl.policy.json';
