import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { ISSUE } from '../../../controller/domain/index.js';
import { checkPathByRules } from '../../../controller/paths/check-path.js';
import { checkPath } from '../../../controller/paths/index.js';

/** An oracle written apart from the implementation: what macOS, Windows and NFKC would call `.git`. */
const IGNORABLES = [
  ...'\u00AD\u034F\u180E\uFEFF',
  ...Array.from({ length: 5 }, (_, i) => String.fromCharCode(0x200b + i)),
  ...Array.from({ length: 5 }, (_, i) => String.fromCharCode(0x202a + i)),
  ...Array.from({ length: 16 }, (_, i) => String.fromCharCode(0x2060 + i)),
  ...Array.from({ length: 16 }, (_, i) => String.fromCharCode(0xfe00 + i)),
];
const IGNORABLE_RE = new RegExp(`[${IGNORABLES.join('')}]`, 'gu');

function looksLikeGitDir(component: string): boolean {
  const key = component
    .replace(IGNORABLE_RE, '')
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[. ]+$/, '');
  return key === '.git' || key === 'git~1';
}

/** Code units of any kind, lone surrogates included, mixed with the pieces attacks are built from. */
const TRICKY = ['..', '.', '/', '//', '\\', '.git', '.GIT', '%2e', '%25', '%', '~', ':', '-', 'C:', '\u200B', '\uFF0E', ' '];
const anyText = fc
  .array(
    fc.oneof(
      fc.constantFrom(...TRICKY),
      fc.string({ unit: 'binary', maxLength: 4 }),
      fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit)),
      fc.string({ maxLength: 6 }),
    ),
    { maxLength: 12 },
  )
  .map((pieces) => pieces.join(''));

const SAFE_FIRST = 'abcXYZ019_é文';
const SAFE_REST = `${SAFE_FIRST}.- `;
const safeComponent = fc
  .tuple(fc.constantFrom(...SAFE_FIRST), fc.string({ unit: fc.constantFrom(...SAFE_REST), maxLength: 11 }))
  .map(([first, rest]) => first + rest);

function randomCase(text: string, flips: readonly boolean[]): string {
  return [...text].map((ch, i) => (flips[i] ? ch.toUpperCase() : ch)).join('');
}

/** `.git` or `.gitmodules` with case flips, an ignorable inserted somewhere, and Windows-trimmed tails. */
function disguised(name: string) {
  return fc
    .record({
      flips: fc.array(fc.boolean(), { minLength: name.length, maxLength: name.length }),
      at: fc.integer({ min: 0, max: name.length }),
      ignorable: fc.constantFrom(...IGNORABLES),
      tail: fc.string({ unit: fc.constantFrom('.', ' '), maxLength: 3 }),
      before: fc.array(safeComponent, { maxLength: 2 }),
      after: fc.array(safeComponent, { maxLength: 2 }),
    })
    .map(({ flips, at, ignorable, tail, before, after }) => {
      const cased = randomCase(name, flips);
      const component = cased.slice(0, at) + ignorable + cased.slice(at) + tail;
      return [...before, component, ...after].join('/');
    });
}

describe('checkPath properties', () => {
  it('never throws, and an accepted path is relative, clean and free of .git', () => {
    fc.assert(
      fc.property(anyText, (raw) => {
        const result = checkPath(raw);
        if (!result.ok) return;
        const { path } = result;
        expect(path === raw || `/${path}` === raw).toBe(true);
        expect(path.startsWith('/')).toBe(false);
        expect(path).not.toContain('\\');
        expect(path).not.toMatch(/[\u0000-\u001F\u007F-\u009F\u2028\u2029]/);
        expect(path).not.toMatch(/[\uD800-\uDFFF]/u);
        for (const component of path.split('/')) {
          expect(['', '.', '..']).not.toContain(component);
          expect(looksLikeGitDir(component)).toBe(false);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('accepts any path joined from safe components, unchanged', () => {
    fc.assert(
      fc.property(fc.array(safeComponent, { minLength: 1, maxLength: 6 }), fc.boolean(), (components, rooted) => {
        const path = components.join('/');
        expect(checkPath(rooted ? `/${path}` : path)).toEqual({ ok: true, path });
      }),
      { numRuns: 300 },
    );
  });

  it('refuses .git with any case, an ignorable code point inside and trailing dots or spaces', () => {
    fc.assert(
      fc.property(disguised('.git'), (raw) => {
        expect(checkPath(raw)).toMatchObject({ ok: false, code: ISSUE.pathGitDir });
      }),
      { numRuns: 300 },
    );
  });

  it('refuses .gitmodules with any case, an ignorable code point inside and trailing dots or spaces', () => {
    fc.assert(
      fc.property(disguised('.gitmodules'), (raw) => {
        expect(checkPath(raw)).toMatchObject({ ok: false, code: ISSUE.pathGitmodules });
      }),
      { numRuns: 200 },
    );
  });

  it('judges plain ASCII names (the fast path) as the .git oracle does, colon streams included', () => {
    const letter = fc.constantFrom('.', 'g', 'G', 'i', 'I', 't', 'T', 'x', ' ', ':', '~', '1', '$');
    const component = fc.string({ unit: letter, minLength: 1, maxLength: 7 });
    const asciiKey = (name: string): string =>
      name
        .toLowerCase()
        .split(':')[0]!
        .replace(/[. ]+$/, '');
    fc.assert(
      fc.property(fc.array(component, { minLength: 1, maxLength: 3 }), (components) => {
        const raw = ['d', ...components].join('/');
        const result = checkPath(raw);
        const gitDir = components.some((c) => c !== '.' && c !== '..' && ['.git', 'git~1'].includes(asciiKey(c)));
        if (gitDir)
          expect(result).toMatchObject({
            ok: false,
            code: expect.stringMatching(new RegExp(`^(${ISSUE.pathGitDir}|${ISSUE.pathTraversal}|${ISSUE.pathDotComponent})$`)),
          });
        else expect(result.ok ? null : result.code).not.toBe(ISSUE.pathGitDir);
      }),
      { numRuns: 2000 },
    );
  });

  it('takes the plain-path shortcut only where every rule would accept the path anyway', () => {
    const unit = fc.constantFrom('a', 'Z', '0', '_', '.', '-', 'g', 'i', 't', '~', '1', ':', '%', '2e', ' ', '\\', '/', '\u00e9', '\u200b');
    const component = fc.oneof(
      fc.string({ unit, maxLength: 6 }),
      fc.integer({ min: 250, max: 260 }).map((n) => 'x'.repeat(n)),
    );
    fc.assert(
      fc.property(fc.array(component, { minLength: 1, maxLength: 4 }), fc.boolean(), (components, rooted) => {
        const raw = `${rooted ? '/' : ''}${components.join('/')}`;
        const path = raw.startsWith('/') ? raw.slice(1) : raw;
        expect(checkPath(raw)).toEqual(checkPathByRules(raw, path));
      }),
      { numRuns: 5000 },
    );
  });
});
