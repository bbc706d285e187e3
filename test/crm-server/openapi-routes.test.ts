/**
 * docs/openapi.yaml and the reference server agree: every route the server serves is in
 * the specification and every operation of the specification is served.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { crmRoutes } from '../../examples/crm-server/server';

const root = path.resolve(import.meta.dirname, '..', '..');
const methods = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

interface OpenApiDocument {
  readonly openapi: string;
  readonly paths: Record<string, Record<string, { security?: unknown[]; parameters?: { name: string; in: string }[] }>>;
}

const spec = parse(readFileSync(path.join(root, 'docs', 'openapi.yaml'), 'utf8')) as OpenApiDocument;
// Routes are built without touching the database: handlers only run on requests.
const routes = crmRoutes({ db: undefined as never, now: Date.now, emit: () => undefined, publicLoyalty: true });

describe('docs/openapi.yaml', () => {
  it('is a valid OpenAPI 3.1 document (checked against the official schema)', async () => {
    expect(spec.openapi).toMatch(/^3\.1\./);
    const result = await new Validator().validate(readFileSync(path.join(root, 'docs', 'openapi.yaml'), 'utf8'));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('lists exactly the routes the server serves', () => {
    const specified = Object.entries(spec.paths)
      .flatMap(([route, item]) => methods.filter((method) => item[method] !== undefined).map((method) => `${method.toUpperCase()} ${route}`))
      .sort();
    const served = routes.map((route) => `${route.method} ${route.path}`).sort();
    expect(served).toEqual(specified);
  });

  it('documents the authentication each route requires', () => {
    for (const route of routes) {
      const operation = spec.paths[route.path]?.[route.method.toLowerCase()];
      const security = JSON.stringify(operation?.security ?? 'api-key');
      if (route.auth === 'none') expect(security, `${route.method} ${route.path}`).toBe('[]');
      else if (route.auth === 'write-key') expect(security, `${route.method} ${route.path}`).toContain('writeKey');
      else expect(security, `${route.method} ${route.path}`).toBe('"api-key"');
    }
  });

  it('declares Idempotency-Key exactly on the routes that honour it', () => {
    for (const route of routes) {
      const operation = spec.paths[route.path]?.[route.method.toLowerCase()];
      const declared = JSON.stringify(operation?.parameters ?? []).includes('#/components/parameters/IdempotencyKey');
      expect(declared, `${route.method} ${route.path}`).toBe(route.idempotent === true);
    }
  });
});
