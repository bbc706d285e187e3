/**
 * The guanxi REST adapter and docs/openapi.yaml stay in step: every route the adapter
 * calls is in the specification with that method, and the limits the adapter assumes
 * (page sizes, batch size, search filter depth and size) are the specification's.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CrmActivityInput, createCrmClient, createGuanxiRestAdapter, type CrmTransportRequest } from 'guanxi/client';
import { TouchpointRecord } from 'guanxi/tracking';

const spec = readFileSync(path.resolve(import.meta.dirname, '..', '..', 'docs', 'openapi.yaml'), 'utf8');

/** `{ '/v1/contacts': ['get', 'post'], … }` from the `paths:` section. */
function specRoutes(): Map<string, Set<string>> {
  const routes = new Map<string, Set<string>>();
  let current: string | undefined;
  for (const line of spec.split('\n')) {
    const route = /^ {2}(\/[^:]*):\s*$/.exec(line);
    if (route?.[1]) {
      current = route[1];
      routes.set(current, new Set());
      continue;
    }
    if (/^\S/.test(line)) current = undefined;
    const method = /^ {4}(get|post|put|patch|delete):\s*$/.exec(line);
    if (current && method?.[1]) routes.get(current)?.add(method[1]);
  }
  return routes;
}

function matchRoute(routes: Map<string, Set<string>>, requestPath: string): string | undefined {
  if (routes.has(requestPath)) return requestPath;
  for (const route of routes.keys()) {
    const pattern = new RegExp(`^${route.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    if (pattern.test(requestPath)) return route;
  }
  return undefined;
}

describe('guanxi REST adapter ↔ docs/openapi.yaml', () => {
  it('calls only routes and methods the specification defines', async () => {
    const calls: CrmTransportRequest[] = [];
    const adapter = createGuanxiRestAdapter({ baseUrl: 'http://127.0.0.1:9' });
    // Record the calls without sending them.
    adapter.transport.request = async (call) => {
      calls.push(call);
      const isPage = call.method === 'GET' && !/\/v1\/[a-z-]+\/[^/]+/.test(call.path);
      const body = call.path.endsWith('/batch/upsert') ? { results: [] } : isPage || call.path.endsWith('/search') ? { results: [] } : call.path === '/v1/batch' ? { stored: 0 } : { id: 'x', type: 'export', status: 'completed', subject: {}, createdAt: 'now', purposes: {}, source: 'api' };
      return { status: 200, headers: new Headers(), body };
    };
    const crm = createCrmClient({ adapter });
    for (const type of ['contacts', 'companies', 'deals', 'tickets', 'activities'] as const) {
      const resource = crm[type] as unknown as { list: () => Promise<unknown>; get: (id: string) => Promise<unknown>; update: (id: string, patch: object) => Promise<unknown>; delete: (id: string) => Promise<unknown>; search: (query: object) => Promise<unknown>; upsertMany: (items: object[]) => Promise<unknown> };
      await resource.list();
      await resource.get('x').catch(() => undefined);
      await resource.update('x', {}).catch(() => undefined);
      await resource.delete('x');
      await resource.search({ filter: { field: 'id', op: 'exists' } });
      await resource.upsertMany([{ id: 'x' }]);
    }
    await crm.contacts.create({ email: 'a@example.com' }).catch(() => undefined);
    await crm.consentRecords.create({ subject: { userId: 'u' }, purposes: { a: 'granted' }, source: 'api' }).catch(() => undefined);
    await crm.consentRecords.list();
    await crm.events.send([{ type: 'track', messageId: 'm', userId: 'u', event: 'E' }]);
    await crm.dataSubjectRequests.create({ type: 'export', subject: { userId: 'u' } }).catch(() => undefined);
    await crm.dataSubjectRequests.get('x').catch(() => undefined);
    await crm.dataSubjectRequests.export('x').catch(() => undefined);
    const routes = specRoutes();
    expect(routes.size).toBeGreaterThan(20);
    const missing = calls.filter((call) => {
      const route = matchRoute(routes, call.path);
      return route === undefined || !routes.get(route)?.has(call.method.toLowerCase());
    });
    expect(missing.map((call) => `${call.method} ${call.path}`)).toEqual([]);
    expect(new Set(calls.map((call) => `${call.method} ${matchRoute(routes, call.path)}`)).size).toBeGreaterThanOrEqual(35);
  });

  it("assumes the specification's limits", () => {
    const limits = createGuanxiRestAdapter({ baseUrl: 'http://127.0.0.1:9' }).limits;
    const block = (name: string) => spec.slice(spec.indexOf(`    ${name}:`), spec.indexOf(`    ${name}:`) + 1200);
    expect(Number(/maximum: (\d+)/.exec(block('Limit'))?.[1])).toBe(limits.maxPageSize);
    expect(Number(/maxItems: (\d+)/.exec(block('BatchUpsertRequest'))?.[1])).toBe(limits.batchSize);
    expect(Number(/limit:\s+type: integer\s+minimum: 1\s+maximum: (\d+)/.exec(block('SearchRequest'))?.[1])).toBe(limits.maxSearchPageSize);
    expect(block('FilterNode')).toMatch(/At most 5 levels deep and 50 conditions/);
  });

  it('describes activities with the touchpoint vocabulary the client and the tracker use', () => {
    const start = spec.indexOf('    ActivityProperties:');
    const block = spec.slice(start, spec.indexOf('\n    BatchUpsertRequest:', start));
    const documented = new Set([...block.matchAll(/^ {8}([A-Za-z]+):\s*$/gm)].map((match) => match[1]));
    const deprecated = new Set([...block.matchAll(/^ {8}([A-Za-z]+):\s*\n(?: {10}.*\n)*? {10}deprecated: true/gm)].map((match) => match[1]));
    const clientFields = Object.keys(CrmActivityInput.shape).filter((field) => field !== 'properties');
    const trackerFields = Object.keys(TouchpointRecord.shape).filter((field) => field !== 'properties');
    expect(clientFields.filter((field) => !documented.has(field))).toEqual([]);
    expect(trackerFields.filter((field) => !documented.has(field))).toEqual([]);
    // One vocabulary: the tracker sends no field the client does not know, except deprecated ones.
    expect(trackerFields.filter((field) => !clientFields.includes(field) && !deprecated.has(field))).toEqual([]);
    expect([...deprecated].sort()).toEqual(['body', 'durationMs', 'owner']);
  });
});
