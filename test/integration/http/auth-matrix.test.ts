// Every route × no token, a bad token, viewer, operator, admin: 401 without a (valid) token, 403 below
// the route's role, and otherwise the route's own answer; the token's name is who acts.
import { describe, expect, it } from 'vitest';

import { json, useHttpService, type HttpService } from '../../helpers/http-service.js';

const start = useHttpService();
const FAKE = 'b-20261122-101500-7k3m9q';
const batchDoc = { title: 'm', ecosystem: 'npm', operations: [{ type: 'write', target: 'm.txt', content: 'm' }] };

type Role = 'viewer' | 'operator' | 'admin' | null;
const ROUTES: Array<{ name: string; role: Role; path: string; init?: RequestInit }> = [
  { name: 'GET /health', role: null, path: '/health' },
  { name: 'GET /ready', role: null, path: '/ready' },
  { name: 'GET /openapi.json', role: null, path: '/openapi.json' },
  { name: 'GET /api/batches', role: 'viewer', path: '/api/batches' },
  { name: 'GET /api/batches/:id', role: 'viewer', path: `/api/batches/${FAKE}` },
  { name: 'GET /api/batches/:id/items', role: 'viewer', path: `/api/batches/${FAKE}/items` },
  { name: 'GET /api/control', role: 'viewer', path: '/api/control' },
  { name: 'GET /api/sli', role: 'viewer', path: '/api/sli?days=3' },
  // ?wait=1: the batch has ended before the next route runs, so no route meets it half-done.
  { name: 'POST /api/batch', role: 'operator', path: '/api/batch?wait=1', init: json(batchDoc) },
  {
    name: 'POST /api/validate',
    role: 'operator',
    path: '/api/validate',
    init: json({ ...batchDoc, operations: [{ type: 'write', target: 'v.txt', content: 'v' }] }),
  },
  { name: 'POST /api/rollback', role: 'operator', path: '/api/rollback', init: json({ batch_id: FAKE, reason: 'r' }) },
  { name: 'POST /api/batches/:id/cancel', role: 'operator', path: `/api/batches/${FAKE}/cancel`, init: json({ reason: 'r' }) },
  { name: 'POST /api/batches/:id/retry', role: 'operator', path: `/api/batches/${FAKE}/retry`, init: { method: 'POST' } },
  { name: 'POST /api/control/stop', role: 'admin', path: '/api/control/stop', init: json({ reason: 'matrix' }) },
  { name: 'POST /api/control/resume', role: 'admin', path: '/api/control/resume', init: { method: 'POST' } },
];

/** What each caller gets: the route's own answer when allowed (the fake batch is 404). */
const ALLOWED: Record<string, number> = {
  'GET /health': 200,
  'GET /ready': 200,
  'GET /openapi.json': 200,
  'GET /api/batches': 200,
  'GET /api/batches/:id': 404,
  'GET /api/batches/:id/items': 404,
  'GET /api/control': 200,
  'GET /api/sli': 200,
  'POST /api/batch': 200,
  'POST /api/validate': 200,
  'POST /api/rollback': 404,
  'POST /api/batches/:id/cancel': 404,
  'POST /api/batches/:id/retry': 404,
  'POST /api/control/stop': 200,
  'POST /api/control/resume': 200,
};

const RANK = { viewer: 0, operator: 1, admin: 2 } as const;

function expected(route: (typeof ROUTES)[number], as: 'none' | 'bad' | 'viewer' | 'operator' | 'admin'): number {
  if (route.role === null) return ALLOWED[route.name] ?? 0;
  if (as === 'none' || as === 'bad') return 401;
  return RANK[as] >= RANK[route.role] ? (ALLOWED[route.name] ?? 0) : 403;
}

async function statuses(call: HttpService['call'], as: 'none' | 'bad' | 'viewer' | 'operator' | 'admin'): Promise<Record<string, number>> {
  const seen: Record<string, number> = {};
  for (const route of ROUTES) {
    const response = await call(route.path, { ...route.init, as });
    seen[route.name] = response.status;
    if (response.status === 401) expect(((await response.json()) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
    else if (response.status === 403) expect(((await response.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN');
    else await response.arrayBuffer();
  }
  return seen;
}

describe('batchctl serve: who may call what', () => {
  for (const as of ['none', 'bad', 'viewer', 'operator', 'admin'] as const) {
    it(`answers every route as expected for ${as === 'none' ? 'no token' : as === 'bad' ? 'a bad token' : `a ${as}`}`, async () => {
      const { call } = await start();
      const want = Object.fromEntries(ROUTES.map((route) => [route.name, expected(route, as)]));
      expect(await statuses(call, as)).toEqual(want);
    });
  }

  it("records the token's name as requested_by and as the stop's disabled_by, whatever the body claims", async () => {
    const { call, engine } = await start();
    const response = await call('/api/batch?wait=1', { as: 'operator', ...json({ ...batchDoc, requested_by: 'someone-else' }) });
    const { batch_id } = (await response.json()) as { batch_id: string };
    expect(engine.status(batch_id).batch.requested_by).toBe('operator-bot');
    expect((await call('/api/control/stop', { as: 'admin', ...json({ reason: 'incident' }) })).status).toBe(200);
    const control = (await (await call('/api/control', { as: 'viewer' })).json()) as { stop: { disabled_by: string; enabled: boolean } };
    expect(control.stop).toMatchObject({ enabled: false, disabled_by: 'admin-bot' });
  });

  it('lets anonymous loopback callers act as admin when there is no tokens file, and refuses any token then', async () => {
    const { call } = await start({}, { anonymous: true });
    expect((await call('/api/control/resume', { as: 'none', method: 'POST' })).status).toBe(200);
    expect((await call('/api/batches', { as: 'admin' })).status).toBe(401);
  });
});
