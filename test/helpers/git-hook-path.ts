// A `git` placed first on PATH that runs a bash snippet around one subcommand, with the real git
// underneath: how a test strikes at an exact point of a run (a lock taken by someone else during
// `update-index`, the run killed before it) without timing.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterEach } from 'vitest';

export interface GitHook {
  /** the subcommand to strike at (`update-index`, `update-ref`) */
  subcommand: string;
  /**
   * bash run before the real git, with `$GIT_DIR_OF` (the repository's git directory), `$REAL_GIT`
   * and `$BATCHCTL_PID` (the process that started git); a non-zero `exit` in it ends git there
   */
  before?: string;
  /** bash run after the real git (its exit code in `$rc`) */
  after?: string;
  /** strike at the first call only (later calls go straight to git) */
  once?: boolean;
}

/**
 * Bash for a `git` wrapper: sets `$sub` to the subcommand of the wrapper's arguments (`git -C dir
 * -c k=v update-index ...` → `update-index`), skipping options and the values of `-c` and `-C`.
 */
export const GIT_SUBCOMMAND = `sub=""
skip=0
for arg in "$@"; do
  if [ "$skip" = 1 ]; then skip=0; continue; fi
  case "$arg" in
    -c|-C) skip=1 ;;
    -*) ;;
    *) sub="$arg"; break ;;
  esac
done`;

const REAL_GIT = spawnSync('bash', ['-c', 'command -v git'], { encoding: 'utf8' }).stdout.trim();

/**
 * Per-test PATH values whose `git` runs the hook, removed after every test.
 * @example const hooked = useGitHook(); const env = { PATH: hooked({ subcommand: 'update-index', before: 'exit 1' }) };
 */
export function useGitHook(): (hook: GitHook) => string {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return ({ subcommand, before = '', after = '', once = false }) => {
    const dir = mkdtempSync(join(tmpdir(), 'batchctl-githook-'));
    dirs.push(dir);
    const script = `#!/usr/bin/env bash
REAL_GIT=${JSON.stringify(REAL_GIT)}
BATCHCTL_PID=$PPID
${GIT_SUBCOMMAND}
hit=0
if [ "$sub" = ${JSON.stringify(subcommand)} ] && [ -z "$GIT_INDEX_FILE" ]; then
  if [ ${once ? 1 : 0} = 0 ] || mkdir ${JSON.stringify(join(dir, 'struck'))} 2>/dev/null; then hit=1; fi
fi
# Not struck: git itself takes this process's place (lock-user checks look at git's parent).
[ "$hit" = 1 ] || exec "$REAL_GIT" "$@"
GIT_DIR_OF=$("$REAL_GIT" rev-parse --absolute-git-dir)
${before}
"$REAL_GIT" "$@"
rc=$?
${after}
exit $rc
`;
    writeFileSync(join(dir, 'git'), script);
    chmodSync(join(dir, 'git'), 0o755);
    return `${dir}:${process.env.PATH ?? ''}`;
  };
}
