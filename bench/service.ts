// The engine as a long-lived service (issue 12): what a server gains by keeping one engine open.
/*
 * service-50-into-1k / service-50-into-100k: 50 writes through an engine opened once and warmed up,
 *   `submit` then `wait`, against the one-shot baseline `write; git add -A; git commit` on an identical
 *   copy; the engine's time should be flat in repository size (its time at 100k / at 1k ≤ 1.3).
 * queue-100x1: 100 one-write batches submitted at once to one engine (then all waited for), against
 *   100 sequential `batchctl run` processes on an identical copy (target ≥ 3× faster).
 * subscribe-10k: the apply time (batch_started → the last step's progress) of a 10,000-write batch with
 *   0 and with 50 subscribers following it live (target: within 10 %).
 * Every figure is the median of its repeats; contenders alternate which goes first.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { changeSet, copyRepo, git, PROJECT, runBaseline, seedRepo, settle, timeBatchctl, writeBatchFile, type Change } from './fixtures.js';
import { type BenchOptions, fmt, median, type Outcome, verdict } from './report.js';

type Engine = import('../controller/engine/index.js').Engine;
type Batch = import('../controller/domain/index.js').Batch;

const dist = (path: string): string => pathToFileURL(join(PROJECT, 'dist', 'controller', path)).href;

async function open(dir: string): Promise<Engine> {
  const { openEngine } = (await import(dist('app/index.js'))) as typeof import('../controller/app/index.js');
  return openEngine({
    repo: dir,
    env: { BATCHCTL_LOG_LEVEL: 'silent', BATCHCTL_AUTHOR_NAME: 'bench', BATCHCTL_AUTHOR_EMAIL: 'bench@localhost' },
  });
}

async function toBatch(changes: readonly Change[], title = 'bench'): Promise<Batch> {
  const { parseBatchValue } = (await import(dist('domain/index.js'))) as typeof import('../controller/domain/index.js');
  return parseBatchValue({
    title,
    ecosystem: 'npm',
    requested_by: 'bench',
    operations: changes.map((c) => ({ type: 'write', target: c.path, content: c.content })),
  });
}

async function submitAndWait(engine: Engine, batch: Batch): Promise<number> {
  settle();
  const start = performance.now();
  const { batch_id } = await engine.submit(batch, { source: 'bench' });
  const result = await engine.wait(batch_id);
  const seconds = (performance.now() - start) / 1000;
  if (result.status !== 'completed') throw new Error(`batch ${batch_id} ended ${result.status}`);
  return seconds;
}

/** 50 writes, engine vs baseline, on one repository size: the median ratio. */
async function fiftyWrites(root: string, files: number, repeats: number): Promise<{ engine: number; base: number }> {
  const dir = join(root, `service-50-into-${files}`);
  seedRepo(join(dir, 'seed'), files);
  const seedCommit = git(join(dir, 'seed'), ['rev-parse', 'HEAD']);
  copyRepo(join(dir, 'seed'), join(dir, 'baseline'));
  copyRepo(join(dir, 'seed'), join(dir, 'engine'));
  const engine = await open(join(dir, 'engine'));
  try {
    await submitAndWait(engine, await toBatch(changeSet(files, 50, 1024, 99), 'warm-up')); // compiled code, open readers
    const ours: number[] = [];
    const base: number[] = [];
    for (let k = 0; k < repeats; k++) {
      const changes = changeSet(files, 50, 1024, k);
      const batch = await toBatch(changes);
      if (k > 0) git(join(dir, 'baseline'), ['reset', '-q', '--hard', seedCommit]);
      if (k % 2 === 0) {
        base.push(runBaseline(join(dir, 'baseline'), changes));
        ours.push(await submitAndWait(engine, batch));
      } else {
        ours.push(await submitAndWait(engine, batch));
        base.push(runBaseline(join(dir, 'baseline'), changes));
      }
      console.error(
        `[service-50-into-${files}] run ${k + 1}/${repeats}: engine ${fmt(ours[k] as number)} s, baseline ${fmt(base[k] as number)} s`,
      );
    }
    return { engine: median(ours), base: median(base) };
  } finally {
    await engine.close();
  }
}

async function queueHundred(root: string, count: number): Promise<Outcome> {
  const dir = join(root, 'queue-100x1');
  seedRepo(join(dir, 'seed'), 1000);
  copyRepo(join(dir, 'seed'), join(dir, 'cli'));
  copyRepo(join(dir, 'seed'), join(dir, 'engine'));
  const one = (i: number): Change[] => [{ path: `src/q/q-${i}.txt`, content: `queued ${i}\n` }];
  const engine = await open(join(dir, 'engine'));
  let queued: number;
  try {
    await submitAndWait(engine, await toBatch([{ path: 'warmup/w.txt', content: 'w\n' }]));
    const batches = await Promise.all(Array.from({ length: count }, (_, i) => toBatch(one(i))));
    settle();
    const start = performance.now();
    const ids = await Promise.all(batches.map(async (b) => (await engine.submit(b, { source: 'bench' })).batch_id));
    const results = await Promise.all(ids.map((id) => engine.wait(id)));
    queued = (performance.now() - start) / 1000;
    if (results.some((r) => r.status !== 'completed')) throw new Error('[queue-100x1] a queued batch did not complete');
  } finally {
    await engine.close();
  }
  let cli = 0;
  for (let i = 0; i < count; i++) {
    const file = join(dir, `one-${i}.ndjson`);
    writeBatchFile(file, one(i));
    cli += timeBatchctl(['run', file, '--repo', join(dir, 'cli'), '--json']).seconds;
  }
  if (git(join(dir, 'cli'), ['rev-parse', 'HEAD:src']) !== git(join(dir, 'engine'), ['rev-parse', 'HEAD:src']))
    throw new Error('[queue-100x1] the engine and the CLI produced different trees');
  const speedup = cli / queued;
  const pass = speedup >= 3;
  return {
    line: `queue-100x1: engine ${fmt(queued)} s (${(count / queued).toFixed(1)} batches/s), ${count} sequential CLI runs ${fmt(cli)} s (${(count / cli).toFixed(1)} batches/s), ${speedup.toFixed(1)}× faster (target ≥ 3×) ${verdict(pass)}  [${count} one-write batches submitted at once]`,
    pass,
    row: {
      name: 'queue-100x1 (speed-up)',
      figure: `${fmt(queued)} s`,
      baseline: `${fmt(cli)} s`,
      ratio: `${speedup.toFixed(1)}×`,
      goal: '≥ 3×',
    },
  };
}

/** Apply time of one 10,000-write batch with `subscribers` live subscribers. */
async function applyTime(engine: Engine, batch: Batch, subscribers: number): Promise<number> {
  const offs = Array.from({ length: subscribers }, () => engine.subscribe({ after_seq: Number.MAX_SAFE_INTEGER }, () => undefined));
  let began = 0;
  let ended = 0;
  const off = engine.on((event) => {
    if (event.type === 'batch_started') began = performance.now();
    const data = event.data as { completed?: number; failed?: number; total?: number };
    if (event.type === 'batch_progress' && (data.completed ?? 0) + (data.failed ?? 0) === data.total) ended = performance.now();
  });
  try {
    await submitAndWait(engine, batch);
  } finally {
    off();
    for (const unsubscribe of offs) unsubscribe();
  }
  return (ended - began) / 1000;
}

async function subscribeOverhead(root: string, ops: number, repeats: number): Promise<Outcome> {
  const dir = join(root, 'subscribe-10k');
  seedRepo(join(dir, 'seed'), 100);
  const engine = await open(join(dir, 'seed'));
  const none: number[] = [];
  const fifty: number[] = [];
  try {
    await applyTime(engine, await toBatch(changeSet(100, ops, 100, 99)), 50); // warm-up
    for (let k = 0; k < repeats; k++) {
      const a = await toBatch(changeSet(100, ops, 100, 2 * k));
      const b = await toBatch(changeSet(100, ops, 100, 2 * k + 1));
      if (k % 2 === 0) {
        none.push(await applyTime(engine, a, 0));
        fifty.push(await applyTime(engine, b, 50));
      } else {
        fifty.push(await applyTime(engine, b, 50));
        none.push(await applyTime(engine, a, 0));
      }
      console.error(
        `[subscribe-10k] run ${k + 1}/${repeats}: 0 subscribers ${fmt(none[k] as number)} s, 50 subscribers ${fmt(fifty[k] as number)} s`,
      );
    }
  } finally {
    await engine.close();
  }
  const ratio = median(fifty) / median(none);
  const pass = ratio <= 1.1;
  return {
    line: `subscribe-${ops / 1000}k: apply with 50 subscribers ${fmt(median(fifty))} s, with none ${fmt(median(none))} s, ratio ${ratio.toFixed(2)}× (target ≤ 1.1×) ${verdict(pass)}  [${ops.toLocaleString('en-US')} writes of 100 B; median of ${repeats}]`,
    pass,
    row: {
      name: `subscribe-${ops / 1000}k`,
      figure: `${fmt(median(fifty))} s`,
      baseline: `${fmt(median(none))} s`,
      ratio: `${ratio.toFixed(2)}×`,
      goal: '≤ 1.1×',
    },
  };
}

export async function serviceBench({ quick, root }: BenchOptions, wants: (name: string) => boolean): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  const repeats = quick ? 3 : 5;
  if (wants('service-50')) {
    const big = quick ? 10_000 : 100_000;
    const small = await fiftyWrites(root, 1_000, repeats);
    const large = await fiftyWrites(root, big, repeats);
    for (const [files, m] of [
      [1_000, small],
      [big, large],
    ] as const) {
      const ratio = m.engine / m.base;
      outcomes.push({
        line: `service-50-into-${files / 1000}k: engine (submit + wait) ${fmt(m.engine)} s, baseline ${fmt(m.base)} s, ratio ${ratio.toFixed(2)}× (target ≤ 0.5×) ${verdict(ratio <= 0.5)}  [50 writes of 1 KiB into ${files.toLocaleString('en-US')} files; warmed-up engine; median of ${repeats}]`,
        pass: ratio <= 0.5,
        row: {
          name: `service-50-into-${files / 1000}k`,
          figure: `${fmt(m.engine)} s`,
          baseline: `${fmt(m.base)} s`,
          ratio: `${ratio.toFixed(2)}×`,
          goal: '≤ 0.5×',
        },
      });
    }
    // Flat in repository size: the engine's own time for the same 50 writes, large repository over small.
    const flat = large.engine / small.engine;
    outcomes.push({
      line: `service-50 flatness: engine ${fmt(large.engine)} s at ${big.toLocaleString('en-US')} files / ${fmt(small.engine)} s at 1,000 files = ${flat.toFixed(2)} (target ≤ 1.3) ${verdict(flat <= 1.3)}  [baseline: ${fmt(large.base)} s / ${fmt(small.base)} s = ${(large.base / small.base).toFixed(2)}]`,
      pass: flat <= 1.3,
      row: {
        name: 'service-50 flatness (100k/1k)',
        figure: `${fmt(large.engine)} s`,
        baseline: `${fmt(small.engine)} s`,
        ratio: flat.toFixed(2),
        goal: '≤ 1.3',
      },
    });
  }
  if (wants('queue')) outcomes.push(await queueHundred(root, quick ? 20 : 100));
  if (wants('subscribe')) outcomes.push(await subscribeOverhead(root, quick ? 2_000 : 10_000, quick ? 3 : 5));
  return outcomes;
}
