// A crash journal as a run would have left it (the journal of a process that died mid-batch), for
// recovery tests: the defaults describe a dead run on this host that was applying on `repo`'s HEAD.
import { hostname } from 'node:os';

import type { JournalRecord } from '../../controller/domain/index.js';
import type { TestRepo } from './git-repo.js';

export function crashJournal(repo: TestRepo, over: Partial<JournalRecord> = {}): JournalRecord {
  return {
    version: 1,
    batch_id: 'b-20261122-101500-7k3m9q',
    state: 'applying',
    head: repo.head(),
    commit: null,
    branch: null,
    pid: 999_999, // no such process: the run is dead
    pgid: null,
    hostname: hostname(),
    started_at: new Date().toISOString(),
    plan_hash: 'sha256:x',
    touched: [],
    ...over,
  };
}
