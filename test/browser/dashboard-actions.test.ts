// The dashboard's actions, in Debian's chromium against the built `batchctl serve`: Stop and its banner
// (and one ecosystem's), a submission refused with its reason, Resume, a rollback to a new commit and a
// conflicting one with its --paths/--restore choices, validation issues inline, the keyboard, a viewer
// who cannot stop, and the loopback admin of a server without tokens. Every page is checked for console
// errors and CSP violations.
import { existsSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { live, SHOTS, useDashboardServer } from '../helpers/dashboard-server.js';
import { gitRepo, removeRepo } from '../helpers/git-repo.js';
import { spawnServe } from '../helpers/serve-process.js';

const dash = useDashboardServer();
const { tokens, page, api } = dash;

describe('the dashboard, actions (GET / of batchctl serve, in chromium)', () => {
  it('stops with a reason (the red banner), refuses a submission with the reason, and resumes', async () => {
    const { page: p, problems } = await page({ token: tokens.admin });
    await p.goto(dash.server.url);
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
    await p.goto(dash.server.url);
    await p.getByRole('button', { name: `open batch ${done.batch_id}` }).click();
    await expect.poll(() => p.locator('#detail-status').textContent()).toBe('completed');
    expect(await p.locator('#diff-table').textContent()).toContain('undo/me.txt');
    expect(await p.locator('#detail-body').textContent()).toContain('Batch-Id');
    await p.locator('#detail').screenshot({ path: join(SHOTS, 'detail-1280.png') });

    await p.getByRole('button', { name: 'Roll back…' }).click();
    await p.getByLabel('Reason (required)').fill('wrong file');
    await p.locator('#ask-ok').click();
    await expect.poll(() => p.locator('#notice').textContent()).toContain('new commit');
    const head = dash.repo.git('rev-parse', 'HEAD').trim();
    expect(await p.locator('#notice').textContent()).toContain(head.slice(0, 10));
    expect(dash.repo.git('log', '-1', '--format=%s')).toContain(`Revert batch ${done.batch_id}`);
    await expect.poll(() => p.locator(`#batch-table tr[data-id="${done.batch_id}"]`).getAttribute('data-status')).toBe('rolled_back');
    expect(problems).toEqual([]);
  });

  it('validates first and shows the issues inline; Run stays disabled until the document is valid', async () => {
    const { page: p, problems } = await page({ token: tokens.operator });
    await p.goto(dash.server.url);
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
    dash.repo.write('clash.txt', 'edited by hand\n');
    dash.repo.commitAll('a later edit');
    const { page: p, problems } = await page({ token: tokens['admin-2'] });
    await p.goto(dash.server.url);
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
    expect(existsSync(join(dash.repo.dir, 'clash.txt'))).toBe(false);
    expect(problems.filter((line) => !/status of 409/.test(line))).toEqual([]);
  });

  it('works from the keyboard: the Stop dialog opens with Enter, holds focus, and closes with Escape', async () => {
    const { page: p, problems } = await page({ token: tokens['admin-2'] });
    await p.goto(dash.server.url);
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
    await p.goto(dash.server.url);
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
