// The `find` of a replace: a literal string, or a regular expression run by RE2 (re2js), whose
// matching time is linear in the text — a batch's regex can never hang the controller (ReDoS).
import { RE2JS } from 're2js';

export interface TextPattern {
  test(text: string): boolean;
  /** every match replaced; regex replacements use $1 / ${name} for groups and \$ for a dollar */
  replaceAll(text: string, replacement: string): string;
}

export type CompiledPattern = { ok: true; pattern: TextPattern } | { ok: false; message: string };

export function compilePattern(find: string, regex: boolean): CompiledPattern {
  if (!regex) {
    return {
      ok: true,
      pattern: { test: (text) => text.includes(find), replaceAll: (text, replacement) => text.split(find).join(replacement) },
    };
  }
  try {
    const re = RE2JS.compile(find);
    return {
      ok: true,
      pattern: { test: (text) => re.matcher(text).find(), replaceAll: (text, replacement) => re.matcher(text).replaceAll(replacement) },
    };
  } catch (error) {
    return { ok: false, message: (error as Error).message };
  }
}
