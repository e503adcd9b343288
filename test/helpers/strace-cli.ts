// The built CLI under strace fault injection: the syscalls named fail with `error` when they touch
// `path` (strace -P: the path as a string argument, or an fd open on it), from the `when`-th such
// call of each thread or child on (strace counts per tracee). Debian's strace 6.1 (.ci/run installs it).
// Note: 6.1's -P matches a rename's old name only, not its new one.
import { runCli, type CliResult } from './run-cli.js';

export interface Fault {
  /** the path the failing calls touch (absolute) */
  path: string;
  /** e.g. ['ftruncate'], ['fsync', 'fdatasync'], ['mkdir', 'mkdirat'] */
  syscalls: readonly string[];
  /** errno name: EIO, ENOSPC */
  error: string;
  /** the first matching call that fails (default 1); later ones fail too, unless `once` */
  when?: number;
  /** only the `when`-th matching call fails (a fault that passes) */
  once?: boolean;
}

export function runCliWithFault(
  args: readonly string[],
  { cwd, input, env = {}, fault }: { cwd: string; input?: string; env?: Record<string, string>; fault: Fault },
): Promise<CliResult> {
  const calls = fault.syscalls.join(',');
  const inject = `inject=${calls}:error=${fault.error}:when=${fault.when ?? 1}${fault.once ? '' : '+'}`;
  const strace = ['strace', '-f', '-qq', '-o', '/dev/null', '-P', fault.path, '-e', `trace=${calls}`, '-e', inject];
  return runCli(args, { cwd, ...(input === undefined ? {} : { input }), env, under: strace });
}
