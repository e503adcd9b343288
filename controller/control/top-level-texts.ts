// The source text of each top-level member of a JSON object, exactly as written: what lets a rewrite
// keep another tool's value byte for byte (1.50 stays 1.50, "\u00e9" stays escaped, a 20-digit
// integer keeps its digits), which JSON.parse and JSON.stringify would not.

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);

function skipWhitespace(text: string, at: number): number {
  let i = at;
  while (i < text.length && WHITESPACE.has(text[i] as string)) i++;
  return i;
}

/** `at` is on the opening quote; returns the index after the closing one. */
function endOfString(text: string, at: number): number {
  for (let i = at + 1; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === '"') return i + 1;
  }
  return text.length;
}

function endOfValue(text: string, at: number): number {
  const first = text[at];
  if (first === '"') return endOfString(text, at);
  if (first === '{' || first === '[') {
    let depth = 0;
    for (let i = at; i < text.length; i++) {
      const c = text[i];
      if (c === '"') i = endOfString(text, i) - 1;
      else if (c === '{' || c === '[') depth++;
      else if ((c === '}' || c === ']') && --depth === 0) return i + 1;
    }
    return text.length;
  }
  let i = at; // a number, true, false or null
  while (i < text.length && !WHITESPACE.has(text[i] as string) && text[i] !== ',' && text[i] !== '}') i++;
  return i;
}

/**
 * Each top-level key's value text; a key given twice maps to its last value, as JSON.parse reads it.
 * Only for text JSON.parse has accepted (it does not check the syntax again); not an object: empty.
 */
export function topLevelTexts(text: string): Map<string, string> {
  const texts = new Map<string, string>();
  let i = skipWhitespace(text, 0);
  if (text[i] !== '{') return texts;
  i = skipWhitespace(text, i + 1);
  while (text[i] === '"') {
    const keyEnd = endOfString(text, i);
    const key = JSON.parse(text.slice(i, keyEnd)) as string;
    const valueAt = skipWhitespace(text, skipWhitespace(text, keyEnd) + 1); // past the colon
    const valueEnd = endOfValue(text, valueAt);
    texts.set(key, text.slice(valueAt, valueEnd));
    i = skipWhitespace(text, valueEnd);
    if (text[i] !== ',') break;
    i = skipWhitespace(text, i + 1);
  }
  return texts;
}
