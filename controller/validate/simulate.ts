// Running every rule over the operations in batch order, against a virtual tree, and deriving each
// step's ordering (same path or a parent directory earlier, depends_on). Globs see the tree as it is then.
import { ISSUE } from '../domain/index.js';
import { checkPath, collisionKey } from '../paths/index.js';
import type { ConcreteOp, GlobOp, ResolvedOp } from './concrete-op.js';
import { ancestorsOf, type Facts } from './facts.js';
import type { IssueList } from './issues.js';
import type { PlanStep } from './plan.js';
import { applyRules } from './rules/operations.js';
import { checkAncestors, checkGitState } from './rules/path-context.js';
import { HINT_PROTECTED } from './rules/path-safety.js';
import { VirtualTree } from './virtual-tree.js';

export interface SimulateArgs {
  resolved: readonly ResolvedOp[];
  facts: Facts;
  issues: IssueList;
  root: string;
  advisory: boolean;
  isProtected: (path: string) => boolean;
}

function expandGlob(g: GlobOp, tree: VirtualTree, args: SimulateArgs): ConcreteOp[] {
  const candidates = new Set(g.baseMatches);
  for (const path of tree.created()) if (g.match(path)) candidates.add(path);
  const matches = [...candidates].filter((path) => tree.get(path).exists).sort();
  if (matches.length === 0 && args.advisory)
    args.issues.warn(ISSUE.globNoMatch, g.index, g.pattern, `no tracked file matches ${g.pattern}`);
  // A glob must not reach what an explicit path may not name: `.g*` matches a tracked .gitmodules.
  for (const path of matches) {
    const check = checkPath(path);
    if (!check.ok) {
      args.issues.error(check.code, g.index, path, `${g.pattern} matches ${path}: ${check.message}`, check.hint);
      return [];
    }
  }
  const forbidden = matches.find(args.isProtected);
  if (forbidden !== undefined) {
    args.issues.error(ISSUE.pathProtected, g.index, forbidden, `${g.pattern} matches ${forbidden}, which is protected`, HINT_PROTECTED);
    return [];
  }
  return matches.map((target) => ({ index: g.index, op: g.op, target, source: null, content: null, fromGlob: true }));
}

export function simulate(args: SimulateArgs): PlanStep[] {
  const { resolved, facts, issues, root, advisory } = args;
  const tree = new VirtualTree(facts);
  const ctx = { tree, facts, issues, root, advisory };
  const spellings = new Map<string, { path: string; index: number }>();
  /** collisionKey per directory spelling: a batch's paths share their directories, and folding is not free */
  const dirKeys = new Map<string, string>();
  const lastStepOn = new Map<string, number>();
  /** directory → the latest step on a path below it */
  const lastStepBelow = new Map<string, number>();
  const stepsOfOp = new Map<number, number[]>();
  const steps: PlanStep[] = [];

  const place = (c: ConcreteOp): void => {
    const paths = c.source === null ? [c.target] : [c.source, c.target];
    // Every directory on the way counts: `Recipes/a` and `recipes/b` are one directory on a Mac.
    for (const path of paths) {
      const parts = path.split('/');
      for (let depth = 1, end = path.indexOf('/'); depth <= parts.length; depth++, end = path.indexOf('/', end + 1)) {
        const spelling = end === -1 ? path : path.slice(0, end);
        let key = depth < parts.length ? dirKeys.get(spelling) : undefined;
        if (key === undefined) {
          key = collisionKey(spelling);
          if (depth < parts.length) dirKeys.set(spelling, key);
        }
        const seen = spellings.get(key);
        if (seen && seen.path !== spelling) {
          issues.error(
            ISSUE.pathCollision,
            c.index,
            path,
            `${spelling} and ${seen.path} (operation ${seen.index}) are the same ${depth < parts.length ? 'directory' : 'file'} on case-insensitive or Unicode-normalising file systems`,
          );
          break;
        }
        const tracked = seen ? undefined : facts.trackedSpellings.get(key);
        if (tracked && !tracked.has(spelling)) {
          const [existing] = tracked;
          issues.error(
            ISSUE.pathCollision,
            c.index,
            path,
            `${spelling} and the tracked ${existing ?? ''} are the same ${depth < parts.length ? 'directory' : 'file'} on case-insensitive or Unicode-normalising file systems`,
            `use the existing spelling ${existing ?? ''}; a second spelling breaks checkouts on macOS and Windows`,
          );
          break;
        }
        if (!seen) spellings.set(key, { path: spelling, index: c.index });
      }
    }
    if (issues.hasError(c.index)) return;
    const placed = paths.every((path) => checkAncestors(path, c.index, tree, facts, issues));
    // delete and replace consume an existing file like a source: an untracked one is "missing", not "overwritten"
    const creates = c.op.type !== 'delete' && c.op.type !== 'replace';
    const roleOf = (path: string): 'source' | 'target' => (path === c.target && creates ? 'target' : 'source');
    const clean = placed && paths.every((path) => checkGitState(path, roleOf(path), c.index, facts, issues));
    if (!clean) return;
    applyRules(c, ctx);
    if (issues.hasError(c.index)) return;

    const id = steps.length;
    const after = new Set<number>();
    // A path waits for earlier steps on itself, its parent directories and the paths below it:
    // `delete out` (a symlink) must finish before `write out/x` starts, or the write leaves the repository.
    for (const path of paths) {
      for (const key of [path, ...ancestorsOf(path)]) {
        const previous = lastStepOn.get(key);
        if (previous !== undefined) after.add(previous);
      }
      const below = lastStepBelow.get(path);
      if (below !== undefined) after.add(below);
    }
    for (const path of paths) {
      lastStepOn.set(path, id);
      for (const dir of ancestorsOf(path)) lastStepBelow.set(dir, id);
    }
    for (const dep of c.op.depends_on ?? []) for (const s of stepsOfOp.get(dep) ?? []) after.add(s);
    const own = stepsOfOp.get(c.index);
    if (own) own.push(id);
    else stepsOfOp.set(c.index, [id]);
    const op = c.op;
    steps.push({
      id,
      index: c.index,
      type: op.type,
      target: c.target,
      source: c.source,
      content: c.content,
      mode: op.type === 'write' ? (op.mode ?? null) : null,
      find: op.type === 'replace' ? op.find : null,
      replaceWith: op.type === 'replace' ? op.replace : null,
      regex: op.type === 'replace' && op.regex === true,
      fromGlob: c.fromGlob,
      overwrite: (op.type === 'copy' || op.type === 'move') && op.overwrite === true,
      after: [...after],
      ...(op.ecosystem ? { ecosystem: op.ecosystem } : {}),
    });
  };

  for (const r of resolved) {
    if (r.kind === 'path') place(r.op);
    else for (const c of expandGlob(r.op, tree, args)) place(c);
  }
  return steps;
}
