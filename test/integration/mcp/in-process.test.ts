// The MCP facade in process: the SDK's Client over an in-memory transport to createMcpServer on a real
// engine (real git, real SQLite), for what a child process makes hard to arrange: a batch queued behind
// another one, cancelled through its request before it ever runs.
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterEach, describe, expect, it } from 'vitest';

import { defaultControlFile, renderControlFile } from '../../../controller/control/index.js';
import { createMcpServer } from '../../../controller/facades/mcp/index.js';
import { createLogger } from '../../../controller/log/index.js';
import { batch, useEngineRepos } from '../../helpers/engine.js';

const setup = useEngineRepos();
const clients: Client[] = [];
afterEach(async () => {
  for (const client of clients.splice(0)) await client.close();
});

async function connect(engine: Parameters<typeof createMcpServer>[0]['engine']): Promise<Client> {
  const server = createMcpServer({ engine, logger: createLogger({ level: 'silent' }), version: 'test' });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  await server.connect(serverSide);
  const client = new Client({ name: 'in-process', version: '2' });
  await client.connect(clientSide);
  await client.listTools(); // results are checked against the output schemas from here on
  clients.push(client);
  return client;
}

function bigControlFile(cap: number): string {
  const control = JSON.parse(renderControlFile(defaultControlFile())) as { policy: { limits: Record<string, number> } };
  control.policy.limits['max_operations_per_batch_mcp'] = cap;
  return `${JSON.stringify(control, null, 2)}\n`;
}

describe('the MCP facade over the engine', () => {
  it('cancels a batch queued behind another when its request is cancelled; the one running goes on', async () => {
    const { repo, engine } = await setup({ 'README.md': 'hello\n', 'batch-control.json': bigControlFile(50) });
    const client = await connect(engine);
    // Another caller's batch holds the engine's lane.
    const ahead = await engine.submit(
      batch({ operations: Array.from({ length: 2000 }, (_, i) => ({ type: 'write', target: `ahead/f${i}.txt`, content: `${i}\n` })) }),
    );
    const abort = new AbortController();
    let queuedAs: string | undefined;
    const call = client.callTool(
      { name: 'execute_batch', arguments: { operations: [{ type: 'write', target: 'behind.txt', content: 'b' }] } },
      undefined,
      {
        signal: abort.signal,
        onprogress: (p) => {
          queuedAs = /b-\d{8}-\d{6}-[0-9a-z]{6}/.exec(p.message ?? '')?.[0];
          abort.abort();
        },
      },
    );
    await expect(call).rejects.toThrow();
    expect(queuedAs).toBeDefined();
    const behind = await engine.wait(queuedAs as string);
    expect(behind).toMatchObject({ status: 'cancelled', reason: { code: 'CANCELLED' }, commit: null });
    expect((await engine.wait(ahead.batch_id)).status).toBe('completed');
    expect(repo.git('ls-files', 'behind.txt').trim()).toBe('');
  });

  it("does not cancel another caller's batch when a request that replayed it under its idempotency_key is cancelled", async () => {
    const { engine } = await setup({ 'README.md': 'hello\n', 'batch-control.json': bigControlFile(2000) });
    const client = await connect(engine);
    const operations = Array.from({ length: 2000 }, (_, i) => ({ type: 'write' as const, target: `theirs/f${i}.txt`, content: `${i}\n` }));
    const theirs = await engine.submit(batch({ operations, options: { idempotency_key: 'shared-key' } }));
    const abort = new AbortController();
    const call = client.callTool({ name: 'execute_batch', arguments: { operations, idempotency_key: 'shared-key' } }, undefined, {
      signal: abort.signal,
      onprogress: () => abort.abort(),
    });
    await expect(call).rejects.toThrow();
    expect(await engine.wait(theirs.batch_id)).toMatchObject({ status: 'completed', success_count: 2000 });
  });

  it('sends progress that only ever increases, ending at the batch size', async () => {
    const { engine } = await setup({ 'README.md': 'hello\n' });
    const client = await connect(engine);
    const seen: number[] = [];
    const result = (await client.callTool(
      {
        name: 'execute_batch',
        arguments: { operations: Array.from({ length: 50 }, (_, i) => ({ type: 'write', target: `p/${i}.txt`, content: 'p' })) },
      },
      undefined,
      { onprogress: (p) => void seen.push(p.progress) },
    )) as CallToolResult;
    expect(result.structuredContent).toMatchObject({ status: 'completed', success_count: 50 });
    expect(seen[0]).toBe(0);
    expect(seen.at(-1)).toBe(50);
    for (let i = 1; i < seen.length; i++) expect(seen[i] as number).toBeGreaterThan(seen[i - 1] as number);
  });

  it('bounds what a result quotes: long paths and messages are cut, lists say how many there were', async () => {
    const { engine } = await setup({ 'README.md': 'hello\n', 'batch-control.json': bigControlFile(100) });
    const client = await connect(engine);
    const long = `${'d'.repeat(200)}/`.repeat(10);
    const operations = Array.from({ length: 80 }, (_, i) => ({ type: 'copy', source: `${long}missing-${i}.txt`, target: `c/${i}.txt` }));
    const result = (await client.callTool({ name: 'validate_batch', arguments: { operations } })) as CallToolResult;
    const out = result.structuredContent as { valid: boolean; issues: Array<{ path?: string; message: string }>; issues_total: number };
    expect(out.valid).toBe(false);
    expect(out.issues).toHaveLength(50);
    expect(out.issues_total).toBe(80);
    for (const issue of out.issues) {
      expect(issue.message.length).toBeLessThanOrEqual(600);
      expect(issue.path).toMatch(/^d{200}\/.*more characters\)$/);
      expect((issue.path ?? '').length).toBeLessThanOrEqual(600);
    }
  });
});
