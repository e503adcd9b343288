// Single-object reads in a long-lived process, three ways (docs/benchmarks.md, "Single-object
// reads"): isomorphic-git in-process (what git/objects.ts used before), one persistent
// `git cat-file --batch` process (what it uses now), and a git process per read (what one-shot CLI
// commands used). Not part of `npm run bench`: run it on its own after `npm run build`:
//   node dist/bench/object-reads.js [--rounds 7] [--reads 1000] [--commits 2000]
import { spawnSync } from 'node:child_process';
import fs, { closeSync, mkdirSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

import { createRunner, openGit, type GitRunner } from '../controller/git/index.js';
import { median } from './report.js';

const arg = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const ROUNDS = arg('rounds', 7);
const READS = arg('reads', 1000);
const COMMITS = arg('commits', 2000);
/** A process per read costs milliseconds: fewer of them give the same per-read figure sooner. */
const SPAWNED_READS = Math.max(1, Math.floor(READS / 10));

const git = (dir: string, args: string[]): string => {
  const r = spawnSync('git', args, { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
};

/**
 * `commits` commits, each tagged (annotated), refs packed; objects packed as after `git gc`, or
 * (`loose`) each in its own file, as a batch's fresh commit and tags are until the next gc.
 */
function seed(dir: string, format: 'sha1' | 'sha256', loose: boolean): void {
  mkdirSync(dir, { recursive: true });
  git(dir, ['init', '-q', '-b', 'main', `--object-format=${format}`]);
  const file = join(dir, '..', `${format}.fast-import`);
  const fd = openSync(file, 'w');
  for (let i = 0; i < COMMITS; i++) {
    const message = `Bench batch ${i}\n\nBatch-Id: b-${i}\n`;
    writeSync(
      fd,
      `commit refs/heads/main\nmark :${i + 1}\ncommitter bench <bench@localhost> ${1_700_000_000 + i} +0000\ndata ${Buffer.byteLength(message)}\n${message}\n`,
    );
    writeSync(fd, `M 100644 inline data/${i % 500}.txt\ndata ${String(i).length + 1}\n${i}\n\n`);
    writeSync(fd, `tag batch/b-${i}\nfrom :${i + 1}\ntagger bench <bench@localhost> ${1_700_000_000 + i} +0000\ndata 4\nbch\n\n`);
  }
  closeSync(fd);
  const input = openSync(file, 'r');
  const r = spawnSync('git', ['-c', 'gc.auto=0', 'fast-import', '--quiet'], {
    cwd: dir,
    stdio: [input, 'ignore', 'pipe'],
    encoding: 'utf8',
  });
  closeSync(input);
  if (r.status !== 0) throw new Error(`fast-import: ${r.stderr}`);
  git(dir, ['reset', '-q', '--hard', 'main']);
  git(dir, ['gc', '-q']);
  if (loose) {
    const packs = join(dir, '.git', 'objects', 'pack');
    for (const name of fs.readdirSync(packs).filter((n) => n.endsWith('.pack'))) {
      const moved = join(dir, '..', name);
      fs.renameSync(join(packs, name), moved);
      fs.rmSync(join(packs, name.replace(/\.pack$/, '.idx')));
      const input = openSync(moved, 'r');
      const u = spawnSync('git', ['unpack-objects', '-q'], { cwd: dir, stdio: [input, 'ignore', 'pipe'], encoding: 'utf8' });
      closeSync(input);
      if (u.status !== 0) throw new Error(`unpack-objects: ${u.stderr}`);
    }
  }
}

interface Reads {
  commit(oid: string): Promise<string>;
  ref(ref: string): Promise<string | null>;
}

// isomorphic-git is loaded by name at run time, so this script neither pins it nor stops building
// once it is no longer a dependency; the contender is then skipped. The two calls it needs, typed.
interface Isogit {
  readCommit(args: { fs: unknown; dir: string; gitdir: string; oid: string; cache?: object }): Promise<{ commit: { tree: string } }>;
  resolveRef(args: { fs: unknown; dir: string; gitdir: string; ref: string; depth: number }): Promise<string>;
}
async function loadIsogit(): Promise<Isogit | null> {
  const name = 'isomorphic-git';
  try {
    return ((await import(name)) as { default: Isogit }).default;
  } catch {
    return null;
  }
}

function spawnedReads(runner: GitRunner): Reads {
  return {
    commit: async (oid) => (await runner.exec(['cat-file', 'commit', oid])).stdout.toString('utf8').slice(5, 45),
    ref: async (ref) => {
      const { stdout, exitCode } = await runner.exec(['rev-parse', '-q', '--verify', '--end-of-options', ref], { okExitCodes: [1, 128] });
      return exitCode === 0 ? stdout.toString('utf8').trim() : null;
    },
  };
}

/** Per-read microseconds of `count` reads of each kind, over names spread through the history. */
async function time(reads: Reads, names: { commits: string[]; refs: string[] }, count: number): Promise<{ commit: number; ref: number }> {
  let start = performance.now();
  for (let i = 0; i < count; i++) await reads.commit(names.commits[i % names.commits.length] as string);
  const commit = ((performance.now() - start) * 1000) / count;
  start = performance.now();
  for (let i = 0; i < count; i++) await reads.ref(names.refs[i % names.refs.length] as string);
  return { commit, ref: ((performance.now() - start) * 1000) / count };
}

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'batchctl-object-reads-'));
  try {
    const identity = { name: 'bench', email: 'bench@localhost' };
    const isogit = await loadIsogit();
    const results: Record<string, { commit: number[]; ref: number[] }> = {};
    const record = (name: string, figure: { commit: number; ref: number }): void => {
      const r = (results[name] ??= { commit: [], ref: [] });
      r.commit.push(figure.commit);
      r.ref.push(figure.ref);
    };
    const startups: number[] = [];
    for (const [format, loose] of [
      ['sha1', false],
      ['sha1', true],
      ['sha256', false],
    ] as const) {
      const label = `${format}${loose ? ' loose' : ''}`;
      const dir = join(root, label, 'repo');
      seed(dir, format, loose);
      const linked = join(root, label, 'linked');
      git(dir, ['worktree', 'add', '-q', '-b', 'linked', linked]);
      const commits = git(dir, ['rev-list', 'HEAD']).split('\n');
      const names = {
        commits: Array.from({ length: 1000 }, (_, i) => commits[Math.floor((i * commits.length) / 1000)] as string),
        refs: Array.from({ length: 1000 }, (_, i) => `refs/tags/batch/b-${Math.floor((i * COMMITS) / 1000)}`),
      };
      const contenders: Array<{ name: string; where: string; open(): Promise<{ reads: Reads; close(): Promise<void> }> }> = [];
      for (const [layout, where] of [
        ['plain', dir],
        ['linked worktree', linked],
      ] as const) {
        contenders.push({
          name: `${label} ${layout}: cat-file --batch reader`,
          where,
          async open() {
            const repo = await openGit({ dir: where, identity });
            const started = performance.now();
            await repo.readRef('HEAD');
            if (label === 'sha1' && layout === 'plain') startups.push((performance.now() - started) * 1000);
            return {
              reads: { commit: async (oid) => (await repo.readCommit(oid)).tree, ref: (ref) => repo.readRef(ref) },
              close: () => repo.close(),
            };
          },
        });
        contenders.push({
          name: `${label} ${layout}: a git process per read`,
          where,
          open: async () => ({ reads: spawnedReads(createRunner({ cwd: where, identity })), close: async () => undefined }),
        });
      }
      // isomorphic-git reads neither SHA-256 nor a linked worktree (see the header): plain SHA-1 only.
      if (isogit && format === 'sha1') {
        const gitdir = join(dir, '.git');
        // As git/objects.ts called it (no cache: each read finds its pack again), and with one cache
        // object kept for the process's life (the pack indexes stay loaded).
        for (const cached of [false, true]) {
          contenders.push({
            name: `${label} plain: isomorphic-git in-process${cached ? ', one cache kept' : ''}`,
            where: dir,
            async open() {
              const cache = {};
              return {
                reads: {
                  commit: async (oid) => (await isogit.readCommit({ fs, dir, gitdir, oid, ...(cached ? { cache } : {}) })).commit.tree,
                  ref: (ref) => isogit.resolveRef({ fs, dir, gitdir, ref, depth: 1 }),
                },
                close: async () => undefined,
              };
            },
          });
        }
      }
      // Warm-up: page cache, isomorphic-git's own module loading, V8's JIT.
      for (const c of contenders) {
        const { reads, close } = await c.open();
        await time(reads, names, 50);
        await close();
      }
      for (let round = 0; round < ROUNDS; round++) {
        // Interleaved, the order rotated each round, so drift on a shared machine favours no one.
        const order = contenders.map((_, i) => contenders[(i + round) % contenders.length] as (typeof contenders)[number]);
        for (const c of order) {
          const { reads, close } = await c.open();
          record(c.name, await time(reads, names, c.name.includes('per read') ? SPAWNED_READS : READS));
          await close();
        }
      }
    }
    const fmt = (us: number): string => (us >= 1000 ? `${(us / 1000).toFixed(2)} ms` : `${us.toFixed(0)} µs`);
    console.log(
      `${ROUNDS} interleaved rounds, ${READS} reads of each kind per round (${SPAWNED_READS} for a process per read), ${COMMITS} commits and tags, packed; median per read:`,
    );
    console.log('| contender | readCommit | readRef (a packed tag) |');
    console.log('|---|---:|---:|');
    for (const [name, r] of Object.entries(results)) console.log(`| ${name} | ${fmt(median(r.commit))} | ${fmt(median(r.ref))} |`);
    console.log(`first read of a new cat-file reader (its spawn), sha1 plain: median ${fmt(median(startups))} of ${startups.length}`);
    if (!isogit) console.log('isomorphic-git is not installed: that contender was skipped');
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
