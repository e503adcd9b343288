// The server's public API as the page calls it (docs/serve.md#routes): one fetch wrapper that sends the
// token and turns the error shape `{error: {code, message, hint?, details?}}` into an ApiError whose text
// the page shows as the server wrote it.
import { savedToken } from './session.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly hint: string | undefined,
    readonly details: Record<string, unknown> | undefined,
  ) {
    super(message);
  }

  /** `EMERGENCY_STOP: all batches are stopped … (hint)` */
  text(): string {
    return `${this.code}: ${this.message}${this.hint ? ` (${this.hint})` : ''}`;
  }
}

export function authHeaders(): Record<string, string> {
  const token = savedToken();
  // No token: the loopback admin of a server without a tokens file (docs/serve.md#without-a-tokens-file).
  return token ? { Authorization: `Bearer ${token}` } : {};
}

interface Send {
  method?: 'GET' | 'POST';
  /** a JSON value, or the text of a batch document with its content type */
  json?: unknown;
  text?: { body: string; type: string };
}

/** GET or POST a route; resolves to the JSON answer, rejects with an ApiError. */
export async function api<T>(path: string, { method = 'GET', json, text }: Send = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...authHeaders() };
  let body: string | undefined;
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(json);
  } else if (text) {
    headers['Content-Type'] = text.type;
    body = text.body;
  }
  const response = await fetch(path, { method, headers, ...(body === undefined ? {} : { body }) });
  const answer = (await response.json().catch(() => null)) as unknown;
  if (response.ok) return answer as T;
  type Refusal = { code?: string; message?: string; hint?: string; details?: Record<string, unknown> };
  // An error body, or a batch result whose status is not 2xx (a retry or rollback batch that did not
  // land answers with its result and the outcome's status): its `reason` says why.
  const refused = answer as { error?: Refusal; reason?: Refusal } | null;
  const error = refused?.error ?? refused?.reason;
  throw new ApiError(
    response.status,
    error?.code ?? `HTTP_${response.status}`,
    error?.message ?? response.statusText,
    error?.hint,
    error?.details,
  );
}

/** The text of a refusal as the server wrote it: `CODE: message (hint)`. */
export function errorText(error: unknown): string {
  return error instanceof ApiError ? error.text() : String(error);
}
