// Paths and the environment every process of the fault sweep runs with.
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const CLI = join(ROOT, 'bin', 'batchctl.js');
/** The real git, by absolute path: the wrapper on PATH must never call itself. */
export const REAL_GIT = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();

/**
 * One fixed identity and no user or system config, so the runs are alike on every machine. batchctl
 * drops GIT_* variables before it runs git, which is why the wrapper's settings are FAULT_*.
 */
export function baseEnv(extra = {}) {
  return {
    PATH: process.env.PATH,
    HOME: tmpdir(),
    LANG: 'C',
    GIT_AUTHOR_NAME: 'Fault Sweep',
    GIT_AUTHOR_EMAIL: 'fault@example.com',
    GIT_COMMITTER_NAME: 'Fault Sweep',
    GIT_COMMITTER_EMAIL: 'fault@example.com',
    GIT_CONFIG_NOSYSTEM: '1',
    BATCHCTL_LOG_LEVEL: 'silent',
    ...extra,
  };
}
