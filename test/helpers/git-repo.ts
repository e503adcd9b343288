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
  dir: string;
  git(...args: string[]): string;
  write(path: string, content: string): void;
  read(path: string): string;
  /** commit everything in the work tree */
  commitAll(message: string): string;
  head(): string;
  /** every file (not .git) with a content digest, plus HEAD, refs (not batchctl's retry content), index and status: "nothing changed" */
  snapshot(): string;
}

export function gitRepo(files: Record<string, string> = {}, { control = true }: { control?: boolean } = {}): TestRepo {
  const dir = mkdtempSync(join(tmpdir(), 'batchctl-test-'));
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: dir, env: GIT_ENV, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const write = (path: string, content: string): void => {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  };
  git('init', '-q', '-b', 'main');
  if (control) write('batch-control.json', renderControlFile(defaultControlFile()));
  for (const [path, content] of Object.entries(files)) write(path, content);
  const repo: TestRepo = {
    dir,
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
          else lines.push(`${path} ${stat.mode.toString(8)} ${createHash('sha1').update(readFileSync(join(dir, path))).digest('hex')}`);
        }
      };
      walk('');
      // refs/batchctl/retry/ is batchctl's bookkeeping (a failed batch's content for `retry`, as its
      // database is), not a change to the repository.
      const refs = git('for-each-ref', '--format=%(refname) %(objectname)').split('\n').filter((line) => !line.startsWith('refs/batchctl/retry/'));
      lines.push(`refs:\n${refs.join('\n')}`);
      lines.push(`index:\n${git('ls-files', '-s')}`);
      lines.push(`status:\n${git('status', '--porcelain', '--untracked-files=all', '--ignored')}`);
      return lines.join('\n');
    },
  };
  repo.commitAll('initial');
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
  rmSync(repo.dir, { recursive: true, force: true });
}
