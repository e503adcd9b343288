// The control file's history record (control-history-cache.ts) follows HEAD across batchctl's own
// batches instead of searching `git log` again. What every run then reports must be what a fresh
// search reports: the settings a bot removed stay warned about, a later hand edit is still seen.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import type { Engine } from '../../../controller/engine/index.js';
import { batch, engineFor } from '../../helpers/engine.js';
import { gitRepo, removeRepo, type TestRepo } from '../../helpers/git-repo.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test fixture JSON

const opened: Array<{ repo: TestRepo; engine: Engine }> = [];
afterEach(async () => {
  for (const { repo, engine } of opened.splice(0)) {
    await engine.close();
    removeRepo(repo);
  }
});

const BOT = 'registry-sync <sync@registry.example>';
const OPERATOR = 'Olga Operator <olga@example.com>';
const write = (name: string) => batch({ ecosystem: 'pypi', operations: [{ type: 'write', target: `out/${name}.txt`, content: name }] });

async function setup() {
  const repo = gitRepo({ 'r/a.txt': 'v1\n' });
  const file = join(repo.dir, 'batch-control.json');
  const commitAs = (author: string, change: (control: Json) => void): string => {
    const control = JSON.parse(readFileSync(file, 'utf8')) as Json;
    change(control);
    writeFileSync(file, `${JSON.stringify(control, null, 2)}\n`);
    repo.git('commit', '-q', `--author=${author}`, '-m', 'edit the control file', '--', 'batch-control.json');
    return repo.head();
  };
  commitAs(OPERATOR, (c) => {
    c.policy.protected_paths = [...(c.policy.protected_paths as string[]), 'secret/**'];
  });
  const engine = await engineFor(repo);
  opened.push({ repo, engine });
  const record = join(repo.dir, '.git', 'batchctl', 'settings-audit.json');
  return { repo, engine, commitAs, record };
}

describe('the control history record across batches', () => {
  it('carries a removal over batchctl’s own commits, as a fresh search finds it, and sees the next hand edit', async () => {
    const { repo, engine, commitAs, record } = await setup();
    const wiped = commitAs(BOT, (c) => {
      delete c.policy;
    });
    for (const name of ['a', 'b', 'c']) {
      const result = await engine.run(write(name));
      expect(result.status).toBe('completed');
      expect(result.control_warnings?.some((w) => w.includes(wiped.slice(0, 12)) && w.includes('policy'))).toBe(true);
    }
    // followed HEAD: no search was needed for the last batch's commit
    expect(JSON.parse(readFileSync(record, 'utf8')).head).toBe(repo.head());
    const carried = (await engine.controlStatus()).settings_removed;
    rmSync(record);
    const searched = (await engine.controlStatus()).settings_removed;
    expect(existsSync(record)).toBe(true);
    expect(carried).toEqual(searched);
    expect(searched).toMatchObject({ commit: wiped, author: BOT, fields: ['policy'] });

    // A hand edit after batchctl's commits: audited on the next run, as without the record.
    const closedByHand = commitAs(OPERATOR, (c) => {
      c.circuit_breaker = { pypi: { state: 'open', failures: 5, last_failure: '', opens_at: '2099-01-01T00:00:00Z' } };
    });
    const refused = await engine.run(write('d'));
    expect(refused.status).toBe('refused');
    const audits = engine.events({ limit: 200 }).filter((e) => e.type === 'breaker_changed' && e.data.author !== undefined);
    expect(audits.map((e) => e.data)).toEqual([
      expect.objectContaining({ ecosystem: 'pypi', to: 'open', manual: true, commit: closedByHand }),
    ]);
  });
});
