// The secure headers the HTTP facade sets up front are hono's secureHeaders() defaults: when hono
// changes them, this fails, and SECURE_HEADERS follows.
import { Hono } from 'hono';
import { secureHeaders as honoSecureHeaders } from 'hono/secure-headers';
import { describe, expect, it } from 'vitest';

import { SECURE_HEADERS, secureHeaders } from '../../../../controller/facades/http/secure-headers.js';

async function headersOf(app: Hono): Promise<Array<[string, string]>> {
  const response = await app.request('/');
  return [...response.headers.entries()].filter(([name]) => name !== 'content-type');
}

describe('secure headers', () => {
  it("are hono's secureHeaders() defaults, on answers and on errors", async () => {
    const hono = await headersOf(new Hono().use(honoSecureHeaders()).get('/', (c) => c.text('x')));
    expect(SECURE_HEADERS.map(([name, value]) => [name.toLowerCase(), value]).sort()).toEqual(hono.sort());
    const ours = new Hono();
    ours.use(secureHeaders());
    ours.get('/', (c) => c.text('x'));
    expect((await headersOf(ours)).sort()).toEqual(hono.sort());
    const failing = new Hono();
    failing.use(secureHeaders());
    failing.get('/', () => {
      throw new Error('boom');
    });
    failing.onError((_error, c) => c.json({ error: 'boom' }, 500));
    expect((await headersOf(failing)).sort()).toEqual(hono.sort());
  });
});
