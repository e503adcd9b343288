// The reading routes' guard (docs/serve.md#events-over-sse): a viewer's `Authorization: Bearer` token.
// A token in the URL is refused by name: URLs end up in logs, proxies and browser history.
import type { Context } from 'hono';

import { BatchctlError } from '../../../errors/index.js';
import { hasRole, type Authenticate, type Principal } from '../auth/principal.js';

export function bearerOf(c: Context): string | undefined {
  return c.req.header('authorization')?.match(/^Bearer\s+(\S+)\s*$/i)?.[1];
}

/** The caller as a viewer at least, or UNAUTHENTICATED (401) / FORBIDDEN (403) / INPUT_INVALID for `?token=`. */
export function requireViewer(c: Context, authenticate: Authenticate): Principal {
  if (c.req.query('token') !== undefined) {
    throw new BatchctlError({
      code: 'INPUT_INVALID',
      message: 'query.token: a token may not travel in the URL',
      hint: 'send it as Authorization: Bearer <token> (in a browser, read the stream with fetch)',
      data: { issues: [{ field: 'query.token', message: 'not allowed' }] },
    });
  }
  const who = authenticate(bearerOf(c));
  if (who === null || who === 'invalid') {
    throw new BatchctlError({
      code: 'UNAUTHENTICATED',
      message: who === null ? 'a token is required' : 'the token matches no token of the server',
      hint: 'send Authorization: Bearer <token>',
    });
  }
  if (!hasRole(who, 'viewer')) {
    throw new BatchctlError({ code: 'FORBIDDEN', message: `token ${who.name} may not read events`, hint: 'use a viewer token' });
  }
  return who;
}
