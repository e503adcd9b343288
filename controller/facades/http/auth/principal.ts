// Who is calling a facade: a token's name and its role (docs/serve.md#tokens-and-roles).
export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface Principal {
  /** the token's name: the batch's `requested_by`, the stop's `disabled_by` */
  name: string;
  role: Role;
}

/** viewer < operator < admin */
export function hasRole(principal: Principal, needed: Role): boolean {
  return ROLES.indexOf(principal.role) >= ROLES.indexOf(needed);
}

/**
 * A credential (the `Authorization: Bearer` token, or the token a WebSocket offered) to a principal:
 * null when none was given, 'invalid' when one was given and matches no token.
 */
export type Authenticate = (token: string | undefined) => Principal | null | 'invalid';
