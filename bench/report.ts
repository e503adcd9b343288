// Shared bench reporting: medians, formatting, and one verdict line per measured figure.

/** One row of the closing table (`npm run bench` ends with every figure side by side). */
export interface Row {
  name: string;
  figure: string;
  baseline: string;
  ratio: string;
  goal: string;
}

export interface Outcome {
  line: string;
  /** null: a figure without a target (INFO) */
  pass: boolean | null;
  /** the figure as a table row; without it the table names the figure and points at its line */
  row?: Row;
}

export interface BenchOptions {
  quick: boolean;
  /** the temporary directory this run may fill */
  root: string;
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
};

export const fmt = (seconds: number): string => seconds.toFixed(2);
export const fmtMs = (seconds: number): string => `${(seconds * 1000).toFixed(seconds < 0.01 ? 2 : 1)} ms`;
export const verdict = (ok: boolean): string => (ok ? 'PASS' : 'MISS');

/** "ratio 0.83× (target ≤ 1.2×) PASS" — `atMost`: the ratio must not exceed the target. */
export function ratioLine(
  name: string,
  ours: string,
  base: string,
  ratio: number,
  target: { atMost: number } | { atLeast: number } | null,
  what: string,
): Outcome {
  const row = { name, figure: ours, baseline: base, ratio: `${ratio.toFixed(2)}×` };
  if (target === null)
    return {
      line: `${name}: batchctl ${ours}, baseline ${base}, ratio ${ratio.toFixed(2)}× (no target) INFO  [${what}]`,
      pass: null,
      row: { ...row, goal: '—' },
    };
  const pass = 'atMost' in target ? ratio <= target.atMost : ratio >= target.atLeast;
  const wanted = 'atMost' in target ? `≤ ${target.atMost.toFixed(1)}×` : `≥ ${target.atLeast.toFixed(0)}×`;
  return {
    line: `${name}: batchctl ${ours}, baseline ${base}, ratio ${ratio.toFixed(2)}× (target ${wanted}) ${verdict(pass)}  [${what}]`,
    pass,
    row: { ...row, goal: wanted },
  };
}

/** Run both contenders, alternating which goes first by round, so slow drift (page cache, writeback) favours neither. */
export function alternate(round: number, baseline: () => void, ours: () => void): void {
  if (round % 2 === 0) {
    baseline();
    ours();
  } else {
    ours();
    baseline();
  }
}

/** The closing table: figure, baseline, ratio, goal and verdict of every outcome, as Markdown (docs/benchmarks.md). */
export function summaryTable(outcomes: readonly Outcome[]): string {
  const cell = (text: string): string => text.replaceAll('|', '\\|');
  const lines = ['| figure | batchctl | baseline | ratio | goal | verdict |', '|---|---:|---:|---:|---|---|'];
  for (const { line, pass, row } of outcomes) {
    const { name, figure, baseline, ratio, goal } = row ?? {
      name: line.split(':')[0] ?? line,
      figure: 'see its line',
      baseline: '',
      ratio: '',
      goal: '',
    };
    const judged = pass === null ? 'INFO' : verdict(pass);
    lines.push(`| ${[name, figure, baseline, ratio, goal, judged].map(cell).join(' | ')} |`);
  }
  return lines.join('\n');
}
