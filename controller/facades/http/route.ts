// A route as data (docs/serve.md#routes): method, path, role, schemas and one handler. The app mounts
// the table and GET /openapi.json is generated from the same table, so the two cannot drift.
import type { Context } from 'hono';
import type { z } from 'zod';

import type { BatchDocument } from '../../domain/index.js';
import type { Engine } from '../../engine/index.js';
import type { Principal, Role } from './auth/principal.js';

/** What a handler gets: every input already parsed and checked. */
export interface RouteInput<B, Q> {
  c: Context;
  engine: Engine;
  /** the caller; null only for an open route */
  principal: Principal | null;
  body: B;
  query: Q;
  params: Record<string, string>;
  /** `body: 'batch'`: the batch document as received (JSON value, or an NDJSON stream counted against the limit) */
  document: BatchDocument | null;
}

export interface RouteSpec<B extends z.ZodType = z.ZodType, Q extends z.ZodType = z.ZodType> {
  method: 'get' | 'post';
  /** hono's syntax: `/api/batches/:id` */
  path: string;
  /** the least role that may call it; null: open to anyone (health checks, the OpenAPI document) */
  role: Role | null;
  summary: string;
  /** `write`: also counts against the tighter limit for batch, rollback and retry (docs/serve.md#rate-limits) */
  rateLimit?: 'write';
  /** a JSON body of this shape; 'batch': a batch document (JSON or NDJSON) */
  body?: B | 'batch';
  /** a body may be left out entirely (the schema's default applies) */
  bodyOptional?: boolean;
  query?: Q;
  /** documented statuses: a description and, when it has a fixed shape, its schema */
  responses: Record<number, { description: string; schema?: z.ZodType }>;
  /** refused with 503 while the server shuts down (it submits work) */
  submits?: boolean;
  handle(input: RouteInput<z.output<B>, z.output<Q>>): Promise<Response> | Response;
}

export type Route = RouteSpec<z.ZodType, z.ZodType>;

/** Keeps each route's handler typed by its own schemas while the table holds them all. */
export function defineRoute<B extends z.ZodType, Q extends z.ZodType>(spec: RouteSpec<B, Q>): Route {
  return spec as unknown as Route;
}
