// `batchctl mcp` from the built CLI, driven by the SDK's Client over stdio against real temp repositories.
import { afterEach, describe, expect, it } from 'vitest';

import { gitRepo, removeRepo, type TestRepo } from '../helpers/git-repo.js';
import { mcpSession, textOf, type McpSession } from '../helpers/mcp-client.js';

const TOOLS = [
  'cancel_batch',
  'engage_emergency_stop',
  'execute_batch',
  'get_batch_status',
  'get_control_state',
  'rollback_batch',
  'validate_batch',
];

const repos: TestRepo[] = [];
const sessions: McpSession[] = [];
afterEach(async () => {
  for (const session of sessions.splice(0)) await session.close();
  for (const repo of repos.splice(0)) removeRepo(repo);
});

async function open(files: Record<string, string> = { 'README.md': 'hello\n' }): Promise<{ repo: TestRepo; mcp: McpSession }> {
  const repo = gitRepo(files);
  repos.push(repo);
  const mcp = await mcpSession(repo.dir);
  sessions.push(mcp);
  return { repo, mcp };
}

const trailer = (repo: TestRepo, key: string, rev = 'HEAD'): string =>
  repo.git('log', '-1', `--format=%(trailers:key=${key},valueonly)`, rev).trim();

describe('batchctl mcp', () => {
  it('lists the seven tools with input and output JSON Schemas, truthful annotations and an untrusted-data warning', async () => {
    const { mcp } = await open();
    expect(mcp.client.getServerVersion()?.name).toBe('batchctl');
    const { tools } = await mcp.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(TOOLS);
    for (const tool of tools) {
      expect(tool.inputSchema.type).toBe('object');
      expect(tool.outputSchema?.type).toBe('object');
      expect(tool.description).toMatch(/untrusted/);
      expect(tool.annotations?.readOnlyHint).toBe(['get_batch_status', 'get_control_state', 'validate_batch'].includes(tool.name));
    }
    const execute = tools.find((t) => t.name === 'execute_batch');
    const operations = execute?.inputSchema.properties?.['operations'] as { items?: unknown; description?: string };
    expect(JSON.stringify(operations.items)).toContain('content_base64');
    expect(operations.description).toMatch(/max_operations_per_batch_mcp/);
    expect(execute?.inputSchema.required).toEqual(['operations']);
    expect(execute?.annotations).toMatchObject({ destructiveHint: true, idempotentHint: false });
    // Agents may stop, never resume.
    expect(tools.some((t) => /resume|lift|enable/.test(t.name))).toBe(false);
  });

  it('executes a batch as one tagged commit carrying the agent of the handshake, and reports its status', async () => {
    const { repo, mcp } = await open();
    const result = await mcp.call('execute_batch', {
      title: 'Add two recipes',
      ecosystem: 'npm',
      operations: [
        { type: 'write', target: 'recipes/a.toml', content: 'name = "a"\n' },
        { type: 'copy', source: 'README.md', target: 'docs/README.md' },
      ],
    });
    expect(result.isError).toBeFalsy();
    const out = result.structuredContent as { batch_id: string; status: string; commit: string; success_count: number };
    expect(out).toMatchObject({ status: 'completed', success_count: 2, failure_count: 0, rollback_available: true, errors: [] });
    expect(textOf(result)).toContain(`batch ${out.batch_id} completed`);
    expect(repo.read('recipes/a.toml')).toBe('name = "a"\n');
    expect(repo.head()).toBe(out.commit);
    expect(trailer(repo, 'Batch-Id')).toBe(out.batch_id);
    expect(trailer(repo, 'Batch-Agent')).toBe('test-agent/1.2.3');
    expect(trailer(repo, 'Batch-Requested-By')).toBe('mcp:test-agent');
    expect(repo.git('tag', '--list', `batch/${out.batch_id}`).trim()).toBe(`batch/${out.batch_id}`);

    const status = await mcp.call('get_batch_status', { batch_id: out.batch_id });
    expect(status.structuredContent).toMatchObject({
      batch: {
        batch_id: out.batch_id,
        status: 'completed',
        requested_by: 'mcp:test-agent',
        agent: 'test-agent/1.2.3',
        source: 'mcp',
        items_total: 2,
      },
    });
    const history = await mcp.call('get_batch_status', { limit: 5 });
    expect((history.structuredContent as { history: { batch_id: string }[] }).history[0]?.batch_id).toBe(out.batch_id);

    const resource = await mcp.client.readResource({ uri: `batch://${out.batch_id}` });
    expect(JSON.parse((resource.contents[0] as { text: string }).text)).toMatchObject({ batch_id: out.batch_id, status: 'completed' });
    const listed = await mcp.client.listResources();
    expect(listed.resources.map((r) => r.uri)).toContain(`batch://${out.batch_id}`);
    const control = await mcp.client.readResource({ uri: 'control://state' });
    expect(JSON.parse((control.contents[0] as { text: string }).text)).toMatchObject({ stop: { enabled: true } });
  });

  it('validates without changing anything, and the plan hash refuses a batch whose repository changed since', async () => {
    const { repo, mcp } = await open();
    const operations = [{ type: 'replace', target: 'README.md', find: 'hello', replace: 'bye' }];
    const before = repo.snapshot();
    const checked = await mcp.call('validate_batch', { operations });
    expect(checked.structuredContent).toMatchObject({ valid: true, issues: [], issues_total: 0 });
    const planHash = (checked.structuredContent as { plan_hash: string }).plan_hash;
    const bad = await mcp.call('validate_batch', { operations: [{ type: 'write', target: '.github/workflows/x.yml', content: 'x' }] });
    expect(bad.structuredContent).toMatchObject({ valid: false, issues: [{ index: 0 }] });
    expect(repo.snapshot()).toBe(before);

    repo.write('README.md', 'hello world\n');
    repo.commitAll('someone else');
    const stale = await mcp.call('execute_batch', { operations, plan_hash: planHash });
    expect(stale.isError).toBe(true);
    expect(stale.structuredContent).toMatchObject({ status: 'refused', reason: { code: 'PLAN_HASH_MISMATCH' } });
    expect(repo.read('README.md')).toBe('hello world\n');
  });

  it('plans a dry run without changing anything, and replays a batch sent again under its idempotency_key', async () => {
    const { repo, mcp } = await open();
    const operations = [{ type: 'write', target: 'once.txt', content: 'once\n' }];
    const before = repo.snapshot();
    const planned = await mcp.call('execute_batch', { operations, dry_run: true });
    expect(planned.isError).toBeFalsy();
    expect(planned.structuredContent).toMatchObject({ status: 'planned', commit: null, plan_hash: expect.any(String) });
    expect(repo.snapshot()).toBe(before);

    const first = await mcp.call('execute_batch', { operations, idempotency_key: 'agent-run-1' });
    const again = await mcp.call('execute_batch', { operations, idempotency_key: 'agent-run-1' });
    const id = (first.structuredContent as { batch_id: string }).batch_id;
    expect(again.structuredContent).toMatchObject({ batch_id: id, status: 'completed', idempotent_replay: true });
    expect(repo.git('rev-list', '--count', `batch/${id}..HEAD`).trim()).toBe('0');
  });

  it('refuses more operations than policy.limits.max_operations_per_batch_mcp, changing nothing', async () => {
    const { repo, mcp } = await open();
    const before = repo.snapshot();
    const ops = (n: number) => Array.from({ length: n }, (_, i) => ({ type: 'write', target: `many/f${i}.txt`, content: `${i}\n` }));
    const fifty = await mcp.call('validate_batch', { operations: ops(50) });
    expect(fifty.structuredContent).toMatchObject({ valid: true });
    const tooMany = await mcp.call('validate_batch', { operations: ops(51) });
    expect(tooMany.structuredContent).toMatchObject({ valid: false, issues: [{ code: 'TOO_MANY_OPERATIONS', index: -1 }] });
    expect(JSON.stringify(tooMany.structuredContent)).toContain('max_operations_per_batch_mcp');
    const run = await mcp.call('execute_batch', { operations: ops(51) });
    expect(run.isError).toBe(true);
    expect(run.structuredContent).toMatchObject({
      status: 'refused',
      reason: { code: 'VALIDATION_FAILED' },
      errors: [{ code: 'TOO_MANY_OPERATIONS' }],
    });
    expect(repo.snapshot()).toBe(before);
  });
});
