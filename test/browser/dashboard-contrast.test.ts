// WCAG AA contrast of the dashboard, measured in Debian's chromium against the built `batchctl serve`
// in its main states: idle (a table holding every status, the charts), running with a queue, the red
// stop banner with an ecosystem's stop, the Stop dialog with its error, a batch's detail (a commit with
// its diff, and a failed batch with its errors), validation issues, and a viewer at 390 px. Every visible
// text must reach 4.5:1 against its effective background (3:1 when large). Every page is checked for
// console errors and CSP violations.
import { describe, expect, it } from 'vitest';

import { contrastFailures, measureContrast } from '../helpers/contrast.js';
import { live, useDashboardServer } from '../helpers/dashboard-server.js';

const dash = useDashboardServer();
const { tokens, page, api } = dash;

const submit = async (body: unknown, wait = true): Promise<{ batch_id: string; status: string }> =>
  (await (await api(`/api/batch${wait ? '?wait=1' : ''}`, { method: 'POST', body })).json()) as { batch_id: string; status: string };
const one = (title: string, target: string, extra: Record<string, unknown> = {}) => ({
  title,
  ecosystem: 'npm',
  operations: [{ type: 'write', target, content: `${title}\n` }],
  ...extra,
});

/** Measured, and something was measured: a page still loading passes vacuously otherwise. */
async function expectAA(p: Parameters<typeof contrastFailures>[0]): Promise<void> {
  const measured = await measureContrast(p);
  if (process.env.DASHBOARD_CONTRAST === '1') console.log(measured.slice(0, 8));
  expect(measured.length).toBeGreaterThan(20);
  expect(measured.filter((m) => m.ratio < m.needed)).toEqual([]);
}

describe('the dashboard, contrast AA in its main states (GET / of batchctl serve, in chromium)', () => {
  it('the measure itself: finds grey text on white, lets the same grey pass when large, and composes a translucent background', async () => {
    const { page: p, problems } = await page({ token: tokens.viewer });
    await p.goto(dash.server.url);
    await live(p);
    // Planted through the CSSOM (the CSP allows no style attribute): #949494 on white is 3.03:1.
    await p.evaluate(`(() => {
      const card = document.querySelector('#charts');
      const plant = (id, size, background) => {
        const e = document.createElement('p');
        e.id = id;
        e.textContent = 'planted ' + id;
        e.style.color = '#949494';
        e.style.fontSize = size;
        if (background) e.style.backgroundColor = background;
        card.append(e);
      };
      plant('grey-small', '16px');
      plant('grey-large', '24px');
      plant('grey-on-tint', '24px', 'rgba(0, 0, 0, 0.5)');
    })()`);
    const found = await contrastFailures(p);
    const by = new Map(found.map((f) => [f.where, f]));
    expect([...by.keys()].sort()).toEqual(['p#grey-on-tint', 'p#grey-small']);
    expect(by.get('p#grey-small')).toMatchObject({
      ratio: 3.03,
      needed: 4.5,
      color: 'rgb(148, 148, 148)',
      background: 'rgb(255, 255, 255)',
    });
    // Half-black over the white card is rgb(128, 128, 128): 1.34:1 against the grey.
    expect(by.get('p#grey-on-tint')).toMatchObject({ needed: 3, background: 'rgb(128, 128, 128)' });
    expect(problems).toEqual([]);
  });

  it('passes AA idle, with every batch status in the table, and in a batch detail (its diff; a failed batch and its errors)', async () => {
    const completed = await submit(one('kept', 'aa/kept.txt'));
    const undone = await submit(one('undone', 'aa/undone.txt'));
    await api('/api/rollback', { method: 'POST', body: { batch_id: undone.batch_id, reason: 'contrast of rolled_back' } });
    const failed = await submit({
      title: 'fails',
      ecosystem: 'pypi',
      options: { atomic: true },
      operations: [{ type: 'replace', target: 'docs/a.txt', find: 'absent', replace: 'x' }],
    });
    expect(failed.status).toBe('failed');
    await api('/api/control/stop', { method: 'POST', body: { reason: 'for a refused row' } });
    expect((await submit(one('refused', 'aa/refused.txt'))).status).toBe('refused');
    await api('/api/control/resume', { method: 'POST', body: {} });

    const { page: p, problems } = await page({ token: tokens.admin });
    await p.goto(dash.server.url);
    await live(p);
    await expect.poll(() => p.locator(`#batch-table tr[data-id="${failed.batch_id}"]`).count()).toBe(1);
    await p.locator('#charts-body svg').first().waitFor();
    const statuses = await p.locator('#batch-table tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status')));
    expect(new Set(statuses)).toEqual(new Set(['completed', 'rolled_back', 'failed', 'refused']));
    await expectAA(p);

    await p.getByRole('button', { name: `open batch ${completed.batch_id}` }).click();
    await expect.poll(() => p.locator('#diff-table').textContent()).toContain('aa/kept.txt');
    await expectAA(p);
    await p.getByRole('button', { name: `open batch ${failed.batch_id}` }).click();
    await expect.poll(() => p.locator('#detail-body').textContent()).toContain('REPLACE_NO_MATCH');
    await expectAA(p);
    expect(problems).toEqual([]);
  });

  it('passes AA with a batch running (one queued behind it), with the stop banner and an ecosystem stop, and in the Stop dialog', async () => {
    const { page: p, problems } = await page({ token: tokens['admin-2'] });
    await p.goto(dash.server.url);
    await live(p);
    const slow = await submit(
      {
        title: 'long',
        ecosystem: 'npm',
        options: { concurrency: 1 },
        // Long enough (under the 10,000 a batch may hold) that it is still applying while the page is measured.
        operations: Array.from({ length: 9_000 }, (_, i) => ({ type: 'write', target: `aa-slow/${i}.txt`, content: `${i}\n` })),
      },
      false,
    );
    // Queued behind it, so the queue under the bar has a row (not waited for: on an idle machine the long
    // batch may end first, and the panel is measured all the same).
    await submit(one('waits', 'aa/waits.txt'), false);
    await expect.poll(() => p.locator('#running-body code').first().textContent()).toBe(slow.batch_id);
    await p.locator('#running-bar[aria-valuenow]:not([aria-valuenow="0"])').waitFor();
    await expectAA(p);

    await api('/api/control/stop', { method: 'POST', body: { reason: 'pypi mirror down', ecosystem: 'pypi' } });
    await api('/api/control/stop', {
      method: 'POST',
      body: { reason: 'incident 7', incident_url: 'https://status.example.com/7', expected_resume: '2030-01-01T00:00:00Z' },
    });
    await p.locator('#stop-banner').waitFor();
    await p.locator('#ecosystem-stops').waitFor();
    await expect.poll(() => p.locator('#running-status').textContent()).not.toBe('running');
    await expectAA(p);

    // The dialog over the page (its error line is the `.error` of the validation test below).
    await p.getByRole('button', { name: 'Stop…' }).click();
    await p.getByLabel('Reason (required)').fill('a second reason');
    await expectAA(p);
    await p.keyboard.press('Escape');
    expect(problems).toEqual([]);
  });

  it('passes AA with validation issues inline, and for a viewer at 390 px', async () => {
    const { page: p, problems } = await page({ token: tokens.operator });
    await p.goto(dash.server.url);
    await live(p);
    await p
      .locator('#batch-text')
      .fill(JSON.stringify({ title: 'bad', ecosystem: 'npm', operations: [{ type: 'write', target: '../escape.txt', content: 'x' }] }));
    await p.getByRole('button', { name: 'Validate' }).click();
    await expect.poll(() => p.locator('#submit-issues').textContent()).toContain('PATH_TRAVERSAL');
    await expectAA(p);
    expect(problems.filter((line) => !/status of 422/.test(line))).toEqual([]);

    const narrow = await page({ token: tokens.viewer, width: 390, height: 844 });
    await narrow.page.goto(dash.server.url);
    await live(narrow.page);
    await expect.poll(() => narrow.page.locator('#who').textContent()).toContain('viewer');
    await narrow.page.locator('#batch-table tbody tr').first().waitFor();
    await expectAA(narrow.page);
    expect(narrow.problems).toEqual([]);
  });
});
