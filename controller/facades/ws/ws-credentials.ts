// Who may open a WebSocket (docs/serve.md#websocket): the Origin against the allow-list, then the
// token, both read from the upgrade request before any WebSocket exists, so a refusal is a plain
// HTTP 401/403 written on the socket (never an upgrade that is closed afterwards).
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

import { isSameOrigin } from '../../domain/index.js';
import { BatchctlError, ERROR_CODES, type ErrorCode } from '../../errors/index.js';

/** The principal a token belongs to; the same shape as facades/http/auth/principal.ts. */
export interface WsPrincipal {
  name: string;
  role: 'viewer' | 'operator' | 'admin';
}

/** token → principal; null when none was given, 'invalid' when it matches no token (the HTTP facade's `Authenticate`). */
export type WsAuthenticate = (token: string | undefined) => WsPrincipal | null | 'invalid';

/** The subprotocol a browser offers beside `bearer.<token>`; the server selects it (a browser requires one). */
export const WS_PROTOCOL = 'batchctl';
const BEARER_PROTOCOL = 'bearer.';

/** `Authorization: Bearer <token>`, else the `bearer.<token>` entry of Sec-WebSocket-Protocol (browsers cannot set headers). */
export function tokenOf(request: IncomingMessage): string | undefined {
  const header = request.headers.authorization;
  const bearer = header?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
  if (bearer) return bearer;
  const offered = (request.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
  return offered.find((p) => p.startsWith(BEARER_PROTOCOL) && p.length > BEARER_PROTOCOL.length)?.slice(BEARER_PROTOCOL.length);
}

/** Who is upgrading, or the refusal: ORIGIN_REFUSED (403) before the token, UNAUTHENTICATED (401). */
export function admit(
  request: IncomingMessage,
  { authenticate, origins }: { authenticate: WsAuthenticate; origins: readonly string[] },
): WsPrincipal | BatchctlError {
  const origin = request.headers.origin;
  // A browser always sends Origin; a client without one (curl, a server) is not a cross-site page.
  if (origin !== undefined && !origins.includes(origin) && !isSameOrigin(origin, request.headers.host)) {
    return new BatchctlError({
      code: 'ORIGIN_REFUSED',
      message: `origin ${origin} may not open a WebSocket`,
      hint: 'add it with --cors-origin',
      data: { origin },
    });
  }
  const who = authenticate(tokenOf(request));
  if (who === null || who === 'invalid') {
    return new BatchctlError({
      code: 'UNAUTHENTICATED',
      message: who === null ? 'a token is required' : 'the token matches no token of the server',
      hint: `send Authorization: Bearer <token>, or offer the subprotocols ["${WS_PROTOCOL}", "bearer.<token>"]`,
    });
  }
  // Every role reads events: viewer, the least, is all a WebSocket needs.
  return who;
}

const REASON: Record<number, string> = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' };

/** An HTTP error response on the raw socket of an upgrade request: the body is the HTTP facade's error shape. */
export function refuse(socket: Duplex, error: BatchctlError): void {
  const status = ERROR_CODES[error.code as ErrorCode].http;
  const body = JSON.stringify({ error: { code: error.code, message: error.detail, ...(error.hint ? { hint: error.hint } : {}) } });
  if (socket.writable) {
    socket.end(
      `HTTP/1.1 ${status} ${REASON[status] ?? 'Error'}\r\nConnection: close\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
}
