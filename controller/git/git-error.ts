// A failed git call, with everything needed to understand it without re-running it.
import { BatchctlError } from '../errors/index.js';

export class GitError extends BatchctlError {
  /** git's own exit code (the CLI exit code is `exitCode`, from the code table) */
  readonly gitExitCode: number | null;
  readonly stderr: string;
  readonly args: readonly string[];

  constructor({ args, exitCode, stderr }: { args: readonly string[]; exitCode: number | null; stderr: string }) {
    const firstLine = stderr.trim().split('\n')[0] ?? '';
    super({
      code: 'GIT_FAILED',
      message: `git ${args[0] ?? ''} failed (exit ${exitCode ?? 'signal'}): ${firstLine}`,
      data: { args, exitCode, stderr },
    });
    this.gitExitCode = exitCode;
    this.stderr = stderr;
    this.args = args;
  }
}
