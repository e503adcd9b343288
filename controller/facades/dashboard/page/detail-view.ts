// One batch: its record, its operations (status, attempts, errors; paged), its commit with tag,
// trailers and diff summary (GET /api/batches/:id/commit), and Cancel, Retry and Roll back.
import { api } from './api.js';
import { cancel, retry, rollback } from './batch-actions.js';
import { byId, fill, h } from './dom.js';
import { duration, time } from './format.js';
import { applyRole } from './roles.js';
import type { BatchDetails, ItemRow, Role } from './types.js';

export interface CommitDetails {
  commit: string | null;
  tag: string | null;
  subject: string | null;
  trailers: Array<{ key: string; value: string }>;
  files: Array<{ path: string; added: number | null; deleted: number | null }>;
}

const ITEMS = 50;
let current: string | null = null;
let offset = 0;

export function detailId(): string | null {
  return current;
}

export async function openDetail(
  id: string,
  { role, notify, changed }: { role: Role | null; notify(text: string): void; changed(): void },
): Promise<void> {
  if (current !== id) offset = 0;
  current = id;
  const section = byId('detail');
  section.hidden = false;
  const [details, items, commit] = await Promise.all([
    api<BatchDetails>(`/api/batches/${encodeURIComponent(id)}`),
    api<{ items: ItemRow[]; items_total: number; next_cursor: string | null }>(
      `/api/batches/${encodeURIComponent(id)}/items?limit=${ITEMS}&cursor=${offset}`,
    ),
    api<CommitDetails>(`/api/batches/${encodeURIComponent(id)}/commit`),
  ]);
  if (current !== id) return; // another batch was opened meanwhile
  const b = details.batch;
  byId('detail-h').textContent = `Batch ${b.batch_id}`;
  const reason = details.result.reason;
  const actions = h('div', { class: 'actions', 'data-role': 'operator' });
  if (b.status === 'queued' || b.status === 'running') actions.append(button('Cancel…', 'danger', () => cancel(id, { notify, changed })));
  if (['failed', 'cancelled', 'refused'].includes(b.status)) actions.append(button('Retry', '', () => retry(id, { notify, changed })));
  if (b.status === 'completed' && b.commit_sha)
    actions.append(button('Roll back…', 'danger', () => rollback(id, { role, notify, changed })));
  fill(
    byId('detail-body'),
    h(
      'dl',
      { class: 'kv' },
      ...kv('Title', b.title),
      ...kv('Status', h('span', { class: `status status-${b.status}`, id: 'detail-status' }, b.status)),
      ...(reason ? kv('Reason', `${reason.code}: ${reason.message}`) : []),
      ...kv('Ecosystem', b.ecosystem),
      ...kv('Requested by', `${b.requested_by}${b.agent ? ` (agent ${b.agent})` : ''}`),
      ...kv('Created', time(b.created_at)),
      ...kv('Duration', duration(b.duration_ms)),
      ...kv('Operations', `${b.success_count} succeeded, ${b.failure_count} failed, ${b.total_count} total`),
    ),
    actions,
    h('h3', {}, 'Commit'),
    commit.commit ? commitView(commit.commit, commit) : h('p', { class: 'muted' }, 'not committed'),
    h('h3', {}, `Operations (${items.items_total})`),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { id: 'items-table' },
        h('thead', {}, h('tr', {}, ...['#', 'Type', 'Path', 'Status', 'Attempts', 'Error'].map((x) => h('th', { scope: 'col' }, x)))),
        h(
          'tbody',
          {},
          ...items.items.map((item) =>
            h(
              'tr',
              {},
              h('td', { class: 'num' }, String(item.item_index)),
              h('td', {}, item.operation),
              h('td', {}, item.source_path ? `${item.source_path} → ${item.target_path}` : item.target_path),
              h('td', {}, h('span', { class: `status status-${item.status}` }, item.status)),
              h('td', { class: 'num' }, String(item.attempts)),
              h('td', {}, item.error_code ? `${item.error_code}: ${item.error_message ?? ''}` : ''),
            ),
          ),
        ),
      ),
    ),
    pager(items.items_total, items.next_cursor, () => void openDetail(id, { role, notify, changed })),
  );
  applyRole(byId('detail'), role);
}

function kv(key: string, value: string | Node): HTMLElement[] {
  return [h('dt', {}, key), h('dd', {}, value)];
}

function button(text: string, kind: string, onClick: () => void): HTMLButtonElement {
  const element = h('button', { type: 'button', class: kind || null }, text);
  element.onclick = onClick;
  return element;
}

function commitView(sha: string, commit: CommitDetails): HTMLElement {
  return h(
    'div',
    {},
    h(
      'dl',
      { class: 'kv' },
      ...kv('Commit', h('code', { id: 'detail-commit' }, sha)),
      ...kv('Tag', commit.tag ? h('code', {}, commit.tag) : '–'),
      ...kv('Subject', commit.subject ?? ''),
      ...commit.trailers.flatMap((t) => kv(t.key, t.value)),
    ),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { id: 'diff-table' },
        h('caption', { class: 'muted' }, `${commit.files.length} files changed`),
        h(
          'thead',
          {},
          h('tr', {}, h('th', { scope: 'col' }, 'File'), h('th', { scope: 'col' }, 'Added'), h('th', { scope: 'col' }, 'Deleted')),
        ),
        h(
          'tbody',
          {},
          ...commit.files
            .slice(0, 200)
            .map((f) =>
              h(
                'tr',
                {},
                h('td', {}, h('code', {}, f.path)),
                h('td', { class: 'num add' }, f.added === null ? 'binary' : `+${f.added}`),
                h('td', { class: 'num del' }, f.deleted === null ? '' : `−${f.deleted}`),
              ),
            ),
        ),
      ),
    ),
    commit.files.length > 200 ? h('p', { class: 'muted' }, `and ${commit.files.length - 200} more files`) : null,
  );
}

function pager(total: number, nextCursor: string | null, reload: () => void): HTMLElement {
  const older = button('Next operations', 'quiet', () => {
    offset = Number(nextCursor ?? offset);
    reload();
  });
  older.disabled = nextCursor === null;
  const first = button('First operations', 'quiet', () => {
    offset = 0;
    reload();
  });
  first.disabled = offset === 0;
  return h(
    'div',
    { class: 'pager' },
    first,
    older,
    h('span', { class: 'muted' }, `${offset + 1}–${Math.min(total, offset + ITEMS)} of ${total}`),
  );
}
