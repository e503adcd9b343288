// What an operator does to one batch from its detail: Cancel (a reason), Retry, and Roll back (a
// confirmation and a reason; on a conflict, the CLI's --paths and --restore ways on). Each shows the
// server's error text when refused.
import { api, ApiError, errorText } from './api.js';
import { ask, field } from './ask.js';
import { fill, h } from './dom.js';
import { may } from './roles.js';
import type { Role } from './types.js';

export function cancel(id: string, { notify, changed }: { notify(text: string): void; changed(): void }): void {
  ask({
    title: `Cancel ${id}`,
    ok: 'Cancel the batch',
    body: [
      h('p', {}, 'A queued batch is cancelled at once; a running one stops after its current operation and rolls back.'),
      h('label', { for: 'cancel-reason' }, 'Reason (required)'),
      h('input', { id: 'cancel-reason', name: 'reason', type: 'text', required: true, maxlength: 2000 }),
    ],
    async run(form) {
      const answer = await api<{ status: string }>(`/api/batches/${encodeURIComponent(id)}/cancel`, {
        method: 'POST',
        json: { reason: field(form, 'reason') },
      });
      notify(`${id}: ${answer.status}`);
      changed();
    },
  });
}

export function retry(id: string, { notify, changed }: { notify(text: string): void; changed(): void }): void {
  notify(`retrying ${id}…`);
  api<{ batch_id: string; status: string }>(`/api/batches/${encodeURIComponent(id)}/retry`, { method: 'POST', json: {} }).then(
    (result) => {
      notify(`retry ${result.batch_id}: ${result.status}`);
      changed();
    },
    (error: unknown) => notify(`retry refused: ${errorText(error)}`),
  );
}

export function rollback(id: string, { role, notify, changed }: { role: Role | null; notify(text: string): void; changed(): void }): void {
  const conflicts = h('div', { id: 'rollback-conflicts' });
  ask({
    title: `Roll back ${id}`,
    ok: 'Roll back',
    body: [
      h('p', {}, 'The batch is reverted by a new commit; history is kept.'),
      h('label', { for: 'rollback-reason' }, 'Reason (required)'),
      h('input', { id: 'rollback-reason', name: 'reason', type: 'text', required: true, maxlength: 2000 }),
      conflicts,
    ],
    async run(form) {
      const paths = field(form, 'paths')
        .split('\n')
        .map((p) => p.trim())
        .filter(Boolean);
      try {
        const result = await api<{ rollback_batch_id: string | null; commit: string | null; status: string }>('/api/rollback', {
          method: 'POST',
          json: {
            batch_id: id,
            reason: field(form, 'reason'),
            ...(paths.length ? { paths } : {}),
            ...(field(form, 'restore') ? { restore: true } : {}),
          },
        });
        notify(`rolled back ${id}: ${result.status}${result.commit ? `, new commit ${result.commit.slice(0, 10)}` : ''}`);
        changed();
      } catch (error) {
        if (error instanceof ApiError && error.code === 'ROLLBACK_CONFLICT') showConflicts(conflicts, error, role);
        throw error;
      }
    },
  });
}

/** The conflict, and the two ways on: only other paths (`--paths`), or reset to the backup (`--restore`, admin). */
function showConflicts(into: HTMLElement, error: ApiError, role: Role | null): void {
  const list = (error.details?.conflicts as Array<{ path: string; why: string }> | undefined) ?? [];
  fill(
    into,
    h('h3', {}, 'Conflicts'),
    h('ul', { class: 'issues' }, ...list.map((c) => h('li', {}, h('code', {}, c.path), ` — ${c.why}`))),
    h('label', { for: 'rollback-paths' }, 'Roll back only these paths (globs, one a line; --paths)'),
    h('textarea', { id: 'rollback-paths', name: 'paths', rows: 3 }),
    may(role, 'admin')
      ? h(
          'label',
          { class: 'choice' },
          h('input', { type: 'checkbox', name: 'restore', id: 'rollback-restore' }),
          'Reset the paths to the backup, overwriting later changes (--restore)',
        )
      : h('p', { class: 'muted' }, 'Resetting to the backup (--restore) needs an admin token.'),
  );
}
