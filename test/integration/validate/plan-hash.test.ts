// plan_hash through the real engine (docs/batch-format.md#what-validation-refuses): stable for the same batch on the same repository,
// changed by anything the batch reads, blind to the rest, and enforced by `run --plan-hash`.
import { describe, expect, it } from 'vitest';

import { batch } from '../../helpers/engine.js';
import { setup, useRepos } from './fixtures.js';

useRepos();

const FILES = {
  'recipes/a.toml': 'version = "1.0.0"\n',
  'templates/x.toml': 'name = "x"\n',
  'unrelated/readme.md': 'hello\n',
};

const bump = () =>
  batch({
    operations: [
      { type: 'replace', target: 'recipes/*.toml', find: '1.0.0', replace: '1.0.1' },
      { type: 'copy', source: 'templates/x.toml', target: 'recipes/x.toml' },
    ],
  });

describe('plan_hash', () => {
  it('is the same for the same batch on the same repository, twice', async () => {
    const { engine } = await setup(FILES);
    const first = await engine.validate(bump());
    const second = await engine.validate(bump());
    expect(first.plan_hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(second.plan_hash).toBe(first.plan_hash);
  });

  it('is the same on two clones with the same content', async () => {
    const one = await setup(FILES);
    const two = await setup(FILES);
    expect((await two.engine.validate(bump())).plan_hash).toBe((await one.engine.validate(bump())).plan_hash);
  });

  it('changes when a file the batch reads is changed and committed', async () => {
    const { repo, engine } = await setup(FILES);
    const before = (await engine.validate(bump())).plan_hash;
    repo.write('templates/x.toml', 'name = "x2"\n');
    repo.commitAll('change the template');
    expect((await engine.validate(bump())).plan_hash).not.toBe(before);
  });

  it('changes when a file the glob matches is changed and committed', async () => {
    const { repo, engine } = await setup(FILES);
    const before = (await engine.validate(bump())).plan_hash;
    repo.write('recipes/a.toml', 'version = "1.0.0"\n# reviewed\n');
    repo.commitAll('edit a recipe');
    expect((await engine.validate(bump())).plan_hash).not.toBe(before);
  });

  it('changes when a new file starts matching the glob', async () => {
    const { repo, engine } = await setup(FILES);
    const before = (await engine.validate(bump())).plan_hash;
    repo.write('recipes/b.toml', 'version = "1.0.0"\n');
    repo.commitAll('add a recipe');
    expect((await engine.validate(bump())).plan_hash).not.toBe(before);
  });

  it('does not change when an unrelated file is changed and committed', async () => {
    const { repo, engine } = await setup(FILES);
    const before = (await engine.validate(bump())).plan_hash;
    repo.write('unrelated/readme.md', 'hello again\n');
    repo.write('unrelated/new.md', 'new\n');
    repo.commitAll('unrelated work');
    expect((await engine.validate(bump())).plan_hash).toBe(before);
  });

  it('changes when the batch itself changes', async () => {
    const { engine } = await setup(FILES);
    const before = (await engine.validate(bump())).plan_hash;
    const other = batch({ operations: [{ type: 'replace', target: 'recipes/*.toml', find: '1.0.0', replace: '1.0.2' }] });
    expect((await engine.validate(other)).plan_hash).not.toBe(before);
  });
});

describe('run with a plan hash', () => {
  it('runs when the repository is as it was at validation', async () => {
    const { repo, engine } = await setup(FILES);
    const { plan_hash } = await engine.validate(bump());
    const result = await engine.run(bump(), { planHash: plan_hash });
    expect(result.status).toBe('completed');
    expect(repo.read('recipes/x.toml')).toBe('name = "x"\n');
  });

  it('refuses, touching nothing, when a file the batch reads changed since validation', async () => {
    const { repo, engine } = await setup(FILES);
    const { plan_hash } = await engine.validate(bump());
    repo.write('templates/x.toml', 'name = "changed after review"\n');
    repo.commitAll('someone else');
    const before = repo.snapshot();
    const result = await engine.run(bump(), { planHash: plan_hash });
    expect(result.status).toBe('refused');
    expect(result.reason?.code).toBe('PLAN_HASH_MISMATCH');
    expect(result.commit).toBeNull();
    expect(repo.snapshot()).toBe(before);
  });
});
