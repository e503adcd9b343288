// Many writers, one remote (issue 17, docs/reliability.md#many-writers-one-remote): a bare remote on this
// machine, a clone per writer, writers submitting batches of disjoint paths at once, and the audit
// of what the remote and every clone hold afterwards.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { defaultControlFile, renderControlFile } from '../../controller/control/index.js';
import { GIT_ENV } from '../helpers/git-repo.js';
import { jsonLines, runCli } from '../helpers/run-cli.js';

export const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).trim();

export interface Remote {
  remote: string;
  /** one clone per writer (tracking origin/main); several writers may share one */
  clones: string[];
  remove(): void;
}

/** A bare remote holding the default control file, and `clones` clones of it. */
export function remoteWithClones(clones: number): Remote {
  const root = mkdtempSync(join(tmpdir(), 'batchctl-writers-'));
  const remote = join(root, 'remote.git');
  git(root, 'init', '-q', '--bare', '-b', 'main', remote);
  const seed = join(root, 'seed');
  git(root, 'init', '-q', '-b', 'main', seed);
  writeFileSync(join(seed, 'batch-control.json'), renderControlFile(defaultControlFile()));
  git(seed, 'add', '-A');
  git(seed, 'commit', '-q', '-m', 'initial');
  git(seed, 'push', '-q', remote, 'main');
  const dirs = Array.from({ length: clones }, (_, i) => {
    const dir = join(root, `clone-${i}`);
    git(root, 'clone', '-q', remote, dir);
    return dir;
  });
  return { remote, clones: dirs, remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** What one submitted batch ended as, as its submitter saw it. */
export interface Outcome {
  writer: number;
  index: number;
  /** the path only this batch writes */
  path: string;
  clone: string;
  batchId: string | null;
  status: string | null;
  /** reason.code when it did not complete */
  code: string | null;
  detail: string;
}

export type Submit = (batch: object, writer: number, clone: string) => Promise<Omit<Outcome, 'writer' | 'index' | 'path' | 'clone'>>;

/** One writer's batch: a new file of its own (disjoint paths), content naming it. */
export function writerBatch(writer: number, index: number): { path: string; batch: object } {
  const path = `w${writer}/b${String(index).padStart(4, '0')}.txt`;
  return {
    path,
    batch: {
      title: `writer ${writer} batch ${index}`,
      ecosystem: 'npm',
      requested_by: `writer-${writer}`,
      operations: [{ type: 'write', target: path, content: `writer ${writer} batch ${index}\n` }],
    },
  };
}

/** `batchctl run --json` in the clone (one process per batch). */
export const submitByCli =
  (env: Record<string, string> = {}): Submit =>
  async (batch, _writer, clone) => {
    const file = join(clone, '..', `batch-${process.hrtime.bigint()}.json`);
    writeFileSync(file, JSON.stringify(batch));
    const { code, stdout, stderr } = await runCli(['run', '--json', file], { cwd: clone, env });
    rmSync(file, { force: true });
    const last = jsonLines(stdout)
      .filter((line) => 'batch_id' in line && 'status' in line && !('type' in line))
      .pop();
    const reason = last?.reason as { code?: string } | undefined;
    return {
      batchId: typeof last?.batch_id === 'string' ? last.batch_id : null,
      status: typeof last?.status === 'string' ? last.status : null,
      code: reason?.code ?? (code === 0 ? null : `exit ${code}`),
      detail: stderr.slice(0, 500),
    };
  };

/** `writers` writers at once, each submitting `perWriter` batches one after the other into its clone. */
export async function runWriters({
  clones,
  writers,
  perWriter,
  submit,
}: {
  clones: readonly string[];
  writers: number;
  perWriter: number;
  submit: Submit;
}): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      const clone = clones[writer % clones.length] as string;
      for (let index = 0; index < perWriter; index++) {
        const { path, batch } = writerBatch(writer, index);
        outcomes.push({ writer, index, path, clone, ...(await submit(batch, writer, clone)) });
      }
    }),
  );
  return outcomes;
}

export interface Audit {
  submitted: number;
  completed: number;
  /** outcome code → count, for the batches that did not complete */
  failures: Record<string, number>;
  /** completed batches whose file, commit or tag the remote lacks */
  lost: string[];
  /** failed batches whose file reached the remote anyway */
  leaked: string[];
  duplicateIds: string[];
  /** merge commits on the remote branch (its history must be linear) */
  merges: number;
  /** batch commits on the remote branch without their batch/<id> tag there */
  untagged: string[];
  /** batches a clone's store does not hold with the status the submitter saw */
  unrecorded: string[];
  /** clones with uncommitted changes, a journal left, or a lock held */
  inconsistent: string[];
}

/** Everything the "must show" asks of the remote and the clones after the writers ran. */
export function audit(remote: string, outcomes: readonly Outcome[], clones: readonly string[]): Audit {
  const head = git(remote, 'rev-parse', 'main');
  const onMain = new Set(git(remote, 'rev-list', 'main').split('\n'));
  const tree = new Set(git(remote, 'ls-tree', '-r', '--name-only', 'main').split('\n'));
  const tags = new Map(
    git(remote, 'for-each-ref', '--format=%(refname:strip=2) %(*objectname)', 'refs/tags/batch/')
      .split('\n')
      .filter(Boolean)
      .map((line) => line.split(' ') as [string, string]),
  );
  const result: Audit = {
    submitted: outcomes.length,
    completed: 0,
    failures: {},
    lost: [],
    leaked: [],
    duplicateIds: [],
    merges: Number(git(remote, 'rev-list', '--count', '--merges', head)),
    untagged: [],
    unrecorded: [],
    inconsistent: [],
  };
  const seen = new Set<string>();
  for (const o of outcomes) {
    if (o.batchId !== null) {
      if (seen.has(o.batchId)) result.duplicateIds.push(o.batchId);
      seen.add(o.batchId);
    }
    if (o.status === 'completed') {
      result.completed++;
      const tagged = o.batchId ? tags.get(`batch/${o.batchId}`) : undefined;
      if (!tree.has(o.path) || tagged === undefined || !onMain.has(tagged)) result.lost.push(`${o.batchId} ${o.path}`);
    } else {
      const code = o.code ?? String(o.status);
      result.failures[code] = (result.failures[code] ?? 0) + 1;
      if (tree.has(o.path)) result.leaked.push(`${o.batchId} ${o.path}`);
    }
  }
  // Every commit with a Batch-Id trailer on the remote branch has its tag there.
  for (const line of git(remote, 'log', '--format=%H %(trailers:key=Batch-Id,valueonly,separator=)', 'main').split('\n')) {
    const [commit, id] = line.split(' ');
    if (id && tags.get(`batch/${id}`) !== commit) result.untagged.push(id);
  }
  // Every batch in the store of the clone it ran in, with the status its submitter saw.
  const byClone = new Map<string, Map<string, string>>();
  for (const clone of new Set(clones)) {
    const { stdout } = cliSync(['list', '--json', '--limit', '10000'], clone);
    const rows = new Map<string, string>();
    const listed = (JSON.parse(stdout) as { batches: Array<{ batch_id: string; status: string }> }).batches;
    for (const row of listed) rows.set(row.batch_id, row.status);
    byClone.set(clone, rows);
    const dirty = git(clone, 'status', '--porcelain', '--untracked-files=all');
    const leftovers = ['batchctl/journal.json', 'batchctl/repo.lock', 'index.lock', 'HEAD.lock'].filter((f) =>
      existsSync(join(clone, '.git', f)),
    );
    if (dirty !== '' || leftovers.length > 0) result.inconsistent.push(`${clone}: ${dirty} ${leftovers.join(' ')}`.trim());
    // A clone never holds a batch commit the remote lacks: a loser published nothing and kept nothing.
    // (HEAD may lag behind the remote, never lead it; the fetch moves only the tracking ref)
    git(clone, 'fetch', '-q', 'origin');
    const ahead = git(clone, 'rev-list', '--count', 'HEAD', '--not', 'origin/main');
    if (ahead !== '0') result.inconsistent.push(`${clone}: ${ahead} commits the remote lacks`);
  }
  for (const o of outcomes) {
    if (o.batchId === null) {
      result.unrecorded.push(`writer ${o.writer} batch ${o.index}: no batch id (${o.code}: ${o.detail})`);
      continue;
    }
    const stored = byClone.get(o.clone)?.get(o.batchId);
    if (stored !== o.status) result.unrecorded.push(`${o.batchId}: stored ${stored}, seen ${o.status}`);
  }
  return result;
}

function cliSync(args: string[], cwd: string): { stdout: string } {
  const stdout = execFileSync(process.execPath, [join(import.meta.dirname, '..', '..', 'bin', 'batchctl.js'), ...args], {
    cwd,
    env: { ...process.env, GITHUB_ACTIONS: '', GITHUB_STEP_SUMMARY: '' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return { stdout };
}

/** One token per writer (operator), as the tokens file stores them: each writer has its own rate limit. */
export function writeTokensFile(file: string, writers: number): string[] {
  const tokens = Array.from({ length: writers }, (_, i) => `stress-writer-token-${i}-${process.pid}`);
  const lines = tokens.map((token, i) =>
    JSON.stringify({ name: `writer-${i}`, role: 'operator', sha256: createHash('sha256').update(token).digest('hex') }),
  );
  writeFileSync(file, `${lines.join('\n')}\n`, { mode: 0o600 });
  return tokens;
}

/**
 * `POST /api/batch?wait=1` to the server of the writer's clone, with the writer's token. A 429 is the
 * rate limit saying "not yet": the writer waits Retry-After and sends it again (nothing was queued).
 */
export const submitByHttp =
  (urlOf: (clone: string) => string, tokens: readonly string[]): Submit =>
  async (batch, writer, clone) => {
    for (;;) {
      const response = await fetch(`${urlOf(clone)}/api/batch?wait=1`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[writer]}` },
        body: JSON.stringify(batch),
      });
      const body = (await response.json()) as { batch_id?: string; status?: string; reason?: { code: string }; error?: { code: string } };
      if (response.status === 429) {
        await new Promise((resolve) => setTimeout(resolve, Number(response.headers.get('retry-after') ?? 1) * 1000)); // what the server asked
        continue;
      }
      return {
        batchId: body.batch_id ?? null,
        status: body.status ?? null,
        code: body.reason?.code ?? body.error?.code ?? null,
        detail: response.status === 200 ? '' : JSON.stringify(body).slice(0, 500),
      };
    }
  };
