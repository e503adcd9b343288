// What a batch run and a validation return to every facade.
import { isErrorCode, type ErrorCode } from '../errors/index.js';
import { ISSUE, type IssueCode, type ValidationIssue } from './issue-codes.js';
import type { BatchStatus } from './lifecycle.js';

/** Why a batch did not complete: a code of the one outcome table (errors/codes.ts). */
export interface Reason {
  code: ErrorCode;
  message: string;
  hint?: string;
  /** details when the code has them (RESTORE_INCOMPLETE: the paths left) */
  data?: Record<string, unknown>;
}

export interface OperationError {
  index: number;
  type: string;
  path: string;
  /** an operation outcome (errors/codes.ts) or, for a refused batch, the validation issue */
  code: ErrorCode | IssueCode;
  message: string;
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
  /** present when the batch did not complete: why (refusal, validation, failure, cancellation) */
  reason?: Reason;
  /**
   * present when the batch is committed (status `completed`) but what follows its commit did not
   * finish (the index refresh of its paths, its record): the crash journal is kept and `batchctl
   * recover` (or the next command) finishes it (docs/lifecycle.md#the-journal-and-crash-recovery)
   */
  pending?: Reason;
  /** true when an earlier batch with the same idempotency_key was returned instead of running */
  idempotent_replay?: boolean;
  duration_ms: number;
  /** a dry run (status planned): the validation with its step-by-step plan */
  validation?: ValidationResult;
  /** what the control file carries that batchctl kept or ignored (other tools' keys, deprecated settings) */
  control_warnings?: string[];
  /** with a GitHub token (docs/github-api.md): what was done on GitHub after the run, and what could not be */
  github?: GitHubOutcome;
}

/** What a run did on GitHub; a GitHub failure never changes the batch's outcome, it is a warning here. */
export interface GitHubOutcome {
  /** `run --pr`: the pull request of the proposed batch */
  pull_request?: { number: number; url: string; auto_merge: boolean };
  /** the `batchctl/batch` status was set on the batch commit */
  commit_status?: 'success' | 'failure';
  /** incident issues opened, commented on or closed for breakers that changed */
  incidents?: Array<{ ecosystem: string; action: string; number: number | null; url: string | null }>;
  /** what failed, one per call (the code names a missing permission: GITHUB_PERMISSION) */
  warnings?: Reason[];
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

const ISSUE_CODES: ReadonlySet<string> = new Set(Object.values(ISSUE));

/**
 * A code read back from the store as the outcome union. Rows written before every code was in the
 * table may hold an errno (EEXIST): that is an I/O failure.
 */
export function storedOperationCode(code: string | null): ErrorCode | IssueCode {
  if (code === null) return 'INTERNAL';
  if (isErrorCode(code)) return code;
  return ISSUE_CODES.has(code) ? (code as IssueCode) : 'IO_FAILED';
}

/** A reason read back from the store; an unknown code (a newer batchctl's) is kept as INTERNAL. */
export function storedReason(code: string, message: string): Reason {
  return isErrorCode(code) ? { code, message } : { code: 'INTERNAL', message: `${code}: ${message}` };
}
