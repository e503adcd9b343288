// The one place that spawns git, hardened (docs/lifecycle.md#how-batchctl-drives-git): no hooks, no fsmonitor, no pathspec magic,
// no prompts, no inherited GIT_* variables, and `--` before user paths is the callers' rule.
import { spawn } from 'node:child_process';

import { GitError } from './git-error.js';

/** Who batchctl commits as; given as config so no ambient identity is needed (fresh CI machines). */
export interface GitIdentity {
  name: string;
  email: string;
}

export interface ExecOptions {
  /** bytes for stdin */
  input?: string | Buffer;
  /** extra environment (e.g. GIT_INDEX_FILE for a temporary index) */
  env?: Record<string, string>;
  /** exit codes that are answers rather than failures (check-ignore answers 1 for "none") */
  okExitCodes?: readonly number[];
}

export interface ExecResult {
  stdout: Buffer;
  stderr: string;
  exitCode: number;
}

/** A git process fed as the caller goes (`exec` is one whose input is known up front). */
export interface GitStream {
  write(chunk: string | Buffer): void;
  /** bytes written but not yet taken by git (they wait in this process's memory) */
  backlog(): number;
  /** settles once git has taken what waits, or has exited */
  drained(): Promise<void>;
  /** close stdin; the result once git exits (rejects as exec does) */
  end(chunk?: string | Buffer): Promise<ExecResult>;
}

/**
 * A long-lived git process that answers each line it reads (`cat-file --batch`): its output is
 * handed over as it arrives. It keeps Node's event loop alive only while `hold(true)`, so one left
 * open never stops a process from exiting (git then reads end-of-file and exits too).
 */
export interface GitPipe {
  write(chunk: string): void;
  /** while true, the process and its pipes keep the event loop alive (answers are awaited) */
  hold(busy: boolean): void;
  /** close stdin; the result once git exits (rejects as exec does) */
  end(): Promise<ExecResult>;
}

export interface GitPipeHandlers {
  /** each chunk of stdout, in order */
  onData(chunk: Buffer): void;
  /** git exited or could not start: nothing more will arrive (a GitError, or null after `end`) */
  onExit(error: GitError | null): void;
}

export interface GitRunner {
  readonly cwd: string;
  exec(args: readonly string[], options?: ExecOptions): Promise<ExecResult>;
  stream(args: readonly string[], options?: Omit<ExecOptions, 'input'>): GitStream;
  pipe(args: readonly string[], handlers: GitPipeHandlers): GitPipe;
  /** exec and return stdout as trimmed text */
  text(args: readonly string[], options?: ExecOptions): Promise<string>;
}

const HARDENING = [
  '-c',
  'core.hooksPath=/dev/null',
  '-c',
  'core.fsmonitor=false',
  '-c',
  'core.quotePath=false',
  '-c',
  'commit.gpgSign=false',
  '-c',
  'tag.gpgSign=false',
  '-c',
  'gc.auto=0',
  '-c',
  'maintenance.auto=false',
  '-c',
  'protocol.ext.allow=never',
] as const;

const MALLOC_TUNABLES = 'glibc.malloc.trim_threshold=134217728:glibc.malloc.top_pad=67108864';

function cleanEnv(extra: Record<string, string> | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    // A caller's GIT_DIR, GIT_INDEX_FILE or GIT_WORK_TREE would redirect our writes.
    if (!key.startsWith('GIT_')) env[key] = value;
  }
  return {
    // glibc gives memory back to the kernel after every large free; fast-import and update-index
    // free a zlib buffer per object, so 10,000 blobs cost 40,000 brk calls (0.45 s of 0.68 s here).
    // Keeping 64 MiB of slack avoids them. A caller's own tunables win.
    GLIBC_TUNABLES: MALLOC_TUNABLES,
    ...env,
    GIT_LITERAL_PATHSPECS: '1',
    GIT_TERMINAL_PROMPT: '0',
    GIT_OPTIONAL_LOCKS: '0',
    GIT_CONFIG_NOSYSTEM: '1',
    LC_ALL: 'C',
    ...extra,
  };
}

/**
 * The user's own git configuration files, as git's children will find them (their HOME and
 * XDG_CONFIG_HOME are this process's): what a cached answer from configuration depends on besides
 * the repository's files (upstream-cache.ts).
 */
export function userConfigFiles(): string[] {
  const home = process.env.HOME;
  const xdg = process.env.XDG_CONFIG_HOME || (home ? `${home}/.config` : undefined);
  return [...(home ? [`${home}/.gitconfig`] : []), ...(xdg ? [`${xdg}/git/config`] : [])];
}

/** @example const git = createRunner({ cwd: '/repo', identity: { name: 'batchctl', email: 'b@x' } }) */
export function createRunner({ cwd, identity }: { cwd: string; identity: GitIdentity }): GitRunner {
  const prefix = [...HARDENING, '-c', `user.name=${identity.name}`, '-c', `user.email=${identity.email}`];

  function stream(args: readonly string[], options: Omit<ExecOptions, 'input'> = {}): GitStream {
    const child = spawn('git', [...prefix, ...args], {
      cwd,
      env: cleanEnv(options.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let given = 0; // bytes handed to git's stdin; inputLost: why they did not all reach it
    let inputLost: Error | null = null;
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    const result = new Promise<ExecResult>((resolve, reject) => {
      child.on('error', (error) => reject(new GitError({ args, exitCode: null, stderr: error.message })));
      child.on('close', (code) => {
        const stderr = Buffer.concat(err).toString('utf8');
        const exitCode = code ?? -1;
        const ok = exitCode === 0 || options.okExitCodes?.includes(exitCode);
        // An answer without all of its input was built from part of it (docs/lifecycle.md#durability-and-concurrency).
        const lost = inputLost ? `git exited before it read all its input (${inputLost.message})\n` : '';
        if (ok && !lost) resolve({ stdout: Buffer.concat(out), stderr, exitCode });
        else reject(new GitError({ args, exitCode: code, stderr: `${ok ? lost : ''}${stderr}` }));
      });
    });
    // A stream's git may fail long before anyone awaits it (end): that is reported then, not as an
    // unhandled rejection now.
    result.catch(() => undefined);
    // EPIPE: git exited before it took all its input; a successful exit is then a failure ('close').
    child.stdin.on('error', (error) => (inputLost ??= given > 0 ? error : null)); // nothing given, nothing lost
    return {
      write: (chunk) => {
        given += chunk.length;
        child.stdin.write(chunk);
      },
      backlog: () => child.stdin.writableLength,
      drained: () =>
        new Promise<void>((resolve) => {
          if (child.stdin.writableLength === 0 || child.exitCode !== null) return resolve();
          child.stdin.once('drain', resolve);
          result.then(
            () => resolve(),
            () => resolve(),
          ); // an exited git drains nothing more
        }),
      end: (chunk) => {
        given += chunk?.length ?? 0;
        child.stdin.end(chunk ?? '');
        return result;
      },
    };
  }

  function pipe(args: readonly string[], { onData, onExit }: GitPipeHandlers): GitPipe {
    const child = spawn('git', [...prefix, ...args], { cwd, env: cleanEnv(undefined), stdio: ['pipe', 'pipe', 'pipe'] });
    const err: Buffer[] = [];
    let ending = false;
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.stdin.on('error', () => undefined); // git exiting early is reported through 'close'
    const result = new Promise<ExecResult>((resolve, reject) => {
      let failed: GitError | null = null;
      child.on('error', (error) => {
        failed = new GitError({ args, exitCode: null, stderr: error.message });
      });
      child.on('close', (code) => {
        const stderr = Buffer.concat(err).toString('utf8');
        const error =
          failed ??
          (code === 0 && ending ? null : new GitError({ args, exitCode: code, stderr: stderr || 'git exited before it was asked to' }));
        onExit(error);
        if (error) reject(error);
        else resolve({ stdout: Buffer.alloc(0), stderr, exitCode: 0 });
      });
    });
    result.catch(() => undefined); // reported to onExit; `end` hands it on to whoever awaits it
    // Piped stdio are net.Sockets, which can be unref'd; Node types them as plain streams.
    const handles = [child, child.stdin, child.stdout, child.stderr] as unknown as Array<{ ref(): void; unref(): void }>;
    return {
      write: (chunk) => {
        child.stdin.write(chunk);
      },
      hold: (busy) => {
        for (const handle of handles) {
          if (busy) handle.ref();
          else handle.unref();
        }
      },
      end: () => {
        ending = true;
        child.stdin.end();
        return result;
      },
    };
  }

  function exec(args: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    const { input, ...rest } = options;
    return stream(args, rest).end(input ?? '');
  }

  return {
    cwd,
    exec,
    stream,
    pipe,
    async text(args, options) {
      return (await exec(args, options)).stdout.toString('utf8').trim();
    },
  };
}

/** Split a path list so no argv exceeds a safe size (ARG_MAX is ~2 MB; stay far below). */
export function chunkPaths(paths: readonly string[], maxBytes = 96 * 1024): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let size = 0;
  for (const path of paths) {
    const bytes = Buffer.byteLength(path) + 1;
    if (current.length > 0 && size + bytes > maxBytes) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(path);
    size += bytes;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** Split NUL-terminated git output into records. */
export function splitNul(buffer: Buffer): string[] {
  const text = buffer.toString('utf8');
  const parts = text.split('\0');
  if (parts[parts.length - 1] === '') parts.pop();
  return parts;
}
