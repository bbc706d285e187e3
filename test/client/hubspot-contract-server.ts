/**
 * A HubSpot CRM v3 contract server on 127.0.0.1: the objects API (list, read, create,
 * update, archive), batch upsert/update with 207 partial results, search with
 * filterGroups and HubSpot's limits, opaque `after` cursors, HubSpot's error bodies and
 * rate-limit headers — and injectable failures (both 429 policies with and without
 * `Retry-After`, 5xx, failures after processing, slow responses). Also the engagement
 * objects (calls, emails, meetings, tasks, notes) with their required `hs_timestamp`,
 * enumerated properties, datetime normalisation, associations made on create with
 * HubSpot-defined association type ids, `?associations=` on reads, the
 * `associations.<object>` search pseudo-properties and the v4 association batch read.
 * Formats follow REFERENCE.md §5 and HubSpot's public documentation; state is in memory.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { delay, FaultQueue, readBody, sendJson, type ContractFault } from './support/faults';

export interface HubSpotObject {
  id: string;
  properties: Record<string, string | null>;
  createdAt: string;
  updatedAt: string;
  archived: boolean;
  /** Associated record ids by object (`contacts`, `companies`, `deals`, `tickets`). */
  associations?: Record<string, string[]>;
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly authorization: string | undefined;
  readonly idempotencyKey: string | undefined;
  readonly body: string;
}

export interface HubSpotContractServerOptions {
  /** Tokens accepted in `Authorization: Bearer …`. */
  readonly tokens?: readonly string[];
  /** `X-HubSpot-RateLimit-Interval-Milliseconds` sent with responses and used for short 429s. */
  readonly intervalMs?: number;
}

const engagementTypes = ['calls', 'emails', 'meetings', 'tasks', 'notes'] as const;
const objectTypes = ['contacts', 'companies', 'deals', 'tickets', ...engagementTypes] as const;
type ObjectType = (typeof objectTypes)[number];
const associationTargets = ['contacts', 'companies', 'deals', 'tickets'] as const;
/** HubSpot-defined association type ids, engagement → contacts, companies, deals, tickets. */
const associationTypeIds: Record<(typeof engagementTypes)[number], readonly number[]> = {
  calls: [194, 182, 206, 220],
  emails: [198, 186, 210, 224],
  meetings: [200, 188, 212, 226],
  notes: [202, 190, 214, 228],
  tasks: [204, 192, 216, 230],
};
/** Enumerated engagement properties and their allowed values (HubSpot's engagement guides). */
const enumerations: Record<string, readonly string[]> = {
  hs_call_direction: ['INBOUND', 'OUTBOUND'],
  hs_call_status: ['BUSY', 'CALLING_CRM_USER', 'CANCELED', 'COMPLETED', 'CONNECTING', 'FAILED', 'IN_PROGRESS', 'NO_ANSWER', 'QUEUED', 'RINGING'],
  hs_email_direction: ['EMAIL', 'INCOMING_EMAIL', 'FORWARDED_EMAIL'],
  hs_email_status: ['BOUNCED', 'FAILED', 'SCHEDULED', 'SENDING', 'SENT'],
  hs_meeting_outcome: ['SCHEDULED', 'COMPLETED', 'RESCHEDULED', 'NO_SHOW', 'CANCELED'],
  hs_task_status: ['NOT_STARTED', 'IN_PROGRESS', 'WAITING', 'COMPLETED', 'DEFERRED'],
  hs_task_priority: ['NONE', 'LOW', 'MEDIUM', 'HIGH'],
};
const dateTimeProperties = new Set(['hs_timestamp', 'hs_meeting_start_time', 'hs_meeting_end_time', 'createdate', 'hs_createdate']);
const isEngagement = (type: ObjectType): type is (typeof engagementTypes)[number] => (engagementTypes as readonly string[]).includes(type);
const lifecycleStages = new Set(['subscriber', 'lead', 'marketingqualifiedlead', 'salesqualifiedlead', 'opportunity', 'customer', 'evangelist', 'other']);
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const searchLimits = { groups: 5, filtersPerGroup: 10, filters: 25, pageSize: 200, window: 10_000 };

export class HubSpotContractServer {
  readonly faults = new FaultQueue();
  readonly requests: RecordedRequest[] = [];
  readonly stores: Record<ObjectType, Map<string, HubSpotObject>> = {
    contacts: new Map(),
    companies: new Map(),
    deals: new Map(),
    tickets: new Map(),
    calls: new Map(),
    emails: new Map(),
    meetings: new Map(),
    tasks: new Map(),
    notes: new Map(),
  };
  readonly tokens: Set<string>;
  readonly intervalMs: number;
  #server: Server | undefined;
  #nextId = 1000;
  #origin = '';
  #correlation = 0;
  /** When false, requests are not recorded (bulk seeding and memory tests). */
  recordRequests = true;

  constructor(options: HubSpotContractServerOptions = {}) {
    this.tokens = new Set(options.tokens ?? ['test-token']);
    this.intervalMs = options.intervalMs ?? 10_000;
  }

  get origin(): string {
    return this.#origin;
  }

  async start(): Promise<this> {
    this.#server = createServer((request, response) => {
      this.#handle(request, response).catch((error: unknown) => sendJson(response, 500, this.#error('Internal error', 'INTERNAL_ERROR', { detail: String(error) })));
    });
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
    this.#origin = `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    const server = this.#server;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Adds objects directly (no HTTP), with properties from `make(i)`. */
  seed(type: ObjectType, count: number, make: (index: number) => Record<string, string>): void {
    const store = this.stores[type];
    const base = Date.parse('2026-01-01T00:00:00Z');
    for (let i = 0; i < count; i++) {
      const id = String(this.#nextId++);
      const at = new Date(base + i * 1000).toISOString();
      store.set(id, { id, properties: { ...make(i), hs_object_id: id, createdate: at }, createdAt: at, updatedAt: at, archived: false });
    }
  }

  /** Objects of a type matching a predicate (server-side view). */
  count(type: ObjectType, predicate: (object: HubSpotObject) => boolean = () => true): number {
    let count = 0;
    for (const object of this.stores[type].values()) if (!object.archived && predicate(object)) count++;
    return count;
  }

  #error(message: string, category: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
    return { status: 'error', message, correlationId: `corr-${++this.#correlation}`, category, ...extra };
  }

  #rateHeaders(): Record<string, string> {
    return {
      'x-hubspot-ratelimit-max': '100',
      'x-hubspot-ratelimit-remaining': '99',
      'x-hubspot-ratelimit-interval-milliseconds': String(this.intervalMs),
      'x-hubspot-ratelimit-daily': '250000',
      'x-hubspot-ratelimit-daily-remaining': '249999',
    };
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const method = request.method ?? 'GET';
    // CORS, so browser tests can call the server from a page on another origin.
    response.setHeader('access-control-allow-origin', '*');
    response.setHeader('access-control-expose-headers', 'retry-after, x-hubspot-ratelimit-max, x-hubspot-ratelimit-remaining, x-hubspot-ratelimit-interval-milliseconds, x-hubspot-ratelimit-daily, x-hubspot-ratelimit-daily-remaining');
    if (method === 'OPTIONS') {
      response.writeHead(204, {
        'access-control-allow-methods': 'GET, POST, PATCH, DELETE',
        'access-control-allow-headers': 'authorization, content-type, idempotency-key, x-trace-id',
        'access-control-max-age': '600',
      });
      response.end();
      return;
    }
    const body = await readBody(request);
    if (this.recordRequests) {
      this.requests.push({
        method,
        path: url.pathname + url.search,
        authorization: request.headers.authorization,
        idempotencyKey: header(request, 'idempotency-key'),
        body,
      });
    }
    const fault = this.faults.take(method, url.pathname);
    if (fault && (await this.#preFault(fault, response))) return;

    const auth = request.headers.authorization ?? '';
    const token = auth.startsWith('Bearer ') ? auth.slice(7) : '';
    if (!this.tokens.has(token)) {
      sendJson(response, 401, this.#error('Authentication credentials not found. This API supports OAuth 2.0 authentication and you can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview', 'INVALID_AUTHENTICATION'));
      return;
    }

    const v4 = /^\/crm\/v4\/associations\/([a-z]+)\/([a-z]+)\/batch\/read$/.exec(url.pathname);
    if (v4 && method === 'POST') {
      const [status, payload] = this.#readAssociations(v4[1] as ObjectType, v4[2] ?? '', body === '' ? undefined : (JSON.parse(body) as { inputs?: { id?: string }[] }));
      sendJson(response, status, payload, this.#rateHeaders());
      return;
    }
    const route = /^\/crm\/v3\/objects\/([a-z]+)(?:\/(batch\/[a-z]+|search|[^/]+))?\/?$/.exec(url.pathname);
    const type = route?.[1] as ObjectType | undefined;
    if (!route || !type || !objectTypes.includes(type)) {
      sendJson(response, 404, this.#error(`Unable to infer object type from: ${route?.[1] ?? url.pathname}`, 'OBJECT_NOT_FOUND'));
      return;
    }
    let json: unknown;
    if (body !== '') {
      try {
        json = JSON.parse(body);
      } catch {
        sendJson(response, 400, this.#error('Invalid input JSON on line 1', 'VALIDATION_ERROR'));
        return;
      }
    }
    const [status, payload] = this.#route(method, type, route[2], url, json);
    // The request is processed: faults from here on leave its effects in place.
    if (fault?.kind === 'fail-after-processing') {
      sendJson(response, fault.status, this.#error('internal error', 'INTERNAL_ERROR'));
      return;
    }
    if (fault?.kind === 'drop-after-processing') {
      response.socket?.destroy();
      return;
    }
    sendJson(response, status, payload, this.#rateHeaders());
  }

  /** Applies a fault that happens before processing; returns true when it answered. */
  async #preFault(fault: ContractFault, response: ServerResponse): Promise<boolean> {
    switch (fault.kind) {
      case 'delay':
        await delay(fault.ms);
        return false;
      case 'server-error':
        sendJson(response, fault.status, this.#error('internal error', 'INTERNAL_ERROR'));
        return true;
      case 'rate-limit': {
        const daily = fault.window === 'long';
        const headers: Record<string, string> = daily
          ? { 'x-hubspot-ratelimit-daily': '250000', 'x-hubspot-ratelimit-daily-remaining': '0' }
          : { ...this.#rateHeaders(), 'x-hubspot-ratelimit-remaining': '0' };
        if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds);
        sendJson(
          response,
          429,
          this.#error(daily ? 'You have reached your daily limit.' : 'You have reached your ten_secondly_rolling limit.', 'RATE_LIMITS', {
            errorType: 'RATE_LIMIT',
            policyName: daily ? 'DAILY' : 'TEN_SECONDLY_ROLLING',
          }),
          headers,
        );
        return true;
      }
      default:
        return false;
    }
  }

  #route(method: string, type: ObjectType, rest: string | undefined, url: URL, json: unknown): [number, unknown] {
    const store = this.stores[type];
    if (rest === undefined) {
      if (method === 'GET') return this.#list(type, url);
      if (method === 'POST') {
        const input = json as { properties?: Record<string, unknown>; associations?: unknown } | undefined;
        return this.#create(type, input?.properties ?? {}, input?.associations);
      }
      return [405, this.#error('Method not allowed', 'VALIDATION_ERROR')];
    }
    if (rest === 'search' && method === 'POST') return this.#search(type, json as SearchBody);
    if (rest.startsWith('batch/') && method === 'POST') return this.#batch(type, rest.slice(6), json as { inputs?: unknown[] });
    const object = store.get(decodeURIComponent(rest));
    if (!object || object.archived) {
      if (method === 'DELETE') return [204, undefined];
      return [404, this.#error('Object not found.  objectId are usually numeric.', 'OBJECT_NOT_FOUND', { context: { id: [rest] } })];
    }
    if (method === 'GET') return [200, this.#view(object, url.searchParams.get('properties'), url.searchParams.get('associations'))];
    if (method === 'PATCH') {
      const properties = (json as { properties?: Record<string, unknown> } | undefined)?.properties ?? {};
      const invalid = this.#validate(type, properties, 'update');
      if (invalid) return [400, invalid];
      Object.assign(object.properties, normalize(stringify(properties)));
      object.updatedAt = new Date().toISOString();
      return [200, this.#view(object, null)];
    }
    if (method === 'DELETE') {
      object.archived = true;
      return [204, undefined];
    }
    return [405, this.#error('Method not allowed', 'VALIDATION_ERROR')];
  }

  #view(object: HubSpotObject, properties: string | null, associations: string | null = null): Record<string, unknown> {
    const { associations: linked, ...rest } = object;
    const view: Record<string, unknown> = { ...rest, properties: { ...object.properties } };
    if (properties !== null) {
      const wanted = new Set(['hs_object_id', 'createdate', ...properties.split(',').filter(Boolean)]);
      const selected: Record<string, string | null> = {};
      for (const name of wanted) selected[name] = object.properties[name] ?? null;
      view.properties = selected;
    }
    // `?associations=contacts,…`: associated ids per object, only for objects with any.
    const groups: Record<string, unknown> = {};
    for (const target of associations?.split(',') ?? []) {
      const ids = linked?.[target] ?? [];
      if (ids.length > 0) groups[target] = { results: ids.map((id) => ({ id, type: `${object.properties.hs_object_type ?? 'object'}_to_${target.slice(0, -1)}` })) };
    }
    if (Object.keys(groups).length > 0) view.associations = groups;
    return view;
  }

  #readAssociations(from: ObjectType, to: string, body: { inputs?: { id?: string }[] } | undefined): [number, unknown] {
    if (!objectTypes.includes(from) || !(associationTargets as readonly string[]).includes(to)) return [400, this.#error(`Unknown object type ${from} or ${to}`, 'VALIDATION_ERROR')];
    const startedAt = new Date().toISOString();
    const results = [];
    for (const input of body?.inputs ?? []) {
      const object = this.stores[from].get(String(input.id));
      const ids = object && !object.archived ? (object.associations?.[to] ?? []) : [];
      // HubSpot lists only inputs that have associations of the requested type.
      if (ids.length === 0) continue;
      const typeId = isEngagement(from) ? associationTypeIds[from][associationTargets.indexOf(to as (typeof associationTargets)[number])] : undefined;
      results.push({ from: { id: String(input.id) }, to: ids.map((id) => ({ toObjectId: Number(id), associationTypes: [{ category: 'HUBSPOT_DEFINED', typeId, label: null }] })) });
    }
    return [200, { status: 'COMPLETE', results, startedAt, completedAt: new Date().toISOString() }];
  }

  #list(type: ObjectType, url: URL): [number, unknown] {
    const limit = Number(url.searchParams.get('limit') ?? '10');
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) return [400, this.#error('limit must be between 1 and 100', 'VALIDATION_ERROR')];
    const after = url.searchParams.get('after');
    // Opaque cursor: the id to start from, encoded. Clients must not interpret it.
    const startId = after === null ? undefined : Buffer.from(after, 'base64url').toString('utf8');
    const properties = url.searchParams.get('properties');
    const associations = url.searchParams.get('associations');
    const results: Record<string, unknown>[] = [];
    let next: string | undefined;
    let started = startId === undefined;
    for (const object of this.stores[type].values()) {
      if (!started) {
        if (object.id === startId) started = true;
        else continue;
      }
      if (object.archived) continue;
      if (results.length === limit) {
        next = object.id;
        break;
      }
      results.push(this.#view(object, properties, associations));
    }
    const page: Record<string, unknown> = { results };
    if (next !== undefined) {
      const cursor = Buffer.from(next, 'utf8').toString('base64url');
      page.paging = { next: { after: cursor, link: `${this.#origin}/crm/v3/objects/${type}?after=${cursor}` } };
    }
    return [200, page];
  }

  #validate(type: ObjectType, properties: Record<string, unknown>, operation: 'create' | 'update' = 'create'): Record<string, unknown> | undefined {
    const problems: { isValid: false; message: string; error: string; name: string }[] = [];
    if (isEngagement(type)) {
      if (operation === 'create' && (properties.hs_timestamp === undefined || properties.hs_timestamp === '')) {
        problems.push({ isValid: false, message: 'hs_timestamp is required', error: 'REQUIRED_FIELD', name: 'hs_timestamp' });
      }
      for (const [name, value] of Object.entries(properties)) {
        if (value === '' || value === null) continue;
        const allowed = enumerations[name];
        if (allowed && !allowed.includes(String(value))) problems.push({ isValid: false, message: `${String(value)} was not one of the allowed options: ${allowed.join(', ')}`, error: 'INVALID_OPTION', name });
        if (dateTimeProperties.has(name) && !Number.isFinite(dateTimeMs(String(value)))) problems.push({ isValid: false, message: `${String(value)} is not a valid datetime`, error: 'INVALID_DATETIME', name });
        if (name === 'hs_call_duration' && !/^\d+$/.test(String(value))) problems.push({ isValid: false, message: `${String(value)} is not a valid number of milliseconds`, error: 'INVALID_LONG', name });
      }
    }
    if (type === 'contacts') {
      const email = properties.email;
      if (typeof email === 'string' && email !== '' && !emailPattern.test(email)) problems.push({ isValid: false, message: `Email address ${email} is invalid`, error: 'INVALID_EMAIL', name: 'email' });
      const stage = properties.lifecyclestage;
      if (typeof stage === 'string' && stage !== '' && !lifecycleStages.has(stage)) {
        problems.push({ isValid: false, message: `${stage} was not one of the allowed options`, error: 'INVALID_OPTION', name: 'lifecyclestage' });
      }
    }
    if (type === 'deals') {
      const amount = properties.amount;
      if (typeof amount === 'string' && amount !== '' && !Number.isFinite(Number(amount))) problems.push({ isValid: false, message: `${amount} is not a valid number`, error: 'INVALID_DOUBLE', name: 'amount' });
    }
    if (problems.length === 0) return undefined;
    return this.#error(`Property values were not valid: ${JSON.stringify(problems)}`, 'VALIDATION_ERROR', {
      errors: problems.map((problem) => ({ message: problem.message, code: problem.error, context: { propertyName: [problem.name] } })),
    });
  }

  #insert(type: ObjectType, properties: Record<string, unknown>, associations?: Record<string, string[]>): HubSpotObject {
    const id = String(this.#nextId++);
    const at = new Date().toISOString();
    const object: HubSpotObject = { id, properties: { ...normalize(stringify(properties)), hs_object_id: id, createdate: at }, createdAt: at, updatedAt: at, archived: false };
    if (isEngagement(type)) {
      object.properties.hs_object_type = type.slice(0, -1);
      object.properties.hs_createdate = at;
      object.associations = associations ?? {};
    }
    if (type === 'contacts' && typeof object.properties.email === 'string') object.properties.email = object.properties.email.toLowerCase();
    this.stores[type].set(id, object);
    return object;
  }

  #create(type: ObjectType, properties: Record<string, unknown>, associationInputs?: unknown): [number, unknown] {
    const invalid = this.#validate(type, properties);
    if (invalid) return [400, invalid];
    const associations: Record<string, string[]> = {};
    if (associationInputs !== undefined) {
      if (!isEngagement(type) || !Array.isArray(associationInputs)) return [400, this.#error('Invalid input JSON: associations', 'VALIDATION_ERROR')];
      for (const input of associationInputs as { to?: { id?: unknown }; types?: { associationCategory?: string; associationTypeId?: number }[] }[]) {
        const typeId = input.types?.[0]?.associationTypeId;
        const index = typeId === undefined ? -1 : associationTypeIds[type].indexOf(typeId);
        const target = associationTargets[index];
        if (!target || input.types?.[0]?.associationCategory !== 'HUBSPOT_DEFINED') {
          return [400, this.#error(`${String(typeId)} is not a valid association type id for ${type}`, 'VALIDATION_ERROR', { subCategory: 'crm.associations.INVALID_ASSOCIATION_TYPE' })];
        }
        const id = String(input.to?.id ?? '');
        if (!this.stores[target].get(id) || this.stores[target].get(id)?.archived) {
          return [400, this.#error(`One or more associations are invalid: ${target} ${id} does not exist`, 'VALIDATION_ERROR', { subCategory: 'crm.associations.INVALID_TO_OBJECT' })];
        }
        associations[target] = [...(associations[target] ?? []), id];
      }
    }
    if (type === 'contacts' && typeof properties.email === 'string') {
      const existing = this.#findBy(type, 'email', properties.email);
      if (existing) return [409, this.#error(`Contact already exists. Existing ID: ${existing.id}`, 'CONFLICT')];
    }
    return [201, this.#view(this.#insert(type, properties, associations), null)];
  }

  #findBy(type: ObjectType, property: string, value: string): HubSpotObject | undefined {
    const wanted = value.toLowerCase();
    for (const object of this.stores[type].values()) {
      if (!object.archived && (property === 'hs_object_id' ? object.id : object.properties[property])?.toLowerCase() === wanted) return object;
    }
    return undefined;
  }

  #batch(type: ObjectType, action: string, json: { inputs?: unknown[] } | undefined): [number, unknown] {
    const inputs = json?.inputs;
    if (!Array.isArray(inputs)) return [400, this.#error('Invalid input JSON: inputs is required', 'VALIDATION_ERROR')];
    if (inputs.length > 100) return [400, this.#error(`Batch input limit exceeded: ${inputs.length} > 100`, 'VALIDATION_ERROR')];
    const startedAt = new Date().toISOString();
    const results: unknown[] = [];
    const errors: unknown[] = [];
    for (const raw of inputs as { id?: string; idProperty?: string; properties?: Record<string, unknown> }[]) {
      const properties = raw.properties ?? {};
      const key = String(raw.id ?? '');
      const invalid = this.#validate(type, properties);
      if (invalid) {
        errors.push({ status: 'error', category: 'VALIDATION_ERROR', message: invalid.message, context: { ids: [key] }, errors: invalid.errors });
        continue;
      }
      if (action === 'update') {
        const object = this.stores[type].get(key);
        if (!object || object.archived) {
          errors.push({ status: 'error', category: 'OBJECT_NOT_FOUND', message: `Could not get some ${type} objects, they may be deleted or not exist.`, context: { ids: [key] } });
          continue;
        }
        Object.assign(object.properties, normalize(stringify(properties)));
        object.updatedAt = new Date().toISOString();
        results.push(this.#view(object, null));
      } else if (action === 'upsert') {
        const idProperty = raw.idProperty ?? 'hs_object_id';
        const existing = this.#findBy(type, idProperty, key);
        if (existing) {
          Object.assign(existing.properties, stringify(properties));
          existing.updatedAt = new Date().toISOString();
          results.push({ ...this.#view(existing, null), new: false });
        } else {
          results.push({ ...this.#view(this.#insert(type, { ...properties, [idProperty]: key }), null), new: true });
        }
      } else {
        return [400, this.#error(`Unsupported batch action ${action}`, 'VALIDATION_ERROR')];
      }
    }
    // HubSpot does not promise result order; reversing keeps clients honest.
    results.reverse();
    const payload: Record<string, unknown> = { status: 'COMPLETE', results, startedAt, completedAt: new Date().toISOString() };
    if (errors.length > 0) {
      payload.numErrors = errors.length;
      payload.errors = errors;
      return [207, payload];
    }
    return [200, payload];
  }

  #search(type: ObjectType, body: SearchBody | undefined): [number, unknown] {
    const groups = body?.filterGroups ?? [];
    const total = groups.reduce((sum, group) => sum + (group.filters?.length ?? 0), 0);
    if (groups.length > searchLimits.groups || groups.some((group) => (group.filters?.length ?? 0) > searchLimits.filtersPerGroup) || total > searchLimits.filters) {
      return [400, this.#error(`There was a problem with the request: too many filters (max ${searchLimits.groups} filterGroups, ${searchLimits.filtersPerGroup} filters per group, ${searchLimits.filters} total)`, 'VALIDATION_ERROR')];
    }
    const limit = body?.limit ?? 10;
    if (limit > searchLimits.pageSize) return [400, this.#error(`limit must be <= ${searchLimits.pageSize}`, 'VALIDATION_ERROR')];
    const after = Number(body?.after ?? 0);
    if (after >= searchLimits.window) return [400, this.#error(`The search API can return at most ${searchLimits.window} results`, 'VALIDATION_ERROR')];
    const matches: HubSpotObject[] = [];
    for (const object of this.stores[type].values()) {
      if (object.archived) continue;
      if (groups.length === 0 || groups.some((group) => (group.filters ?? []).every((filter) => matchFilter(object, filter)))) matches.push(object);
    }
    const sort = body?.sorts?.[0];
    if (sort) {
      const direction = sort.direction === 'DESCENDING' ? -1 : 1;
      const key = (object: HubSpotObject) => {
        const value = object.properties[sort.propertyName] ?? null;
        return value !== null && dateTimeProperties.has(sort.propertyName) ? String(dateTimeMs(value)) : value;
      };
      matches.sort((a, b) => direction * compare(key(a), key(b)));
    }
    const properties = body?.properties?.join(',') ?? null;
    const results = matches.slice(after, after + limit).map((object) => this.#view(object, properties));
    const page: Record<string, unknown> = { total: matches.length, results };
    const nextAfter = after + limit;
    if (nextAfter < matches.length) page.paging = { next: { after: String(nextAfter) } };
    return [200, page];
  }
}

export interface SearchFilter {
  propertyName: string;
  operator: string;
  value?: string;
  values?: string[];
  highValue?: string;
}

interface SearchBody {
  filterGroups?: { filters?: SearchFilter[] }[];
  sorts?: { propertyName: string; direction?: string }[];
  query?: string;
  properties?: string[];
  limit?: number;
  after?: string;
}

export function compare(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  const numbers = [Number(a), Number(b)];
  if (numbers.every((n) => Number.isFinite(n)) && a !== '' && b !== '') return (numbers[0] ?? 0) - (numbers[1] ?? 0);
  return a < b ? -1 : 1;
}

export function matchFilter(object: HubSpotObject, raw: SearchFilter): boolean {
  // `associations.contact` and friends: records associated with the given id.
  const association = /^associations\.([a-z]+)$/.exec(raw.propertyName);
  if (association) {
    const ids = object.associations?.[`${association[1]}s`.replace(/ys$/, 'ies')] ?? [];
    if (raw.operator === 'EQ') return ids.includes(raw.value ?? '');
    if (raw.operator === 'IN') return ids.some((id) => raw.values?.includes(id));
    return false;
  }
  // Datetime properties compare as instants; HubSpot takes filter values in ms since the epoch.
  const dated = dateTimeProperties.has(raw.propertyName);
  const asMs = (text: string | undefined) => (text === undefined ? undefined : String(dateTimeMs(text)));
  const filter: SearchFilter = dated ? { ...raw, value: asMs(raw.value), values: raw.values?.map((text) => asMs(text) ?? text) } : raw;
  const stored = filter.propertyName === 'hs_object_id' ? object.id : (object.properties[filter.propertyName] ?? null);
  const value = dated && stored !== null && stored !== '' ? String(dateTimeMs(stored)) : stored;
  const has = value !== null && value !== '';
  switch (filter.operator) {
    case 'HAS_PROPERTY':
      return has;
    case 'NOT_HAS_PROPERTY':
      return !has;
    case 'EQ':
      return has && value.toLowerCase() === (filter.value ?? '').toLowerCase();
    case 'NEQ':
      return !has || value.toLowerCase() !== (filter.value ?? '').toLowerCase();
    case 'LT':
      return has && compare(value, filter.value ?? null) < 0;
    case 'LTE':
      return has && compare(value, filter.value ?? null) <= 0;
    case 'GT':
      return has && compare(value, filter.value ?? null) > 0;
    case 'GTE':
      return has && compare(value, filter.value ?? null) >= 0;
    case 'IN':
      return has && (filter.values ?? []).some((candidate) => candidate.toLowerCase() === value.toLowerCase());
    case 'NOT_IN':
      return !has || !(filter.values ?? []).some((candidate) => candidate.toLowerCase() === value.toLowerCase());
    case 'CONTAINS_TOKEN': {
      if (!has) return false;
      const pattern = (filter.value ?? '').toLowerCase();
      const core = pattern.replace(/^\*/, '').replace(/\*$/, '');
      const tokens = value.toLowerCase().split(/[\s@.,;:!?]+/);
      if (pattern.startsWith('*') && pattern.endsWith('*')) return value.toLowerCase().includes(core);
      return tokens.includes(core);
    }
    default:
      return false;
  }
}

/** A HubSpot datetime value (ms since the epoch or ISO 8601) in ms. */
function dateTimeMs(value: string): number {
  return /^\d+$/.test(value) ? Number(value) : Date.parse(value);
}

/** HubSpot stores datetimes given as ms or ISO 8601 and answers with ISO 8601. */
function normalize(properties: Record<string, string | null>): Record<string, string | null> {
  for (const [name, value] of Object.entries(properties)) {
    if (dateTimeProperties.has(name) && value !== null && value !== '' && Number.isFinite(dateTimeMs(value))) properties[name] = new Date(dateTimeMs(value)).toISOString();
  }
  return properties;
}

function stringify(properties: Record<string, unknown>): Record<string, string | null> {
  const result: Record<string, string | null> = {};
  for (const [name, value] of Object.entries(properties)) result[name] = value === null || value === undefined ? null : String(value);
  return result;
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

export async function startHubSpotContractServer(options: HubSpotContractServerOptions = {}): Promise<HubSpotContractServer> {
  return new HubSpotContractServer(options).start();
}
