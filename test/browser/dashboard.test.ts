// The dashboard at GET / of the built `batchctl serve`, in Debian's chromium: a 2,000-operation batch
// submitted from the page to a full bar and a completed row, a WebSocket cut mid-batch and resumed with
// nothing lost or repeated, SSE when no WebSocket opens, Stop and its banner, a refused submission with
// its reason, Resume, a rollback to a new commit, and a viewer who cannot stop. Every page is checked
// for console errors and CSP violations.
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

import { launchChromium, openPage, type WatchedPage } from '../helpers/browser.js';
import { gitRepo, removeRepo, type TestRepo } from '../helpers/git-repo.js';
import { spawnServe, type ServeProcess } from '../helpers/serve-process.js';

const ROLES = {
  admin: 'admin',
  'admin-2': 'admin',
  operator: 'operator',
  'operator-2': 'operator',
  viewer: 'viewer',
  client: 'admin',
} as const;
type Who = keyof typeof ROLES;
const tokens = Object.fromEntries(Object.keys(ROLES).map((name) => [name, randomBytes(24).toString('hex')])) as Record<Who, string>;

/** Screenshots go to docs/screenshots when DASHBOARD_SCREENSHOTS=1 (to refresh the README's), else to a temp dir. */
const SHOTS = process.env.DASHBOARD_SCREENSHOTS === '1' ? resolve('docs/screenshots') : join(tmpdir(), 'batchctl-dashboard-shots');

let repo: TestRepo;
let server: ServeProcess;
let browser: Browser;
const pages: WatchedPage[] = [];

async function page(options: { token?: string; width?: number; height?: number } = {}): Promise<WatchedPage> {
  const watched = await openPage(browser, options);
  pages.push(watched);
  return watched;
}

const api = (path: string, init: { method?: string; body?: unknown; as?: Who } = {}) =>
  fetch(`${server.url}${path}`, {
    method: init.method ?? 'GET',
    headers: { Authorization: `Bearer ${tokens[init.as ?? 'client']}`, 'content-type': 'application/json' },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });

/** The page follows the event stream (WebSocket, or SSE should a loaded machine make the first WebSocket fail). */
const live = (p: WatchedPage['page']) => p.locator('#connection:is([data-transport="websocket"], [data-transport="sse"])').waitFor();

/** Every seq the server's stream holds for one batch, from its first event to its final one. */
async function storedSeqs(batchId: string): Promise<number[]> {
  const text = await (await api(`/api/batches/${batchId}/events`)).text();
  return [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
}

const bigBatch = {
  title: 'two thousand files',
  ecosystem: 'npm',
  options: { concurrency: 1 },
  operations: Array.from({ length: 2000 }, (_, i) => ({ type: 'write', target: `big/${i}.txt`, content: `file ${i}\n` })),
};

beforeAll(async () => {
  repo = gitRepo({ 'docs/a.txt': 'a\n' });
  repo.commitAll('seed');
  const file = join(repo.dir, '.git', 'tokens.ndjson');
  writeFileSync(
    file,
    Object.entries(ROLES)
      .map(([name, role]) =>
        JSON.stringify({
          name,
          role,
          sha256: createHash('sha256')
            .update(tokens[name as Who])
            .digest('hex'),
        }),
      )
      .join('\n') + '\n',
  );
  server = await spawnServe({ cwd: repo.dir, env: { BATCHCTL_TOKENS_FILE: file } });
  browser = await launchChromium();
  mkdirSync(SHOTS, { recursive: true });
});

// A page left open would go on reading the API on every event of the later tests (and spend its token's rate limit).
afterEach(async () => {
  for (const p of pages.splice(0)) await p.context.close();
  // A test that failed half-way through a stop must not refuse the batches of the next ones.
  const { stop } = (await (await api('/api/control')).json()) as { stop: { enabled: boolean; disabled_ecosystems: string[] } };
  if (!stop.enabled) await api('/api/control/resume', { method: 'POST', body: {} });
  for (const ecosystem of stop.disabled_ecosystems) await api('/api/control/resume', { method: 'POST', body: { ecosystem } });
});

afterAll(async () => {
  await browser?.close();
  if (server && server.child.exitCode === null) server.child.kill('SIGTERM');
  await server?.exited;
  if (repo) removeRepo(repo);
});

describe('the dashboard (GET / of batchctl serve, in chromium)', () => {
  it('serves the page with a strict Content-Security-Policy and no external resource', async () => {
    const response = await fetch(`${server.url}/`);
    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    const html = await response.text();
    expect(html).not.toMatch(/https?:\/\//);
    expect((await fetch(`${server.url}/dashboard/app.js`)).headers.get('content-type')).toContain('javascript');
  });

  it('runs a 2,000-operation batch submitted from the page to a full bar and a completed row, and resumes a WebSocket cut mid-batch with nothing lost or repeated', async () => {
    const { page: p, problems } = await page({ token: tokens.admin });
    let connections = 0;
    let forwardedProgress = 0;
    // The page's WebSocket goes through the test: the first connection is cut after three progress frames.
    await p.routeWebSocket(/\/ws$/, (ws) => {
      connections += 1;
      const first = connections === 1;
      const upstream = ws.connectToServer();
      ws.onMessage((message) => upstream.send(message));
      upstream.onMessage((message) => {
        if (first && String(message).includes('"batch_progress"') && ++forwardedProgress > 3) {
          void ws.close({ code: 4001, reason: 'cut by the test' });
          return;
        }
        ws.send(message);
      });
    });
    await p.goto(server.url);
    await p.locator('#connection[data-transport="websocket"]').waitFor();
    await expect.poll(() => p.locator('#who').textContent()).toBe('admin · admin');

    await p.locator('#batch-text').fill(JSON.stringify(bigBatch));
    await p.getByRole('button', { name: 'Validate' }).click();
    await p.locator('#submit-valid').waitFor();
    await p.getByRole('button', { name: 'Run' }).click();
    await p.locator('#submit-status code').waitFor();
    const batchId = (await p.locator('#submit-status code').textContent()) ?? '';
    expect(batchId).toMatch(/^b-/);

    await p.locator('#running-bar').waitFor();
    await p.screenshot({ path: join(SHOTS, 'running-1280.png') }); // most likely mid-batch; only a picture
    await p.locator('#running-bar[data-percent="100"]').waitFor();
    await expect.poll(() => p.locator('#running-status').textContent()).toBe('completed');
    await expect.poll(() => p.locator(`#batch-table tr[data-id="${batchId}"]`).getAttribute('data-status')).toBe('completed');
    expect(await p.locator('#running-done').textContent()).toBe('2000 / 2000 (100 %)');
    // Its 2,000 operations in the detail, 50 a page.
    await p.getByRole('button', { name: `open batch ${batchId}` }).click();
    await expect.poll(() => p.locator('#detail-body .pager .muted').textContent()).toBe('1–50 of 2000');
    await p.getByRole('button', { name: 'Next operations' }).click();
    await expect.poll(() => p.locator('#detail-body .pager .muted').textContent()).toBe('51–100 of 2000');
    expect(await p.locator('#items-table tbody tr').first().textContent()).toContain('big/50.txt');
    expect(connections).toBe(2);
    expect(Number(await p.locator('#connection').getAttribute('data-reconnects'))).toBe(1);

    // Resumed from its last seq: every event of the batch the server stored, once each, in order.
    const seen = (await p.evaluate('window.__batchctl.feed.seqs()')) as Array<[number, string | null]>;
    const all = seen.map(([seq]) => seq);
    expect(all).toEqual([...all].sort((a, b) => a - b));
    expect(new Set(all).size).toBe(all.length);
    expect(seen.filter(([, id]) => id === batchId).map(([seq]) => seq)).toEqual(await storedSeqs(batchId));
    expect(problems).toEqual([]);
  });

  it('falls back to SSE when no WebSocket opens, follows a batch to its end, and resumes a cut stream after Last-Event-ID', async () => {
    const { page: p, problems } = await page({ token: tokens['admin-2'] });
    // Every WebSocket closes before it opens: a proxy that does not pass them.
    await p.routeWebSocket(/\/ws$/, (ws) => void ws.close({ code: 1006, reason: 'no websockets here' }));
    await p.goto(server.url);
    await p.locator('#connection[data-transport="sse"]').waitFor();
    const submitted = (await (
      await api('/api/batch', {
        method: 'POST',
        body: { title: 'over sse', ecosystem: 'npm', operations: [{ type: 'write', target: 'sse.txt', content: 's\n' }] },
      })
    ).json()) as { batch_id: string };
    await expect.poll(() => p.locator(`#batch-table tr[data-id="${submitted.batch_id}"]`).getAttribute('data-status')).toBe('completed');

    // Cut the stream and hold the reconnect until a whole batch has run: it must come from the replay
    // after Last-Event-ID, once each, in order.
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    await p.route(/\/api\/events$/, async (route) => {
      await held;
      await route.continue();
    });
    await p.evaluate('window.__batchctl.feed.breakConnection()');
    await expect.poll(() => p.locator('#connection').getAttribute('data-transport')).not.toBe('sse');
    const away = (await (
      await api('/api/batch?wait=1', {
        method: 'POST',
        body: { title: 'while away', ecosystem: 'npm', operations: [{ type: 'write', target: 'away.txt', content: 'a\n' }] },
      })
    ).json()) as { batch_id: string; status: string };
    expect(away.status).toBe('completed');
    release();
    await expect.poll(() => p.locator(`#batch-table tr[data-id="${away.batch_id}"]`).getAttribute('data-status')).toBe('completed');
    const seen = (await p.evaluate('window.__batchctl.feed.seqs()')) as Array<[number, string | null]>;
    const all = seen.map(([seq]) => seq);
    expect(all).toEqual([...new Set(all)].sort((a, b) => a - b));
    expect(seen.filter(([, id]) => id === away.batch_id).map(([seq]) => seq)).toEqual(await storedSeqs(away.batch_id));
    expect(problems).toEqual([]);
  });

  it('stops with a reason (the red banner), refuses a submission with the reason, and resumes', async () => {
    const { page: p, problems } = await page({ token: tokens.admin });
    await p.goto(server.url);
    await live(p);
    await p.getByRole('button', { name: 'Stop…' }).click();
    await p.getByLabel('Reason (required)').fill('incident 42: bad mirror');
    await p.getByLabel('Incident link (optional)').fill('https://status.example.com/42');
    await p.locator('#ask-ok').click();
    const banner = p.locator('#stop-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toContain('incident 42: bad mirror');
    expect(await banner.textContent()).toContain('by admin');
    await p.screenshot({ path: join(SHOTS, 'stopped-1280.png') });

    await p
      .locator('#batch-text')
      .fill(
        JSON.stringify({ title: 'during the stop', ecosystem: 'npm', operations: [{ type: 'write', target: 'stop.txt', content: 'x\n' }] }),
      );
    await p.getByRole('button', { name: 'Validate' }).click();
    await p.locator('#submit-valid').waitFor();
    await p.getByRole('button', { name: 'Run' }).click();
    await expect.poll(() => p.locator('#submit-error').textContent()).toContain('EMERGENCY_STOP');
    expect(await p.locator('#submit-error').textContent()).toContain('refused');

    await p.getByRole('button', { name: 'Resume', exact: true }).click();
    await expect.poll(() => banner.isHidden()).toBe(true);

    // One ecosystem's stop: its own line under the banner, with its own Resume.
    await p.getByRole('button', { name: 'Stop…' }).click();
    await p.getByLabel('Reason (required)').fill('pypi mirror down');
    await p.getByLabel('Only this ecosystem (optional)').fill('pypi');
    await p.locator('#ask-ok').click();
    await expect.poll(() => p.locator('#ecosystem-stops').textContent()).toContain('pypi');
    expect(await banner.isHidden()).toBe(true);
    await p.getByRole('button', { name: 'Resume pypi' }).click();
    await expect.poll(() => p.locator('#ecosystem-stops').isHidden()).toBe(true);
    await expect.poll(() => banner.isHidden()).toBe(true);
    // The control file's flag: batches may run again.
    await expect.poll(async () => ((await (await api('/api/control')).json()) as { stop: { enabled: boolean } }).stop.enabled).toBe(true);
    expect(problems).toEqual([]);
  });

  it('rolls back a batch from its detail (a reason asked) and shows the new commit', async () => {
    const done = (await (
      await api('/api/batch?wait=1', {
        method: 'POST',
        body: { title: 'to undo', ecosystem: 'npm', operations: [{ type: 'write', target: 'undo/me.txt', content: 'u\n' }] },
      })
    ).json()) as { batch_id: string; status: string };
    expect(done.status).toBe('completed');
    const { page: p, problems } = await page({ token: tokens.operator });
    await p.goto(server.url);
    await p.getByRole('button', { name: `open batch ${done.batch_id}` }).click();
    await expect.poll(() => p.locator('#detail-status').textContent()).toBe('completed');
    expect(await p.locator('#diff-table').textContent()).toContain('undo/me.txt');
    expect(await p.locator('#detail-body').textContent()).toContain('Batch-Id');
    await p.locator('#detail').screenshot({ path: join(SHOTS, 'detail-1280.png') });

    await p.getByRole('button', { name: 'Roll back…' }).click();
    await p.getByLabel('Reason (required)').fill('wrong file');
    await p.locator('#ask-ok').click();
    await expect.poll(() => p.locator('#notice').textContent()).toContain('new commit');
    const head = repo.git('rev-parse', 'HEAD').trim();
    expect(await p.locator('#notice').textContent()).toContain(head.slice(0, 10));
    expect(repo.git('log', '-1', '--format=%s')).toContain(`Revert batch ${done.batch_id}`);
    await expect.poll(() => p.locator(`#batch-table tr[data-id="${done.batch_id}"]`).getAttribute('data-status')).toBe('rolled_back');
    expect(problems).toEqual([]);
  });

  it('lists the queue under the running batch, cancels a queued and the running batch from the page, shows a refused retry, and filters by status', async () => {
    const submit = async (body: unknown) =>
      ((await (await api('/api/batch', { method: 'POST', body })).json()) as { batch_id: string }).batch_id;
    // Long enough (under the 10,000 a batch may hold) that it is still applying when the page cancels it.
    const slow = await submit({
      title: 'very long',
      ecosystem: 'npm',
      options: { concurrency: 1 },
      operations: Array.from({ length: 9_000 }, (_, i) => ({ type: 'write', target: `slow/${i}.txt`, content: `${i}\n` })),
    });
    const queued = await submit({
      title: 'waits its turn',
      ecosystem: 'pypi',
      operations: [{ type: 'write', target: 'later.txt', content: 'l\n' }],
    });
    const { page: p, problems } = await page({ token: tokens['operator-2'] });
    await p.goto(server.url);
    await expect.poll(() => p.locator('#running-body code').first().textContent()).toBe(slow);
    await expect.poll(() => p.locator('#queue').textContent()).toContain(queued);

    await p.getByRole('button', { name: `open batch ${queued}` }).click();
    await expect.poll(() => p.locator('#detail-status').textContent()).toBe('queued');
    await p.locator('#detail-body').getByRole('button', { name: 'Cancel…' }).click();
    await p.getByLabel('Reason (required)').fill('not now');
    await p.locator('#ask-ok').click();
    await expect.poll(() => p.locator('#notice').textContent()).toBe(`${queued}: cancelled`);
    await expect.poll(() => p.locator('#queue').textContent()).toBe('none');

    await p.locator('#cancel-running').click();
    await expect.poll(() => p.locator('#detail-h').textContent()).toBe(`Batch ${slow}`);
    await p.locator('#detail-body').getByRole('button', { name: 'Cancel…' }).click();
    await p.getByLabel('Reason (required)').fill('too long');
    await p.locator('#ask-ok').click();
    await expect.poll(() => p.locator('#running-status').textContent()).toBe('cancelled');

    await p.getByRole('button', { name: `open batch ${queued}` }).click();
    await expect.poll(() => p.locator('#detail-status').textContent()).toBe('cancelled');
    // Cancelled before it ran, it has no operation that failed to land: the server's refusal is shown as it said it.
    await p.getByRole('button', { name: 'Retry' }).click();
    await expect.poll(() => p.locator('#notice').textContent()).toMatch(/^retry refused: NOTHING_TO_RETRY: /);

    await p.locator('#filter-status').selectOption('cancelled');
    await p.getByRole('button', { name: 'Apply' }).click();
    await expect
      .poll(async () => (await p.locator('#batch-table tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')))).sort())
      .toEqual([slow, queued].sort());
    expect(problems.filter((line) => !/status of 409/.test(line))).toEqual([]);
  });

  it('validates first and shows the issues inline; Run stays disabled until the document is valid', async () => {
    const { page: p, problems } = await page({ token: tokens.operator });
    await p.goto(server.url);
    await p
      .locator('#batch-text')
      .fill(JSON.stringify({ title: 'bad', ecosystem: 'npm', operations: [{ type: 'write', target: '../escape.txt', content: 'x' }] }));
    await p.getByRole('button', { name: 'Validate' }).click();
    await expect.poll(() => p.locator('#submit-error').textContent()).toContain('VALIDATION_FAILED');
    expect(await p.locator('#submit-issues').textContent()).toContain('PATH_TRAVERSAL');
    expect(await p.getByRole('button', { name: 'Run' }).isDisabled()).toBe(true);
    // The browser itself logs the refused request (422); the page logs nothing of its own.
    expect(problems.filter((line) => !/status of 422/.test(line))).toEqual([]);
  });

  it('shows a rollback conflict with the --paths and --restore choices, and resets to the backup when an admin picks --restore', async () => {
    const done = (await (
      await api('/api/batch?wait=1', {
        method: 'POST',
        body: { title: 'then edited', ecosystem: 'npm', operations: [{ type: 'write', target: 'clash.txt', content: 'batch\n' }] },
      })
    ).json()) as { batch_id: string; status: string };
    expect(done.status).toBe('completed');
    repo.write('clash.txt', 'edited by hand\n');
    repo.commitAll('a later edit');
    const { page: p, problems } = await page({ token: tokens['admin-2'] });
    await p.goto(server.url);
    await p.getByRole('button', { name: `open batch ${done.batch_id}` }).click();
    await p.getByRole('button', { name: 'Roll back…' }).click();
    await p.getByLabel('Reason (required)').fill('undo it');
    await p.locator('#ask-ok').click();
    await expect.poll(() => p.locator('#ask-error').textContent()).toContain('ROLLBACK_CONFLICT');
    expect(await p.locator('#rollback-conflicts').textContent()).toContain('clash.txt');
    expect(await p.getByLabel(/Roll back only these paths/).isVisible()).toBe(true);
    await p.getByLabel(/Reset the paths to the backup/).check();
    await p.locator('#ask-ok').click();
    await expect.poll(() => p.locator('#notice').textContent()).toContain('new commit');
    // Reset to the backup: as before the batch, which had made the file.
    expect(existsSync(join(repo.dir, 'clash.txt'))).toBe(false);
    expect(problems.filter((line) => !/status of 409/.test(line))).toEqual([]);
  });

  it('works from the keyboard: the Stop dialog opens with Enter, holds focus, and closes with Escape', async () => {
    const { page: p, problems } = await page({ token: tokens['admin-2'] });
    await p.goto(server.url);
    await live(p);
    await p.locator('#stop-button').focus();
    await p.keyboard.press('Enter');
    await p.locator('#ask-dialog[open]').waitFor();
    expect(await p.evaluate('document.activeElement && document.activeElement.id')).toBe('stop-reason');
    await p.keyboard.press('Escape');
    await expect.poll(() => p.locator('#ask-dialog').getAttribute('open')).toBeNull();
    expect(await p.evaluate('document.activeElement && document.activeElement.id')).toBe('stop-button');
    const control = (await (await api('/api/control')).json()) as { stop: { enabled: boolean } };
    expect(control.stop.enabled).toBe(true);
    // Every field has a label, and the charts say in words what they show.
    const unlabelled = await p.evaluate(
      "[...document.querySelectorAll('input, select, textarea')].filter((e) => e.type !== 'hidden' && e.labels.length === 0 && !e.getAttribute('aria-label')).map((e) => e.id)",
    );
    expect(unlabelled).toEqual([]);
    expect(await p.locator('#chart-hourly svg').getAttribute('aria-label')).toMatch(/batches in the last 7 days/);
    expect(problems).toEqual([]);
  });

  it('shows a viewer its role and no Stop, Submit or Roll back; the API refuses its stop with 403', async () => {
    const { page: p, problems } = await page({ width: 390, height: 844 });
    await p.goto(server.url);
    await p.getByLabel('Token').fill(tokens.viewer);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => p.locator('#who').textContent()).toBe('viewer · viewer');
    expect(await p.getByRole('button', { name: 'Stop…' }).isHidden()).toBe(true);
    expect(await p.locator('#submit').isHidden()).toBe(true);
    expect(await p.evaluate("sessionStorage.getItem('batchctl.token')")).toBe(tokens.viewer);
    // Looked up by id: that batch alone.
    const oldest = await p.locator('#batch-table tbody tr').last().getAttribute('data-id');
    await p.getByLabel('Batch id').fill(oldest ?? '');
    await p.getByRole('button', { name: 'Apply' }).click();
    await expect
      .poll(() => p.locator('#batch-table tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id'))))
      .toEqual([oldest]);
    // Usable at 390 px: nothing wider than the screen (wide tables scroll inside their card).
    expect(await p.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await p.screenshot({ path: join(SHOTS, 'viewer-390.png'), fullPage: true });
    const refused = await api('/api/control/stop', { method: 'POST', body: { reason: 'a viewer tries' }, as: 'viewer' });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN');
    expect(problems).toEqual([]);
  });
});

describe('the dashboard on a server without a tokens file', () => {
  it('signs in with an empty token as the loopback admin `local`', async () => {
    const bare = gitRepo({ 'a.txt': 'a\n' });
    bare.commitAll('seed');
    const local = await spawnServe({ cwd: bare.dir });
    try {
      const { page: p, problems } = await page();
      await p.goto(local.url);
      await p.getByRole('button', { name: 'Sign in' }).click();
      await expect.poll(() => p.locator('#who').textContent()).toBe('local · admin');
      await live(p);
      expect(await p.getByRole('button', { name: 'Stop…' }).isVisible()).toBe(true);
      expect(problems).toEqual([]);
    } finally {
      local.child.kill('SIGTERM');
      await local.exited;
      removeRepo(bare);
    }
  });
});
