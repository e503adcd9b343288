// What a tool's answer may carry (docs/mcp.md#untrusted-text): repository text (paths, messages,
// titles) reaches a model as untrusted input, so every list and string in a result has a ceiling.

export const BOUNDS = {
  /** characters of any one string a result carries (a path, a message) */
  text: 500,
  /** entries of any one list a result carries (errors, issues, items, restored paths) */
  list: 50,
  /** batches `get_batch_status` lists without an id, at most */
  history: 100,
  /** operations a tool accepts in one call (the control file's MCP cap, default 50, applies below it) */
  operations: 10_000,
  /** characters of a `reason` */
  reason: 2000,
} as const;

/** A string cut to `max` characters, saying that it was cut. */
export function clip(text: string, max: number = BOUNDS.text): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}

/** The first `max` entries, and how many there were. */
export function firstOf<T>(list: readonly T[], max: number = BOUNDS.list): { shown: T[]; total: number } {
  return { shown: list.slice(0, max), total: list.length };
}
