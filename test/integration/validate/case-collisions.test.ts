// New paths that are one file with a tracked file on macOS or Windows (case, Unicode normalisation)
// are refused before anything is written; names that only look alike, and tracked spellings, are fine.
import { describe, expect, it } from 'vitest';

import { batch } from '../../helpers/engine.js';
import { expectRefused, setup, useRepos } from './fixtures.js';

useRepos();

describe('case and normalisation collisions with tracked files', () => {
  it('refuses recipes/b/Bun.toml beside a tracked recipes/b/bun.toml', async () => {
    const env = await setup({ 'recipes/b/bun.toml': 'x' });
    await expectRefused(env, batch({ operations: [{ type: 'write', target: 'recipes/b/Bun.toml', content: 'y' }] }), {
      code: 'PATH_COLLISION',
      index: 0,
      path: 'recipes/b/Bun.toml',
    });
  });

  it('refuses a new file in a directory spelled differently from a tracked one', async () => {
    const env = await setup({ 'recipes/b/bun.toml': 'x' });
    await expectRefused(env, batch({ operations: [{ type: 'write', target: 'Recipes/c/cargo.toml', content: 'y' }] }), {
      code: 'PATH_COLLISION',
      index: 0,
      path: 'Recipes/c/cargo.toml',
    });
  });

  it('refuses a copy to the NFD spelling of a tracked NFC name', async () => {
    const env = await setup({ 'caf\u00e9.txt': 'x', 'src.txt': 's' });
    await expectRefused(env, batch({ operations: [{ type: 'copy', source: 'src.txt', target: 'cafe\u0301.txt' }] }), {
      code: 'PATH_COLLISION',
      index: 0,
      path: 'cafe\u0301.txt',
    });
  });

  it('accepts new files beside tracked ones, and edits of tracked spellings in a repository that already collides', async () => {
    const { engine } = await setup({ 'recipes/b/bun.toml': 'x', 'old/A.txt': 'a', 'old/a.txt': 'a' });
    const result = await engine.validate(
      batch({
        operations: [
          { type: 'write', target: 'recipes/b/bunx.toml', content: 'y' },
          { type: 'write', target: 'recipes/c/cargo.toml', content: 'y' },
          { type: 'write', target: 'old/A.txt', content: 'b' },
          { type: 'write', target: 'old/b.txt', content: 'b' },
        ],
      }),
    );
    expect(result.issues).toEqual([]);
    expect(result.valid).toBe(true);
  });
});
