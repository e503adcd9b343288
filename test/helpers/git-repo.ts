// Real git repositories in temp directories, with batchctl's default control file committed.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, lstatSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

import { defaultControlFile, renderControlFile } from '../../controller/control/index.js';

export const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Test User',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test User',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  HOME: tmpdir(),
};

export interface TestRepo {
  /** the work tree the tests use (with `linkedWorktree`, the linked one) */
  dir: string;
  /** everything the repository occupies, removed by removeRepo (`dir` unless a linked worktree) */
  home?: string;
  git(...args: string[]): string;
  write(path: string, content: string): void;
  read(path: string): string;
  /** commit everything in the work tree */
  commitAll(message: string): string;
  head(): string;
  /** every file (not .git) with a content digest, plus HEAD, refs (not batchctl's retry content), index and status: "nothing changed" */
  snapshot(): string;
}

export interface GitRepoOptions {
  /** commit the default batch-control.json (default true) */
  control?: boolean;
  /** `git init --object-format` (default sha1) */
  objectFormat?: 'sha1' | 'sha256';
  /**
   * The repository is made in `<home>/main` and `dir` is a linked worktree of it
   * (`git worktree add -b work <home>/linked`): its HEAD and index are its own, its objects and refs
   * are the main repository's.
   */
  linkedWorktree?: boolean;
}

export function gitRepo(
  files: Record<string, string> = {},
  { control = true, objectFormat = 'sha1', linkedWorktree = false }: GitRepoOptions = {},
): TestRepo {
  const home = mkdtempSync(join(tmpdir(), 'batchctl-test-'));
  const main = linkedWorktree ? join(home, 'main') : home;
  let dir = main;
  const git = (...args: string[]): string =>
    execFileSync('git', args, { cwd: dir, env: GIT_ENV, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const write = (path: string, content: string): void => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  };
  if (linkedWorktree) mkdirSync(main);
  git('init', '-q', '-b', 'main', ...(objectFormat === 'sha1' ? [] : [`--object-format=${objectFormat}`]));
  if (control) write('batch-control.json', renderControlFile(defaultControlFile()));
  for (const [path, content] of Object.entries(files)) write(path, content);
  if (linkedWorktree) {
    git('add', '-A');
    git('commit', '-q', '--allow-empty', '-m', 'initial');
    git('worktree', 'add', '-q', '-b', 'work', join(home, 'linked'));
    dir = join(home, 'linked');
  }
  const repo: TestRepo = {
    dir,
    ...(linkedWorktree ? { home } : {}),
    git,
    write,
    read: (path) => readFileSync(join(dir, path), 'utf8'),
    commitAll(message) {
      git('add', '-A');
      git('commit', '-q', '--allow-empty', '-m', message);
      return git('rev-parse', 'HEAD').trim();
    },
    head: () => git('rev-parse', 'HEAD').trim(),
    snapshot() {
      const lines: string[] = [];
      const walk = (rel: string): void => {
        for (const name of readdirSync(join(dir, rel)).sort()) {
          const path = rel ? `${rel}/${name}` : name;
          if (path === '.git') continue;
          const stat = lstatSync(join(dir, path));
          if (stat.isSymbolicLink()) lines.push(`${path} -> ${readlinkSync(join(dir, path))}`);
          else if (stat.isDirectory()) walk(path);
          else
            lines.push(
              `${path} ${stat.mode.toString(8)} ${createHash('sha1')
                .update(readFileSync(join(dir, path)))
                .digest('hex')}`,
            );
        }
      };
      walk('');
      // refs/batchctl/retry/ is batchctl's bookkeeping (a failed batch's content for `retry`, as its
      // database is), not a change to the repository.
      const refs = git('for-each-ref', '--format=%(refname) %(objectname)')
        .split('\n')
        .filter((line) => !line.startsWith('refs/batchctl/retry/'));
      lines.push(`refs:\n${refs.join('\n')}`);
      lines.push(`index:\n${git('ls-files', '-s')}`);
      lines.push(`status:\n${git('status', '--porcelain', '--untracked-files=all', '--ignored')}`);
      return lines.join('\n');
    },
  };
  if (!linkedWorktree) repo.commitAll('initial');
  return repo;
}

/**
 * A failed batch still records its outcome (breaker, budget) in batch-control.json, as commits that
 * touch that file alone (Control-Change trailers). Check that, then take those commits back, so the
 * caller can assert that everything else is byte-for-byte as it was.
 * @returns the Control-Change values of the commits taken back
 */
export function undoControlState(repo: TestRepo, headBefore: string): string[] {
  const commits = repo.git('rev-list', `${headBefore}..HEAD`).trim().split('\n').filter(Boolean);
  const kinds: string[] = [];
  for (const commit of commits) {
    const files = repo.git('show', '--name-only', '--format=', commit).trim();
    if (files !== 'batch-control.json') throw new Error(`commit ${commit} changed ${files}, not only batch-control.json`);
    kinds.push(repo.git('log', '-1', '--format=%(trailers:key=Control-Change,valueonly,separator=%x2C)', commit).trim());
  }
  repo.git('update-ref', 'HEAD', headBefore);
  repo.git('checkout', headBefore, '--', 'batch-control.json');
  return kinds;
}

export function removeRepo(repo: TestRepo): void {
  rmSync(repo.home ?? repo.dir, { recursive: true, force: true });
}

/** Live git processes this process started whose arguments include `subcommand` (from /proc). */
export function gitChildren(subcommand: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      // "<pid> (<comm>) <state> <ppid> …": the command name may hold spaces, so split after ')'
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const [state, ppid] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(ppid) !== process.pid || state === 'Z') continue;
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (args[0]?.endsWith('git') && args.includes(subcommand)) pids.push(Number(entry));
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}
