// GET /api/batches/:id keeps its rendered answer only while the store is unchanged: a change by this
// server's engine or by another process (the CLI, a second connection) is seen by the next request.
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { openStore } from '../../../controller/store/index.js';
import { json, useHttpService } from '../../helpers/http-service.js';

const start = useHttpService();

interface Detail {
  batch: { status: string; title: string };
  rollbacks: unknown[];
}

describe('GET /api/batches/:id: the kept answer', () => {
  it('is the same answer while nothing changes, and a new one after any change, from any process', async () => {
    const { call, repo } = await start();
    const done = await call('/api/batch?wait=1', {
      as: 'operator',
      ...json({ title: 'first title', ecosystem: 'npm', operations: [{ type: 'write', target: 'c.txt', content: 'c' }] }),
    });
    const { batch_id: id } = (await done.json()) as { batch_id: string };
    const get = async (): Promise<[string, string | null]> => {
      const response = await call(`/api/batches/${id}`, { as: 'viewer' });
      return [await response.text(), response.headers.get('content-type')];
    };
    const [first, type] = await get();
    expect(type).toMatch(/^application\/json/);
    expect((await get())[0]).toBe(first);
    expect((JSON.parse(first) as Detail).batch.title).toBe('first title');

    // Another connection (as another process would) changes the row: the next answer has it.
    const other = openStore({ file: join(repo.dir, '.git', 'batchctl', 'state.db') });
    other.batches.update(id, { title: 'changed elsewhere' });
    other.close();
    expect((JSON.parse((await get())[0]) as Detail).batch.title).toBe('changed elsewhere');

    // This server's own engine changes it: likewise.
    expect((await call('/api/rollback', { as: 'operator', ...json({ batch_id: id, reason: 'cache test' }) })).status).toBe(200);
    const after = JSON.parse((await get())[0]) as Detail;
    expect(after.batch.status).toBe('rolled_back');
    expect(after.rollbacks).toHaveLength(1);
  });
});
