// A replace step that changes nothing (a file a glob matched without a match of `find`, or the same
// text put back) is no edit: validate warns about it, and neither the summary nor Batch-Operations count it.
import { describe, expect, it } from 'vitest';

import { batch } from '../../helpers/engine.js';
import { expectValid, setup, useRepos } from './fixtures.js';

useRepos();

const RECIPES = {
  'recipes/a.toml': 'version = "1.0.0"\n',
  'recipes/b.toml': 'version = "2.0.0"\n',
  'recipes/c.toml': 'version = "2.0.0"\n',
};
const BUMP = batch({ operations: [{ type: 'replace', target: 'recipes/*.toml', find: '1.0.0', replace: '1.0.1' }] });

describe('replace steps that change nothing', () => {
  it('warns REPLACE_NO_MATCH for each file a glob matched without a match of find', async () => {
    const { engine } = await setup(RECIPES);
    await expectValid(engine, BUMP, [
      { code: 'REPLACE_NO_MATCH', index: 0, path: 'recipes/b.toml' },
      { code: 'REPLACE_NO_MATCH', index: 0, path: 'recipes/c.toml' },
    ]);
  });

  it('counts only the files a glob replace edited, in the summary and in Batch-Operations', async () => {
    const { repo, engine } = await setup(RECIPES);
    const result = await engine.run(BUMP);
    expect(result.status).toBe('completed');
    const message = repo.git('log', '-1', '--format=%B');
    expect(message.split('\n')[2]).toBe('1 edited; 0 failed');
    expect(repo.git('log', '-1', '--format=%(trailers:key=Batch-Operations,valueonly)').trim()).toBe('1');
    expect(repo.git('show', '--name-only', '--format=', 'HEAD').trim()).toBe('recipes/a.toml');
  });

  it('does not count a replace that puts back the same text', async () => {
    const { repo, engine } = await setup({ 'a.txt': 'same\n', 'b.txt': 'old\n' });
    await engine.run(
      batch({
        operations: [
          { type: 'replace', target: 'a.txt', find: 'same', replace: 'same' },
          { type: 'replace', target: 'b.txt', find: 'old', replace: 'new' },
        ],
      }),
    );
    expect(repo.git('log', '-1', '--format=%B').split('\n')[2]).toBe('1 edited; 0 failed');
    expect(repo.git('log', '-1', '--format=%(trailers:key=Batch-Operations,valueonly)').trim()).toBe('1');
  });
});
