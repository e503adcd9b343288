// salvageJournal: what a damaged crash journal still says, for every point it could be cut at.
import { describe, expect, it } from 'vitest';

import type { JournalRecord } from '../../../controller/domain/index.js';
import { salvageJournal } from '../../../controller/journal/index.js';

const oid = (c: string): string => c.repeat(40);
const record: JournalRecord = {
  version: 1,
  batch_id: 'b-20261202-101500-7k3m9q',
  state: 'applying',
  head: oid('a'),
  commit: null,
  branch: 'refs/heads/main',
  pid: 4242,
  pgid: 4242,
  hostname: 'host "one"',
  started_at: '2026-12-02T10:15:00.000Z',
  plan_hash: 'sha256:x',
  touched: [
    { path: 'a.txt', before: { oid: oid('b'), mode: '100644' } },
    { path: 'dir/"quoted" \\ name.txt', before: null },
    { path: 'c.txt', before: { oid: oid('c'), mode: '100755' } },
  ],
  git_locks: [],
};
const text = JSON.stringify(record);

describe('salvageJournal', () => {
  it('reads a whole journal whole', () => {
    expect(salvageJournal(text)).toEqual({
      batch_id: record.batch_id,
      state: 'applying',
      head: oid('a'),
      commit: null,
      pid: 4242,
      pgid: 4242,
      hostname: 'host "one"',
      touched: record.touched,
      complete: true,
    });
  });

  it('cut at any point, gives null or the header and a prefix of the touched paths, complete only once all are there', () => {
    const touchedEnd = text.indexOf(']', text.indexOf('"touched":[')) + 1;
    for (let cut = 0; cut < text.length; cut++) {
      const salvaged = salvageJournal(text.slice(0, cut));
      if (salvaged === null) continue;
      expect(salvaged).toMatchObject({ batch_id: record.batch_id, head: oid('a'), pid: 4242, hostname: 'host "one"' });
      expect(record.touched.slice(0, salvaged.touched.length)).toEqual(salvaged.touched);
      expect(salvaged.complete).toBe(cut >= touchedEnd);
    }
    expect(salvageJournal(text.slice(0, text.indexOf('"hostname"')))).toBeNull();
  });

  it('reads an empty touched list as complete', () => {
    expect(salvageJournal(JSON.stringify({ ...record, touched: [] }).slice(0, -5))).toMatchObject({ touched: [], complete: true });
  });
});
