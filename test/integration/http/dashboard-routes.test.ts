// The routes the dashboard reads (docs/dashboard.md#the-routes-it-added): who calls, the 7-day aggregates,
// a batch's commit with trailers and diff summary; and the page's own origin admitted by CORS.
import { describe, expect, it } from 'vitest';

import { json, useHttpService } from '../../helpers/http-service.js';

const start = useHttpService();

describe('batchctl serve: the dashboard routes', () => {
  it('tells each token its name and role, and refuses a caller without one', async () => {
    const { call } = await start();
    for (const role of ['viewer', 'operator', 'admin'] as const) {
      expect(await (await call('/api/whoami', { as: role })).json()).toEqual({ name: `${role}-bot`, role });
    }
    const anonymous = await call('/api/whoami', { as: 'none' });
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
  });

  it('aggregates the last days per hour and status and per ecosystem, and refuses a window it does not keep', async () => {
    const { call } = await start();
    const run = (ecosystem: string, target: string) =>
      call('/api/batch?wait=1', {
        as: 'operator',
        ...json({ title: 't', ecosystem, operations: [{ type: 'write', target, content: 'x\n' }] }),
      });
    expect((await run('npm', 'a.txt')).status).toBe(200);
    expect((await run('npm', 'b.txt')).status).toBe(200);
    expect((await run('pypi', 'c.txt')).status).toBe(200);
    const stats = (await (await call('/api/stats?days=7', { as: 'viewer' })).json()) as {
      since: string;
      hours: Array<{ hour: string; status: string; count: number }>;
      ecosystems: unknown[];
    };
    expect(Date.now() - Date.parse(stats.since)).toBeGreaterThanOrEqual(7 * 86_400_000);
    expect(stats.hours.reduce((sum, h) => sum + (h.status === 'completed' ? h.count : 0), 0)).toBe(3);
    expect(stats.hours.every((h) => /^\d{4}-\d\d-\d\dT\d\d:00:00Z$/.test(h.hour))).toBe(true);
    expect(stats.ecosystems).toEqual([
      { ecosystem: 'npm', batches: 2, succeeded: 2, success_rate: 1 },
      { ecosystem: 'pypi', batches: 1, succeeded: 1, success_rate: 1 },
    ]);
    const tooLong = await call('/api/stats?days=90', { as: 'viewer' });
    expect(tooLong.status).toBe(400);
    expect(((await tooLong.json()) as { error: { code: string } }).error.code).toBe('INPUT_INVALID');
  });

  it("answers a batch's commit with its tag, trailers and lines added and deleted per file; nulls for a batch that made none", async () => {
    const { call, repo } = await start({ 'keep.txt': 'one\ntwo\nthree\n' });
    const done = (await (
      await call('/api/batch?wait=1', {
        as: 'operator',
        ...json({
          title: 'edit',
          ecosystem: 'npm',
          operations: [
            { type: 'write', target: 'new.txt', content: 'a\nb\n' },
            { type: 'replace', target: 'keep.txt', find: 'two', replace: 'deux' },
          ],
        }),
      })
    ).json()) as { batch_id: string };
    const commit = (await (await call(`/api/batches/${done.batch_id}/commit`, { as: 'viewer' })).json()) as {
      commit: string;
      tag: string;
      subject: string;
      trailers: Array<{ key: string; value: string }>;
      files: Array<{ path: string; added: number; deleted: number }>;
    };
    expect(commit.commit).toBe(repo.head());
    expect(commit.tag).toBe(`batch/${done.batch_id}`);
    expect(commit.subject).toBe('edit');
    expect(commit.trailers).toContainEqual({ key: 'Batch-Id', value: done.batch_id });
    expect(commit.files).toEqual([
      { path: 'keep.txt', added: 1, deleted: 1 },
      { path: 'new.txt', added: 2, deleted: 0 },
    ]);

    const invalid = (await (
      await call('/api/batch?wait=1', {
        as: 'operator',
        ...json({ title: 'bad', ecosystem: 'npm', operations: [{ type: 'write', target: '../x', content: 'x' }] }),
      })
    ).json()) as { batch_id: string };
    expect(await (await call(`/api/batches/${invalid.batch_id}/commit`, { as: 'viewer' })).json()).toEqual({
      batch_id: invalid.batch_id,
      commit: null,
      tag: null,
      subject: null,
      trailers: [],
      files: [],
    });
    expect((await call('/api/batches/b-20990101-000000-zzzzzz/commit', { as: 'viewer' })).status).toBe(404);
    expect((await call('/api/batches/nope/commit', { as: 'viewer' })).status).toBe(400);
  });

  it('lists the dashboard routes in /openapi.json with their roles', async () => {
    const { call } = await start();
    const document = (await (await call('/openapi.json', { as: 'none' })).json()) as {
      paths: Record<string, { get?: { 'x-batchctl-role'?: string } }>;
    };
    expect(document.paths['/api/whoami']?.get?.['x-batchctl-role']).toBe('viewer');
    expect(document.paths['/api/stats']?.get?.['x-batchctl-role']).toBe('viewer');
    expect(document.paths['/api/batches/{id}/commit']?.get?.['x-batchctl-role']).toBe('viewer');
  });

  it("admits a page's calls from the server's own address (its IP and port) and still refuses another origin", async () => {
    const { call, url } = await start();
    const own = await call('/api/whoami', { as: 'viewer', headers: { origin: url } });
    expect(own.status).toBe(200);
    const other = await call('/api/whoami', { as: 'viewer', headers: { origin: 'http://evil.example' } });
    expect(other.status).toBe(403);
    expect(((await other.json()) as { error: { code: string } }).error.code).toBe('ORIGIN_REFUSED');
    const otherPort = await call('/api/whoami', { as: 'viewer', headers: { origin: url.replace(/:\d+$/, ':1') } });
    expect(otherPort.status).toBe(403);
  });
});
