// The MCP session over stdio from the built CLI: progress and cancellation of a running batch, and a
// protocol that survives garbage (stdout carries JSON-RPC frames only).
import { spawn } from 'node:child_process';

import { afterEach, describe, expect, it } from 'vitest';

import { defaultControlFile, renderControlFile } from '../../controller/control/index.js';
import { gitRepo, removeRepo, type TestRepo } from '../helpers/git-repo.js';
import { mcpSession, type McpSession } from '../helpers/mcp-client.js';
import { CLI, runCli } from '../helpers/run-cli.js';
import { until } from '../helpers/serve-process.js';

const repos: TestRepo[] = [];
const sessions: McpSession[] = [];
afterEach(async () => {
  for (const session of sessions.splice(0)) await session.close();
  for (const repo of repos.splice(0)) removeRepo(repo);
});

/** A repository whose control file lets MCP batches be big enough to cancel midway. */
function bigBatchRepo(cap: number): TestRepo {
  const control = JSON.parse(renderControlFile(defaultControlFile())) as { policy: { limits: Record<string, number> } };
  control.policy.limits['max_operations_per_batch_mcp'] = cap;
  const repo = gitRepo({ 'README.md': 'hello\n', 'batch-control.json': `${JSON.stringify(control, null, 2)}\n` });
  repos.push(repo);
  return repo;
}

const BATCH_ID = /b-\d{8}-\d{6}-[0-9a-z]{6}/;
const RUNNING = new Set(['queued', 'preflight', 'validating', 'running', 'committing']);

describe('batchctl mcp: the session', () => {
  it('reports progress and cancels the running batch when the client cancels the request, changing nothing', async () => {
    const repo = bigBatchRepo(3000);
    const mcp = await mcpSession(repo.dir);
    sessions.push(mcp);
    const before = repo.snapshot();
    const operations = Array.from({ length: 3000 }, (_, i) => ({ type: 'write', target: `big/f${i}.txt`, content: `${i}\n`.repeat(200) }));
    const abort = new AbortController();
    const seen: Array<{ progress: number; total?: number; message?: string }> = [];
    const call = mcp.client.callTool({ name: 'execute_batch', arguments: { operations } }, undefined, {
      signal: abort.signal,
      timeout: 120_000,
      onprogress: (progress) => {
        seen.push(progress);
        // The first operation has run: the batch is running now. Cancel the request.
        if (progress.progress >= 1) abort.abort('the agent changed its mind');
      },
    });
    await expect(call).rejects.toThrow();
    const batchId = BATCH_ID.exec(seen[0]?.message ?? '')?.[0];
    expect(batchId, JSON.stringify(seen)).toBeDefined();
    expect(seen[0]?.progress).toBe(0);
    expect(seen.at(-1)?.total).toBe(3000);

    let status = '';
    await until(async () => {
      const result = await mcp.call('get_batch_status', { batch_id: batchId as string, limit: 1 });
      status = (result.structuredContent as { batch: { status: string } }).batch.status;
      return !RUNNING.has(status);
    }, 'the cancelled batch ends');
    const ended = await mcp.call('get_batch_status', { batch_id: batchId as string, limit: 1 });
    expect(ended.structuredContent).toMatchObject({ batch: { status: 'cancelled', reason: { code: 'CANCELLED' } } });
    expect(repo.snapshot()).toBe(before);
    expect(mcp.stderr()).toContain('cancelled the request');

    // The session goes on: the next batch runs, and cancelling a finished batch is a tool error.
    const next = await mcp.call('execute_batch', { operations: [{ type: 'write', target: 'after.txt', content: 'a' }] });
    expect(next.structuredContent).toMatchObject({ status: 'completed' });
    const late = await mcp.call('cancel_batch', { batch_id: batchId as string, reason: 'too late' });
    expect(late.isError).toBe(true);
    expect(late.content[0]).toMatchObject({ text: expect.stringContaining('BATCH_FINISHED') });
  });

  it.each(['closes stdin', 'sends SIGTERM'])(
    'rolls back the running batch and exits 0 when the client %s mid-batch; the batch never runs later',
    async (how) => {
      const repo = bigBatchRepo(3000);
      const before = repo.snapshot();
      const child = spawn(process.execPath, [CLI, 'mcp', '--repo', repo.dir], {
        cwd: repo.dir,
        env: { ...process.env, GITHUB_ACTIONS: '', BATCHCTL_LOG_LEVEL: 'warn' },
      });
      let stdout = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr.resume();
      const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
      const send = (value: unknown): void => void child.stdin.write(`${JSON.stringify(value)}\n`);
      send({
        jsonrpc: '2.0',
        id: 1,
        method: 'initialize',
        params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'leaver', version: '1' } },
      });
      send({ jsonrpc: '2.0', method: 'notifications/initialized' });
      const operations = Array.from({ length: 3000 }, (_, i) => ({
        type: 'write',
        target: `big/f${i}.txt`,
        content: `${i}\n`.repeat(200),
      }));
      send({
        jsonrpc: '2.0',
        id: 2,
        method: 'tools/call',
        params: { name: 'execute_batch', arguments: { operations }, _meta: { progressToken: 'p' } },
      });
      const progress = (): Array<{ progress: number; message?: string }> =>
        stdout
          .split('\n')
          .filter(Boolean)
          .map((line) => JSON.parse(line) as { method?: string; params?: { progress: number; message?: string } })
          .flatMap((f) => (f.method === 'notifications/progress' && f.params ? [f.params] : []));
      await until(async () => progress().some((p) => p.progress >= 1), 'the batch is running');
      const batchId = BATCH_ID.exec(progress()[0]?.message ?? '')?.[0] as string;

      if (how === 'closes stdin')
        child.stdin.end(); // the client went away
      else child.kill('SIGTERM');
      expect(await exited).toBe(0);
      const status = await runCli(['status', batchId, '--json', '--repo', repo.dir], { cwd: repo.dir });
      expect(JSON.parse(status.stdout)).toMatchObject({
        batch: { batch_id: batchId, status: 'cancelled', requested_by: 'mcp:leaver', commit_sha: null },
      });
      expect(repo.snapshot()).toBe(before);
    },
  );

  it('answers garbage and unknown methods without dying, writes only JSON-RPC to stdout, and exits 0 when stdin closes', async () => {
    const repo = gitRepo({ 'README.md': 'hello\n' });
    repos.push(repo);
    const child = spawn(process.execPath, [CLI, 'mcp', '--repo', repo.dir], {
      cwd: repo.dir,
      env: { ...process.env, GITHUB_ACTIONS: '', BATCHCTL_LOG_LEVEL: 'info' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
    const frames = (): Array<{ jsonrpc: string; id?: number; result?: unknown; error?: { code: number } }> =>
      stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { jsonrpc: string });
    const send = (value: unknown): void => void child.stdin.write(`${typeof value === 'string' ? value : JSON.stringify(value)}\n`);

    send('this is not json');
    send('{"jsonrpc": "2.0", "id": ');
    send({ jsonrpc: '2.0', id: 1, method: 'no/such/method' });
    send({ not: 'json-rpc' });
    send({
      jsonrpc: '2.0',
      id: 2,
      method: 'initialize',
      params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '1' } },
    });
    send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    send({ jsonrpc: '2.0', id: 3, method: 'tools/call', params: { name: 'no_such_tool', arguments: {} } });
    send({ jsonrpc: '2.0', id: 4, method: 'tools/call', params: { name: 'get_control_state', arguments: {} } });
    await until(async () => frames().some((f) => f.id === 4), 'the tool call is answered');

    const byId = new Map(frames().map((f) => [f.id, f]));
    expect(byId.get(1)?.error?.code).toBe(-32601);
    expect(byId.get(2)?.result).toMatchObject({ serverInfo: { name: 'batchctl' } });
    expect(byId.get(3)).toMatchObject({ result: { isError: true } });
    expect(byId.get(4)).toMatchObject({ result: { structuredContent: { stop: { enabled: true } } } });
    // Every line of stdout is a JSON-RPC frame; the logs went to stderr.
    expect(frames().every((f) => f.jsonrpc === '2.0')).toBe(true);
    expect(stderr).toContain('MCP protocol error');

    child.stdin.end();
    expect(await exited).toBe(0);
  });
});
