import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { collisionKey, findCollisions } from '../../../controller/paths/index.js';

describe('collisionKey', () => {
  it.each([
    ['a different case', 'README.md', 'readme.MD'],
    ['NFC and NFD spellings', 'caf\u00E9.txt', 'cafe\u0301.txt'],
    ['a sharp s and its full case folding', 'stra\u00DFe.txt', 'STRASSE.txt'],
    ['a final sigma', 'ΟΔΟΣ/x', 'οδος/x'],
    ['an invisible code point', 'a\u200B.txt', 'a.txt'],
    ['a trailing dot that Windows drops', 'dir./x', 'dir/x'],
  ])('gives one key to %s', (_why, a, b) => {
    expect(collisionKey(a)).toBe(collisionKey(b));
  });

  it.each([
    ['two different names', 'a.txt', 'b.txt'],
    ['a compatibility form, which file systems keep apart', 'x\u00B2.txt', 'x2.txt'],
    ['a file and a same-named file one level down', 'a', 'a/a'],
  ])('keeps %s apart', (_why, a, b) => {
    expect(collisionKey(a)).not.toBe(collisionKey(b));
  });

  it('keeps an all-dots name rather than trimming it to nothing', () => {
    expect(collisionKey('a/...')).toBe('a/...');
  });

  it('gives a plain ASCII path (the shortcut) the key the full folding gives it', () => {
    // An invisible code point sends the path down the full folding, which removes it again.
    const ascii = fc.string({ unit: fc.constantFrom(...'aZ09._- /.'.split(''), 'Q', 'x'), maxLength: 24 });
    fc.assert(
      fc.property(ascii, fc.nat(24), (path, at) => {
        const cut = Math.min(at, path.length);
        expect(collisionKey(path)).toBe(collisionKey(`${path.slice(0, cut)}\u200B${path.slice(cut)}`));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('findCollisions', () => {
  it('pairs two spellings of one file', () => {
    expect(findCollisions(['A.txt', 'a.txt', 'b.txt'])).toEqual([['A.txt', 'a.txt']]);
  });

  it('pairs paths that spell one directory differently', () => {
    expect(findCollisions(['Recipes/a.toml', 'recipes/b.toml'])).toEqual([['Recipes/a.toml', 'recipes/b.toml']]);
  });

  it('does not report the same spelling twice as a collision', () => {
    expect(findCollisions(['a.txt', 'a.txt', 'dir/x', 'dir/y'])).toEqual([]);
  });

  it('reports each pair once and in input order', () => {
    expect(findCollisions(['A/x', 'a/x', 'a/y', 'A/X'])).toEqual([
      ['A/x', 'a/x'],
      ['A/x', 'a/y'],
      ['A/x', 'A/X'],
    ]);
  });

  it('finds a deeper collision after a shallower one', () => {
    expect(findCollisions(['A/x', 'a/y', 'a/Y'])).toEqual([
      ['A/x', 'a/y'],
      ['A/x', 'a/Y'],
      ['a/y', 'a/Y'],
    ]);
  });

  it('finds nothing in an empty batch', () => {
    expect(findCollisions([])).toEqual([]);
  });
});
