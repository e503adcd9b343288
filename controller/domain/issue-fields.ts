// zod's issues as `{field, message}` (docs/outcomes.md#input-errors): the one way every boundary names the
// field a caller must fix, so the batch parser and the HTTP facade cannot spell it two ways.
import type { z } from 'zod';

export interface FieldIssue {
  field: string;
  message: string;
}

/** `operations.3.target`; a key that is empty or holds a dot is quoted (`""`, `"a.b"`), so it stays readable. */
export function fieldPath(segments: readonly PropertyKey[]): string {
  return segments
    .map((segment) => {
      const text = String(segment);
      return text === '' || text.includes('.') ? JSON.stringify(text) : text;
    })
    .join('.');
}

/**
 * The first `max` issues, each naming its field; an unknown key is named itself (the object's path would
 * not say which key to remove), and an issue of the whole input is named `root`.
 */
export function issueFields(
  issues: readonly z.core.$ZodIssue[],
  { prefix = [], root, max = 20 }: { prefix?: readonly PropertyKey[]; root: string; max?: number },
): FieldIssue[] {
  return issues.slice(0, max).flatMap((issue) => {
    const at = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ field: fieldPath([...at, key]), message: 'unknown field' }));
    return [{ field: at.length > 0 ? fieldPath(at) : root, message: issue.message }];
  });
}
