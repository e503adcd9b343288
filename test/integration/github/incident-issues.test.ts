// Incident issues through the real engine (real git, SQLite) and the fake GitHub: a breaker that opens opens
// one `incident` issue, opening again comments on it (never a duplicate), closing closes it with a comment.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { openEngine, openGitHub } from '../../../controller/app/index.js';
import type { Engine } from '../../../controller/engine/index.js';
import { withPolicy } from '../../helpers/control-policy.js';
import { batch } from '../../helpers/engine.js';
import { FAKE_TOKEN, fakeGitHub, MISSING_PERMISSION, type FakeGitHub } from '../../helpers/fake-github.js';
import { gitRepo, removeRepo, type TestRepo } from '../../helpers/git-repo.js';

const opened: Array<{ repo: TestRepo; engine: Engine; github: FakeGitHub }> = [];
afterEach(async () => {
  for (const { repo, engine, github } of opened.splice(0)) {
    await engine.close();
    await github.close();
    removeRepo(repo);
  }
});

const ENV = { BATCHCTL_LOG_LEVEL: 'silent', BATCHCTL_AUTHOR_NAME: 'batchctl', BATCHCTL_AUTHOR_EMAIL: 'batchctl@localhost' } as const;

async function setup() {
  const repo = gitRepo({ 'r/a.txt': 'v1\n' });
  withPolicy(repo, (policy) => {
    policy.circuit_breaker = { failure_threshold: 1, recovery_minutes: 60, min_success_rate: 0, window: 10 };
  });
  const github = await fakeGitHub();
  const access = openGitHub({
    ...ENV,
    GITHUB_TOKEN: FAKE_TOKEN,
    GITHUB_API_URL: github.url,
    GITHUB_REPOSITORY: 'acme/registry',
    BATCHCTL_GITHUB_WRITE_GAP_MS: 0,
  });
  if (!access.on) throw new Error(access.why);
  const clock = { now: new Date('2026-11-23T10:00:00Z') };
  const engine = await openEngine({ repo: repo.dir, env: ENV, now: () => clock.now, github: access.port });
  opened.push({ repo, engine, github });
  const later = (minutes: number): void => {
    clock.now = new Date(clock.now.getTime() + minutes * 60_000);
  };
  return { repo, engine, github, later };
}

const failing = batch({
  options: { atomic: true },
  operations: [
    { type: 'write', target: 'ok.txt', content: 'x' },
    { type: 'replace', target: 'r/a.txt', find: 'absent', replace: 'y' },
  ],
});
const passing = (name: string) => batch({ operations: [{ type: 'write', target: `out/${name}.txt`, content: name }] });
const MARKER = '<!-- batchctl:breaker:npm -->';

describe('incident issues', () => {
  it('opens one issue when the breaker opens, comments when it opens again, closes it when it closes', async () => {
    const { engine, github, later } = await setup();
    const first = await engine.run(failing);
    expect(first).toMatchObject({ status: 'failed', github: { incidents: [{ ecosystem: 'npm', action: 'opened' }] } });
    const issue = github.issues.find((i) => i.body.includes(MARKER));
    expect(issue).toMatchObject({ labels: ['incident'], state: 'open', title: 'Incident: circuit breaker open for npm' });

    later(61); // half-open: the probe fails, the breaker opens again
    expect(await engine.run(failing)).toMatchObject({ github: { incidents: [{ action: 'commented', number: issue?.number }] } });
    expect(github.issues.filter((i) => i.body.includes(MARKER))).toHaveLength(1);

    later(61); // a good probe closes it
    const good = await engine.run(passing('a'));
    expect(good).toMatchObject({ status: 'completed', github: { commit_status: 'success', incidents: [{ action: 'closed' }] } });
    expect(issue?.state).toBe('closed');
    expect(issue?.comments.at(-1)).toContain('closed');
    expect(github.statuses.map((s) => s.sha)).toEqual([good.commit]);
  });

  it("links the open incident issue as the stop's incident_url when the operator gives none", async () => {
    const { repo, engine, github } = await setup();
    await engine.run(failing);
    const issue = github.issues.find((i) => i.body.includes(MARKER));
    const url = `https://github.test/acme/registry/issues/${issue?.number}`;
    await engine.stop({ reason: 'looking into npm', ecosystem: 'npm', push: false });
    const control = (): { incident_url: string } =>
      JSON.parse(readFileSync(join(repo.dir, 'batch-control.json'), 'utf8')) as { incident_url: string };
    expect(control().incident_url).toBe(url);
    await engine.stop({ reason: 'everything', push: false });
    expect(control().incident_url).toBe(url);
    await engine.stop({ reason: 'given', incidentUrl: 'https://status.example/1', push: false });
    expect(control().incident_url).toBe('https://status.example/1');
  });

  it('keeps the batch outcome when the incident cannot be opened, naming the missing permission', async () => {
    const { engine, github } = await setup();
    github.answerNext(MISSING_PERMISSION(/\/issues$/, 'issues=write'));
    const result = await engine.run(failing);
    expect(result.status).toBe('failed');
    expect(result.github?.warnings?.[0]).toMatchObject({ code: 'GITHUB_PERMISSION', data: { permission: 'issues=write' } });
    expect(result.github?.warnings?.[0]?.message).toContain('issues=write');
  });
});
