// Turns SQLite failures into BatchctlError STORE_FAILED, so callers branch on a code, never on SQLite text.
import { BatchctlError } from '../errors/index.js';

interface SqliteFailure extends Error {
  code: string;
}

export function isSqliteFailure(error: unknown): error is SqliteFailure {
  if (!(error instanceof Error) || !('code' in error)) return false;
  return typeof error.code === 'string' && error.code.startsWith('SQLITE_');
}

/** 'UNIQUE constraint failed: t.a, t.b' → 't.a, t.b'; 'FOREIGN KEY constraint failed' → 'FOREIGN KEY'. */
function constraintOf(message: string): string {
  const named = /constraint failed: (.+)$/.exec(message);
  if (named?.[1]) return named[1];
  return message.replace(/ constraint failed$/, '');
}

export function toStoreError(error: unknown, operation: string): unknown {
  if (error instanceof BatchctlError || !isSqliteFailure(error)) return error;
  if (error.code.startsWith('SQLITE_CONSTRAINT')) {
    const constraint = constraintOf(error.message);
    return new BatchctlError({
      code: 'STORE_FAILED',
      message: `${operation}: ${error.message}`,
      hint: constraint.endsWith('.idempotency_key')
        ? 'a batch with this idempotency key exists; look it up with findByIdempotencyKey and return it'
        : 'the row breaks a uniqueness or reference rule; check the ids you pass',
      data: { constraint, sqlite_code: error.code, operation },
      cause: error,
    });
  }
  return new BatchctlError({
    code: 'STORE_FAILED',
    message: `${operation}: ${error.message}`,
    hint:
      error.code === 'SQLITE_BUSY'
        ? 'another process held the database for more than 5 s; retry'
        : 'check disk space and permissions of the database file',
    data: { sqlite_code: error.code, operation },
    cause: error,
  });
}

/**
 * Wraps every method of a namespace so SQLite errors leave the store as STORE_FAILED.
 * The methods are plain closures (no `this`), so calling them unbound is safe.
 */
export function guard<T extends object>(namespace: string, api: T): T {
  const wrapped: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(api)) {
    if (typeof value !== 'function') {
      wrapped[name] = value;
      continue;
    }
    const fn = value as (...args: unknown[]) => unknown;
    wrapped[name] = (...args: unknown[]): unknown => {
      try {
        return fn(...args);
      } catch (error) {
        throw toStoreError(error, `${namespace}.${name}`);
      }
    };
  }
  return wrapped as T;
}
