// One built `batchctl serve` with a token of each role, against a temporary repository, and chromium,
// for a file of dashboard tests: pages open per test and closed after it, and no stop outlives a test.
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';

import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';

import { launchChromium, openPage, type WatchedPage } from './browser.js';
import { GIT_SUBCOMMAND } from './git-hook-path.js';
import { gitRepo, removeRepo, type TestRepo } from './git-repo.js';
import { spawnServe, type ServeProcess } from './serve-process.js';

/** Token names and roles: separate tokens keep each page inside its own rate limit. */
export const ROLES = {
  admin: 'admin',
  'admin-2': 'admin',
  operator: 'operator',
  'operator-2': 'operator',
  viewer: 'viewer',
  client: 'admin',
} as const;
export type Who = keyof typeof ROLES;

/** Screenshots go to docs/screenshots when DASHBOARD_SCREENSHOTS=1 (to refresh the README's), else to a temp dir. */
export const SHOTS = process.env.DASHBOARD_SCREENSHOTS === '1' ? resolve('docs/screenshots') : join(tmpdir(), 'batchctl-dashboard-shots');

export interface DashboardServer {
  repo: TestRepo;
  server: ServeProcess;
  tokens: Record<Who, string>;
  /** a new page (its own context and sessionStorage), signed in with `token` when given */
  page(options?: { token?: string; width?: number; height?: number }): Promise<WatchedPage>;
  /** the API as the `client` admin token (or `as`) */
  api(path: string, init?: { method?: string; body?: unknown; as?: Who }): Promise<Response>;
  /** every seq the server's stream holds for one batch, from its first event to its final one */
  storedSeqs(batchId: string): Promise<number[]>;
  /**
   * With `holdPacks`: from now on, a `git fast-import` the server starts waits before it reads
   * anything. A batch of 1,000 files or more streams its blobs into one (git/blob-pack.ts) and stops
   * applying once 8 MiB wait for it, so a batch of large enough files stays running, part-way, until
   * `releasePacks()`: a running batch without a race against its speed.
   */
  holdPacks(options?: {
    /** let this many more fast-imports start before holding (a held one whose number is lower goes on) */
    skip?: number;
  }): void;
  releasePacks(): void;
}

/**
 * A `git` first on PATH, real git underneath, that numbers the fast-imports it starts (one directory
 * each under `started`) and holds each one whose number is at least the one in `hold`, while `hold` exists.
 */
function packHoldingGit(): { dir: string; hold: string; started: string } {
  const dir = mkdtempSync(join(tmpdir(), 'batchctl-dashboard-git-'));
  const hold = join(dir, 'hold');
  const started = join(dir, 'started');
  mkdirSync(started);
  const real = spawnSync('bash', ['-c', 'command -v git'], { encoding: 'utf8' }).stdout.trim();
  const script = `#!/usr/bin/env bash
${GIT_SUBCOMMAND}
if [ "$sub" = fast-import ]; then
  # mkdir is atomic: two fast-imports starting at once still take two numbers
  n=1
  while ! mkdir ${JSON.stringify(started)}/"$n" 2>/dev/null; do n=$((n + 1)); done
  # a hold file caught mid-write reads empty: that holds too (the next look reads it whole)
  while [ -e ${JSON.stringify(hold)} ]; do
    h=$(cat ${JSON.stringify(hold)} 2>/dev/null || true)
    [ "$n" -ge "\${h:-0}" ] || break
    sleep 0.02
  done
fi
exec ${JSON.stringify(real)} "$@"
`;
  writeFileSync(join(dir, 'git'), script);
  chmodSync(join(dir, 'git'), 0o755);
  return { dir, hold, started };
}

/** The page follows the event stream (WebSocket, or SSE should a loaded machine make the first WebSocket fail). */
export const live = (p: WatchedPage['page']): Promise<void> =>
  p.locator('#connection:is([data-transport="websocket"], [data-transport="sse"])').waitFor();

/** Call at the top of a test file: the server and browser start before its tests and stop after them. */
export function useDashboardServer({ holdPacks = false }: { holdPacks?: boolean } = {}): DashboardServer {
  const tokens = Object.fromEntries(Object.keys(ROLES).map((name) => [name, randomBytes(24).toString('hex')])) as Record<Who, string>;
  let browser: Browser | undefined;
  const pages: WatchedPage[] = [];
  const context = { tokens } as DashboardServer;
  const gitBin = holdPacks ? packHoldingGit() : null;
  context.holdPacks = ({ skip = 0 } = {}) => {
    if (!gitBin) throw new Error('useDashboardServer({ holdPacks: true }) holds packs');
    const started = readdirSync(gitBin.started).length;
    // whole or not at all: a wrapper reading it mid-write must not see a number it was never given
    writeFileSync(`${gitBin.hold}.new`, String(started + 1 + skip));
    renameSync(`${gitBin.hold}.new`, gitBin.hold);
  };
  context.releasePacks = () => {
    if (gitBin) rmSync(gitBin.hold, { force: true });
  };
  context.api = (path, init = {}) =>
    fetch(`${context.server.url}${path}`, {
      method: init.method ?? 'GET',
      headers: { Authorization: `Bearer ${tokens[init.as ?? 'client']}`, 'content-type': 'application/json' },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });
  context.page = async (options = {}) => {
    if (!browser) throw new Error('the browser is not started');
    const watched = await openPage(browser, options);
    pages.push(watched);
    return watched;
  };
  context.storedSeqs = async (batchId) => {
    const text = await (await context.api(`/api/batches/${batchId}/events`)).text();
    return [...text.matchAll(/^id: (\d+)$/gm)].map((m) => Number(m[1]));
  };

  beforeAll(async () => {
    context.repo = gitRepo({ 'docs/a.txt': 'a\n' });
    context.repo.commitAll('seed');
    const file = join(context.repo.dir, '.git', 'tokens.ndjson');
    const sha = (token: string): string => createHash('sha256').update(token).digest('hex');
    const lines = Object.entries(ROLES).map(([name, role]) => JSON.stringify({ name, role, sha256: sha(tokens[name as Who]) }));
    writeFileSync(file, `${lines.join('\n')}\n`);
    const path: Record<string, string> = gitBin ? { PATH: `${gitBin.dir}${delimiter}${process.env.PATH ?? ''}` } : {};
    context.server = await spawnServe({ cwd: context.repo.dir, env: { BATCHCTL_TOKENS_FILE: file, ...path } });
    browser = await launchChromium();
    mkdirSync(SHOTS, { recursive: true });
  });

  // A page left open would go on reading the API on every event of the later tests (and spend its token's rate limit).
  afterEach(async () => {
    // A test that failed while holding must not leave the next ones' batches waiting.
    context.releasePacks();
    for (const p of pages.splice(0)) await p.context.close();
    // A test that failed half-way through a stop must not refuse the batches of the next ones.
    const { stop } = (await (await context.api('/api/control')).json()) as { stop: { enabled: boolean; disabled_ecosystems: string[] } };
    if (!stop.enabled) await context.api('/api/control/resume', { method: 'POST', body: {} });
    for (const ecosystem of stop.disabled_ecosystems) await context.api('/api/control/resume', { method: 'POST', body: { ecosystem } });
  });

  afterAll(async () => {
    await browser?.close();
    const { server, repo } = context;
    if (server && server.child.exitCode === null) server.child.kill('SIGTERM');
    await server?.exited;
    if (repo) removeRepo(repo);
    if (gitBin) rmSync(gitBin.dir, { recursive: true, force: true });
  });
  return context;
}
