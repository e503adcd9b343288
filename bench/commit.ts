// Commit benchmark: batchctl vs plain git (`write files; git add -A; git commit`) doing the same change.
/*
 * Usage:
 *   npm run bench              full sizes, the targets (about 5 minutes on 2 idle cores)
 *   npm run bench -- --quick   smoke run: 1,000 ops into 1,000 files / 50 ops into 10,000 files /
 *                              10,000-op NDJSON batch (the targets are printed but mean little)
 *   npm run bench -- --keep    leave the temporary repositories in place for inspection
 *   npm run bench -- --only S  run only the scenarios whose name contains S
 *
 * Method: each scenario seeds one repository (git fast-import, packed), then `cp -a` makes an
 * identical copy per contender and per repeat (index refreshed, untimed); the 100k-file scenario
 * reuses one copy per contender, reset to the seed between repeats. Every repeat writes new names and
 * bytes. Baseline and batchctl alternate run by run; each figure is the MEDIAN of the repeats (the
 * 100k-op scenario runs twice: its median is the mean). The baseline writes with fs.writeFileSync
 * from this process, then runs `git add -A` and `git commit -q`, all timed together. batchctl is
 * `node bin/batchctl.js run <file> --repo <dir> --json` in a child process, timed from spawn to exit,
 * and must exit 0, move HEAD and leave a Batch-Id trailer. Both trees are compared: the two
 * contenders must produce the same tree.
 * The RSS scenario runs the CLI inside a wrapper that records process.resourceUsage().maxRSS at exit.
 * The write scenarios also time the engine in this process, opened once on a third copy and warmed
 * up with one batch, as a long-running batchctl (HTTP API, MCP server) would run each batch: that
 * figure leaves out Node's start-up and module loading, which the one-shot CLI pays every time.
 */
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';

import {
  changeSet,
  copyRepo,
  git,
  openLongRunningEngine,
  runBaseline,
  runBatchctl,
  seedRepo,
  writeBatchFile,
  type LongRunningEngine,
} from './fixtures.js';
import { alternate, type BenchOptions, fmt, median, type Outcome, verdict } from './report.js';

interface Scenario {
  name: string;
  repoFiles: number;
  ops: number;
  /** bytes per written file */
  size: number;
  repeats: number;
  /**
   * One copy per contender, put back to the seed commit (`reset --hard`, untimed) between repeats,
   * instead of a fresh copy per repeat: a 100k-file copy costs ~7 s to make and as much to delete.
   */
  reuse: boolean;
  ratioTarget: number | null;
  /** peak RSS of the batchctl process, decimal MB */
  rssTargetMB: number | null;
  /** also time the engine in this process, as a long-running batchctl (HTTP API, MCP) runs batches */
  engine: boolean;
}

const scenarios = (quick: boolean): Scenario[] =>
  quick
    ? [
        {
          name: 'write-1k-into-1k',
          repoFiles: 1_000,
          ops: 1_000,
          size: 1024,
          repeats: 3,
          reuse: false,
          ratioTarget: 1.0,
          rssTargetMB: null,
          engine: true,
        },
        {
          name: 'write-50-into-10k',
          repoFiles: 10_000,
          ops: 50,
          size: 1024,
          repeats: 3,
          reuse: true,
          ratioTarget: 0.3,
          rssTargetMB: null,
          engine: true,
        },
        {
          name: 'ndjson-10k-ops',
          repoFiles: 100,
          ops: 10_000,
          size: 100,
          repeats: 2,
          reuse: false,
          ratioTarget: null,
          rssTargetMB: 300,
          engine: false,
        },
      ]
    : [
        {
          name: 'write-10k-into-10k',
          repoFiles: 10_000,
          ops: 10_000,
          size: 1024,
          repeats: 3,
          reuse: false,
          ratioTarget: 1.0,
          rssTargetMB: null,
          engine: true,
        },
        {
          name: 'write-50-into-100k',
          repoFiles: 100_000,
          ops: 50,
          size: 1024,
          repeats: 3,
          reuse: true,
          ratioTarget: 0.3,
          rssTargetMB: null,
          engine: true,
        },
        {
          name: 'ndjson-100k-ops',
          repoFiles: 100,
          ops: 100_000,
          size: 100,
          repeats: 2,
          reuse: false,
          ratioTarget: null,
          rssTargetMB: 300,
          engine: false,
        },
      ];

async function runScenario(root: string, sc: Scenario): Promise<Outcome[]> {
  const dir = join(root, sc.name);
  const seed = join(dir, 'seed');
  const t0 = Date.now();
  seedRepo(seed, sc.repoFiles);
  const seedCommit = git(seed, ['rev-parse', 'HEAD']);
  const copies = sc.reuse ? 1 : sc.repeats;
  for (let k = 0; k < copies; k++) {
    copyRepo(seed, join(dir, `baseline-${k}`));
    copyRepo(seed, join(dir, `batchctl-${k}`));
    if (sc.engine) copyRepo(seed, join(dir, `engine-${k}`));
  }
  const engines: LongRunningEngine[] = [];
  if (sc.engine)
    for (let k = 0; k < copies; k++) engines.push(await openLongRunningEngine(join(dir, `engine-${k}`), Math.min(sc.ops, 1000)));
  console.error(`[${sc.name}] fixtures ready in ${fmt((Date.now() - t0) / 1000)} s; load ${(loadavg()[0] ?? 0).toFixed(2)}; measuring`);

  const base: number[] = [];
  const ours: number[] = [];
  const rss: number[] = [];
  const inProcess: number[] = [];
  for (let k = 0; k < sc.repeats; k++) {
    const changes = changeSet(sc.repoFiles, sc.ops, sc.size, k);
    const batchFile = join(dir, `batch-${k}.ndjson`);
    writeBatchFile(batchFile, changes);
    const baseDir = join(dir, `baseline-${sc.reuse ? 0 : k}`);
    const ourDir = join(dir, `batchctl-${sc.reuse ? 0 : k}`);
    const engineDir = join(dir, `engine-${sc.reuse ? 0 : k}`);
    if (sc.reuse && k > 0)
      for (const d of [baseDir, ourDir, ...(sc.engine ? [engineDir] : [])]) git(d, ['reset', '-q', '--hard', seedCommit]);
    const measureOurs = (): void => {
      const r = runBatchctl(ourDir, batchFile, join(dir, `out-${k}.ndjson`), sc.rssTargetMB ? join(dir, `rss-${k}`) : undefined);
      ours.push(r.seconds);
      if (r.maxRssKiB !== null) rss.push(r.maxRssKiB);
      const last =
        readFileSync(join(dir, `out-${k}.ndjson`), 'utf8')
          .trimEnd()
          .split('\n')
          .pop() ?? '{}';
      const status = (JSON.parse(last) as { status?: string }).status;
      if (status !== 'completed') throw new Error(`[${sc.name}] batchctl finished with status ${status}`);
    };
    const measureBase = (): void => {
      base.push(runBaseline(baseDir, changes));
    };
    alternate(k, measureBase, measureOurs);
    const engine = engines[sc.reuse ? 0 : k];
    if (engine) inProcess.push(await engine.run(batchFile));
    // Everything the change touches is under src/; batchctl also charges its budget in batch-control.json.
    const expected = git(baseDir, ['rev-parse', 'HEAD:src']);
    for (const [who, d] of [['batchctl', ourDir], ...(engine ? [['the engine', engineDir]] : [])] as const) {
      if (git(d, ['rev-parse', 'HEAD:src']) !== expected)
        throw new Error(`[${sc.name}] ${who} and baseline produced different trees (run ${k})`);
    }
    const engineNote = engine ? `, engine in-process ${fmt(inProcess[k] as number)} s` : '';
    console.error(
      `[${sc.name}] run ${k + 1}/${sc.repeats}: batchctl ${fmt(ours[k] as number)} s, baseline ${fmt(base[k] as number)} s${engineNote}, same tree`,
    );
  }
  for (const engine of engines) engine.close();

  const b = median(ours);
  const g = median(base);
  const ratio = b / g;
  const outcomes: Outcome[] = [];
  const what = `${sc.ops.toLocaleString('en-US')} write ops of ${sc.size} B into ${sc.repoFiles.toLocaleString('en-US')} files`;
  const target = sc.ratioTarget === null ? '(no target)' : `(target ≤ ${sc.ratioTarget.toFixed(1)}×)`;
  const pass = sc.ratioTarget === null ? null : ratio <= sc.ratioTarget;
  outcomes.push({
    line: `${sc.name}: batchctl ${fmt(b)} s, baseline ${fmt(g)} s, ratio ${ratio.toFixed(2)}× ${target} ${pass === null ? 'INFO' : verdict(pass)}  [${what}; median of ${sc.repeats}${sc.repeats === 2 ? ' = mean' : ''}]`,
    pass,
    row: {
      name: sc.name,
      figure: `${fmt(b)} s`,
      baseline: `${fmt(g)} s`,
      ratio: `${ratio.toFixed(2)}×`,
      goal: sc.ratioTarget === null ? '—' : `≤ ${sc.ratioTarget.toFixed(1)}×`,
    },
  });
  if (sc.engine) {
    const e = median(inProcess);
    outcomes.push({
      line: `${sc.name} (engine in a long-running process): batchctl ${fmt(e)} s, baseline ${fmt(g)} s, ratio ${(e / g).toFixed(2)}× (no target: the issue's figure is the CLI's) INFO  [engine.run on a warmed-up engine, batch parse included, no process start; median of ${sc.repeats}]`,
      pass: null,
      row: {
        name: `${sc.name} (engine in-process)`,
        figure: `${fmt(e)} s`,
        baseline: `${fmt(g)} s`,
        ratio: `${(e / g).toFixed(2)}×`,
        goal: '—',
      },
    });
  }
  if (sc.rssTargetMB !== null) {
    const mb = (Math.max(...rss) * 1024) / 1e6; // maxRSS is KiB; targets are decimal MB
    const ok = mb <= sc.rssTargetMB;
    outcomes.push({
      line: `${sc.name}: peak RSS ${mb.toFixed(0)} MB (target ≤ ${sc.rssTargetMB} MB) ${verdict(ok)}  [batchctl process, max of ${rss.length}]`,
      pass: ok,
      row: { name: `${sc.name} peak RSS`, figure: `${mb.toFixed(0)} MB`, baseline: '', ratio: '', goal: `≤ ${sc.rssTargetMB} MB` },
    });
  }
  return outcomes;
}

/** The commit scenarios whose name contains `only` (all without it). */
export async function commitBench({ quick, root }: BenchOptions, only?: string): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const sc of scenarios(quick).filter((s) => only === undefined || s.name.includes(only)))
    outcomes.push(...(await runScenario(root, sc)));
  return outcomes;
}
