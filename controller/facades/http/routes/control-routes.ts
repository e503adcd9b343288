// The control plane (docs/serve.md#the-control-plane): its state, the emergency stop and resume (admin),
// and the SLIs. The stop's `disabled_by` is the token's name, never one the caller names.
import { defineRoute, type Route } from '../route.js';
import { errorBodySchema, resumeBodySchema, sliQuerySchema, stopBodySchema } from '../schemas.js';

export const controlRoutes: Route[] = [
  defineRoute({
    method: 'get',
    path: '/api/control',
    role: 'viewer',
    summary: 'stop, breakers, budget and SLIs at a glance',
    query: sliQuerySchema,
    responses: { 200: { description: 'the control status' } },
    async handle({ c, engine, query }) {
      return c.json(await engine.controlStatus({ sliDays: query.days }));
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/control/stop',
    role: 'admin',
    summary: "emergency stop (or one ecosystem's): refuse new batches, halt running ones",
    body: stopBodySchema,
    responses: { 200: { description: 'the control change' }, 400: { description: 'CONTROL_EDIT_INVALID', schema: errorBodySchema } },
    async handle({ c, engine, body, principal }) {
      c.set('reason', body.reason);
      const result = await engine.stop({
        reason: body.reason,
        ...(body.ecosystem ? { ecosystem: body.ecosystem } : {}),
        ...(body.incident_url ? { incidentUrl: body.incident_url } : {}),
        ...(body.expected_resume ? { expectedResume: body.expected_resume } : {}),
        ...(c.get('credential') === 'valid' && principal ? { by: principal.name } : {}),
      });
      return c.json(result, 200);
    },
  }),
  defineRoute({
    method: 'post',
    path: '/api/control/resume',
    role: 'admin',
    summary: "lift the global stop, or one ecosystem's",
    body: resumeBodySchema,
    bodyOptional: true,
    responses: { 200: { description: 'the control change' } },
    async handle({ c, engine, body, principal }) {
      const result = await engine.resume({
        ...(body.ecosystem ? { ecosystem: body.ecosystem } : {}),
        ...(c.get('credential') === 'valid' && principal ? { by: principal.name } : {}),
      });
      return c.json(result, 200);
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/sli',
    role: 'viewer',
    summary: 'success rates, durations and severity per ecosystem over the last `days` days',
    query: sliQuerySchema,
    responses: { 200: { description: '{since, ecosystems}' } },
    async handle({ c, engine, query }) {
      return c.json((await engine.controlStatus({ sliDays: query.days })).slis);
    },
  }),
];
