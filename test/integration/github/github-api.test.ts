// octokit against the fake GitHub on 127.0.0.1: pull requests with labels and auto-merge, marked issues never
// duplicated (over paginated lists), commit status, rate-limit answers retried, a refused token, a missing permission.
import { afterEach, describe, expect, it } from 'vitest';

import { BatchctlError } from '../../../controller/errors/index.js';
import {
  closeMarkedIssue,
  createGitHubClient,
  openPullRequest,
  raiseMarkedIssue,
  setCommitStatus,
  type GitHubClient,
} from '../../../controller/github/index.js';
import { FAKE_TOKEN, fakeGitHub, MISSING_PERMISSION, SECONDARY_LIMIT, type FakeGitHub } from '../../helpers/fake-github.js';

const servers: FakeGitHub[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

/** Pacing without waiting: the pacer's sleeps are recorded and resolve at once; Retry-After seconds become ms. */
async function setup(
  options: { pageSize?: number; token?: string; enterprise?: boolean } = {},
): Promise<{ github: FakeGitHub; client: GitHubClient; waits: number[] }> {
  const github = await fakeGitHub(options);
  servers.push(github);
  const waits: number[] = [];
  let clock = 0;
  const client = createGitHubClient({
    token: options.token ?? FAKE_TOKEN,
    repository: 'acme/registry',
    baseUrl: github.url,
    retryUnitMs: 1,
    pacing: {
      now: () => clock,
      sleep: async (ms) => {
        waits.push(ms);
        clock += ms;
      },
    },
  });
  return { github, client, waits };
}

const caught = async (promise: Promise<unknown>): Promise<BatchctlError> => {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BatchctlError);
  return error as BatchctlError;
};

const MARKER = '<!-- batchctl:breaker:npm -->';

describe('GitHub API through octokit', () => {
  it('opens a pull request with its labels and enables auto-merge', async () => {
    const { github, client } = await setup();
    const pr = await openPullRequest(client, {
      head: 'batch/b1',
      base: 'main',
      title: 'batch: bump',
      body: 'table',
      labels: ['batch', 'ecosystem:npm'],
      autoMerge: true,
    });
    expect(pr).toMatchObject({ number: 1, auto_merge: true });
    expect(github.issues[0]).toMatchObject({ labels: ['batch', 'ecosystem:npm'], pull: { head: 'batch/b1', base: 'main' } });
    expect(github.graphql[0]?.query).toContain('enablePullRequestAutoMerge');
    expect(github.graphql[0]?.variables).toEqual({ id: 'PR_1' });
    expect(client.writes()).toBe(3);
  });

  it('talks to GitHub Enterprise under its base URL, GraphQL included', async () => {
    const { github, client } = await setup({ enterprise: true });
    expect(github.url).toMatch(/\/api\/v3$/);
    await openPullRequest(client, { head: 'batch/b2', base: 'main', title: 't', body: 'b', labels: ['batch'], autoMerge: true });
    expect(github.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /repos/acme/registry/pulls',
      'POST /repos/acme/registry/issues/1/labels',
      'POST /graphql',
    ]);
  });

  it('paces writes: the pacer is asked before each one', async () => {
    const { client, waits } = await setup();
    for (const n of [1, 2, 3]) await setCommitStatus(client, { sha: String(n).repeat(40), state: 'success', description: 'ok' });
    // A second between writes, as GitHub asks (the first goes at once).
    expect(waits).toEqual([1000, 1000]);
  });

  it('opens one incident issue, then comments on it, then closes it: never a duplicate', async () => {
    const { github, client } = await setup();
    const first = await raiseMarkedIssue(client, {
      label: 'incident',
      marker: MARKER,
      title: 'breaker open: npm',
      body: 'opened',
      comment: 'c',
    });
    const again = await raiseMarkedIssue(client, {
      label: 'incident',
      marker: MARKER,
      title: 'breaker open: npm',
      body: 'opened',
      comment: 'still open',
    });
    expect(first.action).toBe('opened');
    expect(again).toMatchObject({ action: 'commented', number: first.number });
    expect(github.issues.filter((i) => i.body.includes(MARKER))).toHaveLength(1);
    const closed = await closeMarkedIssue(client, { label: 'incident', marker: MARKER, comment: 'breaker closed' });
    expect(closed).toMatchObject({ action: 'closed', number: first.number });
    expect(github.issues[0]).toMatchObject({ state: 'closed', comments: ['still open', 'breaker closed'], labels: ['incident'] });
    expect(await closeMarkedIssue(client, { label: 'incident', marker: MARKER, comment: 'x' })).toMatchObject({ action: 'none' });
    // Closed, the next opening is a new issue.
    expect((await raiseMarkedIssue(client, { label: 'incident', marker: MARKER, title: 't', body: 'b', comment: 'c' })).action).toBe(
      'opened',
    );
  });

  it('finds the marked issue on a later page of the list (Link rel="next")', async () => {
    const { github, client } = await setup({ pageSize: 2 });
    await raiseMarkedIssue(client, { label: 'incident', marker: MARKER, title: 'npm', body: 'b', comment: 'c' });
    // Newer incidents of other ecosystems push it to page 3 (GitHub lists newest first).
    for (const eco of ['pypi', 'cargo', 'go', 'maven']) {
      await raiseMarkedIssue(client, {
        label: 'incident',
        marker: `<!-- batchctl:breaker:${eco} -->`,
        title: eco,
        body: 'b',
        comment: 'c',
      });
    }
    const result = await raiseMarkedIssue(client, { label: 'incident', marker: MARKER, title: 'npm', body: 'b', comment: 'again' });
    expect(result).toMatchObject({ action: 'commented', number: 1 });
    expect(github.issues).toHaveLength(5);
    const pagesRead = github.requests
      .filter((r) => r.method === 'GET' && r.path.endsWith('/issues'))
      .map((r) => r.query.get('page') ?? '1');
    expect(pagesRead.slice(-3)).toEqual(['1', '2', '3']);
  });

  it('sets the batchctl/batch commit status', async () => {
    const { github, client } = await setup();
    const sha = 'a'.repeat(40);
    await setCommitStatus(client, { sha, state: 'success', description: 'x'.repeat(200) });
    expect(github.statuses).toEqual([{ sha, state: 'success', context: 'batchctl/batch', description: `${'x'.repeat(139)}…` }]);
  });

  it('retries a 403 secondary rate limit after its Retry-After, and a 429', async () => {
    const { github, client } = await setup();
    github.answerNext(SECONDARY_LIMIT(/\/statuses\//));
    github.answerNext({
      method: 'POST',
      path: /\/statuses\//,
      status: 429,
      headers: { 'retry-after': '1' },
      body: { message: 'Too Many Requests' },
    });
    await setCommitStatus(client, { sha: 'b'.repeat(40), state: 'failure', description: 'failed' });
    expect(github.statuses).toHaveLength(1);
    expect(github.requests.filter((r) => r.path.includes('/statuses/'))).toHaveLength(3);
  });

  it('waits for the reset of a spent primary limit (x-ratelimit-remaining: 0), then retries', async () => {
    const { github, client } = await setup();
    github.answerNext({
      method: 'POST',
      path: /\/statuses\//,
      status: 403,
      headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000)) },
      body: { message: 'API rate limit exceeded for installation.' },
    });
    await setCommitStatus(client, { sha: 'd'.repeat(40), state: 'success', description: 'ok' });
    expect(github.statuses).toHaveLength(1);
  });

  it('gives up with GITHUB_RATE_LIMITED when the limit holds', async () => {
    const { github, client } = await setup();
    for (let i = 0; i < 5; i++) github.answerNext(SECONDARY_LIMIT(/\/statuses\//));
    const error = await caught(setCommitStatus(client, { sha: 'c'.repeat(40), state: 'success', description: 'ok' }));
    expect(error.code).toBe('GITHUB_RATE_LIMITED');
    expect(error.data.retry_after).toBe(2);
  });

  it('maps a refused token to GITHUB_UNAUTHORIZED', async () => {
    const { client } = await setup({ token: 'ghp_revoked' });
    const error = await caught(raiseMarkedIssue(client, { label: 'security', marker: '<!-- x -->', title: 't', body: 'b', comment: 'c' }));
    expect(error.code).toBe('GITHUB_UNAUTHORIZED');
  });

  it('names the permission a token lacks', async () => {
    const { github, client } = await setup();
    github.answerNext(MISSING_PERMISSION(/\/pulls$/, 'pull_requests=write'));
    const error = await caught(openPullRequest(client, { head: 'batch/b', base: 'main', title: 't', body: 'b', labels: [] }));
    expect(error.code).toBe('GITHUB_PERMISSION');
    expect(error.data.permission).toBe('pull_requests=write');
    expect(error.message).toContain('pull_requests=write');
  });
});
