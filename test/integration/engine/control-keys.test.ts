// Unknown keys in a committed batch-control.json, through the real engine (issue 9 A10): a misspelt
// key refuses every batch and names itself; another tool's top-level key survives every rewrite
// batchctl makes, byte for byte, and is reported with each run.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { batch, useEngineRepos } from '../../helpers/engine.js';
import type { TestRepo } from '../../helpers/git-repo.js';

const setup = useEngineRepos();

/** The default control file with `edit` applied, committed as an operator would. */
function commitControl(repo: TestRepo, edit: (control: Record<string, any>) => void): void {
  // eslint-disable-line @typescript-eslint/no-explicit-any -- fixture JSON
  const file = join(repo.dir, 'batch-control.json');
  const control = JSON.parse(readFileSync(file, 'utf8')) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- fixture JSON
  edit(control);
  writeFileSync(file, JSON.stringify(control, null, 2));
  repo.commitAll('operator edits the control file');
}

const write = (target: string, ecosystem = 'npm') => batch({ ecosystem, operations: [{ type: 'write', target, content: target }] });

/** Another tool's value, in a spelling JSON.stringify would not reproduce. */
const NOTE = '{"n": 1.50, "s": "caf\\u00e9", "big": 12345678901234567890, "e": 1E3}';

describe('a misspelt key in batch-control.json', () => {
  it('refuses an npm batch when disabled_ecosystems is misspelt, naming the key and the one meant', async () => {
    const { repo, engine } = await setup();
    commitControl(repo, (c) => {
      c.disabled_ecosytems = ['npm'];
    });
    const head = repo.head();
    const result = await engine.run(write('a.txt'));
    expect(result).toMatchObject({ status: 'refused', reason: { code: 'CONTROL_FILE_INVALID' } });
    expect(result.reason?.message).toContain('disabled_ecosytems');
    await expect(engine.validate(write('a.txt'))).rejects.toMatchObject({
      code: 'CONTROL_FILE_INVALID',
      data: { field: 'disabled_ecosytems', nearest: 'disabled_ecosystems' },
    });
    expect(repo.head()).toBe(head);
    expect(repo.git('status', '--porcelain')).toBe('');
  });

  it('refuses every batch when a policy.limits key is misspelt', async () => {
    const { repo, engine } = await setup();
    commitControl(repo, (c) => {
      c.policy.limits.max_operatons_per_batch = 1;
    });
    const result = await engine.run(write('a.txt', 'pypi'));
    expect(result).toMatchObject({ status: 'refused', reason: { code: 'CONTROL_FILE_INVALID' } });
    expect(result.reason?.message).toContain('policy.limits.max_operatons_per_batch');
    await expect(engine.controlStatus()).rejects.toMatchObject({
      code: 'CONTROL_FILE_INVALID',
      data: { field: 'policy.limits.max_operatons_per_batch', nearest: 'max_operations_per_batch' },
    });
  });

  it('accepts a deprecated setting (half_open_probes) and reports it as ignored', async () => {
    const { repo, engine } = await setup();
    commitControl(repo, (c) => {
      c.policy.circuit_breaker.half_open_probes = 1;
    });
    const result = await engine.run(write('a.txt'));
    expect(result.status).toBe('completed');
    expect(result.control_warnings).toEqual([
      expect.stringMatching(/^batch-control\.json: policy\.circuit_breaker\.half_open_probes: deprecated, ignored/),
    ]);
  });
});

describe("another tool's top-level key", () => {
  it('is kept byte for byte through stop, resume and the state commits of a good and a failed batch', async () => {
    const { repo, engine } = await setup({ 'r.txt': 'x\n' });
    const file = join(repo.dir, 'batch-control.json');
    const text = readFileSync(file, 'utf8').replace(/\n}\n$/, `,\n  "x_registry_note": ${NOTE}\n}\n`);
    writeFileSync(file, text);
    repo.commitAll('a registry bot adds its note');
    const kept = (): void => {
      expect(readFileSync(file, 'utf8')).toContain(`"x_registry_note": ${NOTE}\n`);
      expect(repo.git('show', 'HEAD:batch-control.json')).toContain(`"x_registry_note": ${NOTE}\n`);
    };

    expect((await engine.stop({ reason: 'incident', by: 'alice' })).commit).toBe(repo.head());
    kept();
    expect((await engine.resume({ by: 'alice' })).commit).toBe(repo.head());
    kept();
    const good = await engine.run(write('a.txt')); // charges the budget: a control-state commit under the batch
    expect(good.status).toBe('completed');
    kept();
    const beforeFailure = repo.head();
    const failed = await engine.run(
      batch({ options: { atomic: true }, operations: [{ type: 'replace', target: 'r.txt', find: 'absent', replace: 'y' }] }),
    );
    expect(failed.status).toBe('failed'); // feeds the breaker: a control-state commit of its own
    expect(repo.git('rev-list', `${beforeFailure}..HEAD`).trim().split('\n')).toHaveLength(1);
    expect(repo.git('log', '-1', '--format=%(trailers:key=Control-Change,valueonly)').trim()).toBe('budget');
    kept();

    const warning = 'batch-control.json: unknown key "x_registry_note" kept as is';
    expect(good.control_warnings).toEqual([warning]);
    expect((await engine.controlStatus()).warnings).toEqual([warning]);
  });
});
