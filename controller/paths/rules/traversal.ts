// `..` in any spelling: literal, percent-encoded (once or many times, overlong UTF-8 included),
// compatibility dots that NFKC turns into `..`, or dots padded with invisible characters.
import { ISSUE } from '../../domain/index.js';
import { visibleCompat } from '../name-folding.js';
import { MAX_DECODE_ROUNDS, percentDecodings } from './percent-decode.js';
import { quote, RELATIVE_HINT, type PathRefusal, type PathRule } from './path-rule.js';

const ONLY_DOTS_AND_SPACES = /^[. ]+$/;

/**
 * What `form` turns into for a layer that NFKC-normalises (`．．`, `‥`) or drops invisible code
 * points (macOS): a separator (`／` is `/` under NFKC), `.`/`..`, or dots with spaces, which Windows
 * trims to dots. Plain `...` stays legal: a valid POSIX name that git accepts too.
 */
function disguise(form: string): string | undefined {
  const reduced = visibleCompat(form);
  if (reduced.includes('/') || reduced.includes('\\')) return 'a path separator';
  if (reduced === '.' || reduced === '..') return `"${reduced}"`;
  if (reduced.includes(' ') && reduced.includes('.') && ONLY_DOTS_AND_SPACES.test(reduced)) {
    return '"." or ".." (Windows drops trailing spaces)';
  }
  return undefined;
}

function refuse(component: string, why: string): PathRefusal {
  return {
    code: ISSUE.pathTraversal,
    message: `path component ${quote(component)} ${why}`,
    hint: `remove ".." and encoded dots; ${RELATIVE_HINT}`,
  };
}

export const traversal: PathRule = ({ components }) => {
  for (const component of components) {
    if (component === '..') return refuse(component, 'climbs out of its directory');
    // literal `.` and empty components are the dot-component rule's
    if (component === '' || component === '.') continue;
    const direct = disguise(component);
    if (direct) return refuse(component, `reads as ${direct}`);
    const { forms, exhausted } = percentDecodings(component);
    for (const form of forms) {
      const decoded = disguise(form);
      if (decoded) return refuse(component, `percent-decodes to ${decoded}`);
    }
    if (exhausted) return refuse(component, `is still percent-encoded after ${MAX_DECODE_ROUNDS} decodings`);
  }
  return undefined;
};
