// The control plane (GET /api/control): the red emergency-stop banner, per-ecosystem stops, breakers,
// budget gauges and SLIs, plus Stop (asks for a reason) and Resume for an admin.
import { api, errorText } from './api.js';
import { ask, field } from './ask.js';
import { byId, fill, h } from './dom.js';
import { duration, percent, time } from './format.js';
import { applyRole } from './roles.js';
import type { ControlStatus, Role } from './types.js';

export async function loadControl(role: Role | null): Promise<ControlStatus> {
  const control = await api<ControlStatus>('/api/control');
  renderControl(control, role);
  return control;
}

function status(text: string): HTMLElement {
  return h('span', { class: `status status-${text}` }, text);
}

function renderControl(control: ControlStatus, role: Role | null): void {
  const { stop } = control;
  const banner = byId('stop-banner');
  // `enabled` is the control file's: true while batches may run, false under the emergency stop.
  const stopped = !stop.enabled;
  banner.hidden = !stopped;
  if (stopped) {
    fill(
      banner,
      h('span', {}, `Emergency stop: ${stop.reason || 'no reason given'}`),
      ` — by ${stop.disabled_by || 'unknown'}, since ${time(stop.disabled_at)}`,
      stop.incident_url ? h('span', {}, ' — incident: ', h('a', { href: stop.incident_url, rel: 'noreferrer' }, stop.incident_url)) : null,
      stop.expected_resume ? ` — expected resume ${time(stop.expected_resume)}` : '',
    );
  }
  const ecosystems = byId('ecosystem-stops');
  ecosystems.hidden = stop.disabled_ecosystems.length === 0;
  fill(
    ecosystems,
    'Stopped ecosystems: ',
    ...stop.disabled_ecosystems.map((ecosystem) =>
      h(
        'span',
        { class: 'eco-stop' },
        ecosystem,
        ' ',
        h('button', { type: 'button', class: 'quiet', 'data-role': 'admin', 'data-resume': ecosystem }, `Resume ${ecosystem}`),
        ' ',
      ),
    ),
  );
  for (const button of ecosystems.querySelectorAll<HTMLButtonElement>('[data-resume]')) {
    button.onclick = () =>
      void resume(button.dataset.resume).catch((error: unknown) => notifyRefusal(`resume refused: ${errorText(error)}`));
  }

  fill(
    byId('breakers'),
    control.breakers.length === 0
      ? h('p', { class: 'muted' }, 'no breaker has tripped')
      : table(
          ['Ecosystem', 'State', 'Failures', 'Half-open in'],
          control.breakers.map((b) => [
            b.ecosystem,
            status(b.effective_state),
            String(b.failures),
            b.no_recovery_time ? 'never (close by hand)' : b.half_open_in_seconds === null ? '–' : duration(b.half_open_in_seconds * 1000),
          ]),
        ),
  );

  const { budget } = control;
  fill(
    byId('budget'),
    h(
      'p',
      {},
      `Mode: `,
      h(
        'span',
        { class: `status status-${budget.mode === 'normal' ? 'ok' : budget.mode === 'sampling' ? 'warning' : 'critical'}` },
        budget.mode,
      ),
      ` · resets ${time(budget.resets_at)} · sampling above ${percent(budget.sample_above)} at ${percent(budget.sample_rate)}, paused above ${percent(budget.pause_above)}`,
    ),
    ...budget.units.map((unit) => {
      const id = `budget-${unit.unit}`;
      return h(
        'div',
        { class: 'gauge' },
        h('label', { for: id }, unit.unit),
        unit.limit === null
          ? h('span', { id }, `${unit.used} (no limit)`)
          : h('meter', {
              id,
              min: 0,
              max: unit.limit,
              value: unit.used,
              low: unit.limit * budget.sample_above,
              high: unit.limit * budget.pause_above,
              optimum: 0,
            }),
        h('span', {}, unit.limit === null ? '' : `${unit.used} / ${unit.limit} (${percent(unit.fraction)})`),
      );
    }),
  );

  fill(
    byId('slis'),
    control.slis.ecosystems.length === 0
      ? h('p', { class: 'muted' }, 'no batches in the window')
      : table(
          ['Ecosystem', 'Batches', 'Success', 'SLO', 'p95', 'Severity'],
          control.slis.ecosystems.map((s) => [
            s.ecosystem,
            String(s.batches),
            percent(s.batch_success_rate),
            percent(s.slo),
            duration(s.p95_ms),
            status(s.severity),
          ]),
        ),
  );
  applyRole(document, role);
}

/** A small table in a wrapper that scrolls sideways on a narrow screen rather than widening the page. */
export function table(headings: string[], rows: Array<Array<string | Node>>): HTMLElement {
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      {},
      h('thead', {}, h('tr', {}, ...headings.map((heading) => h('th', { scope: 'col' }, heading)))),
      h('tbody', {}, ...rows.map((row) => h('tr', {}, ...row.map((cell) => h('td', {}, cell))))),
    ),
  );
}

let onChange: () => void = () => undefined;
let notifyRefusal: (text: string) => void = () => undefined;

async function resume(ecosystem?: string): Promise<void> {
  await api('/api/control/resume', { method: 'POST', json: ecosystem ? { ecosystem } : {} });
  onChange();
}

/** Wire Stop and Resume; `changed` reloads what they change. */
export function wireControl(changed: () => void, notify: (text: string) => void): void {
  onChange = changed;
  notifyRefusal = notify;
  byId('stop-button').onclick = () =>
    ask({
      title: 'Emergency stop',
      ok: 'Stop',
      body: [
        h('p', {}, 'New batches are refused and the running one stops after its current operation, until someone resumes.'),
        h('label', { for: 'stop-reason' }, 'Reason (required)'),
        h('input', { id: 'stop-reason', name: 'reason', type: 'text', required: true, maxlength: 2000 }),
        h('label', { for: 'stop-ecosystem' }, 'Only this ecosystem (optional)'),
        h('input', { id: 'stop-ecosystem', name: 'ecosystem', type: 'text' }),
        h('label', { for: 'stop-incident' }, 'Incident link (optional)'),
        h('input', { id: 'stop-incident', name: 'incident', type: 'url' }),
        h('label', { for: 'stop-resume' }, 'Expected resume (optional)'),
        h('input', { id: 'stop-resume', name: 'expected', type: 'datetime-local' }),
      ],
      async run(form) {
        const expected = field(form, 'expected');
        await api('/api/control/stop', {
          method: 'POST',
          json: {
            reason: field(form, 'reason'),
            ...(field(form, 'ecosystem') ? { ecosystem: field(form, 'ecosystem') } : {}),
            ...(field(form, 'incident') ? { incident_url: field(form, 'incident') } : {}),
            ...(expected ? { expected_resume: new Date(expected).toISOString() } : {}),
          },
        });
        notify('Stopped.');
        changed();
      },
    });
  byId('resume-button').onclick = () => {
    resume().then(
      () => notify('Resumed.'),
      (error: unknown) => notify(`resume refused: ${errorText(error)}`),
    );
  };
}
