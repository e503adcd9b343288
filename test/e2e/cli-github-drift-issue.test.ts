// `batchctl github drift-issue --report FILE` through the built CLI against the fake GitHub: one `security`
// issue opened, updated, closed when clean; off without a token; a bad report refused naming the field.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { VerifyReport } from '../../controller/domain/index.js';
import { FAKE_TOKEN, fakeGitHub, MISSING_PERMISSION, type FakeGitHub } from '../helpers/fake-github.js';
import { jsonLines, runCli } from '../helpers/run-cli.js';

let github: FakeGitHub;
let dir: string;
beforeAll(async () => {
  github = await fakeGitHub({ pageSize: 2 });
  dir = mkdtempSync(join(tmpdir(), 'batchctl-drift-'));
});
afterAll(async () => {
  await github.close();
  rmSync(dir, { recursive: true, force: true });
});

const env = (): Record<string, string> => ({
  GITHUB_TOKEN: FAKE_TOKEN,
  GITHUB_API_URL: github.url,
  GITHUB_REPOSITORY: 'acme/registry',
  BATCHCTL_GITHUB_WRITE_GAP_MS: '0',
});

const report = (drift: VerifyReport['drift']): string => {
  const file = join(dir, `report-${drift.length}-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(file, `${JSON.stringify({ head: 'f'.repeat(40), checked_batches: 3, checked_files: 12, drift })}\n`);
  return file;
};

const DRIFTED = {
  batch_id: 'b-20261202-101500-7k3m9q',
  path: 'packages/left-pad.json',
  expected_blob: 'a'.repeat(40),
  actual_blob: 'b'.repeat(40),
  where: 'commit' as const,
  changed_by: { commit: 'c'.repeat(40), subject: 'hand edit', author: 'mallory' },
};

describe('batchctl github drift-issue', () => {
  it('opens one security issue, updates it while drift stays, closes it when clean', async () => {
    // Other security issues come first in the list and spread it over pages.
    for (const title of ['cve one', 'cve two', 'cve three']) {
      github.issues.push({ number: github.issues.length + 1, title, body: 'unrelated', labels: ['security'], state: 'open', comments: [] });
    }
    const opened = await runCli(['github', 'drift-issue', '--report', report([DRIFTED]), '--json'], { cwd: dir, env: env() });
    expect(opened.code, opened.stderr).toBe(0);
    expect(jsonLines(opened.stdout)[0]).toMatchObject({ action: 'opened', drift: 1 });
    const issue = github.issues.find((i) => i.body.includes('<!-- batchctl:drift -->'));
    expect(issue).toMatchObject({ labels: ['security'], state: 'open' });
    expect(issue?.body).toContain('packages/left-pad.json');

    const again = await runCli(['github', 'drift-issue', '--report', report([DRIFTED, { ...DRIFTED, path: 'b.json' }])], {
      cwd: dir,
      env: env(),
    });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain(`commented drift issue #${issue?.number}`);
    expect(github.issues.filter((i) => i.body.includes('<!-- batchctl:drift -->'))).toHaveLength(1);
    expect(issue?.comments[0]).toContain('b.json');

    const clean = await runCli(['github', 'drift-issue', '--report', report([])], { cwd: dir, env: env() });
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.stdout).toContain(`closed drift issue #${issue?.number}`);
    expect(issue?.state).toBe('closed');
    expect(github.issues.filter((i) => i.title.startsWith('cve')).every((i) => i.state === 'open')).toBe(true);
  });

  it('says it is off without a token, and sends nothing', async () => {
    const before = github.requests.length;
    const result = await runCli(['github', 'drift-issue', '--report', report([DRIFTED])], {
      cwd: dir,
      env: { ...env(), GITHUB_TOKEN: '' },
    });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      'batchctl: GITHUB_OFF: the drift issue is off: GITHUB_TOKEN is not set (Hint: export GITHUB_TOKEN (in Actions: `env: GITHUB_TOKEN: ${{ github.token }}`) and GITHUB_REPOSITORY=owner/name)\n',
    );
    expect(github.requests.length).toBe(before);
  });

  it('names the permission the token lacks', async () => {
    github.answerNext(MISSING_PERMISSION(/\/issues$/, 'issues=write'));
    const result = await runCli(['github', 'drift-issue', '--report', report([DRIFTED])], { cwd: dir, env: env() });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('GITHUB_PERMISSION');
    expect(result.stderr).toContain('issues=write');
  });

  it('refuses a report that is not verify --json output, naming the field', async () => {
    const file = join(dir, 'bad.json');
    writeFileSync(file, JSON.stringify({ head: 'x', checked_batches: 1, checked_files: 1, drift: [{ path: 'a' }] }));
    const result = await runCli(['github', 'drift-issue', '--report', file], { cwd: dir, env: env() });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/INPUT_INVALID: report .*bad\.json: drift\.0\.batch_id/);
  });
});
