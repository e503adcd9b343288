// The real `batchctl serve` (the built CLI) as a child process on an ephemeral port: the port is read
// from its `listening` log line on stdout.
import { spawn, type ChildProcess } from 'node:child_process';

import { CLI } from './run-cli.js';

export interface ServeProcess {
  child: ChildProcess;
  url: string;
  /** the WebSocket server's own port */
  wsPort: number;
  /** InterLock's UDP port (`--udp`), or null when it is off */
  udpPort: number | null;
  /** resolves when it exits, with its code and everything it wrote */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

export function spawnServe({
  cwd,
  env = {},
  args = [],
}: {
  cwd: string;
  env?: Record<string, string>;
  args?: string[];
}): Promise<ServeProcess> {
  // No GITHUB_TOKEN from the environment (a CI runner's): serve would talk to the real GitHub; a test gives the fake's.
  const child = spawn(process.execPath, [CLI, 'serve', '--http', '0', '--ws', '0', ...args], {
    cwd,
    env: { ...process.env, GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '', GITHUB_TOKEN: '', BATCHCTL_LOG_LEVEL: 'warn', ...env },
  });
  let stdout = '';
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  return new Promise((resolve, reject) => {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      const before = stdout;
      stdout += chunk;
      if (before.includes('"listening"')) return;
      const line = stdout.split('\n').find((l) => l.includes('"msg":"listening"'));
      if (!line) return;
      const { port, ws_port, udp_port } = JSON.parse(line) as { port: number; ws_port: number; udp_port?: number | null };
      resolve({ child, url: `http://127.0.0.1:${port}`, wsPort: ws_port, udpPort: udp_port ?? null, exited });
    });
    void exited.then(({ code }) => reject(new Error(`serve exited (${code}) before listening: ${stderr}`)));
  });
}

/** Ask `probe` until it says yes (a condition, polled; not a fixed wait). */
export async function until(probe: () => Promise<boolean>, what: string, everyMs = 10, tries = 1000): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await probe()) return;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  throw new Error(`never: ${what}`);
}
