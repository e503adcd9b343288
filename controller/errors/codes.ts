// Every error code batchctl raises, with its kind, CLI exit code and HTTP status, in ONE table.

/** refused: control plane (never a breaker failure); transient: retry; terminal: bad input or state. */
export type ErrorKind = 'refused' | 'transient' | 'terminal' | 'internal';

/** docs/outcomes.md#exit-codes exit codes. */
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
  /** the batch parsed but validation found errors (docs/batch-format.md#what-validation-refuses) */
  VALIDATION_FAILED: { kind: 'terminal', exit: EXIT.usage, http: 422 },
  /** run --plan-hash H, and the repository changed since validation */
  PLAN_HASH_MISMATCH: { kind: 'terminal', exit: EXIT.usage, http: 409 },
  /** the control file is missing, unreadable or invalid: fail closed */
  CONTROL_FILE_INVALID: { kind: 'refused', exit: EXIT.refused, http: 503 },
  /** enabled: false */
  EMERGENCY_STOP: { kind: 'refused', exit: EXIT.refused, http: 503 },
  /** the batch's ecosystem is in disabled_ecosystems */
  ECOSYSTEM_DISABLED: { kind: 'refused', exit: EXIT.refused, http: 503 },
  /** the ecosystem's circuit breaker is open: it refuses batches until opens_at, then lets one probe run */
  BREAKER_OPEN: { kind: 'refused', exit: EXIT.refused, http: 503 },
  /**
   * batch-control.json has uncommitted edits (docs/control-file.md#uncommitted-edits): batchctl would
   * commit them under its own name, so the batch is refused until the operator commits them
   */
  CONTROL_FILE_DIRTY: { kind: 'refused', exit: EXIT.refused, http: 409 },
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
  /** rollback/<id> exists: the batch was rolled back already (exit 3, as scripts/rollback-batch.sh) */
  ALREADY_ROLLED_BACK: { kind: 'terminal', exit: EXIT.refused, http: 409 },
  /** a later commit changed the same lines: the revert was aborted, nothing changed */
  ROLLBACK_CONFLICT: { kind: 'terminal', exit: EXIT.rollbackConflict, http: 409 },
  /** --restore, but refs/batchctl/backups/<id> does not exist (createBackup was off, or it was purged) */
  BACKUP_NOT_FOUND: { kind: 'terminal', exit: EXIT.notFound, http: 404 },
  /** the revert needs something batches cannot express (a symlink or submodule entry) */
  ROLLBACK_UNSUPPORTED: { kind: 'terminal', exit: EXIT.usage, http: 422 },
  /**
   * a shallow clone lacks the history the command needs (a batch commit's parent, or the commits to
   * search or rebuild): nothing changed; `git fetch --unshallow`, `fetch-depth: 0` in actions/checkout, or `--fetch`
   */
  SHALLOW_CLONE: { kind: 'terminal', exit: EXIT.usage, http: 409 },
  /** the revert would change paths the batch did not change, or far more than its Batch-Operations: refused, nothing changed */
  ROLLBACK_UNSAFE: { kind: 'terminal', exit: EXIT.usage, http: 409 },
  /** retry of a batch whose every operation landed */
  NOTHING_TO_RETRY: { kind: 'terminal', exit: EXIT.usage, http: 409 },
  /** retry of a batch whose writes' content (refs/batchctl/retry/<id>) was purged or deleted */
  RETRY_CONTENT_MISSING: { kind: 'terminal', exit: EXIT.notFound, http: 404 },
  /** a legacy batch id (`batch_id:` line) names several commits: choose one with --commit */
  BATCH_AMBIGUOUS: { kind: 'terminal', exit: EXIT.usage, http: 409 },
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
  /**
   * an unfinished journal that recovery must not touch yet: HEAD moved to a commit it does not know
   * (a human must look: git sequencer rule), a process of the run is still alive, or a git lock file
   * recovery needs may be in use (`data.lock`; never removed unless proven stale)
   */
  RECOVERY_BLOCKED: { kind: 'terminal', exit: EXIT.batchFailed, http: 409 },
  /**
   * putting the work tree back (a failed, cancelled or interrupted batch) left paths as the batch
   * made them (`data.paths`): every other path was restored and the journal kept, so fixing the
   * cause (a full disk, a directory in the way, an immutable file) and running `batchctl recover`
   * finishes the restore
   */
  RESTORE_INCOMPLETE: { kind: 'terminal', exit: EXIT.batchFailed, http: 500 },
  /**
   * git said it wrote something that is not there or not as asked (`data.what`): an object it printed
   * the id of is missing or differs (a full disk), or a ref or index entry is not at the value given
   * (its input was cut short). No ref moved on the strength of it (docs/lifecycle.md#durability-and-concurrency)
   */
  GIT_WRITE_UNVERIFIED: { kind: 'transient', exit: EXIT.batchFailed, http: 500 },
  /**
   * the ref transaction failed (`data.stderr` is git's), perhaps partway: the refs of it that had
   * moved were put back (`data.undone`), and any that could not be are named (`data.left`)
   */
  REF_UPDATE_FAILED: { kind: 'transient', exit: EXIT.batchFailed, http: 500 },
  /** a git command failed */
  GIT_FAILED: { kind: 'internal', exit: EXIT.batchFailed, http: 500 },
  /** a file or database could not be read or written */
  IO_FAILED: { kind: 'transient', exit: EXIT.batchFailed, http: 500 },
  /** the database is from a newer batchctl or damaged */
  STORE_FAILED: { kind: 'internal', exit: EXIT.batchFailed, http: 500 },
  /** cancel: the batch already ended (completed, failed, cancelled, refused, rolled back): there is nothing to stop */
  BATCH_FINISHED: { kind: 'terminal', exit: EXIT.batchFailed, http: 409 },
  /** cancel or wait: another process runs this batch; only that process can stop it or report its end */
  BATCH_RUNNING_ELSEWHERE: { kind: 'transient', exit: EXIT.batchFailed, http: 409 },
  /** submit: a dry run is not queued (it changes nothing); use run() or validate() */
  DRY_RUN_NOT_QUEUED: { kind: 'terminal', exit: EXIT.usage, http: 400 },
  /** the engine was closed (shutting down): it takes no new work */
  ENGINE_CLOSED: { kind: 'transient', exit: EXIT.batchFailed, http: 503 },
  /** HTTP: the request carries no token, or one that matches no token of BATCHCTL_TOKENS_FILE (docs/serve.md#tokens-and-roles) */
  UNAUTHENTICATED: { kind: 'terminal', exit: EXIT.usage, http: 401 },
  /** HTTP: the token's role is below the route's (viewer < operator < admin) */
  FORBIDDEN: { kind: 'terminal', exit: EXIT.usage, http: 403 },
  /** HTTP: the request's Origin is not in the CORS allow-list (--cors-origin) */
  ORIGIN_REFUSED: { kind: 'terminal', exit: EXIT.usage, http: 403 },
  /** HTTP: no route has that method and path */
  ROUTE_NOT_FOUND: { kind: 'terminal', exit: EXIT.notFound, http: 404 },
  /** HTTP: the body is over the server's limit (counted as it streams) */
  BODY_TOO_LARGE: { kind: 'terminal', exit: EXIT.usage, http: 413 },
  /** HTTP: the body's Content-Type is not one the route accepts */
  UNSUPPORTED_MEDIA_TYPE: { kind: 'terminal', exit: EXIT.usage, http: 415 },
  /** HTTP: too many requests from this token (or address) in the window; see Retry-After */
  RATE_LIMITED: { kind: 'transient', exit: EXIT.batchFailed, http: 429 },
  /** HTTP: the server is still recovering an interrupted batch (GET /ready says when it is done) */
  NOT_READY: { kind: 'transient', exit: EXIT.batchFailed, http: 503 },
  /** serve: no tokens file, so it binds loopback only, and --host named another address (docs/serve.md#tokens-and-roles) */
  HOST_NOT_LOOPBACK: { kind: 'terminal', exit: EXIT.usage, http: 500 },
  /** a bug: never expected */
  INTERNAL: { kind: 'internal', exit: EXIT.batchFailed, http: 500 },
  /** an environment variable batchctl reads (BATCHCTL_LOG_LEVEL, …) has a value it cannot use */
  CONFIG_INVALID: { kind: 'terminal', exit: EXIT.usage, http: 500 },

  // GitHub (docs/github-api.md): pull requests, incident and drift issues, commit status.
  /** a GitHub feature was asked for without GITHUB_TOKEN (or GITHUB_REPOSITORY): it is off, nothing was sent */
  GITHUB_OFF: { kind: 'terminal', exit: EXIT.usage, http: 503 },
  /** GitHub refused the token (401): expired, revoked, or for another GitHub than GITHUB_API_URL */
  GITHUB_UNAUTHORIZED: { kind: 'terminal', exit: EXIT.usage, http: 502 },
  /** the token lacks a permission the call needs (`data.permission`, from X-Accepted-GitHub-Permissions) */
  GITHUB_PERMISSION: { kind: 'terminal', exit: EXIT.usage, http: 502 },
  /** GitHub's primary or secondary rate limit held after the retries (`data.retry_after` when it said) */
  GITHUB_RATE_LIMITED: { kind: 'transient', exit: EXIT.batchFailed, http: 503 },
  /** any other GitHub answer or a network failure (`data.status`, `data.request`) */
  GITHUB_FAILED: { kind: 'transient', exit: EXIT.batchFailed, http: 502 },

  // Batch outcomes: the reason a batch that ran did not complete (result.reason.code).
  /** the caller cancelled the batch (signal, SIGINT/SIGTERM, engine closed): rolled back, no commit */
  CANCELLED: { kind: 'terminal', exit: EXIT.batchFailed, http: 409 },
  /** an operation of an atomic batch failed: every change rolled back, no commit */
  ATOMIC_FAILURE: { kind: 'terminal', exit: EXIT.batchFailed, http: 422 },
  /** more operations failed than failure_threshold allows: rolled back, no commit */
  FAILURE_THRESHOLD: { kind: 'terminal', exit: EXIT.batchFailed, http: 422 },
  /** the process died mid-batch; crash recovery finished or undid it */
  INTERRUPTED: { kind: 'transient', exit: EXIT.batchFailed, http: 500 },
  /** rollback: every path already is as it was before the batch (nothing to commit; success) */
  NOTHING_TO_REVERT: { kind: 'terminal', exit: EXIT.ok, http: 200 },

  // Operation outcomes: why one operation of a batch did not land (result.errors[].code, items).
  /** not run: an operation it depends on (depends_on, or earlier on the same path) did not succeed */
  DEPENDENCY_FAILED: { kind: 'terminal', exit: EXIT.batchFailed, http: 422 },
  /** not started: the batch stopped first (cancelled, emergency stop, threshold reached) */
  STOPPED: { kind: 'terminal', exit: EXIT.batchFailed, http: 409 },
  /** a file appeared at a path the batch creates, after validation (someone else wrote it) */
  TARGET_APPEARED: { kind: 'terminal', exit: EXIT.batchFailed, http: 409 },
  /** the source of a copy or move vanished after validation */
  SOURCE_MISSING: { kind: 'terminal', exit: EXIT.batchFailed, http: 409 },
  /** replace on an explicit path found nothing to replace */
  REPLACE_NO_MATCH: { kind: 'terminal', exit: EXIT.batchFailed, http: 422 },
  /** a replace pattern RE2 cannot compile */
  REGEX_INVALID: { kind: 'terminal', exit: EXIT.usage, http: 422 },

  // Verify outcomes (docs/lifecycle.md#drift).
  /** verify: files a batch wrote no longer have the recorded blob ids, changed by a later commit that is not batchctl's, or in the work tree */
  DRIFT_FOUND: { kind: 'terminal', exit: EXIT.drift, http: 409 },
} as const satisfies Record<string, CodeInfo>;

export type ErrorCode = keyof typeof ERROR_CODES;
