// The real `batchctl serve`: SIGTERM mid-batch (exit 0, repository consistent, queued work kept and run
// at the next start), tokens made by `batchctl token add`, loopback-only without tokens, and the CLI
// and the server giving the same outcome codes for the same batch.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { ERROR_CODES, type ErrorCode } from '../../controller/errors/index.js';
import { gitRepo, removeRepo, type TestRepo } from '../helpers/git-repo.js';
import { jsonLines, runCli } from '../helpers/run-cli.js';
import { spawnServe, until, type ServeProcess } from '../helpers/serve-process.js';

const repos: TestRepo[] = [];
const servers: ServeProcess[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    if (server.child.exitCode === null) server.child.kill('SIGKILL');
    await server.exited;
  }
  for (const repo of repos.splice(0)) removeRepo(repo);
});

function repoWith(files: Record<string, string> = {}): TestRepo {
  const repo = gitRepo(files);
  repo.commitAll('seed');
  repos.push(repo);
  return repo;
}

async function serve(repo: TestRepo, options: { env?: Record<string, string>; args?: string[] } = {}): Promise<ServeProcess> {
  const server = await spawnServe({ cwd: repo.dir, ...options });
  servers.push(server);
  return server;
}

const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

const slow = {
  title: 'slow',
  ecosystem: 'npm',
  options: { concurrency: 1 },
  operations: Array.from({ length: 3000 }, (_, i) => ({ type: 'write', target: `f/${i}.txt`, content: `new ${i}\n` })),
};
const small = { title: 'small', ecosystem: 'npm', operations: [{ type: 'write', target: 'queued.txt', content: 'q\n' }] };

async function cliStatus(repo: TestRepo, id: string): Promise<string> {
  const { stdout } = await runCli(['status', id, '--json'], { cwd: repo.dir });
  return (jsonLines(stdout)[0] as { batch: { status: string } }).batch.status;
}

describe('batchctl serve (the built CLI)', () => {
  it('shuts down on SIGTERM mid-batch with exit 0: the batch rolls back or completes, queued work stays queued and runs at the next start', async () => {
    const repo = repoWith({ 'f/0.txt': 'v0\n' });
    const before = repo.snapshot();
    const server = await serve(repo);
    const a = (await (await post(`${server.url}/api/batch`, slow)).json()) as { batch_id: string };
    const b = (await (await post(`${server.url}/api/batch`, small, { 'idempotency-key': 'queued-small' })).json()) as { batch_id: string };
    // Polled every 50 ms: well inside the 100 requests a minute an anonymous caller may make.
    await until(
      async () => {
        const response = await fetch(`${server.url}/api/batches/${a.batch_id}`);
        return response.ok && ((await response.json()) as { batch: { status: string } }).batch.status === 'running';
      },
      'the slow batch runs',
      50,
    );
    server.child.kill('SIGTERM');
    const { code } = await server.exited;
    expect(code).toBe(0);

    const endedAs = await cliStatus(repo, a.batch_id);
    expect(['cancelled', 'completed']).toContain(endedAs);
    expect(repo.git('status', '--porcelain')).toBe('');
    if (endedAs === 'cancelled') expect(repo.snapshot()).toBe(before);
    expect(await cliStatus(repo, b.batch_id)).toBe('queued');

    // The next start runs it: asked for again under its key with ?wait=1, the answer is that batch's end.
    const again = await serve(repo);
    const replay = await post(`${again.url}/api/batch?wait=1`, small, { 'idempotency-key': 'queued-small' });
    expect(await replay.json()).toMatchObject({ batch_id: b.batch_id, status: 'completed' });
    again.child.kill('SIGINT');
    expect((await again.exited).code).toBe(0);
    expect(await cliStatus(repo, b.batch_id)).toBe('completed');
    expect(repo.read('queued.txt')).toBe('q\n');
  });

  it('accepts the tokens `batchctl token add` makes, which it stores only as hashes', async () => {
    const repo = repoWith();
    const file = join(repo.dir, '.git', `tokens-${Date.now()}.jsonl`);
    const made = await runCli(['token', 'add', 'deploy-bot', '--role', 'operator', '--file', file], { cwd: repo.dir });
    expect(made.code).toBe(0);
    const token = made.stdout.trim();
    const stored = readFileSync(file, 'utf8');
    expect(stored).not.toContain(token);
    expect(JSON.parse(stored)).toEqual({ name: 'deploy-bot', role: 'operator', sha256: createHash('sha256').update(token).digest('hex') });
    const twice = await runCli(['token', 'add', 'deploy-bot', '--role', 'viewer', '--file', file], { cwd: repo.dir });
    expect(twice.code).toBe(2);

    const server = await serve(repo, { env: { BATCHCTL_TOKENS_FILE: file }, args: ['--host', '127.0.0.1'] });
    expect((await fetch(`${server.url}/api/batches`)).status).toBe(401);
    const response = await post(`${server.url}/api/batch?wait=1`, small, { authorization: `Bearer ${token}` });
    expect(response.status).toBe(200);
    const { batch_id } = (await response.json()) as { batch_id: string };
    const stop = await post(`${server.url}/api/control/stop`, { reason: 'x' }, { authorization: `Bearer ${token}` });
    expect(stop.status).toBe(403);
    server.child.kill('SIGTERM');
    const { code, stdout } = await server.exited;
    expect(code).toBe(0);
    const { stdout: status } = await runCli(['status', batch_id, '--json'], { cwd: repo.dir });
    expect(jsonLines(status)[0]).toMatchObject({ batch: { requested_by: 'deploy-bot' } });
    // One log line per request, with the token's name and never the token.
    expect(stdout).not.toContain(token);
    const logged = jsonLines(stdout).filter((line) => line.msg === 'request');
    expect(logged).toContainEqual(expect.objectContaining({ route: '/api/batch', status: 200, token: 'deploy-bot' }));
    expect(logged.every((line) => typeof line.request_id === 'string' && typeof line.duration_ms === 'number')).toBe(true);
  });

  it('refuses a --host that is not loopback when there is no tokens file, saying why', async () => {
    const repo = repoWith();
    const { code, stderr } = await runCli(['serve', '--host', '0.0.0.0', '--http', '0', '--ws', '0'], { cwd: repo.dir });
    expect(code).toBe(2);
    expect(stderr).toContain('HOST_NOT_LOOPBACK');
  });

  it('gives the CLI exit code and the HTTP status of the one outcome table for the same batch', async () => {
    const repo = repoWith();
    const server = await serve(repo);
    const cases = [
      { name: 'completes', doc: { ecosystem: 'npm', operations: [{ type: 'write', target: 'ok.txt', content: 'ok' }] } },
      { name: 'validation refuses', doc: { ecosystem: 'npm', operations: [{ type: 'write', target: '../out', content: 'x' }] } },
    ];
    for (const { name, doc } of cases) {
      const file = join(repo.dir, '.git', `${name.replace(' ', '-')}-${Date.now()}.json`);
      writeFileSync(file, JSON.stringify({ ...doc, title: `cli ${name}` }));
      const cli = await runCli(['run', file, '--json', '--no-push'], { cwd: repo.dir });
      const cliResult = jsonLines(cli.stdout).at(-1) as { reason?: { code: ErrorCode } };
      const http = await post(`${server.url}/api/batch?wait=1`, { ...doc, title: `http ${name}` });
      const httpResult = (await http.json()) as { reason?: { code: ErrorCode } };
      expect(httpResult.reason?.code, name).toBe(cliResult.reason?.code);
      const code = cliResult.reason?.code;
      expect([cli.code, http.status], name).toEqual(code ? [ERROR_CODES[code].exit, ERROR_CODES[code].http] : [0, 200]);
    }
    // The control plane refuses both alike (stop through the server, run through the CLI).
    expect((await post(`${server.url}/api/control/stop`, { reason: 'incident' })).status).toBe(200);
    const file = join(repo.dir, '.git', `stopped-${Date.now()}.json`);
    writeFileSync(file, JSON.stringify(cases[0]?.doc));
    const cli = await runCli(['run', file, '--json', '--no-push'], { cwd: repo.dir });
    const http = await post(`${server.url}/api/batch?wait=1`, cases[0]?.doc);
    const httpResult = (await http.json()) as { reason: { code: ErrorCode } };
    expect(httpResult.reason.code).toBe('EMERGENCY_STOP');
    expect((jsonLines(cli.stdout).at(-1) as { reason: { code: string } }).reason.code).toBe('EMERGENCY_STOP');
    expect([cli.code, http.status]).toEqual([ERROR_CODES.EMERGENCY_STOP.exit, ERROR_CODES.EMERGENCY_STOP.http]);
  });
});
