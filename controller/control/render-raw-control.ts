// The text of an edited control file: JSON with two-space indentation, except that the values of
// other tools' top-level keys keep the exact text they had (round-trip: a rewrite by batchctl never
// changes what another tool wrote, not even the spelling of a number).
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';

import { isOwnTopLevelKey } from './control-keys.js';
import { topLevelTexts } from './top-level-texts.js';

/** `raw`: the edited JSON; `original`: the text it was read from (null: a new file). */
export function renderRawControl(raw: Record<string, unknown>, original: string | null): string {
  const plain = `${JSON.stringify(raw, null, 2)}\n`;
  if (original === null) return plain;
  const texts = topLevelTexts(original);
  // Null prototype: a "__proto__" key from the file stays a key (JSON.parse made it an own property).
  const out: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  const kept = new Map<string, string>();
  const nonce = randomUUID();
  for (const [key, value] of Object.entries(raw)) {
    const source = texts.get(key);
    // A placeholder the value's original text replaces; only for a value the edit did not change.
    if (source !== undefined && !isOwnTopLevelKey(key) && isDeepStrictEqual(value, JSON.parse(source))) {
      const placeholder = `batchctl-keep-${nonce}-${kept.size}`;
      kept.set(JSON.stringify(placeholder), source);
      out[key] = placeholder;
    } else {
      out[key] = value;
    }
  }
  if (kept.size === 0) return plain;
  let text = `${JSON.stringify(out, null, 2)}\n`;
  for (const [placeholder, source] of kept) text = text.replace(placeholder, () => source);
  return text;
}
