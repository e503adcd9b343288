// The secure headers the HTTP facade sets up front are hono's secureHeaders() defaults (when hono
// changes them, this fails and SECURE_HEADERS follows), with the request id as hono's requestId() keeps it.
import { Hono, type MiddlewareHandler } from 'hono';
import { secureHeaders } from 'hono/secure-headers';
import { describe, expect, it } from 'vitest';

import type { HttpEnv } from '../../../../controller/facades/http/index.js';
import { SECURE_HEADERS, stampResponse } from '../../../../controller/facades/http/secure-headers.js';

const stamp: MiddlewareHandler<HttpEnv> = async (c, next) => {
  stampResponse(c);
  await next();
};
const byName = (response: Response, skip: readonly string[]) =>
  [...response.headers.entries()].filter(([name]) => !skip.includes(name)).sort();

describe('secure headers', () => {
  it("are hono's secureHeaders() defaults, on answers and on errors", async () => {
    const hono = byName(
      await new Hono()
        .use(secureHeaders())
        .get('/', (c) => c.text('x'))
        .request('/'),
      ['content-type'],
    );
    expect(SECURE_HEADERS.map(([name, value]) => [name.toLowerCase(), value]).sort()).toEqual(hono);
    const ours = new Hono<HttpEnv>().use(stamp).get('/', (c) => c.text('x'));
    const failing = new Hono<HttpEnv>().use(stamp).get('/', () => {
      throw new Error('boom');
    });
    failing.onError((_error, c) => c.json({ error: 'boom' }, 500));
    for (const app of [ours, failing]) {
      const response = await app.request('/');
      expect(byName(response, ['content-type', 'x-request-id', 'vary'])).toEqual(hono);
      expect(response.headers.get('vary')).toBe('Origin');
      expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it("keeps a caller's plain X-Request-Id and replaces any other", async () => {
    const app = new Hono<HttpEnv>().use(stamp).get('/', (c) => c.text(c.get('requestId')));
    const kept = await app.request('/', { headers: { 'x-request-id': 'trace-42=a' } });
    expect([kept.headers.get('x-request-id'), await kept.text()]).toEqual(['trace-42=a', 'trace-42=a']);
    const replaced = await app.request('/', { headers: { 'x-request-id': 'no spaces; please' } });
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
