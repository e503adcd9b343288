// Servers for bench/http.ts, each in its own child process (so its RSS and its event loop are its
// own): the real `batchctl serve`, startService with raised rate limits, and a bare hono hello-world.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { PROJECT, type Change } from './fixtures.js';

export interface ServerChild {
  pid: number;
  port: number;
  wsPort: number | null;
  /** resident set size now and at its peak (Linux /proc/<pid>/status), KiB */
  rss(): { now: number; peak: number };
  stop(): Promise<void>;
}

const APP = pathToFileURL(join(PROJECT, 'dist', 'controller', 'app', 'index.js')).href;

// startService as `batchctl serve` runs it, but with rate limits no autocannon run reaches: the
// route's cost is measured, not the 429 (the limiter middleware itself still runs on every request).
const SERVICE_SCRIPT = `
import { readEnvironment, startService } from ${JSON.stringify(APP)};
const [repo] = process.argv.slice(1);
const service = await startService({
  env: readEnvironment(), repo, httpPort: 0, wsPort: 0, host: '127.0.0.1', logLevel: 'info',
  rateLimits: { general: 1e9, write: 1e9, windowMs: 60000 },
});
await service.ready;
process.on('SIGTERM', () => void service.shutdown().then(() => process.exit(0)));
`;

const HONO_SCRIPT = `
import { Hono } from 'hono';
import { serve } from '@hono/node-server';
const app = new Hono();
app.get('/', (c) => c.text('Hello Hono!'));
serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
  console.log(JSON.stringify({ msg: 'listening', port: info.port })));
process.on('SIGTERM', () => process.exit(0));
`;

const benchEnv = (): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env, BATCHCTL_AUTHOR_NAME: 'bench', BATCHCTL_AUTHOR_EMAIL: 'bench@localhost' };
  delete env.BATCHCTL_TOKENS_FILE; // no tokens: loopback, and the caller is the local admin
  return env;
};

function statusKiB(pid: number, key: string): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${key}:`));
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? NaN);
}

/** Waits (at most 60 s) for the child's `listening` line in its stdout log. */
async function listening(child: ChildProcess, log: string): Promise<{ port: number; ws_port?: number }> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`server child exited ${child.exitCode}: ${readFileSync(`${log}.stderr`, 'utf8').slice(0, 2000)}`);
    for (const line of readFileSync(log, 'utf8').split('\n')) {
      if (!line.includes('"listening"')) continue;
      return JSON.parse(line) as { port: number; ws_port?: number };
    }
    if (Date.now() > deadline) throw new Error(`server child: no listening line in ${log} after 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const tail = (file: string): string => {
  try {
    return readFileSync(file, 'utf8').slice(-2000);
  } catch {
    return '(no stderr file)';
  }
};

/** GET /ready until 200 (recovery at start done; docs/serve.md#lifecycle), at most 60 s. */
async function ready(port: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const status = await fetch(`http://127.0.0.1:${port}/ready`).then(
      (r) => r.status,
      () => 0,
    );
    if (status === 200) return;
    if (Date.now() > deadline) throw new Error(`server on port ${port}: /ready is ${status} after 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function start(args: readonly string[], log: string, isService = true): Promise<ServerChild> {
  const out = openSync(log, 'w');
  const err = openSync(`${log}.stderr`, 'w');
  const child = spawn(process.execPath, args, { cwd: PROJECT, env: benchEnv(), stdio: ['ignore', out, err] });
  closeSync(out);
  closeSync(err);
  let stopping = false;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      // A server that dies mid-measurement says how, with its last words, before the bench trips over it.
      if (!stopping)
        console.error(`server child ${child.pid} (${log}) exited early: code ${code}, signal ${signal}\n${tail(`${log}.stderr`)}`);
      resolve();
    }),
  );
  try {
    const info = await listening(child, log);
    if (isService) await ready(info.port);
    const pid = child.pid as number;
    return {
      pid,
      port: info.port,
      wsPort: info.ws_port ?? null,
      rss: () => ({ now: statusKiB(pid, 'VmRSS'), peak: statusKiB(pid, 'VmHWM') }),
      stop: async () => {
        stopping = true;
        child.kill('SIGTERM');
        const cut = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(cut);
      },
    };
  } catch (error) {
    stopping = true;
    child.kill('SIGKILL');
    await exited;
    throw error;
  }
}

/** The real CLI: `node bin/batchctl.js serve --repo DIR --http 0 --ws 0` (default log level, info). */
export const startBatchctlServe = (dir: string, log: string): Promise<ServerChild> =>
  start([join(PROJECT, 'bin', 'batchctl.js'), 'serve', '--repo', dir, '--http', '0', '--ws', '0'], log);

/** startService with raised rate limits, ready (recovery done) before it reports its port. */
export const startRateUnlimitedService = (dir: string, log: string): Promise<ServerChild> =>
  start(['--input-type=module', '-e', SERVICE_SCRIPT, dir], log);

export const startBareHono = (log: string): Promise<ServerChild> => start(['--input-type=module', '-e', HONO_SCRIPT], log, false);

/** A batch document as the routes take it (docs/batch-format.md). */
export const batchBody = (changes: readonly Change[], title = 'bench'): string =>
  JSON.stringify({
    title,
    ecosystem: 'npm',
    requested_by: 'bench',
    operations: changes.map((c) => ({ type: 'write', target: c.path, content: c.content })),
  });

/** `POST /api/batch?wait=1`; seconds from sending to the final answer, which must be `completed`. */
export async function postAndWait(port: number, body: string): Promise<{ seconds: number; batchId: string }> {
  const start = performance.now();
  const response = await fetch(`http://127.0.0.1:${port}/api/batch?wait=1`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  const result = (await response.json()) as { batch_id?: string; status?: string };
  const seconds = (performance.now() - start) / 1000;
  if (response.status !== 200 || result.status !== 'completed')
    throw new Error(`POST /api/batch?wait=1 answered ${response.status}: ${JSON.stringify(result).slice(0, 500)}`);
  return { seconds, batchId: result.batch_id as string };
}
