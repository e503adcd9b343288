import { describe, expect, it } from 'vitest';

import { ISSUE } from '../../../controller/domain/index.js';
import { checkPath, compileGlob, globBase, isGlob } from '../../../controller/paths/index.js';

function matcher(pattern: string): (path: string) => boolean {
  const glob = compileGlob(pattern);
  if (!glob.ok) throw new Error(glob.message);
  return glob.match;
}

describe('isGlob', () => {
  it.each(['tmp/*.log', 'a/b?', 'a/[bc]/d', '{a,b}/c', '**'])('sees a glob in %j', (pattern) => {
    expect(isGlob(pattern)).toBe(true);
  });

  it.each(['recipes/a.toml', '!x', 'a/!x', 'a/[', 'a/{b}', '%2a'])('sees a plain path in %j', (path) => {
    expect(isGlob(path)).toBe(false);
  });
});

describe('globBase', () => {
  it.each([
    ['recipes/*.toml', 'recipes'],
    ['a/b/**/*.x', 'a/b'],
    ['*.txt', ''],
    ['{a,b}/c', ''],
    ['a/[bc]/d', 'a'],
    ['recipes/a.toml', 'recipes'],
    ['a.toml', ''],
  ])('finds the literal directory of %j: %j', (pattern, base) => {
    expect(globBase(pattern)).toBe(base);
  });
});

describe('compileGlob', () => {
  it('keeps * inside one directory', () => {
    const match = matcher('tmp/*.log');
    expect(match('tmp/a.log')).toBe(true);
    expect(match('tmp/x/a.log')).toBe(false);
  });

  it('lets ** cross directories, including none', () => {
    const match = matcher('recipes/**/*.toml');
    expect(match('recipes/a.toml')).toBe(true);
    expect(match('recipes/x/y/a.toml')).toBe(true);
    expect(match('other/a.toml')).toBe(false);
  });

  it('leaves dotfiles alone unless the pattern names the dot', () => {
    expect(matcher('*')('.env')).toBe(false);
    expect(matcher('**/*.yml')('.github/ci.yml')).toBe(false);
    expect(matcher('.github/*.yml')('.github/ci.yml')).toBe(true);
  });

  it('reads a leading ! as a literal name, so a delete never becomes "everything except"', () => {
    const match = matcher('!keep.txt');
    expect(match('!keep.txt')).toBe(true);
    expect(match('other.txt')).toBe(false);
  });

  it('matches braces and character classes', () => {
    const match = matcher('a/[bc]/x.{toml,json}');
    expect(match('a/b/x.json')).toBe(true);
    expect(match('a/d/x.json')).toBe(false);
  });

  it('does not let a trailing slash match a file', () => {
    expect(matcher('a/*/')('a/b')).toBe(false);
  });

  it('refuses a pattern whose regex is invalid', () => {
    expect(compileGlob('[z-a]')).toMatchObject({ ok: false });
    expect(compileGlob('a{')).toMatchObject({ ok: false });
  });

  it('refuses an empty pattern', () => {
    expect(compileGlob('')).toMatchObject({ ok: false });
  });

  it('refuses patterns that would backtrack catastrophically', () => {
    expect(compileGlob('*a*a*b')).toMatchObject({ ok: false, message: expect.stringContaining('too complex') });
    expect(compileGlob('**/a/**/b/**/c')).toMatchObject({ ok: false });
    expect(compileGlob('**/*-*.toml/**')).toMatchObject({ ok: true });
  });

  it('matches a hostile 4 KiB path against the most complex allowed pattern quickly', () => {
    const match = matcher('**/*a*b/**/*a*c');
    const hostile = Array.from({ length: 16 }, () => 'a'.repeat(255))
      .join('/')
      .slice(0, 4096);
    const started = performance.now();
    expect(match(hostile)).toBe(false);
    expect(performance.now() - started).toBeLessThan(250);
  });

  it.each(['../*.txt', '.git/*', '/abs/../*', 'a/.GIT/**', '-*', ':(glob)*'])(
    'leaves %j to checkPath, which refuses it before compiling',
    (pattern) => {
      expect(checkPath(pattern).ok).toBe(false);
    },
  );

  it('lets checkPath accept the glob characters themselves', () => {
    expect(checkPath('recipes/**/[ab]?.{toml,json}')).toEqual({ ok: true, path: 'recipes/**/[ab]?.{toml,json}' });
    expect(checkPath('/tmp/*.log')).toEqual({ ok: true, path: 'tmp/*.log' });
    expect(checkPath('.git/*')).toMatchObject({ code: ISSUE.pathGitDir });
  });
});
