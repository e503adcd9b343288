// Path safety (docs/batch-format.md#what-validation-refuses), never skippable: every path and glob passes paths/checkPath; concrete
// paths must not be protected. Returns the normalised paths per operation.
import { ISSUE, type Batch } from '../../domain/index.js';
import { checkPath, compileGlob, isGlob } from '../../paths/index.js';
import type { IssueList } from '../issues.js';

export interface NormalisedOp {
  target: string;
  source: string | null;
  /** set when target is a glob (delete and replace only) */
  glob: ((path: string) => boolean) | null;
}

const HINT_PROTECTED = 'protected paths are listed in policy.protected_paths of batch-control.json';

export function checkPathSafety(batch: Batch, isProtected: (path: string) => boolean, issues: IssueList): Map<number, NormalisedOp> {
  const normalised = new Map<number, NormalisedOp>();
  batch.operations.forEach((op, index) => {
    const one = (raw: string): string | null => {
      const result = checkPath(raw);
      if (!result.ok) {
        issues.error(result.code, index, raw, result.message, result.hint);
        return null;
      }
      return result.path;
    };
    const source = 'source' in op ? one(op.source) : null;
    const target = one(op.target);
    if (target === null || ('source' in op && source === null)) return;

    let glob: NormalisedOp['glob'] = null;
    if ((op.type === 'delete' || op.type === 'replace') && isGlob(target)) {
      const compiled = compileGlob(target);
      if (!compiled.ok) {
        issues.error(ISSUE.globInvalid, index, op.target, `invalid glob: ${compiled.message}`);
        return;
      }
      glob = compiled.match;
    } else {
      for (const path of source === null ? [target] : [source, target]) {
        // A move or delete of a protected file changes it as surely as a write does.
        const writes = path === target || op.type === 'move' || op.type === 'rename';
        if (writes && isProtected(path)) {
          issues.error(ISSUE.pathProtected, index, path, `${path} is protected: a batch may not change it`, HINT_PROTECTED);
          return;
        }
      }
    }
    normalised.set(index, { target, source, glob });
  });
  return normalised;
}

export { HINT_PROTECTED };
