// A small fake of GitHub's REST API on 127.0.0.1 (real HTTP, an ephemeral port): only the endpoints batchctl
// calls, every request recorded, and scripted answers (a 403 secondary rate limit with Retry-After, a 429,
// a 401, a 403 naming a missing permission) for the next matching requests. octokit is pointed at it by base URL.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const FAKE_TOKEN = 'ghp_fake_token_for_tests';

export interface RecordedRequest {
  method: string;
  /** path without the query */
  path: string;
  query: URLSearchParams;
  body: unknown;
  authorization: string | undefined;
}

export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  labels: string[];
  state: 'open' | 'closed';
  comments: string[];
  /** set for a pull request (issues and pulls share the numbers, as on GitHub) */
  pull?: { head: string; base: string; node_id: string };
}

export interface ScriptedAnswer {
  method: string;
  /** matched against the path */
  path: RegExp;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface FakeGitHub {
  /** the base URL to give octokit (GITHUB_API_URL) */
  url: string;
  requests: RecordedRequest[];
  issues: FakeIssue[];
  statuses: Array<{ sha: string; state: string; context: string; description: string }>;
  graphql: Array<{ query: string; variables: Record<string, unknown> }>;
  /** the next request matching answers this instead (once per call) */
  answerNext(answer: ScriptedAnswer): void;
  /** issues or pull requests only: the requests that changed something */
  writes(): RecordedRequest[];
  close(): Promise<void>;
}

export interface FakeGitHubOptions {
  /** most items on one page of a list, whatever per_page asks (so a test meets pagination with few issues) */
  pageSize?: number;
  /** GitHub Enterprise Server's layout: REST under /api/v3 (the base URL says so), GraphQL at /api/graphql */
  enterprise?: boolean;
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void => {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
};

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? null : (JSON.parse(text) as unknown);
}

/** @example const github = await fakeGitHub(); createGitHubClient({ token: FAKE_TOKEN, baseUrl: github.url, repository: 'acme/reg' }) */
export async function fakeGitHub({ pageSize = 30, enterprise = false }: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const requests: RecordedRequest[] = [];
  const issues: FakeIssue[] = [];
  const statuses: FakeGitHub['statuses'] = [];
  const graphql: FakeGitHub['graphql'] = [];
  const scripted: ScriptedAnswer[] = [];
  let url = '';
  const issueJson = (issue: FakeIssue, owner: string, repo: string): Record<string, unknown> => ({
    number: issue.number,
    title: issue.title,
    body: issue.body,
    state: issue.state,
    labels: issue.labels.map((name) => ({ name })),
    html_url: `https://github.test/${owner}/${repo}/${issue.pull ? 'pull' : 'issues'}/${issue.number}`,
    node_id: issue.pull?.node_id ?? `I_${issue.number}`,
    ...(issue.pull ? { pull_request: { url: `${url}/repos/${owner}/${repo}/pulls/${issue.number}` } } : {}),
  });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const parsed = new URL(req.url ?? '/', 'http://127.0.0.1');
    const method = req.method ?? 'GET';
    if (enterprise) {
      // Only the Enterprise paths exist there: a client that ignored the base URL's prefix gets a 404.
      const rest =
        parsed.pathname === '/api/graphql' ? '/graphql' : parsed.pathname.startsWith('/api/v3/') ? parsed.pathname.slice(7) : null;
      if (rest === null) return json(res, 404, { message: `Not Found (no ${parsed.pathname} on GitHub Enterprise)` });
      parsed.pathname = rest;
    }
    const body = method === 'GET' ? null : await readJson(req);
    const record: RecordedRequest = {
      method,
      path: parsed.pathname,
      query: parsed.searchParams,
      body,
      authorization: req.headers.authorization,
    };
    requests.push(record);
    const script = scripted.findIndex((s) => s.method === method && s.path.test(parsed.pathname));
    if (script !== -1) {
      const [answer] = scripted.splice(script, 1);
      if (answer) return json(res, answer.status, answer.body ?? { message: 'scripted' }, answer.headers);
    }
    const token = req.headers.authorization?.replace(/^(token|bearer) /i, '');
    if (token !== FAKE_TOKEN) return json(res, 401, { message: 'Bad credentials' });
    const b = (body ?? {}) as Record<string, unknown>;

    if (method === 'POST' && parsed.pathname === '/graphql') {
      graphql.push({ query: String(b.query), variables: (b.variables ?? {}) as Record<string, unknown> });
      return json(res, 200, { data: { enablePullRequestAutoMerge: { pullRequest: { number: 1 } } } });
    }
    const repoPath = /^\/repos\/([^/]+)\/([^/]+)(\/.*)$/.exec(parsed.pathname);
    if (!repoPath) return json(res, 404, { message: 'Not Found' });
    const [, owner = '', repo = '', rest = ''] = repoPath;
    const byNumber = (n: string | undefined): FakeIssue | undefined => issues.find((i) => i.number === Number(n));
    let m: RegExpExecArray | null;

    if (method === 'POST' && rest === '/pulls') {
      const issue: FakeIssue = {
        number: issues.length + 1,
        title: String(b.title),
        body: String(b.body ?? ''),
        labels: [],
        state: 'open',
        comments: [],
        pull: { head: String(b.head), base: String(b.base), node_id: `PR_${issues.length + 1}` },
      };
      issues.push(issue);
      return json(res, 201, issueJson(issue, owner, repo));
    }
    if (method === 'POST' && rest === '/issues') {
      const labels = Array.isArray(b.labels) ? b.labels.map(String) : [];
      const issue: FakeIssue = {
        number: issues.length + 1,
        title: String(b.title),
        body: String(b.body ?? ''),
        labels,
        state: 'open',
        comments: [],
      };
      issues.push(issue);
      return json(res, 201, issueJson(issue, owner, repo));
    }
    if (method === 'GET' && rest === '/issues') {
      const label = parsed.searchParams.get('labels');
      const state = parsed.searchParams.get('state') ?? 'open';
      const size = Math.min(Number(parsed.searchParams.get('per_page') ?? 30), pageSize);
      const page = Number(parsed.searchParams.get('page') ?? 1);
      // Newest first, as GitHub lists them.
      const all = [...issues]
        .reverse()
        .filter((i) => (state === 'all' || i.state === state) && (label === null || i.labels.includes(label)));
      const pages = Math.max(1, Math.ceil(all.length / size));
      const next = new URL(`${url}${parsed.pathname}`);
      for (const [k, v] of parsed.searchParams) next.searchParams.set(k, v);
      next.searchParams.set('page', String(page + 1));
      const link: Record<string, string> = page < pages ? { link: `<${next.href}>; rel="next"` } : {};
      return json(
        res,
        200,
        all.slice((page - 1) * size, page * size).map((i) => issueJson(i, owner, repo)),
        link,
      );
    }
    if ((m = /^\/issues\/(\d+)\/labels$/.exec(rest)) && method === 'POST') {
      const issue = byNumber(m[1]);
      if (!issue) return json(res, 404, { message: 'Not Found' });
      for (const label of (b.labels as string[] | undefined) ?? []) if (!issue.labels.includes(label)) issue.labels.push(label);
      return json(
        res,
        200,
        issue.labels.map((name) => ({ name })),
      );
    }
    if ((m = /^\/issues\/(\d+)\/comments$/.exec(rest)) && method === 'POST') {
      const issue = byNumber(m[1]);
      if (!issue) return json(res, 404, { message: 'Not Found' });
      issue.comments.push(String(b.body));
      return json(res, 201, { id: issue.comments.length, body: b.body });
    }
    if ((m = /^\/issues\/(\d+)$/.exec(rest)) && method === 'PATCH') {
      const issue = byNumber(m[1]);
      if (!issue) return json(res, 404, { message: 'Not Found' });
      if (b.state === 'open' || b.state === 'closed') issue.state = b.state;
      return json(res, 200, issueJson(issue, owner, repo));
    }
    if ((m = /^\/statuses\/([0-9a-f]{40,64})$/.exec(rest)) && method === 'POST') {
      statuses.push({ sha: m[1] ?? '', state: String(b.state), context: String(b.context), description: String(b.description ?? '') });
      return json(res, 201, { state: b.state, context: b.context });
    }
    return json(res, 404, { message: `Not Found (fake GitHub has no ${method} ${parsed.pathname})` });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => json(res, 500, { message: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const root = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  url = enterprise ? `${root}/api/v3` : root;
  return {
    url,
    requests,
    issues,
    statuses,
    graphql,
    answerNext: (answer) => void scripted.push(answer),
    writes: () => requests.filter((r) => r.method !== 'GET'),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** GitHub's answer when a secondary rate limit is hit: 403, a message saying so, and Retry-After. */
export const SECONDARY_LIMIT = (path: RegExp, method = 'POST'): ScriptedAnswer => ({
  method,
  path,
  status: 403,
  headers: { 'retry-after': '2' },
  body: { message: 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.' },
});

/** A 403 for a token without the permission, naming it the way GitHub does. */
export const MISSING_PERMISSION = (path: RegExp, permission: string, method = 'POST'): ScriptedAnswer => ({
  method,
  path,
  status: 403,
  headers: { 'x-accepted-github-permissions': permission },
  body: { message: 'Resource not accessible by personal access token' },
});
