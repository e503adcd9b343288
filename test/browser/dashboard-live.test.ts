// The dashboard's live side, in Debian's chromium against the built `batchctl serve`: the page and its
// CSP, a 2,000-operation batch submitted from the page to a full bar and a completed row with the
// WebSocket cut mid-batch and resumed with nothing lost or repeated, SSE when no WebSocket opens (and
// its resume after Last-Event-ID), the queue and Cancel. Every page is checked for console errors and
// CSP violations.
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { SHOTS, useDashboardServer } from '../helpers/dashboard-server.js';

const dash = useDashboardServer({ holdPacks: true });
const { tokens, page, api, storedSeqs } = dash;

const bigBatch = {
  title: 'two thousand files',
  ecosystem: 'npm',
  options: { concurrency: 1 },
  operations: Array.from({ length: 2000 }, (_, i) => ({ type: 'write', target: `big/${i}.txt`, content: `file ${i}\n` })),
};

describe('the dashboard, live (GET / of batchctl serve, in chromium)', () => {
  it('serves the page with a strict Content-Security-Policy and no external resource', async () => {
    const response = await fetch(`${dash.server.url}/`);
    expect(response.status).toBe(200);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    const html = await response.text();
    expect(html).not.toMatch(/https?:\/\//);
    expect((await fetch(`${dash.server.url}/dashboard/app.js`)).headers.get('content-type')).toContain('javascript');
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
    await p.goto(dash.server.url);
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
    await p.goto(dash.server.url);
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

  it('lists the queue under the running batch, cancels a queued and the running batch from the page, shows a refused retry, and filters by status', async () => {
    const submit = async (body: unknown) =>
      ((await (await api('/api/batch', { method: 'POST', body })).json()) as { batch_id: string }).batch_id;
    // 12 MiB in 1,500 files: held part-way (its pack waits), it is still applying when the page cancels it.
    dash.holdPacks();
    const slow = await submit({
      title: 'very long',
      ecosystem: 'npm',
      options: { concurrency: 1 },
      operations: Array.from({ length: 1_500 }, (_, i) => ({
        type: 'write',
        target: `slow/${i}.txt`,
        content: `${i}\n`.padEnd(8192, '.'),
      })),
    });
    const queued = await submit({
      title: 'waits its turn',
      ecosystem: 'pypi',
      operations: [{ type: 'write', target: 'later.txt', content: 'l\n' }],
    });
    const { page: p, problems } = await page({ token: tokens['operator-2'] });
    await p.goto(dash.server.url);
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
    await expect.poll(() => p.locator('#notice').textContent()).toBe(`${slow}: cancelling`);
    expect(await p.locator('#running-status').textContent()).toBe('running');
    // held part-way: not every write landed (once cancelling, the steps left count as failed, so the bar may be full)
    expect(Number(await p.locator('#running-ok').textContent())).toBeLessThan(1_500);
    dash.releasePacks();
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
});
