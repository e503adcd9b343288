// Resolving operations to normalised paths; the tracked files a glob may match are listed below the
// glob's literal prefix only (never a work-tree scan).
import type { Batch } from '../domain/index.js';
import type { Git } from '../git/index.js';
import { globBase } from '../paths/index.js';
import type { ResolvedOp } from './concrete-op.js';
import type { IssueList } from './issues.js';
import type { StepContent } from './plan.js';
import type { NormalisedOp } from './rules/path-safety.js';

export async function resolveOperations({
  batch,
  normalised,
  contents,
  git,
  issues,
}: {
  batch: Batch;
  normalised: Map<number, NormalisedOp>;
  contents: Map<number, StepContent>;
  git: Git;
  issues: IssueList;
}): Promise<ResolvedOp[]> {
  const prefixes = [...normalised.values()].filter((n) => n.glob).map((n) => globBase(n.target));
  const tracked = prefixes.length > 0 ? (await git.trackedUnder(prefixes)).sort() : [];
  const resolved: ResolvedOp[] = [];
  batch.operations.forEach((op, index) => {
    const norm = normalised.get(index);
    if (!norm || issues.hasError(index)) return;
    if (norm.glob) {
      resolved.push({ kind: 'glob', op: { index, op, pattern: norm.target, match: norm.glob, baseMatches: tracked.filter(norm.glob) } });
    } else {
      resolved.push({
        kind: 'path',
        op: { index, op, target: norm.target, source: norm.source, content: contents.get(index) ?? null, fromGlob: false },
      });
    }
  });
  return resolved;
}

/** Every path the batch may touch: explicit paths and pre-batch glob matches. */
export function touchedPaths(resolved: readonly ResolvedOp[]): string[] {
  const paths = new Set<string>();
  for (const r of resolved) {
    if (r.kind === 'glob') for (const path of r.op.baseMatches) paths.add(path);
    else {
      if (r.op.source !== null) paths.add(r.op.source);
      paths.add(r.op.target);
    }
  }
  return [...paths];
}
