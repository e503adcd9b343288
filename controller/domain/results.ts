// What a batch run and a validation return to every facade.
import type { ValidationIssue } from './issue-codes.js';
import type { BatchStatus } from './lifecycle.js';

export interface OperationError {
  index: number;
  type: string;
  path: string;
  code: string;
  message: string;
}

/** Why a batch ended as it did; `data` when the code has details (RESTORE_INCOMPLETE: the paths left). */
export interface BatchReason {
  code: string;
  message: string;
  data?: Record<string, unknown>;
}

export interface BatchResult {
  batch_id: string;
  status: BatchStatus;
  success_count: number;
  failure_count: number;
  commit: string | null;
  tag: string | null;
  rollback_available: boolean;
  backup_id: string | null;
  errors: OperationError[];
  /** present when the batch did not run or did not land: why (refusal, validation, failure) */
  reason?: BatchReason;
  /** true when an earlier batch with the same idempotency_key was returned instead of running */
  idempotent_replay?: boolean;
  duration_ms: number;
  /** a dry run (status planned): the validation with its step-by-step plan */
  validation?: ValidationResult;
}

export interface PlannedStep {
  index: number;
  type: string;
  /** what the step does, in words a reviewer reads: "write recipes/a.toml (new, 12 bytes)" */
  action: string;
  paths: string[];
}

export interface ValidationResult {
  valid: boolean;
  issues: ValidationIssue[];
  warnings: ValidationIssue[];
  estimated_time_seconds: number;
  total_size_bytes: number;
  plan_hash: string;
  plan?: PlannedStep[];
}
