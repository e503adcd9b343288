// ws-200 (issue 13): 200 WebSocket clients subscribed to every event while a 10,000-write batch,
// submitted over HTTP, runs on the real `batchctl serve` (a child process, so its RSS is its own).
/*
 * Lost events: after the batch, one more client replays the batch's stored events (`subscribe` with
 * its batch_id and after_seq 0); every client must have received exactly that seq list, once each,
 * in order. Delay: receipt time minus the event's `at` (server and clients share this machine's
 * clock; `at` has millisecond resolution). RSS: the server's VmRSS before the clients connect and
 * after the batch, and its peak (VmHWM).
 */
import { join } from 'node:path';

import WebSocket from 'ws';

import { changeSet, seedRepo, settle } from './fixtures.js';
import { type BenchOptions, fmt, median, type Outcome, verdict } from './report.js';
import { batchBody, postAndWait, startBatchctlServe, type ServerChild } from './serve-child.js';

interface Envelope {
  seq?: number;
  type: string;
  batch_id?: string | null;
  at?: string;
}

const TERMINAL = new Set(['batch_complete', 'batch_failed', 'batch_cancelled', 'batch_refused']);

interface Client {
  socket: WebSocket;
  /** (seq, batch_id) of every event, in arrival order */
  seqs: number[];
  batches: (string | null)[];
  delays: number[];
  closeCode: number | null;
  /** resolves at the first terminal batch event, or when the socket closes */
  done: Promise<void>;
}

function connect(port: number, subscribe: Record<string, unknown>): Promise<Client> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/`);
    let finish: () => void = () => undefined;
    const client: Client = {
      socket,
      seqs: [],
      batches: [],
      delays: [],
      closeCode: null,
      done: new Promise<void>((r) => (finish = r)),
    };
    socket.on('open', () => socket.send(JSON.stringify({ type: 'subscribe', ...subscribe })));
    socket.on('error', reject);
    socket.on('close', (code) => {
      client.closeCode = code;
      finish();
    });
    socket.on('message', (raw) => {
      const received = Date.now();
      const message = JSON.parse(String(raw)) as Envelope;
      if (message.type === 'subscribed') return resolve(client);
      if (typeof message.seq !== 'number') return; // gap, dropped, pong: counted through the seq check
      client.seqs.push(message.seq);
      client.batches.push(message.batch_id ?? null);
      if (message.at) client.delays.push(received - Date.parse(message.at));
      if (TERMINAL.has(message.type)) finish();
    });
  });
}

const percentile = (xs: number[], p: number): number => {
  const s = Float64Array.from(xs).sort();
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
};

async function oneRun(server: ServerChild, clientCount: number, ops: number, round: number) {
  const { port, wsPort } = { port: server.port, wsPort: server.wsPort as number };
  const clients = await Promise.all(Array.from({ length: clientCount }, () => connect(wsPort, {})));
  const connectedKiB = server.rss().now;
  settle();
  const { seconds, batchId } = await postAndWait(port, batchBody(changeSet(100, ops, 100, round)));
  const deadline = new Promise<'late'>((r) => setTimeout(() => r('late'), 120_000).unref());
  if ((await Promise.race([Promise.all(clients.map((c) => c.done)), deadline])) === 'late')
    throw new Error('[ws-200] some clients had not seen the batch end 120 s after it did');
  const reference = await connect(wsPort, { batch_id: batchId, after_seq: 0 });
  await reference.done;
  reference.socket.close();
  const stored = reference.seqs;
  let lost = 0;
  let wrong = 0;
  const delays: number[] = [];
  for (const c of clients) {
    const mine = c.seqs.filter((_, i) => c.batches[i] === batchId);
    const got = new Set(mine);
    lost += stored.filter((s) => !got.has(s)).length;
    if (mine.length !== stored.length || mine.some((s, i) => s !== stored[i])) wrong++;
    for (let i = 0; i < c.seqs.length; i++) if (c.batches[i] === batchId) delays.push(c.delays[i] as number);
    c.socket.close();
  }
  const closed = clients.filter((c) => c.closeCode !== null && c.closeCode !== 1005 && c.closeCode !== 1000).length;
  return { seconds, connectedKiB, stored: stored.length, lost, wrong, closed, p99: percentile(delays, 99), p50: percentile(delays, 50) };
}

export async function wsFanout({ quick, root }: BenchOptions): Promise<Outcome[]> {
  const ops = quick ? 2_000 : 10_000;
  const clientCount = 200;
  const repeats = quick ? 1 : 3;
  const dir = join(root, 'ws-200');
  seedRepo(join(dir, 'repo'), 100);
  const server = await startBatchctlServe(join(dir, 'repo'), join(dir, 'serve.log'));
  const runs: Awaited<ReturnType<typeof oneRun>>[] = [];
  let before: number;
  let after: { now: number; peak: number };
  try {
    before = server.rss().now;
    for (let k = 0; k < repeats; k++) {
      const run = await oneRun(server, clientCount, ops, k);
      runs.push(run);
      console.error(
        `[ws-200] run ${k + 1}/${repeats}: batch ${fmt(run.seconds)} s, ${run.stored} stored events, ${run.lost} lost, ${run.wrong} clients off, ${run.closed} closed by the server, delay p50 ${run.p50} ms p99 ${run.p99} ms`,
      );
    }
    after = server.rss();
  } finally {
    await server.stop();
  }
  const lost = runs.reduce((n, r) => n + r.lost + r.wrong, 0);
  const pass = lost === 0;
  const mib = (kib: number): string => `${(kib / 1024).toFixed(0)} MiB`;
  return [
    {
      line: `ws-200: ${clientCount} clients × ${median(runs.map((r) => r.stored))} stored events a batch, ${runs.reduce((n, r) => n + r.lost, 0)} events lost, ${runs.reduce((n, r) => n + r.wrong, 0)} client streams not exactly the stored seqs (target 0) ${verdict(pass)}; delivery delay p99 ${median(runs.map((r) => r.p99))} ms (p50 ${median(runs.map((r) => r.p50))} ms) INFO  [${ops.toLocaleString('en-US')}-write batch over HTTP, real \`batchctl serve\`; median of ${repeats}]`,
      pass,
      row: {
        name: `ws-200 events lost (delivery p99 ${median(runs.map((r) => r.p99))} ms)`,
        figure: String(lost),
        baseline: '',
        ratio: '',
        goal: '0',
      },
    },
    {
      line: `ws-200 server RSS: ${mib(before)} before the clients, ${mib((runs[0] as { connectedKiB: number }).connectedKiB)} with ${clientCount} connected (before the first batch), ${mib(after.now)} after ${repeats} batches, peak ${mib(after.peak)} (no target) INFO`,
      pass: null,
      row: {
        name: 'ws-200 server RSS (after / before)',
        figure: mib(after.now),
        baseline: mib(before),
        ratio: `${(after.now / before).toFixed(2)}×`,
        goal: '—',
      },
    },
  ];
}
