// Path safety through the real engine: every spelling of an escape, a git-internal name, an option or
// a pathspec is refused as a write target and as a copy or move source, and nothing is touched.
import { describe, it } from 'vitest';

import type { BatchInput } from '../../../controller/domain/index.js';
import { batch } from '../../helpers/engine.js';
import { expectRefused, expectValid, setup, useRepos } from './fixtures.js';

useRepos();

type Op = BatchInput['operations'][number];

/** [what it is, the path as a batch spells it, the code it must get] */
const MALICIOUS: ReadonlyArray<[string, string, string]> = [
  ['a bare ..', '..', 'PATH_TRAVERSAL'],
  ['.. climbing past the root', '../outside.txt', 'PATH_TRAVERSAL'],
  ['.. in the middle', 'a/../../b', 'PATH_TRAVERSAL'],
  ['.. that stays inside (still refused, never collapsed)', 'a/../b', 'PATH_TRAVERSAL'],
  ['percent-encoded dots', '%2e%2e/x', 'PATH_TRAVERSAL'],
  ['double percent-encoded dots', '%252e%252e/x', 'PATH_TRAVERSAL'],
  ['overlong UTF-8 dots', '%c0%ae%c0%ae/x', 'PATH_TRAVERSAL'],
  ['an encoded slash', 'a%2f..%2fb', 'PATH_TRAVERSAL'],
  ['fullwidth dots', '\uFF0E\uFF0E/x', 'PATH_TRAVERSAL'],
  ['the two-dot leader', '\u2025/x', 'PATH_TRAVERSAL'],
  ['dots padded with an invisible character', '.\u200B./x', 'PATH_TRAVERSAL'],
  ['dots with a trailing space', '.. /x', 'PATH_TRAVERSAL'],
  ['a backslash ..', '..\\x', 'PATH_BACKSLASH'],
  ['a backslash separator', 'a\\b.txt', 'PATH_BACKSLASH'],
  ['a drive letter with /', 'C:/x', 'PATH_ABSOLUTE'],
  ['a drive letter with \\', 'C:\\x', 'PATH_ABSOLUTE'],
  ['a drive-relative path', 'c:x', 'PATH_ABSOLUTE'],
  ['a UNC path with /', '//server/share/x', 'PATH_ABSOLUTE'],
  ['a UNC path with \\', '\\\\server\\share', 'PATH_ABSOLUTE'],
  ['a home directory', '~/x', 'PATH_ABSOLUTE'],
  ['a NUL byte', 'a\u0000b.txt', 'PATH_CONTROL_CHAR'],
  ['a newline', 'a\nb.txt', 'PATH_CONTROL_CHAR'],
  ['an escape sequence', 'a\u001b[31m.txt', 'PATH_CONTROL_CHAR'],
  ['DEL', 'a\u007f.txt', 'PATH_CONTROL_CHAR'],
  ['a C1 control', 'a\u0085.txt', 'PATH_CONTROL_CHAR'],
  ['the line separator', 'a\u2028b.txt', 'PATH_CONTROL_CHAR'],
  ['an unpaired surrogate', 'a\uD800.txt', 'PATH_CONTROL_CHAR'],
  ['.git', '.git/config', 'PATH_GIT_DIR'],
  ['.git in capitals', '.GIT/config', 'PATH_GIT_DIR'],
  ['.git in mixed case', '.Git/hooks/post-checkout', 'PATH_GIT_DIR'],
  ['.git with a zero-width space', '.g\u200Bit/x', 'PATH_GIT_DIR'],
  ['.git with a zero-width non-joiner', '.gi\u200Ct/config', 'PATH_GIT_DIR'],
  ['.git with a trailing dot', '.git./x', 'PATH_GIT_DIR'],
  ['.git with a trailing space', '.git /x', 'PATH_GIT_DIR'],
  ['.git as an NTFS stream', '.git::$INDEX_ALLOCATION/x', 'PATH_GIT_DIR'],
  ['.git in fullwidth letters', '.\uFF47\uFF49\uFF54/x', 'PATH_GIT_DIR'],
  ['.git percent-encoded', '%2egit/config', 'PATH_GIT_DIR'],
  ['a nested .git', 'a/.git/hooks/pre-commit', 'PATH_GIT_DIR'],
  ['the 8.3 short name of .git', 'git~1/x', 'PATH_GIT_DIR'],
  ['.gitmodules at the root', '.gitmodules', 'PATH_GITMODULES'],
  ['.gitmodules nested', 'vendor/lib/.gitmodules', 'PATH_GITMODULES'],
  ['.gitmodules in capitals', '.GITMODULES', 'PATH_GITMODULES'],
  ['the 8.3 short name of .gitmodules', 'gitmod~1', 'PATH_GITMODULES'],
  ['an option', '-rf', 'PATH_ARGV_INJECTION'],
  ['a long option with a value', '--exec=x', 'PATH_ARGV_INJECTION'],
  ['an option after the root slash', '/-n', 'PATH_ARGV_INJECTION'],
  ['long pathspec magic', ':(glob)*', 'PATH_PATHSPEC_MAGIC'],
  ['the top pathspec', ':/x', 'PATH_PATHSPEC_MAGIC'],
  ['an exclude pathspec', ':!x', 'PATH_PATHSPEC_MAGIC'],
  ['a path over 4096 bytes', `${'d/'.repeat(2048)}x`, 'PATH_TOO_LONG'],
  ['a component over 255 bytes', `dir/${'n'.repeat(256)}`, 'PATH_TOO_LONG'],
  ['a component over 255 bytes in UTF-8 (128 characters)', `dir/${'\u00e9'.repeat(128)}`, 'PATH_TOO_LONG'],
  ['an empty path', '', 'PATH_EMPTY'],
  ['the root itself', '/', 'PATH_EMPTY'],
  ['a . component', 'a/./b', 'PATH_DOT_COMPONENT'],
  ['an empty component', 'a//b', 'PATH_DOT_COMPONENT'],
  ['a trailing slash', 'a/', 'PATH_DOT_COMPONENT'],
];

const FILES = { 'a.txt': 'a\n', 'recipes/r.toml': 'v = 1\n' };

/** Where a path can sit in an operation; each role gets the whole table in one batch, op i for path i. */
const ROLES: ReadonlyArray<[string, (path: string) => Op]> = [
  ['copy source', (path) => ({ type: 'copy', source: path, target: 'copied.txt' })],
  ['move source', (path) => ({ type: 'move', source: path, target: 'moved.txt' })],
  ['copy target', (path) => ({ type: 'copy', source: 'a.txt', target: path })],
  ['delete target', (path) => ({ type: 'delete', target: path })],
];

describe('malicious paths', () => {
  // A benign op first: the refusal must name operation 1, and the whole batch must still be refused.
  it.each(MALICIOUS)('refuses %s (%j) as a write target and touches nothing', async (_what, path, code) => {
    const env = await setup(FILES);
    const operations: Op[] = [
      { type: 'write', target: 'fine.txt', content: 'ok' },
      { type: 'write', target: path, content: 'x' },
    ];
    await expectRefused(env, batch({ operations }), { code, index: 1, path });
  });

  it.each(ROLES)('refuses every one of them as a %s, each at its own index', async (_role, opFor) => {
    const env = await setup(FILES);
    const operations = MALICIOUS.map(([, path]) => opFor(path));
    await expectRefused(
      env,
      batch({ operations }),
      MALICIOUS.map(([, path, code], index) => ({ code, index, path })),
    );
  });

  it.each([
    ['a delete', '../*', 'PATH_TRAVERSAL'],
    ['a delete', '.git/**', 'PATH_GIT_DIR'],
    ['a delete', ':(glob)**', 'PATH_PATHSPEC_MAGIC'],
    ['a replace', '%2e%2e/**/*.toml', 'PATH_TRAVERSAL'],
    ['a replace', '.GIT/*', 'PATH_GIT_DIR'],
  ])('refuses %s glob %j before matching anything', async (type, target, code) => {
    const env = await setup(FILES);
    const op: Op = type === 'a delete' ? { type: 'delete', target } : { type: 'replace', target, find: 'v', replace: 'w' };
    await expectRefused(env, batch({ operations: [op] }), { code, index: 0, path: target });
  });

  it.each<[string, Op, string, string]>([
    [
      'a replace .g* that matches .gitmodules',
      { type: 'replace', target: '.g*', find: 'https', replace: 'ext' },
      '.gitmodules',
      'PATH_GITMODULES',
    ],
    ['a delete .git* that matches .gitmodules', { type: 'delete', target: '.git*' }, '.gitmodules', 'PATH_GITMODULES'],
    ['a delete that matches a tracked name with a backslash', { type: 'delete', target: 'weird/*' }, 'weird/a\\b.txt', 'PATH_BACKSLASH'],
  ])('refuses %s: a glob never reaches a file an explicit path may not name', async (_what, op, path, code) => {
    const env = await setup({
      ...FILES,
      '.gitmodules': '[submodule "x"]\n\turl = https://example.com/x\n',
      '.gitattributes': '* text\n',
      'weird/a\\b.txt': 'x',
    });
    await expectRefused(env, batch({ operations: [op] }), { code, index: 0, path });
  });

  it('reports every bad path of one batch, each at its own index', async () => {
    const env = await setup(FILES);
    await expectRefused(
      env,
      batch({
        operations: [
          { type: 'write', target: '../x', content: 'x' },
          { type: 'write', target: 'ok.txt', content: 'x' },
          { type: 'copy', source: '.git/config', target: 'C:/x' },
        ],
      }),
      [
        { code: 'PATH_TRAVERSAL', index: 0, path: '../x' },
        { code: 'PATH_GIT_DIR', index: 2, path: '.git/config' },
        { code: 'PATH_ABSOLUTE', index: 2, path: 'C:/x' },
      ],
    );
  });

  it('accepts names that only look suspicious: a leading / means the root, ... and .github-like names are files', async () => {
    const { engine } = await setup(FILES);
    await expectValid(
      engine,
      batch({
        operations: [
          { type: 'write', target: '/rooted.txt', content: 'x' },
          { type: 'write', target: 'dots/.../x', content: 'x' },
          { type: 'write', target: 'a/..b/c..', content: 'x' },
          { type: 'write', target: '.gitignore-notes/x', content: 'x' },
          { type: 'write', target: 'docs/git~2.md', content: 'x' },
          { type: 'write', target: 'x/-n', content: 'x' },
          { type: 'write', target: 'x/:y', content: 'x' },
          { type: 'write', target: '100%.txt', content: 'x' },
          { type: 'write', target: `dir/${'n'.repeat(255)}`, content: 'x' },
        ],
      }),
    );
  });
});

describe('protected paths', () => {
  const CONTROL = 'batch-control.json';

  it.each<[string, Op, string]>([
    ['a workflow write', { type: 'write', target: '.github/workflows/x.yml', content: 'on: push' }, '.github/workflows/x.yml'],
    [
      'a workflow write in another case',
      { type: 'write', target: '.GitHub/workflows/x.yml', content: 'on: push' },
      '.GitHub/workflows/x.yml',
    ],
    ['a write of the control file', { type: 'write', target: CONTROL, content: '{}' }, CONTROL],
    ['a write of the control file in capitals', { type: 'write', target: 'BATCH-CONTROL.JSON', content: '{}' }, 'BATCH-CONTROL.JSON'],
    [
      'a write of the control file with a trailing dot',
      { type: 'write', target: 'batch-control.json.', content: '{}' },
      'batch-control.json.',
    ],
    [
      'a write of the control file spelled with a zero-width joiner',
      { type: 'write', target: 'batch-control\u200D.json', content: '{}' },
      'batch-control\u200D.json',
    ],
    ['a write of the schema', { type: 'write', target: '/batch-control.schema.json', content: '{}' }, 'batch-control.schema.json'],
    ['a delete of the control file', { type: 'delete', target: CONTROL }, CONTROL],
    ['a move of the control file away', { type: 'move', source: CONTROL, target: 'old-control.json' }, CONTROL],
    ['a rename of the control file', { type: 'rename', source: CONTROL, target: 'control.json' }, CONTROL],
    ['a copy over the control file', { type: 'copy', source: 'a.txt', target: CONTROL, overwrite: true }, CONTROL],
    ['a replace in the control file', { type: 'replace', target: CONTROL, find: 'true', replace: 'false' }, CONTROL],
    ['a file where the .github directory is', { type: 'write', target: '.github', content: 'x' }, '.github'],
  ])('refuses %s', async (_what, op, path) => {
    const env = await setup({ 'a.txt': 'a\n' });
    await expectRefused(env, batch({ operations: [op] }), { code: 'PATH_PROTECTED', index: 0, path });
  });

  it('refuses a delete glob that matches the control file, naming the file', async () => {
    const env = await setup({ 'a.json': '{}', 'b.json': '{}' });
    await expectRefused(env, batch({ operations: [{ type: 'delete', target: '*.json' }] }), {
      code: 'PATH_PROTECTED',
      index: 0,
      path: CONTROL,
    });
  });

  it('refuses a replace glob that reaches into .github', async () => {
    const env = await setup({ '.github/workflows/ci.yml': 'runs-on: ubuntu-22.04\n' });
    await expectRefused(env, batch({ operations: [{ type: 'replace', target: '.github/*/*.yml', find: '22.04', replace: '24.04' }] }), {
      code: 'PATH_PROTECTED',
      index: 0,
      path: '.github/workflows/ci.yml',
    });
  });

  it('lets a batch read the control file as a copy source', async () => {
    const { engine } = await setup();
    await expectValid(engine, batch({ operations: [{ type: 'copy', source: CONTROL, target: 'backup/control.json' }] }));
  });
});
