// Who the caller is (docs/serve.md#tokens-and-roles): the token's name and role, so a client (the
// dashboard) can show the role and hide what it may not do. The server still checks every route.
import { defineRoute } from '../route.js';
import { whoamiSchema } from '../schemas.js';

export const whoamiRoute = defineRoute({
  method: 'get',
  path: '/api/whoami',
  role: 'viewer',
  summary: "the caller's token name and role",
  responses: { 200: { description: '{name, role}', schema: whoamiSchema } },
  handle({ c, principal }) {
    // role 'viewer' means mountRoute has already refused a caller without one.
    return c.json({ name: principal?.name ?? '', role: principal?.role ?? 'viewer' });
  },
});
