// Incident issues through the real engine (real git, SQLite) and the fake GitHub: a breaker that opens opens
// one `incident` issue, opening again comments on it (never a duplicate), closing closes it with a comment.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { batch } from '../../helpers/engine.js';
import { MISSING_PERMISSION } from '../../helpers/fake-github.js';
import { useGitHubEngines } from '../../helpers/github-engine.js';

const setup = useGitHubEngines();

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
