// The safety rules for agents (docs/mcp.md#safety), from the built CLI over stdio: the stop an agent may
// engage but not lift, reasons required, rollbacks, and every tool's bad arguments refused naming the field.
import { afterEach, describe, expect, it } from 'vitest';

import { defaultControlFile, renderControlFile } from '../../controller/control/index.js';
import { gitRepo, removeRepo, type TestRepo } from '../helpers/git-repo.js';
import { mcpSession, textOf, type McpSession } from '../helpers/mcp-client.js';

const repos: TestRepo[] = [];
const sessions: McpSession[] = [];
afterEach(async () => {
  for (const session of sessions.splice(0)) await session.close();
  for (const repo of repos.splice(0)) removeRepo(repo);
});

async function open(): Promise<{ repo: TestRepo; mcp: McpSession }> {
  const repo = gitRepo({ 'README.md': 'hello\n' });
  repos.push(repo);
  const mcp = await mcpSession(repo.dir, { name: 'safety-agent', version: '0.9' });
  sessions.push(mcp);
  return { repo, mcp };
}

const trailer = (repo: TestRepo, key: string, rev = 'HEAD'): string =>
  repo.git('log', '-1', `--format=%(trailers:key=${key},valueonly)`, rev).trim();

const A_BATCH_ID = 'b-20261122-101500-7k3m9q';

async function execute(mcp: McpSession, operations: unknown[]): Promise<{ batch_id: string; backup_id: string | null }> {
  const result = await mcp.call('execute_batch', { operations });
  expect(result.isError, textOf(result)).toBeFalsy();
  return result.structuredContent as { batch_id: string; backup_id: string | null };
}

describe('batchctl mcp: safety for agents', () => {
  it('engages the emergency stop with a reason, refuses batches under it, and offers no tool to lift it', async () => {
    const { repo, mcp } = await open();
    const landed = await execute(mcp, [{ type: 'write', target: 'landed.txt', content: 'l' }]);
    const noReason = await mcp.call('engage_emergency_stop', {});
    expect(noReason.isError).toBe(true);
    expect(textOf(noReason)).toContain('reason');
    const head = repo.head();
    expect(repo.head()).toBe(head);

    const stop = await mcp.call('engage_emergency_stop', { reason: 'bad recipes are landing' });
    expect(stop.isError).toBeFalsy();
    expect(stop.structuredContent).toMatchObject({ stopped: true, scope: 'all', changed: true });
    expect(trailer(repo, 'Control-Change')).toBe('stop');
    const control = JSON.parse(repo.read('batch-control.json')) as { enabled: boolean; reason: string; disabled_by: string };
    expect(control).toMatchObject({ enabled: false, reason: 'bad recipes are landing', disabled_by: 'mcp:safety-agent' });

    const state = await mcp.call('get_control_state', {});
    expect(state.structuredContent).toMatchObject({ stop: { enabled: false, reason: 'bad recipes are landing' } });
    expect(textOf(state)).toContain('EMERGENCY STOP on');

    const before = repo.snapshot();
    const refused = await mcp.call('execute_batch', { operations: [{ type: 'write', target: 'x.txt', content: 'x' }] });
    expect(refused.isError).toBe(true);
    expect(refused.structuredContent).toMatchObject({ status: 'refused', reason: { code: 'EMERGENCY_STOP' } });
    expect(repo.snapshot()).toBe(before);

    // A rollback is an incident tool: it runs under the stop.
    const undo = await mcp.call('rollback_batch', { batch_id: landed.batch_id, reason: 'part of the incident' });
    expect(undo.structuredContent).toMatchObject({ success: true });
    expect(repo.git('ls-files', 'landed.txt').trim()).toBe('');

    const { tools } = await mcp.client.listTools();
    const again = await mcp.call('engage_emergency_stop', { reason: 'bad recipes are landing' });
    expect(again.structuredContent).toMatchObject({ stopped: true, scope: 'all' });
    const stopTool = tools.find((t) => t.name === 'engage_emergency_stop');
    expect(stopTool?.annotations).toMatchObject({ readOnlyHint: false, destructiveHint: true, idempotentHint: false });
    expect(tools.filter((t) => /resume|lift|unstop|enable/i.test(`${t.name} ${t.title ?? ''}`))).toEqual([]);
  });

  it('stops one ecosystem, and batches of other ecosystems still run', async () => {
    const { repo, mcp } = await open();
    const stop = await mcp.call('engage_emergency_stop', { reason: 'npm is broken', ecosystem: 'npm' });
    expect(stop.structuredContent).toMatchObject({ scope: 'npm', changed: true });
    const npm = await mcp.call('execute_batch', { ecosystem: 'npm', operations: [{ type: 'write', target: 'n.txt', content: 'n' }] });
    expect(npm.structuredContent).toMatchObject({ status: 'refused', reason: { code: 'ECOSYSTEM_DISABLED' } });
    const pypi = await mcp.call('execute_batch', { ecosystem: 'pypi', operations: [{ type: 'write', target: 'p.txt', content: 'p' }] });
    expect(pypi.structuredContent).toMatchObject({ status: 'completed' });
    expect(repo.read('p.txt')).toBe('p');
  });

  it('goes through the same preflight as every caller: an open breaker and a paused budget refuse, changing nothing', async () => {
    const monday = new Date();
    monday.setUTCHours(0, 0, 0, 0);
    monday.setUTCDate(monday.getUTCDate() - ((monday.getUTCDay() + 6) % 7));
    const control = JSON.parse(renderControlFile(defaultControlFile())) as Record<string, unknown>;
    control['circuit_breaker'] = {
      npm: { state: 'open', failures: 5, last_failure: new Date().toISOString(), opens_at: new Date(Date.now() + 3_600_000).toISOString() },
    };
    control['budget'] = { week_start: monday.toISOString(), sampling_active: true, operations_used: 99_000 };
    const repo = gitRepo({ 'README.md': 'hello\n', 'batch-control.json': `${JSON.stringify(control, null, 2)}\n` });
    repos.push(repo);
    const mcp = await mcpSession(repo.dir);
    sessions.push(mcp);
    const before = repo.snapshot();
    const write = [{ type: 'write', target: 'x.txt', content: 'x' }];
    const breaker = await mcp.call('execute_batch', { ecosystem: 'npm', operations: write });
    expect(breaker.isError).toBe(true);
    expect(breaker.structuredContent).toMatchObject({ status: 'refused', reason: { code: 'BREAKER_OPEN' } });
    const budget = await mcp.call('execute_batch', { ecosystem: 'pypi', operations: write });
    expect(budget.isError).toBe(true);
    expect(budget.structuredContent).toMatchObject({ status: 'refused', reason: { code: 'BUDGET_EXHAUSTED' } });
    expect(repo.snapshot()).toBe(before);
    const state = await mcp.call('get_control_state', {});
    expect(state.structuredContent).toMatchObject({ breakers: [{ ecosystem: 'npm', state: 'open' }], budget: { mode: 'paused' } });
  });

  it('rolls back a committed batch with a reason, once; a missing or blank reason changes nothing', async () => {
    const { repo, mcp } = await open();
    const { batch_id } = await execute(mcp, [{ type: 'write', target: 'a.txt', content: 'a\n' }]);
    const before = repo.snapshot();
    for (const args of [{ batch_id }, { batch_id, reason: '' }, { batch_id, reason: '  \n ' }]) {
      const refused = await mcp.call('rollback_batch', args);
      expect(refused.isError).toBe(true);
      expect(textOf(refused)).toContain('reason');
    }
    expect(repo.snapshot()).toBe(before);

    const rolled = await mcp.call('rollback_batch', { batch_id, reason: 'wrong content' });
    expect(rolled.isError, textOf(rolled)).toBeFalsy();
    expect(rolled.structuredContent).toMatchObject({ success: true, status: 'completed', batch_id, failed: [] });
    const out = rolled.structuredContent as { rollback_batch_id: string; deleted: string[]; restored: string[] };
    expect([...out.deleted, ...out.restored]).toContain('a.txt');
    expect(repo.git('ls-files', 'a.txt').trim()).toBe('');
    expect(trailer(repo, 'Reverts-Batch')).toBe(batch_id);
    expect(trailer(repo, 'Batch-Requested-By')).toBe('mcp:safety-agent');
    expect(trailer(repo, 'Batch-Agent')).toBe('safety-agent/0.9');
    expect(trailer(repo, 'Rollback-Reason')).toBe('wrong content');
    expect(repo.git('tag', '--list', `rollback/${batch_id}`).trim()).toBe(`rollback/${batch_id}`);
    expect(await mcp.call('get_batch_status', { batch_id })).toMatchObject({ structuredContent: { batch: { status: 'rolled_back' } } });

    const twice = await mcp.call('rollback_batch', { batch_id, reason: 'again' });
    expect(twice.isError).toBe(true);
    expect(textOf(twice)).toContain('ALREADY_ROLLED_BACK');
  });

  it('lists the paths a later commit changed when a rollback conflicts, and changes nothing', async () => {
    const { repo, mcp } = await open();
    const { batch_id, backup_id } = await execute(mcp, [{ type: 'replace', target: 'README.md', find: 'hello', replace: 'hi' }]);
    repo.write('README.md', 'hi there\n');
    repo.commitAll('a human edits the same line');
    const before = repo.snapshot();
    const conflict = await mcp.call('rollback_batch', { batch_id, reason: 'undo' });
    expect(conflict.isError).toBe(true);
    expect(conflict.structuredContent).toMatchObject({
      success: false,
      reason: { code: 'ROLLBACK_CONFLICT' },
      failed: [{ path: 'README.md' }],
    });
    expect(repo.snapshot()).toBe(before);

    // The batch's own backup resets its paths instead; any other backup_id is refused.
    const other = await mcp.call('rollback_batch', { batch_id, reason: 'undo', backup_id: 'refs/heads/main' });
    expect(other.isError).toBe(true);
    expect(textOf(other)).toContain('backup_id');
    expect(repo.snapshot()).toBe(before);
    expect(backup_id).toBe(`refs/batchctl/backups/${batch_id}`);
    const restored = await mcp.call('rollback_batch', { batch_id, reason: 'reset to the backup', backup_id });
    expect(restored.isError, textOf(restored)).toBeFalsy();
    expect(repo.read('README.md')).toBe('hello\n');
  });

  it('keeps a client name that tries to forge trailers to one printable line', async () => {
    const repo = gitRepo({ 'README.md': 'hello\n' });
    repos.push(repo);
    const forged = `evil\nBatch-Id: ${A_BATCH_ID}\nBatch-Sig: x`;
    const mcp = await mcpSession(repo.dir, { name: forged, version: '1\r\nBatch-Failed: 0' });
    sessions.push(mcp);
    const { batch_id } = await execute(mcp, [{ type: 'write', target: 'e.txt', content: 'e' }]);
    expect(trailer(repo, 'Batch-Id')).toBe(batch_id);
    expect(trailer(repo, 'Batch-Sig')).toBe('');
    expect(trailer(repo, 'Batch-Agent')).toBe(`evil?Batch-Id: ${A_BATCH_ID}?Batch-Sig: x/1??Batch-Failed: 0`);
    expect(trailer(repo, 'Batch-Requested-By')).toBe(`mcp:evil?Batch-Id: ${A_BATCH_ID}?Batch-Sig: x`);
  });

  it('refuses bad arguments of every tool as a tool error naming the field, and changes nothing', async () => {
    const { repo, mcp } = await open();
    const write = { type: 'write', target: 'ok.txt', content: 'ok' };
    const cases: Array<[string, Record<string, unknown>, string]> = [
      ['execute_batch', {}, 'operations'],
      ['execute_batch', { operations: [] }, 'operations'],
      ['execute_batch', { operations: [{ type: 'write', target: 'a.txt' }] }, 'content'],
      ['execute_batch', { operations: [{ type: 'explode', target: 'a.txt' }] }, 'type'],
      ['execute_batch', { operations: [write], dry_run: 'yes' }, 'dry_run'],
      ['execute_batch', { operations: [write], ecosystem: 'Not An Ecosystem' }, 'ecosystem'],
      ['execute_batch', { operations: [write], createBackup: 1 }, 'createBackup'],
      ['execute_batch', { operations: [write], requested_by: 'root' }, 'requested_by'],
      ['execute_batch', { operations: [{ ...write, target: 42 }] }, 'target'],
      ['validate_batch', {}, 'operations'],
      ['validate_batch', { operations: 'write everything' }, 'operations'],
      ['validate_batch', { operations: [write], title: 'x' }, 'title'],
      ['rollback_batch', { batch_id: 'b-1', reason: 'x' }, 'batch_id'],
      ['rollback_batch', { batch_id: `${A_BATCH_ID} `, reason: 'x' }, 'batch_id'],
      ['rollback_batch', { batch_id: A_BATCH_ID, reason: 7 }, 'reason'],
      ['rollback_batch', { batch_id: A_BATCH_ID, reason: 'x'.repeat(2001) }, 'reason'],
      ['rollback_batch', { batch_id: A_BATCH_ID, reason: 'x', backup_id: 'refs/heads/main' }, 'backup_id'],
      ['get_batch_status', { batch_id: 'latest' }, 'batch_id'],
      ['get_batch_status', { limit: 0 }, 'limit'],
      ['get_batch_status', { limit: 'ten' }, 'limit'],
      ['get_batch_status', { limit: 1.5 }, 'limit'],
      ['cancel_batch', { batch_id: A_BATCH_ID }, 'reason'],
      ['cancel_batch', { reason: 'x' }, 'batch_id'],
      ['cancel_batch', { batch_id: A_BATCH_ID, reason: '' }, 'reason'],
      ['get_control_state', { verbose: true }, 'verbose'],
      ['engage_emergency_stop', { reason: ' ' }, 'reason'],
      ['engage_emergency_stop', { reason: 'x', ecosystem: 'NPM!' }, 'ecosystem'],
      ['engage_emergency_stop', { reason: 'x', lift: true }, 'lift'],
    ];
    const before = repo.snapshot();
    for (const [tool, args, field] of cases) {
      const result = await mcp.call(tool, args);
      expect(result.isError, `${tool} ${JSON.stringify(args)}`).toBe(true);
      expect(textOf(result), `${tool} ${JSON.stringify(args)}`).toContain(field);
      expect(result.structuredContent).toBeUndefined();
    }
    // Well-formed but naming nothing there is: the outcome table's codes.
    expect(textOf(await mcp.call('get_batch_status', { batch_id: A_BATCH_ID }))).toContain('BATCH_NOT_FOUND');
    expect(textOf(await mcp.call('cancel_batch', { batch_id: A_BATCH_ID, reason: 'x' }))).toContain('BATCH_NOT_FOUND');
    expect(textOf(await mcp.call('rollback_batch', { batch_id: A_BATCH_ID, reason: 'x' }))).toMatch(/BATCH_NOT_FOUND/);
    await expect(mcp.client.readResource({ uri: `batch://${A_BATCH_ID}` })).rejects.toThrow(/BATCH_NOT_FOUND|no batch/);
    expect(repo.snapshot()).toBe(before);
    // The server is still there.
    expect((await mcp.call('get_control_state', {})).isError).toBeFalsy();
  });
});
