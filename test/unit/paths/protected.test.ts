import { describe, expect, it } from 'vitest';

import { createProtectedMatcher } from '../../../controller/paths/index.js';

const DEFAULTS = ['.git/**', '.github/**', 'batch-control.json', 'batch-control.schema.json'];

describe('createProtectedMatcher', () => {
  const isProtected = createProtectedMatcher(DEFAULTS);

  it.each(['batch-control.json', 'batch-control.schema.json', '.github/workflows/ci.yml', '.github/CODEOWNERS', '.git/config'])(
    'protects %j',
    (path) => {
      expect(isProtected(path)).toBe(true);
    },
  );

  it.each([
    ['a different case, as on macOS and Windows', '.GitHub/workflows/x.yml'],
    ['an upper-case control file', 'BATCH-CONTROL.json'],
    ['a trailing dot, which Windows drops', 'batch-control.json.'],
    ['a trailing space on a directory', '.github /workflows/x.yml'],
    ['an invisible code point, which macOS ignores', '.git\u200Bhub/workflows/x.yml'],
    ['a root slash', '/batch-control.json'],
  ])('protects a spelling with %s (%j)', (_why, path) => {
    expect(isProtected(path)).toBe(true);
  });

  it('protects the directory named by dir/** itself', () => {
    expect(isProtected('.github')).toBe(true);
    expect(isProtected('.GITHUB')).toBe(true);
  });

  it('compares after NFC, so a decomposed spelling of a protected name matches', () => {
    const matches = createProtectedMatcher(['café/**']);
    expect(matches('cafe\u0301/menu.txt')).toBe(true);
    expect(matches('CAFÉ/menu.txt')).toBe(true);
  });

  it.each(['recipes/a.toml', '.githubx/y', 'docs/batch-control.json', 'github/x', '.gitignore'])('leaves %j unprotected', (path) => {
    expect(isProtected(path)).toBe(false);
  });

  it('protects nothing when the policy lists no patterns', () => {
    expect(createProtectedMatcher([])('batch-control.json')).toBe(false);
  });

  it('fails closed on an invalid pattern instead of silently protecting nothing', () => {
    expect(() => createProtectedMatcher(['[z-a]'])).toThrow();
  });
});
