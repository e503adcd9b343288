// batch-control.json (SPEC §5): a superset of the registry design's file. Every object is loose so
// that unknown fields survive a rewrite by batchctl; unset dates are empty strings, as in that design.
import { z } from 'zod';

/** An ISO-8601 time, or "" for "not set" (the registry design's initial form). */
const optionalTime = z
  .union([z.literal(''), z.iso.datetime({ offset: true })])
  .default('')
  .describe('ISO-8601 time, or "" when unset');

export const breakerStateSchema = z.enum(['closed', 'open', 'half-open']);

export const breakerSchema = z.looseObject({
  state: breakerStateSchema.default('closed'),
  failures: z.number().int().nonnegative().default(0).describe('consecutive failed batches'),
  last_failure: optionalTime,
  opens_at: optionalTime.describe('while open: when the breaker turns half-open'),
});

export const budgetStateSchema = z.looseObject({
  week_start: optionalTime.describe('Monday 00:00 UTC of the current budget week'),
  sampling_active: z.boolean().default(false),
});

const nonNegative = z.number().nonnegative();
const fraction = z.number().min(0).max(1);

export const limitsPolicySchema = z.looseObject({
  max_operations_per_batch: z.number().int().positive().default(10_000),
  max_operations_per_batch_mcp: z.number().int().positive().default(50),
  max_concurrent_operations: z.number().int().positive().default(5),
  auto_rollback_failure_rate: fraction.default(0.2),
  backup_retention_days: nonNegative.default(30),
  metrics_retention_days: nonNegative.default(90),
});

export const DEFAULT_PROTECTED_PATHS = [
  '.git/**',
  '.github/**',
  'batch-control.json',
  'batch-control.schema.json',
] as const;

export const policySchema = z.looseObject({
  circuit_breaker: z
    .looseObject({
      failure_threshold: z.number().int().positive().default(5),
      recovery_minutes: nonNegative.default(60),
      min_success_rate: fraction.default(0.5),
      window: z.number().int().positive().default(10),
      half_open_probes: z.number().int().positive().default(1),
    })
    .prefault({}),
  budget: z
    .looseObject({
      limits: z.record(z.string(), nonNegative).default({ operations: 100_000, ci_minutes: 5000 }),
      sample_above: fraction.default(0.8),
      sample_rate: fraction.default(0.25),
      pause_above: fraction.default(0.95),
    })
    .prefault({}),
  limits: limitsPolicySchema.prefault({}),
  slo: z.record(z.string(), fraction).default({ default: 0.98 }),
  protected_paths: z.array(z.string().min(1)).default([...DEFAULT_PROTECTED_PATHS]),
  remote_poll_seconds: z.number().positive().default(30),
});

export const controlFileSchema = z.looseObject({
  $schema: z.string().optional(),
  enabled: z.boolean().describe('false = emergency stop: every batch is refused'),
  disabled_ecosystems: z.array(z.string()).default([]),
  reason: z.string().default(''),
  incident_url: z.string().default(''),
  disabled_by: z.string().default(''),
  disabled_at: optionalTime,
  expected_resume: optionalTime,
  circuit_breaker: z.record(z.string(), breakerSchema).default({}),
  budget: budgetStateSchema.prefault({}),
  policy: policySchema.prefault({}),
});

export type ControlFile = z.infer<typeof controlFileSchema>;
export type Policy = z.infer<typeof policySchema>;
export type LimitsPolicy = z.infer<typeof limitsPolicySchema>;

export const CONTROL_FILE_NAME = 'batch-control.json';
export const CONTROL_SCHEMA_FILE_NAME = 'batch-control.schema.json';
