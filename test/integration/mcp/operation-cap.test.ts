// The MCP operation cap (policy.limits.max_operations_per_batch_mcp) as the engine applies it: to batches
// whose source is `mcp` only, before and after glob expansion, and never above max_operations_per_batch.
import { describe, expect, it } from 'vitest';

import { defaultControlFile, renderControlFile } from '../../../controller/control/index.js';
import { batch, useEngineRepos } from '../../helpers/engine.js';

const setup = useEngineRepos();
const writes = (n: number) => Array.from({ length: n }, (_, i) => ({ type: 'write' as const, target: `w/${i}.txt`, content: 'w' }));

function limits(values: Record<string, number>): string {
  const control = JSON.parse(renderControlFile(defaultControlFile())) as { policy: { limits: Record<string, number> } };
  Object.assign(control.policy.limits, values);
  return `${JSON.stringify(control, null, 2)}\n`;
}

describe('the MCP operation cap', () => {
  it('holds batches from MCP to max_operations_per_batch_mcp and others to max_operations_per_batch', async () => {
    const { engine } = await setup({ 'README.md': 'x\n' });
    expect((await engine.validate(batch({ operations: writes(51) }))).valid).toBe(true);
    const mcp = await engine.validate(batch({ operations: writes(51) }), { source: 'mcp' });
    expect(mcp.issues).toEqual([
      expect.objectContaining({ code: 'TOO_MANY_OPERATIONS', index: -1, hint: expect.stringContaining('max_operations_per_batch_mcp') }),
    ]);
    expect((await engine.validate(batch({ operations: writes(50) }), { source: 'mcp' })).valid).toBe(true);
  });

  it('counts the files a glob expands to', async () => {
    const files = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`logs/${i}.log`, 'l\n']));
    const { engine } = await setup(files);
    const result = await engine.validate(batch({ operations: [{ type: 'delete', target: 'logs/*.log' }] }), { source: 'mcp' });
    expect(result.issues).toEqual([
      expect.objectContaining({ code: 'TOO_MANY_OPERATIONS', message: expect.stringContaining('expand to 60') }),
    ]);
  });

  it('is never above max_operations_per_batch: the lower of the two applies', async () => {
    const { engine } = await setup({ 'batch-control.json': limits({ max_operations_per_batch: 10, max_operations_per_batch_mcp: 50 }) });
    const result = await engine.validate(batch({ operations: writes(11) }), { source: 'mcp' });
    expect(result.issues).toEqual([
      expect.objectContaining({
        code: 'TOO_MANY_OPERATIONS',
        hint: expect.stringContaining('raise policy.limits.max_operations_per_batch '),
      }),
    ]);
  });

  it('refuses a run from MCP over the cap under the lock, as the same validation', async () => {
    const { repo, engine } = await setup({ 'README.md': 'x\n' });
    const head = repo.head();
    const result = await engine.run(batch({ operations: writes(51) }), { source: 'mcp' });
    expect(result).toMatchObject({ status: 'refused', reason: { code: 'VALIDATION_FAILED' }, errors: [{ code: 'TOO_MANY_OPERATIONS' }] });
    expect(repo.head()).toBe(head);
  });
});
