// Load (issue 17, docs/reliability.md#load): autocannon against the real `batchctl serve` (a child
// process) while batches submitted over HTTP run and 200 WebSocket clients listen the whole time.
// 0 errors other than 429 (the rate limit doing its job), RSS growth under 10 % after warm-up, no
// file-descriptor growth (/proc/<pid>/fd), and every client receives every stored event, in order.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import autocannon from 'autocannon';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';

import { gitRepo, removeRepo, type TestRepo } from '../helpers/git-repo.js';
import { spawnServe, type ServeProcess } from '../helpers/serve-process.js';
import { count, figure } from './stress-env.js';
import { writeTokensFile } from './writers.js';

const repos: TestRepo[] = [];
const servers: ServeProcess[] = [];
const sockets: WebSocket[] = [];
afterEach(async () => {
  for (const ws of sockets.splice(0)) ws.terminate();
  for (const s of servers.splice(0)) {
    s.child.kill('SIGTERM');
    await s.exited;
  }
  for (const repo of repos.splice(0)) removeRepo(repo);
});

const GC_PROBE = fileURLToPath(new URL('./gc-probe.cjs', import.meta.url));

interface Memory {
  rss: number;
  heapUsed: number;
  external: number;
}

/** The served process's memory right after a full collection (gc-probe.cjs answers SIGUSR2 on stderr). */
async function memoryAfterGc(server: ServeProcess, stderr: () => string): Promise<Memory> {
  const seen = stderr().split('gc-probe ').length;
  server.child.kill('SIGUSR2');
  for (;;) {
    const parts = stderr().split('gc-probe ');
    if (parts.length > seen) return JSON.parse((parts[parts.length - 1] as string).split('\n')[0] as string) as Memory;
    await new Promise((resolve) => setTimeout(resolve, 20)); // polling for its answer
  }
}
const fds = (pid: number): number => readdirSync(`/proc/${pid}/fd`).length;

interface Listener {
  ws: WebSocket;
  seqs: number[];
  afterSeq: number;
}

/** A client subscribed to every event (or replaying from `afterSeq`), recording each seq it receives. */
function listen(port: number, token: string, afterSeq?: number): Promise<Listener> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/`, { headers: { authorization: `Bearer ${token}` } });
  sockets.push(ws);
  const listener: Listener = { ws, seqs: [], afterSeq: -1 };
  return new Promise((resolve, reject) => {
    ws.on('open', () => ws.send(JSON.stringify({ type: 'subscribe', ...(afterSeq === undefined ? {} : { after_seq: afterSeq }) })));
    ws.on('error', reject);
    ws.on('message', (raw) => {
      const message = JSON.parse(String(raw)) as { type: string; seq?: number; after_seq?: number };
      if (message.type === 'subscribed') {
        listener.afterSeq = message.after_seq ?? -1;
        resolve(listener);
      } else if (typeof message.seq === 'number') listener.seqs.push(message.seq);
      else if (message.type === 'gap' || message.type === 'dropped') listener.seqs.push(-1); // counted as lost below
    });
  });
}

describe('load', () => {
  it('autocannon with batches running and 200 WebSocket clients: only 429s, flat RSS and fds, no lost event', async () => {
    const seconds = count('load_seconds', 10, 60);
    const clients = count('ws_clients', 200, 200);
    const repo = gitRepo({ 'a.txt': 'a\n' });
    repos.push(repo);
    const tokensFile = join(repo.dir, '.git', 'tokens.jsonl');
    // a token for the load, one for the batches, one for the listeners: each its own rate limit
    const [loadToken, batchToken, viewerToken] = writeTokensFile(tokensFile, 3) as [string, string, string];
    writeFileSync(
      tokensFile,
      readFileSync(tokensFile, 'utf8').replace('"name":"writer-2","role":"operator"', '"name":"writer-2","role":"viewer"'),
    );
    const server = await spawnServe({
      cwd: repo.dir,
      env: { BATCHCTL_TOKENS_FILE: tokensFile, NODE_OPTIONS: `--expose-gc --require ${GC_PROBE}` },
      args: ['--host', '127.0.0.1'],
    });
    servers.push(server);
    let stderr = '';
    server.child.stderr?.on('data', (chunk: string) => (stderr += chunk));
    const pid = server.child.pid as number;
    const listeners = await Promise.all(Array.from({ length: clients }, () => listen(server.wsPort, viewerToken)));

    // Batches for the whole run: one after the other over HTTP, each waiting for its end.
    let running = true;
    const landed: string[] = [];
    const statuses: Record<string, number> = {};
    const driver = (async () => {
      for (let i = 0; running; i++) {
        const response = await fetch(`${server.url}/api/batch?wait=1`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${batchToken}` },
          body: JSON.stringify({
            title: `load ${i}`,
            ecosystem: 'npm',
            requested_by: 'load',
            operations: Array.from({ length: 20 }, (_, k) => ({ type: 'write', target: `load/${i}/${k}.txt`, content: `${i} ${k}\n` })),
          }),
        });
        statuses[response.status] = (statuses[response.status] ?? 0) + 1;
        const body = (await response.json()) as { batch_id?: string; status?: string };
        // a 429: again in a second, not after all of Retry-After (the run may end meanwhile, and the driver with it)
        if (response.status === 429) await new Promise((resolve) => setTimeout(resolve, 1000));
        else if (body.status === 'completed') landed.push(body.batch_id as string);
        else throw new Error(`a load batch ended ${response.status}: ${JSON.stringify(body)}`);
      }
    })();

    const cannon = (duration: number) =>
      autocannon({
        url: server.url,
        connections: 10,
        duration,
        headers: { authorization: `Bearer ${loadToken}` },
        requests: [
          { method: 'GET', path: '/health' },
          { method: 'GET', path: '/api/batches?limit=20' },
          { method: 'GET', path: '/api/control' },
          { method: 'GET', path: '/metrics' },
          {
            method: 'POST',
            path: '/api/validate',
            headers: { 'content-type': 'application/json' },
            body: '{"title":"v","ecosystem":"npm","requested_by":"x","operations":[{"type":"write","target":"v.txt","content":"v"}]}',
          },
        ],
      });
    // RSS climbs for the first ~15 s (caches, JIT, the allocator's arenas), then levels off (docs/reliability.md#load)
    const warmup = await cannon(Math.max(10, Math.round(seconds / 4)));
    const warm = { memory: await memoryAfterGc(server, () => stderr), fds: fds(pid) };
    // The load in five stretches, memory read after a collection at the end of each: the series shows
    // whether RSS levels off or keeps climbing.
    const stretches: autocannon.Result[] = [];
    const series: number[] = [warm.memory.rss];
    for (let i = 0; i < 5; i++) {
      stretches.push(await cannon(Math.max(2, Math.round(seconds / 5))));
      series.push((await memoryAfterGc(server, () => stderr)).rss);
    }
    running = false;
    await driver;
    const end = { memory: await memoryAfterGc(server, () => stderr), fds: fds(pid) };

    // A reference client replays the stored events since the listeners subscribed: what each must have had.
    const from = Math.min(...listeners.map((l) => l.afterSeq));
    const last = Math.max(...listeners.map((l) => l.seqs[l.seqs.length - 1] ?? from));
    const reference = await listen(server.wsPort, viewerToken, from);
    for (let i = 0; (reference.seqs[reference.seqs.length - 1] ?? from) < last && i < 600; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50)); // the replay arriving
    }
    const stored = reference.seqs.filter((seq) => seq <= last);
    const lost = listeners.reduce(
      (n, l) => n + stored.filter((seq, i) => l.seqs[i] !== seq).length + l.seqs.filter((s) => s === -1).length,
      0,
    );

    const codes = (...runs: autocannon.Result[]): Record<string, number> => {
      const all: Record<string, number> = {};
      for (const r of runs)
        for (const [code, stat] of Object.entries(r.statusCodeStats ?? {})) all[code] = (all[code] ?? 0) + (stat.count ?? 0);
      return all;
    };
    const load = {
      requests: stretches.reduce((n, r) => n + r.requests.total, 0),
      errors: stretches.reduce((n, r) => n + r.errors, 0),
      timeouts: stretches.reduce((n, r) => n + r.timeouts, 0),
    };
    const result = {
      seconds,
      requests: load.requests,
      rps: Math.round(load.requests / seconds),
      errors: load.errors,
      timeouts: load.timeouts,
      codes: codes(...stretches),
      warmupCodes: codes(warmup),
      batches: landed.length,
      batchStatuses: statuses,
      clients,
      events: stored.length,
      lost,
      afterGc: {
        rssMiB: [warm.memory.rss, end.memory.rss].map((b) => Math.round(b / 2 ** 20)),
        heapMiB: [warm.memory.heapUsed, end.memory.heapUsed].map((b) => Math.round(b / 2 ** 20)),
        rssGrowth: (end.memory.rss - warm.memory.rss) / warm.memory.rss,
        rssSeriesMiB: series.map((b) => Math.round(b / 2 ** 20)),
      },
      fds: { warm: warm.fds, end: end.fds },
    };
    figure('load', result);
    expect(load.errors + load.timeouts + warmup.errors).toBe(0);
    expect(Object.keys(result.codes).filter((code) => !code.startsWith('2') && code !== '429')).toEqual([]);
    expect(landed.length).toBeGreaterThan(0);
    expect(stored.length).toBeGreaterThan(landed.length);
    expect(lost).toBe(0);
    expect(listeners.every((l) => l.ws.readyState === WebSocket.OPEN)).toBe(true);
    expect(result.afterGc.rssGrowth).toBeLessThan(0.1);
    expect(end.fds).toBeLessThanOrEqual(warm.fds);
  });
});
