// The one error type: a stable code, a kind, structured data and a hint (isomorphic-git style).
import { ERROR_CODES, type ErrorCode, type ErrorKind, type ExitCode } from './codes.js';

export interface BatchctlErrorOptions {
  code: ErrorCode;
  message: string;
  hint?: string;
  data?: Record<string, unknown>;
  cause?: unknown;
}

export class BatchctlError extends Error {
  override readonly name = 'BatchctlError';
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly data: Record<string, unknown>;
  /** the message without its hint: where the hint has a field of its own (JSON, results) */
  readonly detail: string;

  constructor({ code, message, hint, data = {}, cause }: BatchctlErrorOptions) {
    // `message` carries the hint too, so a log line or a stack trace reads whole on its own.
    super(hint ? `${message} (Hint: ${hint})` : message, { cause });
    this.code = code;
    this.hint = hint;
    this.data = data;
    this.detail = message;
  }

  get kind(): ErrorKind {
    return ERROR_CODES[this.code].kind;
  }

  get exitCode(): ExitCode {
    return ERROR_CODES[this.code].exit;
  }

  get httpStatus(): number {
    return ERROR_CODES[this.code].http;
  }

  /** The JSON form every facade renders: `{error: {code, message, hint, data}}`. */
  toJSON(): { error: { code: ErrorCode; message: string; hint?: string; data: Record<string, unknown> } } {
    return { error: { code: this.code, message: this.detail, ...(this.hint ? { hint: this.hint } : {}), data: this.data } };
  }
}

/** Any thrown value as a BatchctlError (unknown ones become INTERNAL, keeping the cause). */
export function toBatchctlError(error: unknown): BatchctlError {
  if (error instanceof BatchctlError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new BatchctlError({ code: 'INTERNAL', message, cause: error });
}
