// GitHub from the long-lived processes (docs/github-api.md): the built `batchctl serve` and `batchctl mcp` with
// GITHUB_TOKEN and GITHUB_API_URL pointed at the fake GitHub. A batch submitted over HTTP or MCP gets its
// `batchctl/batch` status; failing HTTP batches that open the breaker open exactly one incident issue, a
// failed probe comments on it, a good probe closes it. Without a token the process says once the features are off.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { withPolicy } from '../helpers/control-policy.js';
import { FAKE_TOKEN, fakeGitHub, MISSING_PERMISSION, type FakeGitHub } from '../helpers/fake-github.js';
import { gitRepo, removeRepo, type TestRepo } from '../helpers/git-repo.js';
import { mcpSession, type McpSession } from '../helpers/mcp-client.js';
import { spawnServe, until, type ServeProcess } from '../helpers/serve-process.js';

let github: FakeGitHub;
beforeAll(async () => {
  github = await fakeGitHub();
});
afterAll(() => github.close());

const repos: TestRepo[] = [];
const servers: ServeProcess[] = [];
const sessions: McpSession[] = [];
afterEach(async () => {
  for (const session of sessions.splice(0)) await session.close();
  for (const server of servers.splice(0)) {
    if (server.child.exitCode === null) server.child.kill('SIGKILL');
    await server.exited;
  }
  for (const repo of repos.splice(0)) removeRepo(repo);
  github.issues.splice(0);
  github.statuses.splice(0);
  github.requests.splice(0);
});

/** Each test its own repository name on the fake: what one test writes, another never finds. */
const env = (repository: string): Record<string, string> => ({
  GITHUB_TOKEN: FAKE_TOKEN,
  GITHUB_API_URL: github.url,
  GITHUB_REPOSITORY: repository,
  BATCHCTL_GITHUB_WRITE_GAP_MS: '0',
});

/** Two failures in a row open the breaker; no recovery time, so the next batch is at once the half-open probe. */
function repoWithBreaker(): TestRepo {
  const repo = gitRepo({ 'r/a.txt': 'v1\n' });
  withPolicy(repo, (policy) => {
    policy.circuit_breaker = { failure_threshold: 2, recovery_minutes: 0, min_success_rate: 0, window: 10 };
  });
  repos.push(repo);
  return repo;
}

const passing = (name: string) => ({
  title: `write ${name}`,
  ecosystem: 'npm',
  operations: [{ type: 'write', target: `out/${name}.txt`, content: `${name}\n` }],
});
const failing = {
  title: 'replace what is not there',
  ecosystem: 'npm',
  options: { atomic: true },
  operations: [
    { type: 'write', target: 'ok.txt', content: 'x\n' },
    { type: 'replace', target: 'r/a.txt', find: 'absent', replace: 'y' },
  ],
};
const MARKER = '<!-- batchctl:breaker:npm -->';

async function submitAndWait(server: ServeProcess, body: unknown): Promise<{ batch_id: string; status: string }> {
  const response = await fetch(`${server.url}/api/batch?wait=1`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return (await response.json()) as { batch_id: string; status: string };
}

const incidents = () => github.issues.filter((i) => i.body.includes(MARKER));

describe('batchctl serve with GitHub', () => {
  it('puts the batchctl/batch status on the commit of a batch submitted over HTTP, charged as api_writes', async () => {
    const repo = repoWithBreaker();
    const server = await spawnServe({ cwd: repo.dir, env: env('acme/serve-status') });
    servers.push(server);
    const done = await submitAndWait(server, passing('a'));
    expect(done.status).toBe('completed');
    const commit = repo.git('rev-parse', 'HEAD').trim();
    expect(repo.git('log', '-1', '--format=%(trailers:key=Batch-Id,valueonly)', commit).trim()).toBe(done.batch_id);
    await until(async () => github.statuses.length > 0, 'the status reaches GitHub');
    expect(github.statuses).toEqual([
      { sha: commit, state: 'success', context: 'batchctl/batch', description: `batch ${done.batch_id}: 1 operations landed` },
    ]);
    expect(github.writes().every((w) => w.path.startsWith('/repos/acme/serve-status/'))).toBe(true);
    const control = JSON.parse(repo.git('show', 'HEAD:batch-control.json')) as { budget: Record<string, unknown> };
    expect(control.budget['api_writes_used']).toBe(1);
  });

  it('opens exactly one incident issue for a breaker opened by failing HTTP batches; a failed probe comments, a good one closes it', async () => {
    const repo = repoWithBreaker();
    const server = await spawnServe({ cwd: repo.dir, env: env('acme/serve-incident') });
    servers.push(server);

    expect((await submitAndWait(server, failing)).status).toBe('failed');
    expect((await submitAndWait(server, failing)).status).toBe('failed'); // the second in a row: the breaker opens
    await until(async () => incidents().length > 0, 'the incident issue is opened');
    const [issue] = incidents();
    expect(issue).toMatchObject({ labels: ['incident'], state: 'open', title: 'Incident: circuit breaker open for npm' });

    // The probe fails: the breaker opens again, and the open issue is commented on, never duplicated.
    expect((await submitAndWait(server, failing)).status).toBe('failed');
    await until(async () => (issue?.comments.length ?? 0) > 0, 'the incident issue is commented on');
    expect(issue?.comments[0]).toMatch(/^Opened again\./);

    // A good probe closes the breaker, and the issue with a comment.
    expect((await submitAndWait(server, passing('b'))).status).toBe('completed');
    await until(async () => issue?.state === 'closed', 'the incident issue is closed');
    expect(issue?.comments.at(-1)).toContain('closed');
    expect(incidents()).toHaveLength(1);
    const issueWrites = github.writes().filter((w) => w.path.includes('/issues'));
    expect(issueWrites.map((w) => w.method)).toEqual(['POST', 'POST', 'POST', 'PATCH']); // open, comment, comment, close
    // Every write its outcomes made was charged in those outcomes' control-state commits: 4 issue writes, 1 status.
    await until(async () => github.statuses.length > 0, 'the status reaches GitHub');
    const control = JSON.parse(repo.git('show', 'HEAD:batch-control.json')) as { budget: Record<string, unknown> };
    expect(control.budget['api_writes_used']).toBe(5);
  });

  it('logs a GitHub failure as a warning naming the missing permission, and the batch keeps its outcome', async () => {
    const repo = repoWithBreaker();
    const server = await spawnServe({ cwd: repo.dir, env: env('acme/serve-denied') });
    servers.push(server);
    github.answerNext(MISSING_PERMISSION(/\/statuses\//, 'statuses=write'));
    expect((await submitAndWait(server, passing('d'))).status).toBe('completed');
    await until(async () => github.requests.some((r) => r.path.includes('/statuses/')), 'the status is asked for');
    server.child.kill('SIGTERM');
    const { code, stdout } = await server.exited;
    expect(code).toBe(0);
    const warning = stdout.split('\n').find((line) => line.includes('GitHub: set a commit status failed'));
    expect(JSON.parse(warning ?? '{}')).toMatchObject({ level: 40, code: 'GITHUB_PERMISSION', permission: 'statuses=write' });
    expect(github.statuses).toHaveLength(0);
  });

  it('says in one line that the GitHub features are off without a token, and runs batches as before', async () => {
    const repo = repoWithBreaker();
    const server = await spawnServe({ cwd: repo.dir, env: { ...env('acme/serve-off'), GITHUB_TOKEN: '' } });
    servers.push(server);
    expect((await submitAndWait(server, passing('c'))).status).toBe('completed');
    server.child.kill('SIGTERM');
    const { code, stdout } = await server.exited;
    expect(code).toBe(0);
    const off = stdout.split('\n').filter((line) => line.includes('GitHub features are off'));
    expect(off).toHaveLength(1);
    expect(JSON.parse(off[0] ?? '{}')).toMatchObject({ github: 'off', msg: 'the GitHub features are off: GITHUB_TOKEN is not set' });
    expect(github.requests).toHaveLength(0);
  });
});

describe('batchctl mcp with GitHub', () => {
  it('puts the batchctl/batch status on the commit of a batch executed over MCP', async () => {
    const repo = repoWithBreaker();
    const mcp = await mcpSession(repo.dir, { env: env('acme/mcp-status') });
    sessions.push(mcp);
    const result = await mcp.call('execute_batch', passing('m'));
    expect(result.isError).toBeFalsy();
    const out = result.structuredContent as { batch_id: string; status: string; commit: string };
    expect(out.status).toBe('completed');
    await until(async () => github.statuses.length > 0, 'the status reaches GitHub');
    expect(github.statuses).toEqual([
      { sha: out.commit, state: 'success', context: 'batchctl/batch', description: `batch ${out.batch_id}: 1 operations landed` },
    ]);
    expect(mcp.stderr()).not.toContain('GitHub features are off');
  });

  it('says in one line on stderr that the GitHub features are off without a token', async () => {
    const repo = repoWithBreaker();
    const mcp = await mcpSession(repo.dir, { env: { ...env('acme/mcp-off'), GITHUB_TOKEN: '' } });
    sessions.push(mcp);
    const result = await mcp.call('execute_batch', passing('n'));
    expect((result.structuredContent as { status: string }).status).toBe('completed');
    const off = mcp
      .stderr()
      .split('\n')
      .filter((line) => line.includes('GitHub features are off'));
    expect(off).toHaveLength(1);
    expect(JSON.parse(off[0] ?? '{}')).toMatchObject({ level: 30, msg: 'the GitHub features are off: GITHUB_TOKEN is not set' });
    expect(github.requests).toHaveLength(0);
  });
});
