// The dashboard's running bar and Retry, in Debian's chromium against the built `batchctl serve`:
// skipped operations counted apart from failed ones, Elapsed of a batch that waited in the queue counted
// from its start, and a batch that failed on the repository's state retried from the page to completion
// once the state is fixed. Every page is checked for console errors and CSP violations.
import { describe, expect, it } from 'vitest';

import { live, useDashboardServer } from '../helpers/dashboard-server.js';

const dash = useDashboardServer({ holdPacks: true });
const { tokens, page, api } = dash;

const submit = async (body: unknown, wait = false): Promise<{ batch_id: string; status: string }> =>
  (await (await api(`/api/batch${wait ? '?wait=1' : ''}`, { method: 'POST', body })).json()) as { batch_id: string; status: string };

// 12 MiB in 1,500 files: with its pack held (dash.holdPacks), it stays running part-way, whatever the machine's speed.
const slowBatch = (title: string, dir: string) => ({
  title,
  ecosystem: 'npm',
  options: { concurrency: 1 },
  operations: Array.from({ length: 1_500 }, (_, i) => ({ type: 'write', target: `${dir}/${i}.txt`, content: `${i}\n`.padEnd(8192, '.') })),
});

describe('the dashboard, progress and retry (GET / of batchctl serve, in chromium)', () => {
  it('counts succeeded, failed and skipped apart in the running bar', async () => {
    const { page: p, problems } = await page({ token: tokens.viewer });
    await p.goto(dash.server.url);
    await live(p);
    // The replace finds nothing at run time (failed); the copy waits on that file, so it is never started (skipped).
    const done = await submit(
      {
        title: 'one fails, one skipped',
        ecosystem: 'npm',
        options: { failure_threshold: 0.5 },
        operations: [
          { type: 'write', target: 'skip/1.txt', content: '1\n' },
          { type: 'write', target: 'skip/2.txt', content: '2\n' },
          { type: 'write', target: 'skip/3.txt', content: '3\n' },
          { type: 'replace', target: 'docs/a.txt', find: 'absent', replace: 'x' },
          { type: 'copy', source: 'docs/a.txt', target: 'skip/copy.txt' },
        ],
      },
      true,
    );
    expect(done.status).toBe('completed');
    await expect.poll(() => p.locator('#running-body code').first().textContent()).toBe(done.batch_id);
    await expect.poll(() => p.locator('#running-status').textContent()).toBe('completed');
    expect(await p.locator('#running-ok').textContent()).toBe('3');
    expect(await p.locator('#running-failed').textContent()).toBe('1');
    expect(await p.locator('#running-skipped').textContent()).toBe('1');
    expect(await p.locator('#running-done').textContent()).toBe('5 / 5 (100 %)');
    // Three parts of the bar, each as wide as its share.
    const widths = await p
      .locator('#running-bar > div')
      .evaluateAll((parts) => parts.map((part) => (part as unknown as { style: { width: string } }).style.width));
    expect(widths).toEqual(['60%', '20%', '20%']);
    expect(problems).toEqual([]);
  });

  it('counts Elapsed of a batch that waited in the queue from its start, not from when it was queued', async () => {
    const status = async (id: string) => ((await (await api(`/api/batches/${id}`)).json()) as { batch: { status: string } }).batch.status;
    dash.holdPacks(); // the first batch's pack waits: it runs on, part-way, while the second is queued behind it
    const first = await submit(slowBatch('runs first', 'first'));
    await expect.poll(() => status(first.batch_id)).toBe('running');
    const second = await submit(slowBatch('waits, then runs', 'second'));
    expect(await status(second.batch_id)).toBe('queued');
    dash.holdPacks({ skip: 1 }); // the first's pack goes on, the second's (the next one) waits
    await expect.poll(() => status(first.batch_id)).toBe('completed');
    // The second is running now, held part-way; the page opens on it.
    const details = async () =>
      (await (await api(`/api/batches/${second.batch_id}`)).json()) as {
        batch: { status: string; created_at: string };
        started_at?: string;
      };
    await expect.poll(async () => (await details()).started_at).toBeDefined();
    const { batch, started_at } = await details();
    expect(batch.status).toBe('running');
    expect(Date.parse(started_at ?? '')).toBeGreaterThan(Date.parse(batch.created_at));

    const { page: p, problems } = await page({ token: tokens.operator });
    await p.goto(dash.server.url);
    await expect.poll(() => p.locator('#running-body code').first().textContent()).toBe(second.batch_id);
    expect(await p.locator('#running-body').getAttribute('data-started-at')).toBe(started_at);
    await api(`/api/batches/${second.batch_id}/cancel`, { method: 'POST', body: { reason: 'seen' } });
    dash.releasePacks();
    await expect.poll(() => p.locator('#running-status').textContent()).toBe('cancelled');
    // Its stored stream ends with its final event: the start it recorded is the one the page counted from.
    const started = (await (await api(`/api/batches/${second.batch_id}/events`)).text()).match(
      /^data: (\{"seq":\d+,"type":"batch_started".*)$/m,
    );
    expect((JSON.parse(started?.[1] ?? '{}') as { at?: string }).at).toBe(started_at);
    expect(problems).toEqual([]);
  });

  it('retries a batch that failed on the repository state, once fixed, to a completed batch', async () => {
    dash.repo.write('retry/config.txt', 'version = 1\n');
    dash.repo.commitAll('a config to edit');
    // Atomic: the replace finds no `version = 2` to bump, so nothing lands.
    const failed = await submit(
      {
        title: 'bump the config',
        ecosystem: 'npm',
        options: { atomic: true },
        operations: [
          { type: 'write', target: 'retry/notes.txt', content: 'bumped\n' },
          { type: 'replace', target: 'retry/config.txt', find: 'version = 2', replace: 'version = 3' },
        ],
      },
      true,
    );
    expect(failed.status).toBe('failed');
    // The state it expected, by hand.
    dash.repo.write('retry/config.txt', 'version = 2\n');
    dash.repo.commitAll('the config at version 2');

    const { page: p, problems } = await page({ token: tokens['operator-2'] });
    await p.goto(dash.server.url);
    await p.getByRole('button', { name: `open batch ${failed.batch_id}` }).click();
    await expect.poll(() => p.locator('#detail-status').textContent()).toBe('failed');
    await p.getByRole('button', { name: 'Retry' }).click();
    await expect.poll(() => p.locator('#notice').textContent()).toMatch(/^retry \S+: /);
    const retried = /^retry (\S+): /.exec((await p.locator('#notice').textContent()) ?? '')?.[1] ?? '';
    expect(retried).not.toBe(failed.batch_id);
    await expect.poll(() => p.locator(`#batch-table tr[data-id="${retried}"]`).getAttribute('data-status')).toBe('completed');
    expect(dash.repo.git('show', 'HEAD:retry/config.txt')).toBe('version = 3\n');
    expect(dash.repo.git('show', 'HEAD:retry/notes.txt')).toBe('bumped\n');
    expect(problems).toEqual([]);
  });
});
