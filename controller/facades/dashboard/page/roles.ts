// What the caller's role may do (docs/serve.md#tokens-and-roles: viewer < operator < admin). The page
// hides what the role cannot do; the server still refuses it (403) whatever the page shows.
import type { Role } from './types.js';

const ORDER: readonly Role[] = ['viewer', 'operator', 'admin'];

export function may(role: Role | null, needed: Role): boolean {
  return role !== null && ORDER.indexOf(role) >= ORDER.indexOf(needed);
}

/** Hide every `[data-role]` element the role is below (`data-role="admin"`). */
export function applyRole(root: ParentNode, role: Role | null): void {
  for (const element of root.querySelectorAll<HTMLElement>('[data-role]')) {
    element.hidden = !may(role, element.dataset.role as Role);
  }
}
