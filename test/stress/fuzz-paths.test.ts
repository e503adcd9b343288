// Fuzzing the path validator (issue 17, docs/reliability.md#fuzzing): random Unicode paths, lone
// surrogates and attack pieces included. Whatever is accepted resolves inside the repository root,
// keeps its spelling (validation refuses, never repairs), is no `.git` in any spelling, is not
// protected in its NFC, NFD or given spelling; the NFC spelling of an accepted path is accepted too
// (docs/batch-format.md: NFC and NFD spellings are one file on a normalising file system, and the
// batch's spelling is the one git records). Through the engine, every refusal is a named issue code
// and nothing on disk changes; an accepted batch lands each file exactly at its spelling.
import { resolve, sep } from 'node:path';

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { defaultControlFile } from '../../controller/control/index.js';
import { ISSUE } from '../../controller/domain/index.js';
import { checkPath, createProtectedMatcher } from '../../controller/paths/index.js';
import { batch, useEngineRepos } from '../helpers/engine.js';
import { diskFingerprint } from './fingerprint.js';
import { figure, fuzzRuns } from './stress-env.js';

const ROOT = resolve('/srv/repo');
const ISSUE_CODES = new Set<string>(Object.values(ISSUE));
const isProtected = createProtectedMatcher(defaultControlFile().policy.protected_paths);

/** Written apart from the implementation: what macOS, Windows and NFKC would open as `.git`. */
const IGNORABLE = /[\u00AD\u034F\u180E\uFEFF\u200B-\u200F\u202A-\u202E\u2060-\u206F\uFE00-\uFE0F]/gu;
function gitLike(component: string): boolean {
  const key = component
    .replace(IGNORABLE, '')
    .normalize('NFKC')
    .toLowerCase()
    .split(':')[0]!
    .replace(/[. ]+$/, '');
  return key === '.git' || key === 'git~1';
}

const PIECES = [
  ...['..', '.', '/', '//', '\\', '%2e', '%2E%2e', '%252e', '%c0%ae', '~', ':', '-', 'C:', ' ', '\u200B', '\uFF0E', '\u2024'],
  ...['.git', '.GIT', '.Git ', 'git~1', '.gitmodules', '.github', '.GitHub', 'workflows', 'batch-control.json', 'BATCH-CONTROL.JSON'],
  ...['batchctl.policy.json', 'batch-control.schema.json', 'e\u0301', '\u00e9', 'A\u030a', '\u212b', '\uFB01', '\u0958', 'ǅ', 'ß', 'İ'],
];
/** Paths of anything: pieces, any UTF-16 code unit, whole code points of every plane, graphemes. */
export const anyPath = fc
  .array(
    fc.oneof(
      { weight: 3, arbitrary: fc.constantFrom(...PIECES) },
      { weight: 2, arbitrary: fc.constantFrom('a', 'b/', 'x.toml', 'recipes/', 'dir/') },
      { weight: 1, arbitrary: fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit)) },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 4 }) },
      { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 4 }) },
    ),
    { maxLength: 10 },
  )
  .map((pieces) => pieces.join(''));

const spellings = (path: string): string[] => [...new Set([path, path.normalize('NFC'), path.normalize('NFD')])];

describe('fuzzing the path validator', () => {
  it('accepts only paths inside the root, unrepaired, without .git, and their NFC spelling too', () => {
    fc.assert(
      fc.property(anyPath, (raw) => {
        const result = checkPath(raw); // throws nothing, whatever the input
        if (!result.ok) {
          expect(ISSUE_CODES.has(result.code)).toBe(true);
          return;
        }
        const { path } = result;
        expect(path === raw || `/${path}` === raw).toBe(true);
        const absolute = resolve(ROOT, path);
        expect(absolute.startsWith(ROOT + sep)).toBe(true);
        expect(absolute.slice(ROOT.length + 1)).toBe(path); // no component that resolve() would fold away
        for (const spelling of spellings(path)) {
          for (const component of spelling.split('/')) expect(gitLike(component)).toBe(false);
        }
        const nfc = checkPath(path.normalize('NFC'));
        // NFC may lengthen a name (U+0958 has no composed form) past a length limit: then it is refused as too long, never unsafe
        if (!nfc.ok) expect(nfc.code).toBe(ISSUE.pathTooLong);
      }),
      fuzzRuns('fuzz_paths', 20_000, 100_000),
    );
  });

  const setup = useEngineRepos();

  it('through validation: refusals are named and change nothing; accepted paths are not protected and land as spelt', async () => {
    const { repo, engine } = await setup({ 'recipes/a.toml': 'a\n', '.github/workflows/ci.yml': 'on: push\n' });
    let snapshot = diskFingerprint(repo.dir);
    let landed = 0;
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(anyPath, { minLength: 1, maxLength: 3 }), async (paths) => {
        const candidate = batch({ operations: paths.map((target, i) => ({ type: 'write', target, content: `fuzz ${i}\n` })) });
        const validation = await engine.validate(candidate);
        for (const issue of validation.issues) expect(ISSUE_CODES.has(issue.code)).toBe(true);
        expect(diskFingerprint(repo.dir)).toBe(snapshot); // validation never touches the repository
        const refused = new Set(validation.issues.map((issue) => issue.index));
        candidate.operations.forEach((op, index) => {
          if (refused.has(index) || refused.has(-1) || !('target' in op)) return;
          for (const spelling of spellings(op.target)) expect(isProtected(spelling)).toBe(false);
        });
        if (!validation.valid) return;
        const result = await engine.run(candidate);
        expect(result.status).toBe('completed');
        landed++;
        for (const op of candidate.operations) {
          const target = 'target' in op ? op.target.replace(/^\//, '') : '';
          expect(repo.git('ls-tree', '--name-only', '-z', 'HEAD', '--', target).split('\0')).toContain(target);
        }
        snapshot = diskFingerprint(repo.dir);
      }),
      fuzzRuns('fuzz_validate', 60, 2_000),
    );
    figure('fuzz_validate', { landed });
    expect(landed).toBeGreaterThan(0);
  });
});
