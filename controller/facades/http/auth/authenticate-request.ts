// Who calls (docs/serve.md#tokens-and-roles): the bearer token through the server's Authenticate, and
// the route's role checked against the principal's. Nothing here compares tokens itself.
import type { Context } from 'hono';

import { BatchctlError } from '../../../errors/index.js';
import type { HttpEnv } from '../http-env.js';
import { hasRole, type Authenticate, type Principal, type Role } from './principal.js';

function bearer(header: string | undefined): string | undefined {
  const match = header === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1] ?? (header === undefined ? undefined : '');
}

/** Sets `principal` and `credential`; refusing is the route's job (an open route takes anyone). */
export function identify(
  c: Context<HttpEnv>,
  { authenticate, anonymous }: { authenticate: Authenticate; anonymous: Principal | null },
): void {
  const token = bearer(c.req.header('authorization'));
  const found = token === '' ? 'invalid' : authenticate(token);
  if (found === 'invalid') {
    c.set('principal', null);
    c.set('credential', 'invalid');
  } else if (found === null) {
    c.set('principal', anonymous);
    c.set('credential', 'none');
  } else {
    c.set('principal', found);
    c.set('credential', 'valid');
  }
}

/** 401 without a (valid) token, 403 when its role is below `needed`. */
export function requireRole(c: Context<HttpEnv>, needed: Role): Principal {
  const principal = c.get('principal');
  if (!principal) {
    const invalid = c.get('credential') === 'invalid';
    throw new BatchctlError({
      code: 'UNAUTHENTICATED',
      message: invalid ? 'the bearer token matches no token of this server' : 'this route needs a token',
      hint: 'send Authorization: Bearer <token> (make one with `batchctl token add NAME --role ROLE`)',
    });
  }
  if (!hasRole(principal, needed)) {
    throw new BatchctlError({
      code: 'FORBIDDEN',
      message: `token ${principal.name} is a ${principal.role}; this route needs ${needed}`,
      hint: 'viewer < operator < admin: ask for a token with that role',
      data: { role: principal.role, needed },
    });
  }
  return principal;
}
