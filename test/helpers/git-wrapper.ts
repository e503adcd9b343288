// A `git` wrapper first on PATH, real git underneath: a fault aimed at one git subcommand, for a
// set number of calls (issue 11). batchctl strips GIT_* from its children's environment, so the
// wrapper carries its own configuration in the script, not in variables.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

import { afterEach } from 'vitest';

export interface GitFault {
  /** the subcommand (`mktree`, `update-ref` …): git's first argument after its own `-c k=v` options */
  subcommand: string;
  /**
   * bash run instead of git for that subcommand: "$GIT" is the real git, "$@" its whole argument
   * list, "$NODE" node, "$SCRATCH" a directory of the wrapper's own; its exit status is git's
   */
  run: string;
  /** fault this many calls, then run git as it is (default: every call) */
  times?: number;
}

export interface GitWrapper {
  /** the directory holding the `git` script */
  bin: string;
  /** a PATH with the wrapper first */
  path: string;
  /** a scratch directory the faults may use ("$SCRATCH") */
  scratch: string;
  /** how many calls of the subcommand were faulted so far */
  faulted(subcommand: string): number;
}

const realGit = (): string => spawnSync('bash', ['-c', 'command -v git'], { encoding: 'utf8' }).stdout.trim();

/** A wrapper script for these faults (remove it with `removeGitWrapper`). */
export function gitWrapper(faults: readonly GitFault[]): GitWrapper {
  const bin = mkdtempSync(join(tmpdir(), 'batchctl-gitwrap-'));
  const scratch = join(bin, 'scratch');
  mkdirSync(scratch);
  const cases = faults.map(({ subcommand, run, times }, i) => {
    const count = join(scratch, `${subcommand}.faulted`);
    return [
      `  ${subcommand})`,
      `    n=$(( $(cat '${count}' 2>/dev/null || echo 0) + 1 ))`,
      `    if [ ${times ?? 0} -eq 0 ] || [ "$n" -le ${times ?? 0} ]; then`,
      `      echo "$n" > '${count}'`,
      `      fault_${i} "$@"; exit $?`,
      `    fi ;;`,
    ].join('\n');
  });
  const script = [
    '#!/bin/bash',
    `GIT='${realGit()}'`,
    `NODE='${process.execPath}'`,
    `SCRATCH='${scratch}'`,
    ...faults.map(({ run }, i) => `fault_${i}() {\n${run}\n}`),
    'sub=""',
    'skip=0',
    'for arg in "$@"; do',
    '  if [ "$skip" = 1 ]; then skip=0; continue; fi',
    '  case "$arg" in -c|-C) skip=1 ;; -*) ;; *) sub="$arg"; break ;; esac',
    'done',
    'case "$sub" in',
    ...cases,
    'esac',
    'exec "$GIT" "$@"',
    '',
  ].join('\n');
  writeFileSync(join(bin, 'git'), script);
  chmodSync(join(bin, 'git'), 0o755);
  return {
    bin,
    scratch,
    path: `${bin}${delimiter}${process.env.PATH ?? ''}`,
    faulted: (subcommand) => {
      const file = join(scratch, `${subcommand}.faulted`);
      return existsSync(file) ? Number(readFileSync(file, 'utf8').trim()) : 0;
    },
  };
}

export function removeGitWrapper(wrapper: GitWrapper): void {
  rmSync(wrapper.bin, { recursive: true, force: true });
}

/**
 * For an in-process engine: put a wrapper first on this process's PATH (its git children inherit
 * it) until the test ends, then restore PATH and remove the wrapper.
 * @example const faults = useGitFaults(); faults([{ subcommand: 'mktree', run: '...', times: 1 }]);
 */
export function useGitFaults(): (faults: readonly GitFault[]) => GitWrapper {
  const made: GitWrapper[] = [];
  const path = process.env.PATH;
  afterEach(() => {
    process.env.PATH = path;
    for (const wrapper of made.splice(0)) removeGitWrapper(wrapper);
  });
  return (faults) => {
    const wrapper = gitWrapper(faults);
    made.push(wrapper);
    process.env.PATH = wrapper.path;
    return wrapper;
  };
}

/** bash for a fault: git takes only the first `bytes` bytes of its input, and believes that is all. */
export const inputCutTo = (bytes: number): string => `head -c ${bytes} | "$GIT" "$@"`;

/** bash for a fault: git takes its input without the last NUL-terminated record (a cut at a record boundary). */
export const lastRecordDropped = `"$NODE" -e '
const chunks = []; process.stdin.on("data", (c) => chunks.push(c)).on("end", () => {
  const all = Buffer.concat(chunks); const end = all.lastIndexOf(0, all.length - 2);
  process.stdout.write(all.subarray(0, end + 1));
});' | "$GIT" "$@"`;

/** bash for a fault: git runs under strace with this `-e inject=` (e.g. `rename:error=EIO:when=2`). */
export const straceInject = (inject: string): string =>
  `exec strace -f -qq -o /dev/null -e trace=${inject.split(':')[0]} -e inject=${inject} "$GIT" "$@"`;
