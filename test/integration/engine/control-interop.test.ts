// batch-control.json beside other writers (issue 10 §3, docs/control-file.md): operators' uncommitted
// edits, the registry's scripts' breaker and budget forms, bots' commits, typed rewriters that drop
// batchctl's fields, and a failure record that must reach the breaker.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import type { Engine } from '../../../controller/engine/index.js';
import { batch, engineFor } from '../../helpers/engine.js';
import { gitRepo, removeRepo, type TestRepo } from '../../helpers/git-repo.js';
import { divergeFromRemote } from '../../helpers/diverged-remote.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test fixture JSON

const opened: Array<{ repo: TestRepo; engine: Engine }> = [];
const cleanupDirs: string[] = [];
afterEach(async () => {
  for (const { repo, engine } of opened.splice(0)) {
    await engine.close();
    removeRepo(repo);
  }
  for (const dir of cleanupDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A repository with the default control file (edited by `edit`, committed) and an engine on a movable clock. */
async function setup(edit: (control: Json) => void = () => undefined) {
  const repo = gitRepo({ 'r/a.txt': 'v1\n' });
  const file = join(repo.dir, 'batch-control.json');
  const read = (): Json => JSON.parse(readFileSync(file, 'utf8')) as Json;
  const write = (control: Json): void => writeFileSync(file, `${JSON.stringify(control, null, 2)}\n`);
  const control = read();
  edit(control);
  write(control);
  repo.commitAll('control file for the test');
  const clock = { now: new Date('2026-11-23T10:00:00Z') }; // a Monday
  const engine = await engineFor(repo, {}, () => clock.now);
  opened.push({ repo, engine });
  const later = (minutes: number): void => {
    clock.now = new Date(clock.now.getTime() + minutes * 60_000);
  };
  /** Edit the control file in the work tree, then commit it as `author` ("Name <email>"). */
  const commitAs = (author: string, change: (control: Json) => void, message = 'edit the control file'): string => {
    const next = read();
    change(next);
    write(next);
    repo.git('commit', '-q', `--author=${author}`, '-m', message, '--', 'batch-control.json');
    return repo.head();
  };
  return { repo, engine, file, read, write, later, commitAs };
}

const passing = (name: string, ecosystem = 'npm') =>
  batch({ ecosystem, operations: [{ type: 'write', target: `out/${name}.txt`, content: name }] });
const failing = (ecosystem = 'npm') =>
  batch({
    ecosystem,
    options: { atomic: true },
    operations: [
      { type: 'write', target: 'ok.txt', content: 'x' },
      { type: 'replace', target: 'r/a.txt', find: 'absent', replace: 'y' },
    ],
  });
const OPERATOR = 'Olga Operator <olga@example.com>';

describe('uncommitted edits of the control file', () => {
  it('refuses the batch with CONTROL_FILE_DIRTY naming the fields, and commits nothing under batchctl', async () => {
    const { repo, engine, read, write, commitAs } = await setup((c) => {
      c.circuit_breaker = { npm: { state: 'open', failures: 5, last_failure: '', opens_at: '2026-11-23T09:00:00Z' } };
    });
    const head = repo.head();
    const edited = read();
    edited.circuit_breaker.npm.state = 'closed';
    edited.reason = 'generator fixed';
    write(edited);
    const text = repo.read('batch-control.json');

    const refused = await engine.run(passing('a'));
    expect(refused).toMatchObject({
      status: 'refused',
      reason: { code: 'CONTROL_FILE_DIRTY', data: { fields: ['circuit_breaker.npm', 'reason'] } },
    });
    expect(refused.reason?.hint).toContain('git commit batch-control.json');
    expect(repo.head()).toBe(head);
    expect(repo.read('batch-control.json')).toBe(text); // the edit stays, uncommitted

    // Committed under the operator's name, the same edit is obeyed.
    commitAs(OPERATOR, () => undefined, 'close the npm breaker');
    expect((await engine.run(passing('b'))).status).toBe('completed');
    const authors = repo.git('log', '--format=%an%x09%s', `${head}..HEAD`).trim().split('\n');
    expect(authors.filter((line) => line.startsWith('Olga Operator'))).toHaveLength(1);
  });

  it('still refuses with EMERGENCY_STOP or ECOSYSTEM_DISABLED when the uncommitted edit is a stop', async () => {
    const { engine, read, write } = await setup();
    const stopped = read();
    stopped.enabled = false;
    stopped.reason = 'incident 42';
    write(stopped);
    expect((await engine.run(passing('a'))).reason?.code).toBe('EMERGENCY_STOP');
    stopped.enabled = true;
    stopped.disabled_ecosystems = ['npm'];
    write(stopped);
    expect((await engine.run(passing('b'))).reason?.code).toBe('ECOSYSTEM_DISABLED');
    expect((await engine.run(passing('c', 'pypi'))).reason?.code).toBe('CONTROL_FILE_DIRTY');
  });

  it('sees a stop that `batchctl stop` has written but not yet committed', async () => {
    const { repo, engine, read, write } = await setup();
    // The state between stop-resume.ts's write and its commit: the file says stop, HEAD does not.
    const file = read();
    file.enabled = false;
    write(file);
    expect(repo.git('status', '--porcelain').trim()).toBe('M batch-control.json');
    expect((await engine.run(passing('a'))).reason?.code).toBe('EMERGENCY_STOP');
  });

  it('treats a change of layout alone (same JSON) as no edit', async () => {
    const { engine, read, file } = await setup();
    writeFileSync(file, JSON.stringify(read()));
    expect((await engine.run(passing('a'))).status).toBe('completed');
  });
});

describe('breaker states as the registry scripts write them', () => {
  it('keeps a breaker open with an empty or missing opens_at until an operator closes it', async () => {
    const { engine, later, commitAs } = await setup((c) => {
      c.circuit_breaker = { npm: { state: 'open', failures: 3, opens_at: '' }, pypi: { state: 'open', failures: 1 } };
    });
    for (const ecosystem of ['npm', 'pypi']) {
      const refused = await engine.run(passing(`a-${ecosystem}`, ecosystem));
      expect(refused).toMatchObject({ status: 'refused', reason: { code: 'BREAKER_OPEN' } });
    }
    later(7 * 24 * 60); // a week on: still no recovery time
    expect((await engine.run(passing('b'))).reason?.code).toBe('BREAKER_OPEN');
    const status = await engine.controlStatus();
    expect(status.breakers.find((b) => b.ecosystem === 'npm')).toMatchObject({
      effective_state: 'open',
      no_recovery_time: true,
      half_open_in_seconds: null,
    });

    commitAs(OPERATOR, (c) => {
      c.circuit_breaker.npm = { state: 'closed', failures: 0, last_failure: '', opens_at: '' };
    });
    expect((await engine.run(passing('c'))).status).toBe('completed');
  });

  it('refuses only the ecosystem whose breaker entry is unreadable, naming the entry', async () => {
    const { repo, engine } = await setup((c) => {
      c.circuit_breaker = { npm: { state: 'Open', failures: 5, last_failure: '', opens_at: '' } };
    });
    const refused = await engine.run(passing('a'));
    expect(refused).toMatchObject({
      status: 'refused',
      reason: { code: 'CONTROL_FILE_INVALID', data: { field: 'circuit_breaker.npm.state' } },
    });
    const other = await engine.run(passing('b', 'pypi'));
    expect(other.status).toBe('completed');
    expect(other.control_warnings?.some((w) => w.includes('circuit_breaker.npm.state'))).toBe(true);
    // batchctl's own commit kept the entry as the operator wrote it.
    expect(JSON.parse(repo.git('show', 'HEAD:batch-control.json')).circuit_breaker.npm.state).toBe('Open');
    const status = await engine.controlStatus();
    expect(status.unreadable_breakers).toEqual([expect.objectContaining({ ecosystem: 'npm', field: 'circuit_breaker.npm.state' })]);
  });
});

describe('budget counters in the registry units', () => {
  it('rolls every <unit>_used counter over with the week, limited or not', async () => {
    const { engine, read } = await setup((c) => {
      c.budget = {
        week_start: '2026-11-16T00:00:00Z', // last week
        sampling_active: false,
        operations_used: 50,
        macos_minutes_used: 300,
        linux_minutes_used: 1200,
      };
    });
    expect((await engine.run(passing('a'))).status).toBe('completed');
    expect(read().budget).toMatchObject({
      week_start: '2026-11-23T00:00:00Z',
      operations_used: 1,
      macos_minutes_used: 0,
      linux_minutes_used: 0,
    });
  });

  it('shows every counter it finds in `control`, with no limit where policy has none', async () => {
    const { engine } = await setup((c) => {
      c.budget = { week_start: '2026-11-23T00:00:00Z', operations_used: 7, macos_minutes_used: 120, linux_minutes_used: 900 };
    });
    const { units } = (await engine.controlStatus()).budget;
    expect(units).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ unit: 'operations', used: 7, limit: 100_000 }),
        expect.objectContaining({ unit: 'macos_minutes', used: 120, limit: null, fraction: null }),
        expect.objectContaining({ unit: 'linux_minutes', used: 900, limit: null, fraction: null }),
      ]),
    );
  });
});

describe('breaker changes by bots', () => {
  const breakerEvents = (engine: Engine) =>
    engine
      .events({ limit: 100 })
      .filter((e) => e.type === 'breaker_changed' && e.data.author !== undefined) // audits, not batchctl's own transitions
      .map((e) => e.data);

  it('audits a commit by github-actions[bot] as automation, not as a change by hand', async () => {
    const { engine, commitAs } = await setup();
    const commit = commitAs('github-actions[bot] <41898282+github-actions[bot]@users.noreply.github.com>', (c) => {
      c.circuit_breaker = { npm: { state: 'open', failures: 5, last_failure: '', opens_at: '2026-11-23T09:00:00Z' } };
    });
    await engine.run(passing('a'));
    await engine.run(passing('b'));
    expect(breakerEvents(engine)).toEqual([
      expect.objectContaining({ ecosystem: 'npm', from: 'closed', to: 'open', manual: false, automation: true, commit }),
    ]);
  });

  it('takes the identities from policy.automation_identities, and an operator is still "by hand"', async () => {
    const { engine, commitAs } = await setup((c) => {
      c.policy.automation_identities = ['registry-sync'];
    });
    commitAs('registry-sync <ops@example.com>', (c) => {
      c.circuit_breaker = { npm: { state: 'open', failures: 5, last_failure: '', opens_at: '2026-11-23T12:00:00Z' } };
    });
    await engine.run(passing('a'));
    commitAs(OPERATOR, (c) => {
      c.circuit_breaker.npm = { state: 'closed', failures: 0, last_failure: '', opens_at: '' };
    });
    await engine.run(passing('b'));
    expect(breakerEvents(engine).map((d) => [d.to, d.manual, d.automation ?? false])).toEqual([
      ['open', false, true],
      ['closed', true, false],
    ]);
  });
});

/** The registry's Go bot: it rewrites the file through a struct that knows only the registry's fields. */
function typedRewrite(control: Json): Json {
  const pick = (from: Json | undefined, keys: string[]): Json =>
    Object.fromEntries(keys.filter((k) => from !== undefined && k in from).map((k) => [k, from?.[k]]));
  const top = pick(control, ['enabled', 'disabled_ecosystems', 'reason', 'incident_url', 'disabled_by', 'disabled_at', 'expected_resume']);
  const breakers = Object.fromEntries(
    Object.entries((control.circuit_breaker ?? {}) as Json).map(([e, b]) => [
      e,
      pick(b as Json, ['state', 'failures', 'last_failure', 'opens_at']),
    ]),
  );
  return { ...top, circuit_breaker: breakers, budget: pick(control.budget, ['week_start', 'macos_minutes_used', 'linux_minutes_used']) };
}
const REGISTRY_BOT = 'registry-sync <sync@registry.example>';

describe('settings wiped by another writer', () => {
  const withSettings = (c: Json): void => {
    c.policy.protected_paths = [...(c.policy.protected_paths as string[]), 'secret/**'];
    c.circuit_breaker = { npm: { state: 'closed', failures: 0, last_failure: '', opens_at: '', recent: 'SSF' } };
  };

  it('warns on every run and in `control`, and audits the commit once', async () => {
    const { engine, commitAs } = await setup(withSettings);
    const commit = commitAs(REGISTRY_BOT, (c) => {
      const kept = typedRewrite(c);
      for (const key of Object.keys(c)) delete c[key];
      Object.assign(c, kept);
    });
    const first = await engine.run(passing('a', 'pypi'));
    const second = await engine.run(passing('b', 'pypi'));
    for (const result of [first, second]) {
      expect(result.status).toBe('completed');
      expect(result.control_warnings?.some((w) => w.includes(commit.slice(0, 12)) && w.includes('policy'))).toBe(true);
    }
    const audits = engine.events({ limit: 200 }).filter((e) => e.type === 'control_changed' && e.data.change === 'settings_removed');
    expect(audits.map((e) => e.data)).toEqual([
      { change: 'settings_removed', commit, author: REGISTRY_BOT, fields: ['circuit_breaker.npm.recent', 'policy'] },
    ]);
    const status = await engine.controlStatus();
    expect(status.settings_removed).toMatchObject({ commit, author: REGISTRY_BOT, fields: ['circuit_breaker.npm.recent', 'policy'] });
  });

  it('reads batchctl.policy.json, which a rewrite of the control file leaves alone, and which wins', async () => {
    const { repo, engine, read, commitAs } = await setup(withSettings);
    const policy = { ...read().policy, remote_poll_seconds: 10 };
    repo.write('batchctl.policy.json', `${JSON.stringify(policy, null, 2)}\n`);
    repo.git('add', 'batchctl.policy.json');
    repo.git('commit', '-q', `--author=${OPERATOR}`, '-m', "batchctl's settings in their own file");
    const both = await engine.run(passing('a', 'pypi'));
    expect(both.control_warnings?.some((w) => w.includes('batchctl.policy.json, which wins'))).toBe(true);

    commitAs(REGISTRY_BOT, (c) => {
      const kept = typedRewrite(c);
      for (const key of Object.keys(c)) delete c[key];
      Object.assign(c, kept);
    });
    const refused = await engine.run(batch({ ecosystem: 'pypi', operations: [{ type: 'write', target: 'secret/x.txt', content: 'x' }] }));
    expect(refused.status).toBe('refused');
    expect(refused.errors.map((e) => e.code)).toContain('PATH_PROTECTED');
    expect((await engine.controlStatus()).settings_removed?.fields).toEqual(['circuit_breaker.npm.recent', 'circuit_breaker.pypi.recent']); // the policy is not missed
    const blocked = await engine.run(
      batch({ ecosystem: 'pypi', operations: [{ type: 'write', target: 'batchctl.policy.json', content: '{}' }] }),
    );
    expect(blocked.errors.map((e) => e.code)).toContain('PATH_PROTECTED');
  });
});

describe('a failure that cannot be committed at once', () => {
  it('on a diverged branch: kept pending, counted by the next preflight, committed once the branch is fixed', async () => {
    const { repo, engine, read } = await setup((c) => {
      // A half-open probe is due (opens_at passed): its failure must re-open the breaker.
      c.circuit_breaker = { npm: { state: 'open', failures: 5, last_failure: '', opens_at: '2026-11-23T09:00:00Z' } };
    });
    const diverged = divergeFromRemote(repo); // nothing can be published until the operator pulls
    cleanupDirs.push(...diverged.dirs);
    const head = repo.head();
    const fileBefore = repo.read('batch-control.json');

    expect((await engine.run(failing())).status).toBe('failed');
    expect(repo.head()).toBe(head); // nothing could be committed…
    expect(repo.read('batch-control.json')).toBe(fileBefore); // …nor written
    // …but the next batch is judged with the failure counted: the failed probe re-opened the breaker.
    expect((await engine.run(passing('a'))).reason?.code).toBe('BREAKER_OPEN');

    repo.git('pull', '-q', '--rebase'); // the operator fixes the branch
    expect((await engine.run(passing('b'))).reason?.code).toBe('BREAKER_OPEN');
    expect(read().circuit_breaker.npm).toMatchObject({ state: 'open', opens_at: '2026-11-23T11:00:00.000Z' });
    expect(repo.git('log', '-1', '--format=%(trailers:key=Control-Change,valueonly,separator=%x2C)').trim()).toBe('budget,breaker');
    expect(diverged.remoteGit('rev-parse', 'main').trim()).toBe(repo.head()); // and published
    expect(repo.git('status', '--porcelain').trim()).toBe('');
  });
});
