// The 7-day charts (GET /api/stats, aggregated in SQLite): batches per hour stacked by status, and the
// success rate per ecosystem. Plain SVG built element by element (no library, nothing inline to allow),
// each with a text summary for screen readers.
import { api } from './api.js';
import { byId, fill, h, svg } from './dom.js';
import { percent } from './format.js';

export interface Stats {
  since: string;
  hours: Array<{ hour: string; status: string; count: number }>;
  ecosystems: Array<{ ecosystem: string; batches: number; succeeded: number; success_rate: number }>;
}

const HOUR = 3_600_000;
const W = 560;
const H = 180;
const PAD = 28;

function kind(status: string): 'completed' | 'failed' | 'other' {
  return status === 'completed' ? 'completed' : status === 'failed' ? 'failed' : 'other';
}

export async function loadCharts(): Promise<void> {
  const stats = await api<Stats>('/api/stats?days=7');
  fill(byId('charts-body'), perHour(stats), perEcosystem(stats));
}

function perHour(stats: Stats): HTMLElement {
  const start = Math.floor(Date.parse(stats.since) / HOUR) * HOUR;
  const hours = Math.max(1, Math.ceil((Date.now() - start) / HOUR));
  const buckets = new Map<number, Record<string, number>>();
  for (const row of stats.hours) {
    const at = Math.floor((Date.parse(row.hour) - start) / HOUR);
    const bucket = buckets.get(at) ?? { completed: 0, failed: 0, other: 0 };
    bucket[kind(row.status)] = (bucket[kind(row.status)] ?? 0) + row.count;
    buckets.set(at, bucket);
  }
  const max = Math.max(1, ...[...buckets.values()].map((b) => (b.completed ?? 0) + (b.failed ?? 0) + (b.other ?? 0)));
  const step = (W - PAD) / hours;
  const bars: SVGElement[] = [];
  for (const [at, bucket] of buckets) {
    let y = H - PAD;
    for (const part of ['completed', 'failed', 'other'] as const) {
      const height = ((bucket[part] ?? 0) / max) * (H - PAD - 8);
      if (height <= 0) continue;
      y -= height;
      bars.push(svg('rect', { class: `c-${part}`, x: PAD + at * step, y, width: Math.max(1.5, step), height }));
    }
  }
  const total = stats.hours.reduce((sum, r) => sum + r.count, 0);
  const summary = `${total} batches in the last 7 days; the busiest hour had ${max}.`;
  return h(
    'figure',
    { id: 'chart-hourly' },
    h('figcaption', {}, 'Batches per hour, by status'),
    h(
      'ul',
      { class: 'legend' },
      ...(['completed', 'failed', 'other'] as const).map((k) =>
        h('li', {}, h('span', { class: `swatch sw-${k}` }), k === 'other' ? 'cancelled, refused, rolled back' : k),
      ),
    ),
    chart(summary, [
      svg('line', { class: 'axis', x1: PAD, y1: H - PAD, x2: W, y2: H - PAD }),
      svg('line', { class: 'axis', x1: PAD, y1: 4, x2: PAD, y2: H - PAD }),
      svg('text', { x: 2, y: 14 }, String(max)),
      svg('text', { x: 2, y: H - PAD }, '0'),
      svg('text', { x: PAD, y: H - 8 }, '7 days ago'),
      svg('text', { x: W - 30, y: H - 8 }, 'now'),
      ...bars,
    ]),
    h('p', { class: 'muted' }, summary),
  );
}

function perEcosystem(stats: Stats): HTMLElement {
  const rows = stats.ecosystems;
  const height = Math.max(60, rows.length * 26 + 20);
  const label = 110;
  const bars = rows.flatMap((row, i) => [
    svg('text', { x: 0, y: 18 + i * 26 }, row.ecosystem),
    svg('rect', { class: 'c-rate', x: label, y: 6 + i * 26, width: Math.max(1, row.success_rate * (W - label - 130)), height: 16 }),
    svg('text', { x: label + row.success_rate * (W - label - 130) + 6, y: 18 + i * 26 }, `${percent(row.success_rate)} of ${row.batches}`),
  ]);
  const summary =
    rows.length === 0
      ? 'No batches ended in the last 7 days.'
      : rows.map((r) => `${r.ecosystem} ${percent(r.success_rate)} of ${r.batches}`).join('; ');
  return h(
    'figure',
    { id: 'chart-ecosystems' },
    h('figcaption', {}, 'Success rate per ecosystem'),
    chart(summary, bars, height),
    h('p', { class: 'muted' }, summary),
  );
}

function chart(summary: string, children: SVGElement[], height = H): SVGElement {
  return svg('svg', { viewBox: `0 0 ${W} ${height}`, role: 'img', 'aria-label': summary }, ...children);
}
