// The built CLI as a real child process (npm test builds dist/ first).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../bin/batchctl.js', import.meta.url));

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `fileSizeLimitKiB`: run under `ulimit -f` (a bigger write then fails with EFBIG midway).
 * `umask`: run under that umask (octal digits, e.g. '077').
 * `under`: a command the CLI runs under (`strace … `), its arguments before node's.
 */
export function runCli(
  args: readonly string[],
  {
    cwd,
    input,
    env = {},
    fileSizeLimitKiB,
    umask,
    under = [],
  }: { cwd: string; input?: string; env?: Record<string, string>; fileSizeLimitKiB?: number; umask?: string; under?: readonly string[] },
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const setup = [
      ...(fileSizeLimitKiB === undefined ? [] : [`ulimit -f ${fileSizeLimitKiB}`]),
      ...(umask === undefined ? [] : [`umask ${umask}`]),
    ];
    const command = [...under, process.execPath, CLI, ...args];
    const argv = setup.length === 0 ? command : ['bash', '-c', `${setup.join('; ')}; exec "$0" "$@"`, ...command];
    const child = spawn(argv[0] as string, argv.slice(1), {
      cwd,
      // Never the real GitHub from a test, even in a CI job that exports a token: a test that wants GitHub
      // passes the fake's (test/helpers/fake-github.ts).
      env: { ...process.env, GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '', GITHUB_TOKEN: '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input ?? '');
  });
}

/** NDJSON stdout as values. */
export function jsonLines(stdout: string): Array<Record<string, unknown>> {
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
