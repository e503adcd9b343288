import { describe, expect, it } from 'vitest';

import { HARD_LIMITS, ISSUE, type IssueCode } from '../../../controller/domain/index.js';
import { checkPath } from '../../../controller/paths/index.js';

const {
  pathEmpty: EMPTY,
  pathAbsolute: ABSOLUTE,
  pathBackslash: BACKSLASH,
  pathControlChar: CONTROL,
  pathTraversal: TRAVERSAL,
  pathDotComponent: DOT,
  pathGitDir: GIT_DIR,
  pathGitmodules: GITMODULES,
  pathArgvInjection: ARGV,
  pathPathspecMagic: PATHSPEC,
  pathTooLong: TOO_LONG,
} = ISSUE;

/** [why it is dangerous, spelling, code] */
const MALICIOUS: ReadonlyArray<readonly [string, string, IssueCode]> = [
  ['the empty path', '', EMPTY],
  ['the root alone', '/', EMPTY],
  ['a Windows drive', 'C:', ABSOLUTE],
  ['a drive-relative file name', 'a:b.txt', ABSOLUTE],
  ['a lower-case drive with a slash', 'c:/x', ABSOLUTE],
  ['a drive with a backslash', 'C:\\x', ABSOLUTE],
  ['a drive-relative path', 'C:foo', ABSOLUTE],
  ['a drive after the root slash', '/C:/Windows/x', ABSOLUTE],
  ['a UNC share', '//server/share', ABSOLUTE],
  ['a backslash UNC share', '\\\\server\\share', ABSOLUTE],
  ['a Win32 device path', '//?/C:/x', ABSOLUTE],
  ['a backslash device path', '\\\\?\\C:\\x', ABSOLUTE],
  ['three leading slashes', '///etc/passwd', ABSOLUTE],
  ['a double slash alone', '//', ABSOLUTE],
  ['a path rooted on the current drive', '\\x', ABSOLUTE],
  ['the home directory', '~/x', ABSOLUTE],
  ["another user's home", '~root/.ssh/authorized_keys', ABSOLUTE],
  ['a bare tilde', '~', ABSOLUTE],
  ['a backslash traversal', '..\\x', BACKSLASH],
  ['a backslash inside a name', 'a\\b', BACKSLASH],
  ['a trailing backslash', 'a/b\\', BACKSLASH],
  ['a NUL byte', 'a\u0000b', CONTROL],
  ['a newline', 'a\nb', CONTROL],
  ['a carriage return', 'a/b\r', CONTROL],
  ['a tab', 'a\tb', CONTROL],
  ['an escape sequence', '\u001B[31mred', CONTROL],
  ['DEL', 'a\u007F', CONTROL],
  ['a C1 control', 'a\u0085b', CONTROL],
  ['the last C1 control', 'a\u009Fb', CONTROL],
  ['a line separator', 'a\u2028b', CONTROL],
  ['a paragraph separator', 'a\u2029b', CONTROL],
  ['a lone high surrogate', 'a\uD800b', CONTROL],
  ['a lone low surrogate', '\uDC00', CONTROL],
  ['a parent component', '..', TRAVERSAL],
  ['a parent prefix', '../x', TRAVERSAL],
  ['a parent in the middle', 'a/../b', TRAVERSAL],
  ['a parent at the end', 'a/..', TRAVERSAL],
  ['a parent after the root slash', '/../etc/passwd', TRAVERSAL],
  ['percent-encoded dots', '%2e%2e/x', TRAVERSAL],
  ['upper-case percent-encoded dots', 'a/%2E%2E/b', TRAVERSAL],
  ['half-encoded dots', '.%2e/x', TRAVERSAL],
  ['an encoded single dot', 'a/%2e/b', TRAVERSAL],
  ['double-encoded dots', '%252e%252e/x', TRAVERSAL],
  ['triple-encoded dots', '%25252e%25252e/x', TRAVERSAL],
  ['an encoded slash', '..%2fx', TRAVERSAL],
  ['an encoded backslash', 'a%5c..', TRAVERSAL],
  ['a double-encoded slash', 'a%252fb', TRAVERSAL],
  ['overlong UTF-8 dots', '%c0%ae%c0%ae/x', TRAVERSAL],
  ['three-byte overlong dots', '%e0%80%ae%e0%80%ae/x', TRAVERSAL],
  ['an overlong slash', 'a%c0%afb', TRAVERSAL],
  ['IIS %u dots', '%u002e%u002e/x', TRAVERSAL],
  ['fullwidth dots', '\uFF0E\uFF0E/x', TRAVERSAL],
  ['a two-dot leader', 'a/\u2025/b', TRAVERSAL],
  ['a one-dot leader', 'a/\u2024/b', TRAVERSAL],
  ['small full stops', '\uFE52\uFE52/x', TRAVERSAL],
  ['a fullwidth solidus', 'a\uFF0Fb', TRAVERSAL],
  ['dots around a zero-width space', '.\u200B./x', TRAVERSAL],
  ['dots after a byte-order mark', '\uFEFF../x', TRAVERSAL],
  ['dots with a trailing space', '.. /x', TRAVERSAL],
  ['an encoding nested past the limit', `%${'25'.repeat(9)}41`, TRAVERSAL],
  ['a dot component', './x', DOT],
  ['a dot in the middle', 'a/./b', DOT],
  ['an empty component', 'a//b', DOT],
  ['a trailing slash', 'a/b/', DOT],
  ['a component of invisible characters', 'a/\u200B/b', DOT],
  ['.git itself', '.git', GIT_DIR],
  ['a file in .git', '.git/config', GIT_DIR],
  ['a hook', '.git/hooks/post-checkout', GIT_DIR],
  ['a nested .git', 'a/.git/config', GIT_DIR],
  ['an upper-case .git', 'sub/.GIT', GIT_DIR],
  ['a mixed-case .git', '.GiT/HEAD', GIT_DIR],
  ['.git with a trailing dot', '.git./x', GIT_DIR],
  ['.git with a trailing space', '.git /x', GIT_DIR],
  ['.git with trailing dots and spaces', '.git . ./x', GIT_DIR],
  ['.git behind a zero-width space', '.g\u200Bit/x', GIT_DIR],
  ['.git behind a zero-width non-joiner', '.g\u200Cit/x', GIT_DIR],
  ['.git behind a right-to-left override', '.gi\u202Et/x', GIT_DIR],
  ['.git behind a word joiner', '\u2060.git/x', GIT_DIR],
  ['.git behind a soft hyphen', '.g\u00ADit', GIT_DIR],
  ['.git behind a byte-order mark', '.git\uFEFF/x', GIT_DIR],
  ['.git behind a variation selector', '.gi\uFE0Ft/x', GIT_DIR],
  ['.git spelled with a fullwidth dot', '\uFF0Egit/x', GIT_DIR],
  ['.git spelled with fullwidth letters', '.\uFF27\uFF29\uFF34/x', GIT_DIR],
  ['the 8.3 short name of .git', 'GIT~1/config', GIT_DIR],
  ['a lower-case short name with a trailing dot', 'a/git~1./hooks', GIT_DIR],
  ['an NTFS stream of .git', '.git::$INDEX_ALLOCATION/config', GIT_DIR],
  ['a percent-encoded .git', '%2egit/config', GIT_DIR],
  ['.gitmodules', '.gitmodules', GITMODULES],
  ['an upper-case .gitmodules', 'sub/.GITMODULES', GITMODULES],
  ['.gitmodules with a trailing space', '.gitmodules ', GITMODULES],
  ['.gitmodules behind a zero-width joiner', '.gitmod\u200Dules', GITMODULES],
  ['.gitmodules with a long s', '.gitmodule\u017F', GITMODULES],
  ['the short name of .gitmodules', 'GITMOD~1', GITMODULES],
  ['the hashed short name of .gitmodules', 'gi7eba~4', GITMODULES],
  ['an option', '-rf', ARGV],
  ['a long option', '--exec=sh', ARGV],
  ['an option after the root slash', '/-x/y', ARGV],
  ['pathspec glob magic', ':(glob)*', PATHSPEC],
  ['the top pathspec', ':/', PATHSPEC],
  ['an exclude pathspec', ':!x', PATHSPEC],
  ['a path over the byte limit', 'a/'.repeat(2048) + 'b', TOO_LONG],
  ['multi-byte characters over the byte limit', '文'.repeat(1366), TOO_LONG],
  ['a component over the byte limit', `a/${'x'.repeat(HARD_LIMITS.maxComponentBytes + 1)}`, TOO_LONG],
  ['a multi-byte component over the byte limit', 'é'.repeat(128), TOO_LONG],
];

/** [spelling, normalised path] */
const VALID: ReadonlyArray<readonly [string, string]> = [
  ['recipes/a.toml', 'recipes/a.toml'],
  ['/recipes/a.toml', 'recipes/a.toml'],
  ['/a.txt', 'a.txt'],
  ['a b/c d.txt', 'a b/c d.txt'],
  ['ünïcödé/文件.txt', 'ünïcödé/文件.txt'],
  ['emoji/🎉.md', 'emoji/🎉.md'],
  ['.github/x', '.github/x'],
  ['.gitignore', '.gitignore'],
  ['.gitattributes', '.gitattributes'],
  ['a/.gitkeep', 'a/.gitkeep'],
  ['x.git', 'x.git'],
  ['git/x', 'git/x'],
  ['.git2/x', '.git2/x'],
  ['.gitx', '.gitx'],
  ['git~2', 'git~2'],
  ['a/-b', 'a/-b'],
  ['a/:b', 'a/:b'],
  ['a/~b', 'a/~b'],
  ['%20file', '%20file'],
  ['100%/done', '100%/done'],
  ['%zz', '%zz'],
  ['...', '...'],
  ['a/.../b', 'a/.../b'],
  ['..a/b..', '..a/b..'],
  ['.hidden', '.hidden'],
  ['ab:c.txt', 'ab:c.txt'],
  [`%${'25'.repeat(7)}41`, `%${'25'.repeat(7)}41`],
  ['tmp/*.log', 'tmp/*.log'],
  ['recipes/**/[ab]?.{toml,json}', 'recipes/**/[ab]?.{toml,json}'],
  ['!important.txt', '!important.txt'],
  ['x{1..3}.txt', 'x{1..3}.txt'],
  [' ', ' '],
  ['x'.repeat(HARD_LIMITS.maxComponentBytes), 'x'.repeat(HARD_LIMITS.maxComponentBytes)],
];

describe('checkPath', () => {
  it.each(MALICIOUS)('refuses %s (%j)', (_why, raw, code) => {
    const result = checkPath(raw);
    expect(result).toMatchObject({ ok: false, code });
  });

  it.each(VALID)('accepts %j as %j', (raw, path) => {
    expect(checkPath(raw)).toEqual({ ok: true, path });
  });

  it('has more than sixty malicious spellings in its table', () => {
    expect(MALICIOUS.length).toBeGreaterThan(60);
  });

  it('accepts a path of exactly the byte limit', () => {
    const path = `${'a'.repeat(200)}/`.repeat(20) + 'b'.repeat(HARD_LIMITS.maxPathBytes - 20 * 201);
    expect(checkPath(path)).toEqual({ ok: true, path });
  });

  it('reports traversal before a later .git component', () => {
    expect(checkPath('a/../.git/config')).toMatchObject({ code: TRAVERSAL });
  });

  it('reports .git before a trailing slash', () => {
    expect(checkPath('.git/')).toMatchObject({ code: GIT_DIR });
  });

  it('names the offending component in the message and gives a hint', () => {
    const result = checkPath('recipes/.GIT/config');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain('".GIT"');
    expect(result.hint.length).toBeGreaterThan(0);
  });

  it('escapes invisible characters in messages so they cannot hide or forge text', () => {
    const result = checkPath('.g\u200Bit\u202E/x');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.message).toContain('\\u{200B}');
    expect(result.message).not.toMatch(/[\u200B\u202E]/);
  });

  it('tells the caller to use a relative path when it refuses an absolute one', () => {
    expect(checkPath('C:\\x')).toMatchObject({ hint: expect.stringContaining('recipes/a.toml') });
  });
});
