// Commit message trailers: parse "Key: value" lines of the last paragraph (git's own rule, simplified).

/** Trailers of a commit message, last paragraph only; repeated keys keep the last value. */
export function parseTrailers(message: string): Map<string, string> {
  const paragraphs = message.trimEnd().split(/\n\s*\n/);
  const last = paragraphs[paragraphs.length - 1] ?? '';
  const trailers = new Map<string, string>();
  for (const line of last.split('\n')) {
    const match = /^([A-Za-z0-9][A-Za-z0-9-]*):\s?(.*)$/.exec(line);
    if (match?.[1] !== undefined) trailers.set(match[1], match[2] ?? '');
  }
  return trailers;
}

/** The trailer block text for a commit message. */
export function formatTrailers(trailers: ReadonlyArray<readonly [string, string]>): string {
  return trailers.map(([key, value]) => `${key}: ${value.replace(/\s+/g, ' ').trim()}`).join('\n');
}
