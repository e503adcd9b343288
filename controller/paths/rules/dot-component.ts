// Components that name no file: `.`, empty (`a//b`, a trailing slash), or only invisible characters.
import { ISSUE } from '../../domain/index.js';
import { isAscii, stripIgnorables } from '../name-folding.js';
import { quote, RELATIVE_HINT, type PathRule } from './path-rule.js';

function emptiness(component: string, last: boolean): string | undefined {
  if (component === '.') return 'has a "." component';
  if (component === '') return last ? 'ends with "/"' : 'has an empty component ("//")';
  if (!isAscii(component) && stripIgnorables(component.normalize('NFKC')) === '') {
    return `has a component of invisible characters only (${quote(component)})`;
  }
  return undefined;
}

/** Refused, not collapsed: a batch that says `a//b` or `a/` may mean something else, so it must say it again. */
export const dotComponent: PathRule = ({ raw, components }) => {
  for (const [at, component] of components.entries()) {
    const why = emptiness(component, at === components.length - 1);
    if (why === undefined) continue;
    return {
      code: ISSUE.pathDotComponent,
      message: `path ${quote(raw)} ${why}`,
      hint: `name each directory once, with no trailing "/"; ${RELATIVE_HINT}`,
    };
  }
  return undefined;
};
