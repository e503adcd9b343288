// The read routes and validate, and the OpenAPI document generated from the same route table.
import { describe, expect, it } from 'vitest';

import { routeTable } from '../../../controller/facades/http/index.js';
import { json, useHttpService } from '../../helpers/http-service.js';

const start = useHttpService();
const doc = (target: string) => ({ title: 't', ecosystem: 'npm', operations: [{ type: 'write', target, content: 'x' }] });

describe('batchctl serve: routes', () => {
  it('validates without changing anything: 200 with the plan hash, 422 VALIDATION_FAILED with the issues', async () => {
    const { call, repo, engine } = await start();
    const before = repo.snapshot();
    const valid = await call('/api/validate', { as: 'operator', ...json(doc('v.txt')) });
    expect(valid.status).toBe(200);
    expect(await valid.json()).toMatchObject({ valid: true, plan_hash: expect.stringMatching(/^sha256:/) });
    const invalid = await call('/api/validate', { as: 'operator', ...json(doc('../v.txt')) });
    expect(invalid.status).toBe(422);
    const body = (await invalid.json()) as { error: { code: string; details: { issues: Array<{ code: string; index: number }> } } };
    expect(body.error.code).toBe('VALIDATION_FAILED');
    expect(body.error.details.issues[0]).toMatchObject({ code: 'PATH_TRAVERSAL', index: 0 });
    expect(repo.snapshot()).toBe(before);
    expect(engine.list({ limit: 5 })).toEqual([]);
  });

  it('pages batches newest first with a cursor, filtered by status and ecosystem', async () => {
    const { call } = await start();
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await call('/api/batch?wait=1', { as: 'operator', ...json(doc(`p${i}.txt`)) });
      ids.push(((await response.json()) as { batch_id: string }).batch_id);
    }
    const page = async (query: string) =>
      (await (await call(`/api/batches?${query}`, { as: 'viewer' })).json()) as {
        batches: Array<{ batch_id: string }>;
        next_cursor: string | null;
      };
    const first = await page('limit=2');
    expect(first.batches.map((b) => b.batch_id)).toEqual([ids[2], ids[1]]);
    const second = await page(`limit=2&cursor=${first.next_cursor}`);
    expect(second).toEqual({ batches: [expect.objectContaining({ batch_id: ids[0] })], next_cursor: null });
    expect((await page('status=failed')).batches).toEqual([]);
    expect((await page('ecosystem=npm&status=completed')).batches).toHaveLength(3);
    const sli = (await (await call('/api/sli?days=1', { as: 'viewer' })).json()) as { ecosystems: Array<{ ecosystem: string }> };
    expect(sli.ecosystems.map((e) => e.ecosystem)).toContain('npm');
  });

  it('describes every route of the table in /openapi.json, with its role, query and body schema', async () => {
    const { call } = await start();
    const document = (await (await call('/openapi.json', { as: 'none' })).json()) as {
      openapi: string;
      paths: Record<
        string,
        Record<
          string,
          {
            'x-batchctl-role'?: string;
            parameters: Array<{ name: string }>;
            requestBody?: { content: Record<string, { schema: { properties?: Record<string, unknown>; required?: string[] } }> };
          }
        >
      >;
    };
    expect(document.openapi).toBe('3.1.0');
    const table = routeTable({ service: { phase: 'ready' }, version: 'x' });
    for (const route of table) {
      const op = document.paths[route.path.replace(/:(\w+)/g, '{$1}')]?.[route.method];
      expect(op, route.path).toBeDefined();
      expect(op?.['x-batchctl-role'], route.path).toBe(route.role ?? undefined);
    }
    const rollback = document.paths['/api/rollback']?.post?.requestBody?.content['application/json']?.schema;
    expect(rollback?.required?.sort()).toEqual(['batch_id', 'reason']);
    expect(Object.keys(rollback?.properties ?? {}).sort()).toEqual(['batch_id', 'paths', 'reason', 'restore']);
    const submit = document.paths['/api/batch']?.post;
    expect(Object.keys(submit?.requestBody?.content ?? {})).toEqual(['application/json', 'application/x-ndjson']);
    expect(submit?.requestBody?.content['application/json']?.schema.properties).toHaveProperty('operations');
    expect(document.paths['/api/batches']?.get?.parameters.map((p) => p.name).sort()).toEqual(['cursor', 'ecosystem', 'limit', 'status']);
  });
});
