// What can still be read of a damaged crash journal (docs/lifecycle.md#the-journal-and-crash-recovery):
// a file cut short (a lost tail) or garbled keeps its head fields and a prefix of `touched`. Pure:
// text in, the readable part out. The journal is JSON.stringify of a record whose key order is fixed
// (journal-step.ts): the header fields first, then `touched`, one `{"path":…,"before":…}` per path.
import { journalPathSchema, type JournalPath } from '../domain/index.js';

export interface SalvagedJournal {
  batch_id: string;
  state: 'applying' | 'committing';
  head: string | null;
  commit: string | null;
  pid: number;
  pgid: number | null;
  hostname: string;
  /** the touched paths that could be read, in journal order */
  touched: JournalPath[];
  /** false when `touched` was cut short: paths after the cut are unknown */
  complete: boolean;
}

const STRING = String.raw`"((?:[^"\\]|\\.)*)"`;
const OID_OR_NULL = String.raw`(?:"([0-9a-f]{40}(?:[0-9a-f]{24})?)"|(null))`;

function field(header: string, key: string, value: string): RegExpExecArray | null {
  return new RegExp(`"${key}":${value}`).exec(header);
}

function oidOrNull(header: string, key: string): string | null | undefined {
  const m = field(header, key, OID_OR_NULL);
  if (!m) return undefined;
  return m[1] ?? null;
}

/** The readable entries of `touched`, from just after its `[`. */
function readTouched(text: string): { touched: JournalPath[]; complete: boolean } {
  const entry = new RegExp(String.raw`\{"path":${STRING},"before":(null|\{"oid":"[0-9a-f]+","mode":"[0-7]+"\})\}(,|\])`, 'y');
  const touched: JournalPath[] = [];
  if (text.startsWith(']')) return { touched, complete: true };
  for (;;) {
    const m = entry.exec(text);
    if (!m) return { touched, complete: false };
    const parsed = journalPathSchema.safeParse({
      path: JSON.parse(`"${m[1] ?? ''}"`) as unknown,
      before: JSON.parse(m[2] ?? '') as unknown,
    });
    if (!parsed.success) return { touched, complete: false };
    touched.push(parsed.data);
    if (m[3] === ']') return { touched, complete: true };
  }
}

/** Null when not even the header (batch id, state, pre-batch HEAD, process, host) can be read. */
export function salvageJournal(text: string): SalvagedJournal | null {
  const at = text.indexOf('"touched":[');
  const header = at === -1 ? text : text.slice(0, at);
  const batchId = field(header, 'batch_id', STRING)?.[1];
  const state = field(header, 'state', '"(applying|committing)"')?.[1] as SalvagedJournal['state'] | undefined;
  const head = oidOrNull(header, 'head');
  const commit = oidOrNull(header, 'commit');
  const pid = field(header, 'pid', '(\\d+)')?.[1];
  const pgid = field(header, 'pgid', '(\\d+|null)')?.[1];
  const host = field(header, 'hostname', STRING)?.[1];
  if (!batchId || !state || head === undefined || commit === undefined || !pid || pgid === undefined || host === undefined) return null;
  const { touched, complete } = at === -1 ? { touched: [], complete: false } : readTouched(text.slice(at + '"touched":['.length));
  return {
    batch_id: batchId,
    state,
    head,
    commit,
    pid: Number(pid),
    pgid: pgid === 'null' ? null : Number(pgid),
    hostname: JSON.parse(`"${host}"`) as string,
    touched,
    complete,
  };
}
