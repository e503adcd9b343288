// The `api_writes` budget unit counts every GitHub write a batch's outcome makes, in that outcome's own
// control-state commit (docs/github-api.md#budget): the incident issue a breaker transition opens, comments on
// or closes, and the commit status of every batch commit — a submitted (HTTP/MCP) batch's too, not only run()'s.
import { describe, expect, it } from 'vitest';

import { batch } from '../../helpers/engine.js';
import { useGitHubEngines } from '../../helpers/github-engine.js';
import { until } from '../../helpers/serve-process.js';

const open = useGitHubEngines();

async function setup({ withGitHub = true }: { withGitHub?: boolean } = {}) {
  const { repo, engine, github, later } = await open({ withGitHub });
  /** api_writes_used as HEAD's control file says it (the committed state, not the work tree's) */
  const charged = (): number => {
    const committed = JSON.parse(repo.git('show', 'HEAD:batch-control.json')) as { budget: Record<string, unknown> };
    return Number(committed.budget['api_writes_used'] ?? 0);
  };
  return { repo, engine, github, later, charged };
}

const failing = batch({
  options: { atomic: true },
  operations: [
    { type: 'write', target: 'ok.txt', content: 'x' },
    { type: 'replace', target: 'r/a.txt', find: 'absent', replace: 'y' },
  ],
});
const passing = (name: string) => batch({ operations: [{ type: 'write', target: `out/${name}.txt`, content: name }] });

describe('api_writes: incident issues and commit statuses are charged with the outcome that causes them', () => {
  it('charges the incident opened, commented on and closed, and the status, in the same commits: charged equals written', async () => {
    const { repo, engine, github, later, charged } = await setup();
    const commits = (): number => Number(repo.git('rev-list', '--count', 'HEAD').trim());

    const before = commits();
    expect(await engine.run(failing)).toMatchObject({ status: 'failed', github: { incidents: [{ action: 'opened' }] } });
    // One control-state commit for the failed outcome, carrying the incident's write: no commit of its own.
    expect(commits()).toBe(before + 1);
    expect(charged()).toBe(1);

    later(61); // the half-open probe fails: a comment on the open issue
    expect(await engine.run(failing)).toMatchObject({ github: { incidents: [{ action: 'commented' }] } });
    expect(charged()).toBe(2);

    later(61); // a good probe: its status, and the incident's comment and close
    expect(await engine.run(passing('a'))).toMatchObject({
      status: 'completed',
      github: { commit_status: 'success', incidents: [{ action: 'closed' }] },
    });
    expect(charged()).toBe(5);
    expect(github?.writes().map((w) => `${w.method} ${w.path.replace(/[0-9a-f]{40}$/, 'SHA')}`)).toEqual([
      'POST /repos/acme/registry/issues',
      'POST /repos/acme/registry/issues/1/comments',
      'POST /repos/acme/registry/issues/1/comments',
      'PATCH /repos/acme/registry/issues/1',
      'POST /repos/acme/registry/statuses/SHA',
    ]);
  });

  it('charges the status of a submitted batch (the HTTP and MCP path), not only of run()', async () => {
    const { engine, github, charged } = await setup();
    const { batch_id } = await engine.submit(passing('queued'));
    const result = await engine.wait(batch_id);
    expect(result.status).toBe('completed');
    expect(charged()).toBe(1);
    // Nobody waits on GitHub for a submitted batch: the status follows off the batch's path.
    await until(async () => (github?.statuses.length ?? 0) > 0, 'the status reaches GitHub');
    expect(github?.statuses.map((s) => s.sha)).toEqual([result.commit]);
  });

  it('charges the status of a retry, which makes a batch commit of its own', async () => {
    const { repo, engine, github, charged } = await setup();
    const partial = await engine.run(
      batch({
        // Nine land and one does not: under the policy's failure rate, so the batch commits the nine.
        operations: [
          ...Array.from({ length: 9 }, (_, i) => ({ type: 'write' as const, target: `w/${i}.txt`, content: `${i}` })),
          { type: 'replace', target: 'r/a.txt', find: 'later', replace: 'LATER' },
        ],
      }),
    );
    expect(partial).toMatchObject({ status: 'completed', success_count: 9, failure_count: 1, github: { commit_status: 'failure' } });
    expect(charged()).toBe(1);
    repo.write('r/a.txt', 'v1 later\n');
    repo.commitAll('the missing text arrives');
    const retried = await engine.retry(partial.batch_id);
    expect(retried).toMatchObject({ status: 'completed', success_count: 1 });
    expect(charged()).toBe(2);
    await until(async () => (github?.statuses.length ?? 0) === 2, "the retry's status reaches GitHub");
    expect(github?.statuses.map((s) => [s.sha, s.state])).toEqual([
      [partial.commit, 'failure'],
      [retried.commit, 'success'],
    ]);
  });

  it('charges nothing without GitHub: the breaker opens, no api_writes', async () => {
    const { repo, engine, charged } = await setup({ withGitHub: false });
    expect(await engine.run(failing)).toMatchObject({ status: 'failed' });
    const committed = JSON.parse(repo.git('show', 'HEAD:batch-control.json')) as { circuit_breaker: Record<string, { state: string }> };
    expect(committed.circuit_breaker['npm']?.state).toBe('open');
    expect(charged()).toBe(0);
  });
});
