// What a name becomes if some web layer or file server percent-decodes it, maybe more than once: a
// literal `%2e%2e` is harmless to git, but not to the next tool that decodes it.

/** Runs of `%XX` bytes, and IIS's `%uXXXX`. */
const ESCAPES = /%[uU][0-9A-Fa-f]{4}|(?:%[0-9A-Fa-f]{2})+/g;

/** More rounds than any honest name needs; a name that still decodes after this is refused. */
export const MAX_DECODE_ROUNDS = 8;

/**
 * Decodes UTF-8 the careless way, accepting overlong forms: `%c0%ae` is a `.` to a decoder that does
 * not check (the classic IIS/Tomcat traversal). Broken sequences become U+FFFD.
 */
function decodeLenient(bytes: readonly number[]): string {
  let out = '';
  let i = 0;
  while (i < bytes.length) {
    const lead = bytes[i]!;
    const extra = lead >= 0xf8 ? 0 : lead >= 0xf0 ? 3 : lead >= 0xe0 ? 2 : lead >= 0xc0 ? 1 : 0;
    if (lead < 0x80 || extra === 0) {
      out += lead < 0x80 ? String.fromCharCode(lead) : '\uFFFD';
      i += 1;
      continue;
    }
    let cp = lead & (0x3f >> extra);
    let ok = i + extra < bytes.length;
    for (let k = 1; ok && k <= extra; k += 1) {
      const next = bytes[i + k]!;
      ok = (next & 0xc0) === 0x80;
      cp = (cp << 6) | (next & 0x3f);
    }
    const valid = ok && cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff);
    out += valid ? String.fromCodePoint(cp) : '\uFFFD';
    i += valid ? extra + 1 : 1;
  }
  return out;
}

export function percentDecodeOnce(text: string): string {
  return text.replace(ESCAPES, (run) => {
    if (run[1] === 'u' || run[1] === 'U') return String.fromCharCode(Number.parseInt(run.slice(2), 16));
    const bytes: number[] = [];
    for (let i = 0; i < run.length; i += 3) bytes.push(Number.parseInt(run.slice(i + 1, i + 3), 16));
    return decodeLenient(bytes);
  });
}

/** Every distinct decoding of `text`, in order; `exhausted` when it still decodes after the last round. */
export function percentDecodings(text: string): { forms: string[]; exhausted: boolean } {
  const forms: string[] = [];
  let current = text;
  for (let round = 0; round < MAX_DECODE_ROUNDS; round += 1) {
    if (!current.includes('%')) return { forms, exhausted: false };
    const next = percentDecodeOnce(current);
    if (next === current) return { forms, exhausted: false };
    forms.push(next);
    current = next;
  }
  return { forms, exhausted: percentDecodeOnce(current) !== current };
}
