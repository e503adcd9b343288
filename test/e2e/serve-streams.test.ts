// `batchctl serve` wires the event streams and metrics to its one engine: a batch submitted over HTTP
// is seen, in order and once, by a WebSocket client on the WebSocket port, one at /ws on the HTTP
// port and an SSE reader, and moves the Prometheus counters (docs/serve.md).
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

import { gitRepo, removeRepo, type TestRepo } from '../helpers/git-repo.js';
import { spawnServe, type ServeProcess } from '../helpers/serve-process.js';

const repos: TestRepo[] = [];
const servers: ServeProcess[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) {
    if (server.child.exitCode === null) server.child.kill('SIGKILL');
    await server.exited;
  }
  for (const repo of repos.splice(0)) removeRepo(repo);
});

interface Envelope {
  seq?: number;
  type: string;
  batch_id?: string | null;
}

/** A client subscribed to every event after seq 0; `done` resolves at the batch's final event. */
function follow(url: string): { opened: Promise<void>; events: Envelope[]; done: (batchId: () => string | null) => Promise<Envelope[]> } {
  const socket = new WebSocket(url, { headers: { origin: 'http://localhost:8022' } });
  const events: Envelope[] = [];
  const waiters: Array<() => void> = [];
  socket.on('message', (raw: Buffer) => {
    events.push(JSON.parse(raw.toString('utf8')) as Envelope);
    for (const wake of waiters.splice(0)) wake();
  });
  const opened = new Promise<void>((resolve, reject) => {
    socket.once('open', () => {
      socket.send(JSON.stringify({ type: 'subscribe', after_seq: 0 }));
      resolve();
    });
    socket.once('error', reject);
  });
  const done = async (batchId: () => string | null): Promise<Envelope[]> => {
    for (;;) {
      const id = batchId();
      if (id && events.some((e) => e.batch_id === id && e.type === 'batch_complete')) break;
      await new Promise<void>((wake) => waiters.push(wake));
    }
    socket.close();
    return events;
  };
  return { opened, events, done };
}

describe('batchctl serve: events and metrics', () => {
  it('streams a batch over WebSocket (both ports) and SSE, in order, once, and counts it in /metrics', async () => {
    const repo = gitRepo({ 'a.txt': 'a\n' });
    repo.commitAll('seed');
    repos.push(repo);
    const server = await spawnServe({ cwd: repo.dir });
    servers.push(server);
    const own = follow(`ws://127.0.0.1:${server.wsPort}`);
    const shared = follow(`${server.url.replace('http', 'ws')}/ws`);
    await Promise.all([own.opened, shared.opened]);

    let batchId: string | null = null;
    const response = await fetch(`${server.url}/api/batch?wait=1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 't', ecosystem: 'npm', operations: [{ type: 'write', target: 'b.txt', content: 'b\n' }] }),
    });
    const result = (await response.json()) as { batch_id: string; success_count: number };
    expect(response.status).toBe(200);
    batchId = result.batch_id;

    for (const client of [own, shared]) {
      const ofBatch = (await client.done(() => batchId)).filter((e) => e.batch_id === batchId && e.seq !== undefined);
      const types = ofBatch.map((e) => e.type);
      expect(types[0]).toBe('batch_started');
      expect(types.at(-1)).toBe('batch_complete');
      const seqs = ofBatch.map((e) => e.seq as number);
      expect(seqs).toEqual([...new Set(seqs)].sort((x, y) => x - y)); // in order, none twice
    }

    // SSE: the batch's stored events from the start, ending with its final one.
    const sse = await fetch(`${server.url}/api/batches/${batchId}/events?after_seq=0`);
    expect(sse.status).toBe(200);
    const text = await sse.text(); // the stream ends after the batch's final event
    const sseTypes = [...text.matchAll(/^event: (\S+)$/gm)].map((m) => m[1]);
    expect(sseTypes[0]).toBe('batch_started');
    expect(sseTypes.at(-1)).toBe('batch_complete');
    const wsTypes = shared.events.filter((e) => e.batch_id === batchId && e.seq !== undefined).map((e) => e.type);
    expect(sseTypes).toEqual(wsTypes);

    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toMatch(/^batchctl_batches_total\{[^}]*status="completed"[^}]*\} 1$/m);
    expect(metrics).toMatch(/^batchctl_http_requests_total\{/m);
  });
});
