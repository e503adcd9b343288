// The incident script and the CLI give the same exit for the same refusal (issue 10 §5, docs/outcomes.md):
// each fixture is refused by `batchctl rollback` with a code, whose exit (codes.ts) the script must give
// too, and neither tool changes anything.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterEach, describe, expect, it } from 'vitest';

import { ERROR_CODES, type ErrorCode } from '../../controller/errors/index.js';
import { batch, engineFor } from '../helpers/engine.js';
import { GIT_ENV, gitRepo, removeRepo, type TestRepo } from '../helpers/git-repo.js';
import { useNodelessPath } from '../helpers/nodeless-path.js';
import { jsonLines, runCli } from '../helpers/run-cli.js';
import { shallowClone } from '../helpers/shallow-clone.js';

const SCRIPT = fileURLToPath(new URL('../../scripts/rollback-batch.sh', import.meta.url));
const bin = useNodelessPath(); // the script runs with bash and git alone

const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

const script = (repo: TestRepo, args: readonly string[]): { code: number | null; stderr: string } => {
  const out = spawnSync(join(bin, 'bash'), [SCRIPT, ...args], {
    cwd: repo.dir,
    encoding: 'utf8',
    env: { ...GIT_ENV, GITHUB_ACTOR: '', PATH: bin },
  });
  return { code: out.status, stderr: out.stderr };
};

const FILES = { 'f.txt': 'line1\nline2\nline3\n', 'k.txt': 'keep\n' };
const UNKNOWN = 'b-20200101-000000-aaaaaa';
const LEGACY = '2025-03-14';

/** A repository with one committed batch (f.txt's first line, a new n.txt) and a later unrelated commit. */
async function batched(): Promise<{ repo: TestRepo; id: string }> {
  const repo = gitRepo(FILES);
  cleanups.push(() => removeRepo(repo));
  const engine = await engineFor(repo);
  try {
    const { batch_id, status } = await engine.run(
      batch({
        ecosystem: 'npm',
        operations: [
          { type: 'replace', target: 'f.txt', find: 'line1', replace: 'LINE1' },
          { type: 'write', target: 'n.txt', content: 'new\n' },
        ],
      }),
    );
    expect(status).toBe('completed');
    repo.write('k.txt', 'keep, later\n');
    repo.commitAll('a later, unrelated edit');
    return { repo, id: batch_id };
  } finally {
    await engine.close();
  }
}

/** Legacy id 2025-03-14 on two side branches (squash-merged into main): it names two commits. */
function legacyTwice(): { repo: TestRepo; first: string } {
  const repo = gitRepo(FILES);
  cleanups.push(() => removeRepo(repo));
  const commits = ['f.txt', 'k.txt'].map((file, i) => {
    repo.git('checkout', '-q', '-b', `batch/${LEGACY}-${i}`, 'main');
    repo.write(file, `${file} changed\n`);
    const commit = repo.commitAll(`registry batch ${i}\n\nbatch_id: ${LEGACY}`);
    repo.git('checkout', '-q', 'main');
    repo.git('merge', '--squash', '-q', `batch/${LEGACY}-${i}`);
    repo.git('commit', '-q', '-m', `Squashed batch ${i}`);
    return commit;
  });
  return { repo, first: commits[0] as string };
}

interface Case {
  name: string;
  /** the code `batchctl rollback` refuses with */
  code: ErrorCode;
  fixture(): Promise<{ repo: TestRepo; cli: string[]; script: string[] }>;
}

const CASES: Case[] = [
  {
    name: 'an id no batch has',
    code: 'BATCH_NOT_FOUND',
    fixture: async () => ({ ...(await batched()), cli: [UNKNOWN], script: [UNKNOWN] }),
  },
  {
    name: 'an id that is not a batch id',
    code: 'BATCH_ID_INVALID',
    fixture: async () => {
      const { repo, id } = await batched();
      return { repo, cli: [id.slice(0, -1)], script: [id.slice(0, -1)] };
    },
  },
  {
    name: 'a legacy id without --legacy',
    code: 'BATCH_ID_INVALID',
    fixture: async () => ({ ...legacyTwice(), cli: [LEGACY], script: [LEGACY] }),
  },
  {
    name: '--commit without --legacy',
    code: 'USAGE',
    fixture: async () => {
      const { repo, id } = await batched();
      return { repo, cli: [id, '--commit', 'abcdef0'], script: [id, '--commit', 'abcdef0'] };
    },
  },
  {
    name: 'a batch rolled back already',
    code: 'ALREADY_ROLLED_BACK',
    fixture: async () => {
      const { repo, id } = await batched();
      const engine = await engineFor(repo);
      await engine.rollback(id).finally(() => engine.close());
      return { repo, cli: [id], script: [id] };
    },
  },
  {
    name: 'a conflict with a later commit',
    code: 'ROLLBACK_CONFLICT',
    fixture: async () => {
      const { repo, id } = await batched();
      repo.write('f.txt', 'LINE1 again\nline2\nline3\n');
      repo.commitAll('the same line changed again');
      return { repo, cli: [id], script: [id] };
    },
  },
  {
    name: 'uncommitted changes to a path the revert changes',
    code: 'VALIDATION_FAILED',
    fixture: async () => {
      const { repo, id } = await batched();
      repo.write('f.txt', 'LINE1\nline2\nline3\nuncommitted\n');
      return { repo, cli: [id], script: [id] };
    },
  },
  {
    name: 'a legacy id naming two commits',
    code: 'BATCH_AMBIGUOUS',
    fixture: async () => ({ ...legacyTwice(), cli: [LEGACY, '--legacy'], script: [LEGACY, '--legacy'] }),
  },
  {
    name: 'a legacy id no commit names',
    code: 'BATCH_NOT_FOUND',
    fixture: async () => ({ ...legacyTwice(), cli: ['2025-03-15', '--legacy'], script: ['2025-03-15', '--legacy'] }),
  },
  {
    name: 'a --commit that is none of the legacy id’s commits',
    code: 'BATCH_NOT_FOUND',
    fixture: async () => {
      const { repo } = legacyTwice();
      const other = repo.head();
      return { repo, cli: [LEGACY, '--legacy', '--commit', other], script: [LEGACY, '--legacy', '--commit', other] };
    },
  },
  {
    name: 'a malformed legacy id',
    code: 'BATCH_ID_INVALID',
    fixture: async () => ({ ...legacyTwice(), cli: ['14-03-2025', '--legacy'], script: ['14-03-2025', '--legacy'] }),
  },
  {
    name: 'a shallow clone without the batch’s parent',
    code: 'SHALLOW_CLONE',
    fixture: async () => {
      const { repo, id } = await batched();
      const shallow = shallowClone(repo, { depth: 1, tags: true });
      cleanups.push(() => shallow.cleanup());
      return { repo: shallow.clone, cli: [id], script: [id] };
    },
  },
  {
    name: 'a legacy id in a shallow clone without its commits',
    code: 'SHALLOW_CLONE',
    fixture: async () => {
      const { repo, first } = legacyTwice();
      // actions/checkout's clone: depth 1, main only — the batch/* branches and their commits are absent
      const shallow = shallowClone(repo, { depth: 1, tags: false });
      cleanups.push(() => shallow.cleanup());
      const args = [LEGACY, '--legacy', '--commit', first];
      return { repo: shallow.clone, cli: args, script: args };
    },
  },
  {
    name: 'a commit that changed more paths than its Batch-Operations allow',
    code: 'ROLLBACK_UNSAFE',
    fixture: async () => {
      const repo = gitRepo(FILES);
      cleanups.push(() => removeRepo(repo));
      const id = 'b-20261122-101500-7k3m9q';
      repo.write('f.txt', 'changed\n');
      repo.write('k.txt', 'changed\n');
      repo.write('x.txt', 'added\n');
      repo.commitAll(`one operation\n\nBatch-Id: ${id}\nBatch-Ecosystem: npm\nBatch-Operations: 1\nBatch-Failed: 0\nBatch-Requested-By: x`);
      // --force: batchctl would otherwise refuse a commit it cannot verify as its own first
      return { repo, cli: [id, '--force'], script: [id] };
    },
  },
];

describe('scripts/rollback-batch.sh and batchctl rollback refuse alike', () => {
  it.each(CASES)('$name: exit of $code in both, nothing changed', async ({ code, fixture }) => {
    const { repo, cli, script: args } = await fixture();
    const before = repo.snapshot();
    const out = await runCli(['rollback', ...cli, '--json', '--no-push'], { cwd: repo.dir, env: { GITHUB_ACTOR: '' } });
    // An error is {"error": {code}}; a rollback that ran and was refused, a result with {"reason": {code}}.
    const last = jsonLines(out.stdout).at(-1) as { error?: { code?: string }; reason?: { code?: string } } | undefined;
    expect(last?.error?.code ?? last?.reason?.code, out.stderr).toBe(code);
    expect(out.code).toBe(ERROR_CODES[code].exit);
    expect(repo.snapshot()).toBe(before);

    const ran = script(repo, args);
    expect(ran.code, ran.stderr).toBe(ERROR_CODES[code].exit);
    expect(repo.snapshot()).toBe(before);
  });

  it('names each exit after its code, as codes.ts gives it', () => {
    const text = readFileSync(SCRIPT, 'utf8');
    const named = [...text.matchAll(/^readonly EXIT_\w+=(\d+) # ([A-Z_]+(?: [A-Z_]+)*)$/gm)];
    expect(named.length).toBeGreaterThan(0);
    for (const [, exit, codes] of named) {
      for (const code of (codes ?? '').split(' ')) expect([code, ERROR_CODES[code as ErrorCode]?.exit]).toEqual([code, Number(exit)]);
    }
  });
});
