// Many writers, one remote (issue 17): writers on their own clones of one bare remote push batches of
// disjoint paths at once. Nothing is lost or duplicated, the remote's history stays linear with every
// tag, every batch is recorded where it ran, and at most 1 % lose the race (with a clear code, the
// clone left consistent). docs/reliability.md#many-writers-one-remote
import { afterEach, describe, expect, it } from 'vitest';

import { join } from 'node:path';

import { spawnServe, type ServeProcess } from '../helpers/serve-process.js';
import { count, figure } from './stress-env.js';
import { audit, remoteWithClones, runWriters, submitByCli, submitByHttp, writeTokensFile, type Remote } from './writers.js';

const made: Remote[] = [];
const servers: ServeProcess[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.child.kill('SIGTERM');
    await s.exited;
  }
  for (const r of made.splice(0)) r.remove();
});

const LOST_RACE = new Set(['PUSH_REJECTED', 'PUSH_CONFLICT', 'HEAD_MOVED', 'LOCK_TIMEOUT']);

describe('many writers, one remote', () => {
  it('4 writers on 4 clones: nothing lost or duplicated, linear history, every tag, ≤ 1 % lost races', async () => {
    const writers = count('writers', 4, 4);
    const perWriter = count('batches', 10, 50);
    const remote = remoteWithClones(writers);
    made.push(remote);
    const outcomes = await runWriters({ clones: remote.clones, writers, perWriter, submit: submitByCli() });
    const result = audit(remote.remote, outcomes, remote.clones);
    figure('many-writers', { writers, perWriter, ...result });
    expect(result.submitted).toBe(writers * perWriter);
    expect(result.lost).toEqual([]);
    expect(result.leaked).toEqual([]);
    expect(result.duplicateIds).toEqual([]);
    expect(result.merges).toBe(0);
    expect(result.untagged).toEqual([]);
    expect(result.unrecorded).toEqual([]);
    expect(result.inconsistent).toEqual([]);
    // the losers lost a race, nothing else
    expect(Object.keys(result.failures).filter((code) => !LOST_RACE.has(code))).toEqual([]);
    expect(result.submitted - result.completed).toBeLessThanOrEqual(Math.floor(result.submitted * 0.01));
  });

  it('the losers (a push budget of 1 ms: one try each): a lost-race code, nothing published, every clone consistent', async () => {
    const writers = count('writers', 4, 4);
    const perWriter = count('loser_batches', 5, 20);
    const remote = remoteWithClones(writers);
    made.push(remote);
    const outcomes = await runWriters({ clones: remote.clones, writers, perWriter, submit: submitByCli({ BATCHCTL_PUSH_BUDGET_MS: '1' }) });
    const result = audit(remote.remote, outcomes, remote.clones);
    figure('losers', { writers, perWriter, ...result });
    expect(result.submitted - result.completed).toBeGreaterThan(0); // the race was lost, as intended
    expect(Object.keys(result.failures).filter((code) => !LOST_RACE.has(code))).toEqual([]);
    expect(result.lost).toEqual([]);
    expect(result.leaked).toEqual([]);
    expect(result.duplicateIds).toEqual([]);
    expect(result.merges).toBe(0);
    expect(result.untagged).toEqual([]);
    expect(result.unrecorded).toEqual([]);
    expect(result.inconsistent).toEqual([]);
  });

  it('4 writers on the same clone serialize: every batch completes', async () => {
    const writers = count('writers', 4, 4);
    const perWriter = count('batches', 6, 50);
    const remote = remoteWithClones(1);
    made.push(remote);
    const clones = Array.from({ length: writers }, () => remote.clones[0] as string);
    const outcomes = await runWriters({ clones, writers, perWriter, submit: submitByCli() });
    const result = audit(remote.remote, outcomes, remote.clones);
    figure('same-clone', { writers, perWriter, ...result });
    expect(result.failures).toEqual({});
    expect(result.completed).toBe(writers * perWriter);
    expect(result.lost).toEqual([]);
    expect(result.duplicateIds).toEqual([]);
    expect(result.merges).toBe(0);
    expect(result.untagged).toEqual([]);
    expect(result.unrecorded).toEqual([]);
    expect(result.inconsistent).toEqual([]);
  });

  it('two `batchctl serve` on two clones, batches over HTTP to both: the same guarantees', async () => {
    const writers = count('writers', 4, 4);
    const perWriter = count('http_batches', 8, 50);
    const remote = remoteWithClones(2);
    made.push(remote);
    const tokensFile = join(remote.remote, '..', 'tokens.jsonl');
    const tokens = writeTokensFile(tokensFile, writers);
    const urls = new Map<string, string>();
    for (const clone of remote.clones) {
      const server = await spawnServe({ cwd: clone, env: { BATCHCTL_TOKENS_FILE: tokensFile }, args: ['--host', '127.0.0.1'] });
      servers.push(server);
      urls.set(clone, server.url);
    }
    const outcomes = await runWriters({
      clones: remote.clones,
      writers,
      perWriter,
      submit: submitByHttp((clone) => urls.get(clone) as string, tokens),
    });
    for (const s of servers.splice(0)) {
      s.child.kill('SIGTERM');
      expect((await s.exited).code).toBe(0);
    }
    const result = audit(remote.remote, outcomes, remote.clones);
    figure('two-serves', { writers, perWriter, ...result });
    expect(result.submitted).toBe(writers * perWriter);
    expect(result.lost).toEqual([]);
    expect(result.leaked).toEqual([]);
    expect(result.duplicateIds).toEqual([]);
    expect(result.merges).toBe(0);
    expect(result.untagged).toEqual([]);
    expect(result.unrecorded).toEqual([]);
    expect(result.inconsistent).toEqual([]);
    expect(Object.keys(result.failures).filter((code) => !LOST_RACE.has(code))).toEqual([]);
    expect(result.submitted - result.completed).toBeLessThanOrEqual(Math.floor(result.submitted * 0.01));
  });
});
