// The one mapping from a result to what a caller sees: exit code, HTTP status, ok or not.
// Every facade (CLI, HTTP, MCP, …) renders outcomes through outcomeOf; none keeps its own table.
import { ERROR_CODES, EXIT, type ErrorCode, type ExitCode } from './codes.js';

export interface Outcome {
  ok: boolean;
  exit: ExitCode;
  http: number;
  /** the reason's code, or null for a plain success */
  code: ErrorCode | null;
}

/** What a status means when no reason code says more (a reason, when present, wins). */
const BY_STATUS: Readonly<Record<string, { exit: ExitCode; http: number }>> = {
  completed: { exit: EXIT.ok, http: 200 },
  proposed: { exit: EXIT.ok, http: 202 },
  planned: { exit: EXIT.ok, http: 200 },
  queued: { exit: EXIT.ok, http: 202 },
  rolled_back: { exit: EXIT.ok, http: 200 },
  refused: { exit: EXIT.refused, http: 503 },
  cancelled: { exit: EXIT.batchFailed, http: 409 },
  failed: { exit: EXIT.batchFailed, http: 500 },
};

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CODES, code);
}

/**
 * @example outcomeOf(await engine.run(batch)).exit   // 0, or the exit code of result.reason.code
 */
export function outcomeOf(result: { status: string; reason?: { code: string } | undefined }): Outcome {
  const code = result.reason?.code;
  if (code !== undefined && isErrorCode(code)) {
    const { exit, http } = ERROR_CODES[code];
    return { ok: exit === EXIT.ok, exit, http, code };
  }
  const byStatus = BY_STATUS[result.status] ?? { exit: EXIT.batchFailed, http: 500 };
  return { ok: byStatus.exit === EXIT.ok, ...byStatus, code: null };
}
