// The contract every path-safety rule follows, so check-path can run them as an ordered list.
import type { IssueCode } from '../../domain/index.js';

/** Why a path was refused: a stable code for tools, a message naming the component, a hint for people. */
export interface PathRefusal {
  code: IssueCode;
  message: string;
  hint: string;
}

/** The path as given, with its single root `/` stripped, and split into components. */
export interface PathSubject {
  raw: string;
  path: string;
  components: readonly string[];
}

export type PathRule = (subject: PathSubject) => PathRefusal | undefined;

export const RELATIVE_HINT = 'use a path relative to the repository root, e.g. recipes/a.toml';

/** Invisible, control and bidi characters could forge a message (Trojan Source); show them as escapes. */
const UNPRINTABLE =
  /[\u0000-\u001F\u007F-\u009F\u00AD\u034F\u180E\u200B-\u200F\u2028-\u202E\u2060-\u206F\uFE00-\uFE0F\uFEFF\uD800-\uDFFF]/gu;
const MAX_QUOTED = 80;

/** Quotes user text for a message: escaped, and cut so a 4 KiB path cannot flood a log line. */
export function quote(text: string): string {
  const shown = text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}…` : text;
  const escaped = shown.replace(/["\\]/g, '\\$&').replace(UNPRINTABLE, (ch) => {
    return `\\u{${ch.codePointAt(0)!.toString(16).toUpperCase()}}`;
  });
  return `"${escaped}"`;
}
