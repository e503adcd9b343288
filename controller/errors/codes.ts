// Every error code batchctl raises, with its kind, CLI exit code and HTTP status, in ONE table.

/** refused: control plane (never a breaker failure); transient: retry; terminal: bad input or state. */
export type ErrorKind = 'refused' | 'transient' | 'terminal' | 'internal';

/** SPEC §7 exit codes. */
export const EXIT = {
  ok: 0,
  batchFailed: 1,
  usage: 2,
  refused: 3,
  rollbackConflict: 4,
  notFound: 5,
  drift: 6,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

interface CodeInfo {
  kind: ErrorKind;
  exit: ExitCode;
  http: number;
}

export const ERROR_CODES = {
  /** the CLI was called wrongly (unknown flag, missing argument) */
  USAGE: { kind: 'terminal', exit: EXIT.usage, http: 400 },
  /** batch input is not JSON / NDJSON, or fails the schema */
  INPUT_INVALID: { kind: 'terminal', exit: EXIT.usage, http: 400 },
  /** the batch parsed but validation found errors (SPEC §3) */
  VALIDATION_FAILED: { kind: 'terminal', exit: EXIT.usage, http: 422 },
  /** run --plan-hash H, and the repository changed since validation */
  PLAN_HASH_MISMATCH: { kind: 'terminal', exit: EXIT.usage, http: 409 },
  /** the control file is missing, unreadable or invalid: fail closed */
  CONTROL_FILE_INVALID: { kind: 'refused', exit: EXIT.refused, http: 503 },
  /** enabled: false */
  EMERGENCY_STOP: { kind: 'refused', exit: EXIT.refused, http: 503 },
  /** the batch's ecosystem is in disabled_ecosystems */
  ECOSYSTEM_DISABLED: { kind: 'refused', exit: EXIT.refused, http: 503 },
  /** the ecosystem's circuit breaker is open (or half-open with its probes in flight) */
  BREAKER_OPEN: { kind: 'refused', exit: EXIT.refused, http: 503 },
  /** the weekly budget is paused, or sampling left this batch out */
  BUDGET_EXHAUSTED: { kind: 'refused', exit: EXIT.refused, http: 429 },
  /** a stop, resume or other control edit would make the control file invalid: nothing was written */
  CONTROL_EDIT_INVALID: { kind: 'terminal', exit: EXIT.usage, http: 400 },
  /** --repo is not a git work tree */
  NOT_A_REPOSITORY: { kind: 'terminal', exit: EXIT.usage, http: 400 },
  /** no batch with that id */
  BATCH_NOT_FOUND: { kind: 'terminal', exit: EXIT.notFound, http: 404 },
  /** the commit carries batch trailers but batchctl did not make it (incomplete block, no tag, bad Batch-Sig) */
  BATCH_NOT_VERIFIED: { kind: 'terminal', exit: EXIT.usage, http: 409 },
  /** rollback/<id> exists: the batch was rolled back already */
  ALREADY_ROLLED_BACK: { kind: 'terminal', exit: EXIT.usage, http: 409 },
  /** a later commit changed the same lines: the revert was aborted, nothing changed */
  ROLLBACK_CONFLICT: { kind: 'terminal', exit: EXIT.rollbackConflict, http: 409 },
  /** --restore, but refs/batchctl/backups/<id> does not exist (createBackup was off, or it was purged) */
  BACKUP_NOT_FOUND: { kind: 'terminal', exit: EXIT.notFound, http: 404 },
  /** the revert needs something batches cannot express (a symlink or submodule entry) */
  ROLLBACK_UNSUPPORTED: { kind: 'terminal', exit: EXIT.usage, http: 422 },
  /** retry of a batch whose every operation landed */
  NOTHING_TO_RETRY: { kind: 'terminal', exit: EXIT.usage, http: 409 },
  /** a value that must be a batch id is not one */
  BATCH_ID_INVALID: { kind: 'terminal', exit: EXIT.usage, http: 400 },
  /** another process holds the repository lock for too long */
  LOCK_TIMEOUT: { kind: 'transient', exit: EXIT.batchFailed, http: 503 },
  /** the remote kept rejecting the push (others kept pushing first); nothing was published */
  PUSH_REJECTED: { kind: 'transient', exit: EXIT.batchFailed, http: 409 },
  /** the remote's new head changed the batch's paths (or local work is in the way): it cannot be replayed */
  PUSH_CONFLICT: { kind: 'transient', exit: EXIT.batchFailed, http: 409 },
  /** HEAD moved while the batch ran (compare-and-swap lost) */
  HEAD_MOVED: { kind: 'transient', exit: EXIT.batchFailed, http: 409 },
  /** a ref's lock file (`refs/heads/main.lock`, `HEAD.lock` …) is held by another git process, or was left by one that died: no ref moved */
  REF_LOCKED: { kind: 'transient', exit: EXIT.batchFailed, http: 503 },
  /** an unfinished journal whose HEAD is unknown: a human must look (git sequencer rule) */
  RECOVERY_BLOCKED: { kind: 'terminal', exit: EXIT.batchFailed, http: 409 },
  /** a git command failed */
  GIT_FAILED: { kind: 'internal', exit: EXIT.batchFailed, http: 500 },
  /** a file or database could not be read or written */
  IO_FAILED: { kind: 'transient', exit: EXIT.batchFailed, http: 500 },
  /** the database is from a newer batchctl or damaged */
  STORE_FAILED: { kind: 'internal', exit: EXIT.batchFailed, http: 500 },
  /** a bug: never expected */
  INTERNAL: { kind: 'internal', exit: EXIT.batchFailed, http: 500 },
} as const satisfies Record<string, CodeInfo>;

export type ErrorCode = keyof typeof ERROR_CODES;
