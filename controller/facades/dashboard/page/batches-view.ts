// The batches table (GET /api/batches): newest first, a page at a time (next_cursor), filtered by status
// and ecosystem, or one batch looked up by its id. A row's id opens its detail.
import { api, ApiError, errorText } from './api.js';
import { byId, fill, h } from './dom.js';
import { duration, shortSha } from './format.js';
import type { BatchRow } from './types.js';

const PAGE = 20;
/** the cursors of the pages shown so far: [undefined (newest), c1, c2…] */
let cursors: Array<string | undefined> = [undefined];
let next: string | null = null;
let open: (id: string) => void = () => undefined;
let selected: string | null = null;

export function wireBatches(openDetail: (id: string) => void): void {
  open = openDetail;
  byId<HTMLFormElement>('filters').onsubmit = (event) => {
    event.preventDefault();
    cursors = [undefined];
    void loadBatches();
  };
  byId('page-newest').onclick = () => {
    cursors = [undefined];
    void loadBatches();
  };
  byId('page-older').onclick = () => {
    if (next === null) return;
    cursors.push(next);
    void loadBatches();
  };
}

export function selectBatch(id: string | null): void {
  selected = id;
  for (const row of byId('batch-table').querySelectorAll<HTMLTableRowElement>('tr[data-id]'))
    row.classList.toggle('selected', row.dataset.id === id);
}

export async function loadBatches(): Promise<void> {
  const status = byId<HTMLSelectElement>('filter-status').value;
  const ecosystem = byId<HTMLInputElement>('filter-ecosystem').value.trim();
  const id = byId<HTMLInputElement>('filter-id').value.trim();
  const tableElement = byId<HTMLTableElement>('batch-table');
  let rows: BatchRow[];
  try {
    if (id) {
      rows = [(await api<{ batch: BatchRow }>(`/api/batches/${encodeURIComponent(id)}`)).batch];
      next = null;
    } else {
      const query = new URLSearchParams({ limit: String(PAGE) });
      if (status) query.set('status', status);
      if (ecosystem) query.set('ecosystem', ecosystem);
      const cursor = cursors.at(-1);
      if (cursor) query.set('cursor', cursor);
      const page = await api<{ batches: BatchRow[]; next_cursor: string | null }>(`/api/batches?${query}`);
      rows = page.batches;
      next = page.next_cursor;
    }
  } catch (error) {
    const text = error instanceof ApiError && error.code === 'BATCH_NOT_FOUND' ? `no batch ${id}` : errorText(error);
    fill(tableElement, h('caption', { class: 'error' }, text));
    next = null;
    byId<HTMLButtonElement>('page-older').disabled = true;
    return;
  }
  byId<HTMLButtonElement>('page-older').disabled = next === null;
  byId<HTMLButtonElement>('page-newest').disabled = cursors.length === 1;
  const headings = ['Id', 'Title', 'Ecosystem', 'Status', 'OK / failed / total', 'Duration', 'Requested by', 'Agent', 'Commit'];
  fill(
    tableElement,
    h('caption', { class: 'muted' }, rows.length === 0 ? 'no batches' : `page ${cursors.length}`),
    h('thead', {}, h('tr', {}, ...headings.map((heading) => h('th', { scope: 'col' }, heading)))),
    h(
      'tbody',
      {},
      ...rows.map((b) => {
        const button = h('button', { type: 'button', class: 'link', 'aria-label': `open batch ${b.batch_id}` }, b.batch_id);
        button.onclick = () => open(b.batch_id);
        return h(
          'tr',
          { 'data-id': b.batch_id, 'data-status': b.status, class: b.batch_id === selected ? 'selected' : null },
          h('td', {}, button),
          h('td', {}, b.title),
          h('td', {}, b.ecosystem),
          h('td', {}, h('span', { class: `status status-${b.status}` }, b.status)),
          h('td', { class: 'num' }, `${b.success_count} / ${b.failure_count} / ${b.total_count}`),
          h('td', { class: 'num' }, duration(b.duration_ms)),
          h('td', {}, b.requested_by),
          h('td', {}, b.agent ?? '–'),
          h('td', {}, h('code', { title: b.commit_sha ?? '' }, shortSha(b.commit_sha))),
        );
      }),
    ),
  );
}
