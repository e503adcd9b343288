// Rules that need only the document: operation count, content size and encoding, regexes, depends_on.
import { HARD_LIMITS, ISSUE, type Batch, type LimitsPolicy } from '../../domain/index.js';
import { compilePattern } from '../text-pattern.js';
import type { IssueList } from '../issues.js';
import { stepByteLength, type StepContent } from '../plan.js';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** A write's content (text as given, base64 decoded), or why it cannot be used. */
export function decodeContent(op: {
  content?: string | undefined;
  content_base64?: string | undefined;
}): { content: StepContent } | { problem: string } {
  if (op.content !== undefined) return { content: op.content };
  const text = (op.content_base64 ?? '').replace(/\s+/g, '');
  if (text.length % 4 !== 0 || !BASE64.test(text)) return { problem: 'content_base64 is not valid base64' };
  return { content: Buffer.from(text, 'base64') };
}

/** `setting`: the policy.limits key the cap came from, named in the hint (the MCP cap is its own). */
export function checkStaticLimits(
  batch: Batch,
  limits: LimitsPolicy,
  issues: IssueList,
  setting = 'max_operations_per_batch',
): Map<number, StepContent> {
  const contents = new Map<number, StepContent>();
  if (batch.operations.length > limits.max_operations_per_batch) {
    issues.error(
      ISSUE.tooManyOperations,
      -1,
      undefined,
      `the batch has ${batch.operations.length} operations; the limit is ${limits.max_operations_per_batch}`,
      `split it into several batches, or raise policy.limits.${setting} in batch-control.json`,
    );
  }
  batch.operations.forEach((op, index) => {
    for (const dep of op.depends_on ?? []) {
      if (dep >= index) {
        issues.error(
          ISSUE.dependsOnInvalid,
          index,
          op.target,
          `depends_on ${dep} does not name an earlier operation`,
          'depends_on lists indexes of operations that come before this one',
        );
      }
    }
    if (op.type === 'write') {
      const decoded = decodeContent(op);
      const size = 'content' in decoded ? stepByteLength(decoded.content) : 0;
      if ('problem' in decoded) {
        issues.error(ISSUE.contentInvalid, index, op.target, decoded.problem);
      } else if (size > HARD_LIMITS.maxFileBytes) {
        issues.error(ISSUE.contentTooLarge, index, op.target, `content is ${size} bytes; the limit is ${HARD_LIMITS.maxFileBytes}`);
      } else {
        contents.set(index, decoded.content);
      }
    }
    if (op.type === 'replace' && op.regex) {
      const compiled = compilePattern(op.find, true);
      if (!compiled.ok) {
        issues.error(
          ISSUE.regexInvalid,
          index,
          op.target,
          `find is not a valid RE2 regular expression: ${compiled.message}`,
          'RE2 syntax: no lookaround or backreferences (matching stays linear in time)',
        );
      }
    }
  });
  return contents;
}
