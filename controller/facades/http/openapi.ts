// GET /openapi.json (docs/serve.md#openapi): an OpenAPI 3.1 document built from the route table and
// its zod schemas (z.toJSONSchema), so the document and the server cannot say different things.
import { z } from 'zod';

import { batchSchema } from '../../domain/index.js';
import type { Route } from './route.js';

type Json = Record<string, unknown>;

const schemaOf = (schema: z.ZodType, io: 'input' | 'output'): Json => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Json;
  return rest;
};

function parameters(route: Route): Json[] {
  const path = [...route.path.matchAll(/:(\w+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
  if (!route.query) return path;
  const query = schemaOf(route.query, 'input') as { properties?: Record<string, Json>; required?: string[] };
  const fields = Object.entries(query.properties ?? {}).map(([name, schema]) => ({
    name,
    in: 'query',
    required: query.required?.includes(name) ?? false,
    schema,
  }));
  return [...path, ...fields];
}

function requestBody(route: Route): Json | undefined {
  if (route.body === undefined) return undefined;
  if (route.body === 'batch') {
    return {
      required: true,
      content: {
        'application/json': { schema: schemaOf(batchSchema, 'input') },
        'application/x-ndjson': {
          schema: { type: 'string', description: 'a header line, then one operation per line (docs/batch-format.md)' },
        },
      },
    };
  }
  return { required: route.bodyOptional !== true, content: { 'application/json': { schema: schemaOf(route.body, 'input') } } };
}

function operation(route: Route): Json {
  const responses = Object.fromEntries(
    Object.entries(route.responses).map(([status, { description, schema }]) => [
      status,
      { description, ...(schema ? { content: { 'application/json': { schema: schemaOf(schema, 'output') } } } : {}) },
    ]),
  );
  const body = requestBody(route);
  return {
    summary: route.summary,
    ...(route.role ? { security: [{ bearer: [] }], 'x-batchctl-role': route.role } : { security: [] }),
    parameters: parameters(route),
    ...(body ? { requestBody: body } : {}),
    responses,
  };
}

export function openApiDocument({ routes, version }: { routes: readonly Route[]; version: string }): Json {
  const paths: Record<string, Json> = {};
  for (const route of routes) {
    const path = route.path.replace(/:(\w+)/g, '{$1}');
    paths[path] = { ...(paths[path] ?? {}), [route.method]: operation(route) };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'batchctl serve', version, description: 'docs/serve.md' },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}
