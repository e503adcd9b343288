// The known key a misspelt one was most likely meant to be.
import { levenshtein } from './levenshtein.js';

/** The candidate closest to `key` by edit distance (the first of equals); null when there is none. */
export function nearestKey(key: string, candidates: readonly string[]): { key: string; distance: number } | null {
  let best: { key: string; distance: number } | null = null;
  for (const candidate of candidates) {
    const distance = levenshtein(key, candidate);
    if (best === null || distance < best.distance) best = { key: candidate, distance };
  }
  return best;
}
