// Many writers, one remote (issue 17): writers on their own clones of one bare remote push batches of
// disjoint paths at once. Nothing is lost or duplicated, the remote's history stays linear with every
// tag, every batch is recorded where it ran, and at most 1 % lose the race (with a clear code, the
// clone left consistent). docs/reliability.md#many-writers-one-remote
import { afterEach, describe, expect, it } from 'vitest';

import { count, figure } from './stress-env.js';
import { audit, remoteWithClones, runWriters, submitByCli, type Remote } from './writers.js';

const made: Remote[] = [];
afterEach(() => {
  for (const r of made.splice(0)) r.remove();
});

const LOST_RACE = new Set(['PUSH_REJECTED', 'PUSH_CONFLICT', 'HEAD_MOVED', 'LOCK_TIMEOUT']);

describe('many writers, one remote', () => {
  it('4 writers on 4 clones: nothing lost or duplicated, linear history, every tag, ≤ 1 % lost races', async () => {
    const writers = count('writers', 4, 4);
    const perWriter = count('batches', 12, 50);
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
});
