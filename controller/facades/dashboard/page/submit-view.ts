// Submit a batch: paste or upload JSON/NDJSON, validate first (POST /api/validate) with the issues
// shown inline, then run (POST /api/batch) and follow it to its end; a refusal shows the server's reason.
import { api, ApiError, errorText } from './api.js';
import { byId, fill, h } from './dom.js';
import type { ValidationIssue, ValidationResult } from './types.js';

let validated: string | null = null;
let watching: string | null = null;

/** JSON when the whole text is one JSON value, else NDJSON (a header line, then one operation a line). */
function document(): { body: string; type: string } {
  const body = byId<HTMLTextAreaElement>('batch-text').value;
  try {
    JSON.parse(body);
    return { body, type: 'application/json' };
  } catch {
    return { body, type: 'application/x-ndjson' };
  }
}

function issueList(issues: ValidationIssue[]): HTMLElement {
  return h(
    'ul',
    { class: 'issues', id: 'submit-issues' },
    ...issues.map((i) =>
      h(
        'li',
        {},
        h('code', {}, i.code),
        i.index === null || i.index === undefined ? '' : ` operation ${i.index}`,
        i.path ? ` ${i.path}` : '',
        `: ${i.message}`,
      ),
    ),
  );
}

export function wireSubmit(changed: () => void): void {
  const text = byId<HTMLTextAreaElement>('batch-text');
  const run = byId<HTMLButtonElement>('run-button');
  const result = byId('submit-result');
  text.addEventListener('input', () => {
    validated = null;
    run.disabled = true;
  });
  byId<HTMLInputElement>('batch-file').addEventListener('change', (event) => {
    const file = (event.target as HTMLInputElement).files?.[0];
    if (!file) return;
    void file.text().then((content) => {
      text.value = content;
      validated = null;
      run.disabled = true;
    });
  });
  byId<HTMLFormElement>('submit-form').onsubmit = (event) => {
    event.preventDefault();
    const doc = document();
    fill(result, h('p', { class: 'muted' }, 'validating…'));
    api<ValidationResult>('/api/validate', { method: 'POST', text: doc }).then(
      (validation) => {
        validated = doc.body;
        run.disabled = false;
        fill(
          result,
          h('p', { class: 'ok-text', id: 'submit-valid' }, `Valid · about ${validation.estimated_time_seconds.toFixed(1)} s`),
          validation.warnings.length ? h('p', {}, 'Warnings:') : null,
          validation.warnings.length ? issueList(validation.warnings) : null,
        );
      },
      (error: unknown) => {
        run.disabled = true;
        const issues = error instanceof ApiError ? ((error.details?.issues as ValidationIssue[] | undefined) ?? []) : [];
        fill(result, h('p', { class: 'error', id: 'submit-error' }, errorText(error)), issues.length ? issueList(issues) : null);
      },
    );
  };
  run.onclick = () => {
    if (validated === null) return;
    run.disabled = true;
    const doc = document();
    api<{ batch_id: string; idempotent_replay?: boolean }>('/api/batch', { method: 'POST', text: doc }).then(
      (submitted) => {
        watching = submitted.batch_id;
        fill(
          result,
          h(
            'p',
            { id: 'submit-status' },
            'Queued as ',
            h('code', {}, submitted.batch_id),
            submitted.idempotent_replay ? ' (the earlier batch with this idempotency key)' : '',
          ),
        );
        changed();
      },
      (error: unknown) => {
        fill(result, h('p', { class: 'error', id: 'submit-error' }, `Refused: ${errorText(error)}`));
        run.disabled = false;
      },
    );
  };
}

/** The final event of the batch this form submitted: say how it ended, and why when it did not complete. */
export function onSubmittedFinished(batchId: string, status: string): void {
  if (batchId !== watching) return;
  watching = null;
  const result = byId('submit-result');
  if (status === 'completed') {
    fill(result, h('p', { class: 'ok-text', id: 'submit-status' }, h('code', {}, batchId), ' completed'));
    return;
  }
  // The final event carries the result; its reason is read from the batch's record.
  api<{ result: { reason?: { code: string; message: string; hint?: string } } }>(`/api/batches/${encodeURIComponent(batchId)}`).then(
    ({ result: r }) =>
      fill(
        result,
        h(
          'p',
          { class: 'error', id: 'submit-error' },
          status === 'refused' ? 'Refused: ' : 'Did not complete: ',
          h('code', {}, batchId),
          ` ${status}`,
          r.reason ? ` — ${r.reason.code}: ${r.reason.message}${r.reason.hint ? ` (${r.reason.hint})` : ''}` : '',
        ),
      ),
    (error: unknown) => fill(result, h('p', { class: 'error' }, errorText(error))),
  );
  byId<HTMLButtonElement>('run-button').disabled = validated === null;
}
