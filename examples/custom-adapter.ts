/**
 * A custom CRM adapter: guanxi's client over "TinyCRM", a small JSON API that only knows
 * people. It shows the parts every adapter has — mapping records to the portable shape,
 * paging with opaque cursors, retry-safe creates, per-item batch outcomes, and refusing
 * filters the API cannot express — on top of `createCrmTransport`, which brings retries,
 * timeouts, rate limiting and typed errors.
 *
 * TinyCRM's API:
 *   GET    /people?page_size=&page_token=   → { data: Person[], next_page_token?: string }
 *   GET    /people/:id                      → Person
 *   POST   /people                          → Person   (honours Idempotency-Key)
 *   PATCH  /people/:id                      → Person
 *   DELETE /people/:id                      → 204
 *   PUT    /people/by-email/:email          → Person   (create or replace: idempotent)
 *   POST   /people/query { where: [{ field, value }] } → { data: Person[], next_page_token? } (AND of equalities)
 *   Person = { id, email, first_name, last_name, extra: { [name]: string } }
 *   Errors: { message, request_id }.
 *
 * Run the test that drives it: `npx vitest run test/client/custom-adapter.test.ts`.
 */
import {
  UnsupportedOperationError,
  createCrmTransport,
  type CrmAdapter,
  type CrmBatchItemOutcome,
  type CrmFilter,
  type CrmObjectType,
  type CrmPage,
  type CrmPageRequest,
  type CrmSearchQuery,
  type CrmTransport,
  type CrmTransportOptions,
  failureFromError,
} from 'guanxi/client';

interface TinyPerson {
  id: string;
  email?: string | null;
  first_name?: string | null;
  last_name?: string | null;
  extra?: Record<string, string>;
}

const fieldNames: Readonly<Record<string, string>> = { email: 'email', firstName: 'first_name', lastName: 'last_name' };

function toPortable(person: TinyPerson): Record<string, unknown> {
  return { id: person.id, email: person.email ?? null, firstName: person.first_name ?? null, lastName: person.last_name ?? null, properties: person.extra ?? {} };
}

function toTiny(input: Readonly<Record<string, unknown>>): Partial<TinyPerson> {
  const person: Partial<TinyPerson> = {};
  if (input.email !== undefined) person.email = input.email as string | null;
  if (input.firstName !== undefined) person.first_name = input.firstName as string | null;
  if (input.lastName !== undefined) person.last_name = input.lastName as string | null;
  if (input.properties !== undefined) person.extra = input.properties as Record<string, string>;
  return person;
}

export class TinyCrmAdapter implements CrmAdapter {
  readonly name = 'tinycrm';
  readonly limits = { batchSize: 25, defaultPageSize: 50, maxPageSize: 200, maxSearchPageSize: 200 };
  readonly transport: CrmTransport;

  constructor(options: CrmTransportOptions) {
    this.transport = createCrmTransport({
      ...options,
      dialect: {
        describeError: (response) => {
          const body = (response.body ?? {}) as { message?: string; request_id?: string };
          return { message: body.message, requestId: body.request_id };
        },
      },
    });
  }

  supports(type: CrmObjectType): boolean {
    return type === 'contacts';
  }

  async list(_type: CrmObjectType, request: CrmPageRequest): Promise<CrmPage<unknown>> {
    const { body } = await this.transport.request({ method: 'GET', path: '/people', query: { page_size: request.limit, page_token: request.cursor }, signal: request.signal });
    const page = body as { data: TinyPerson[]; next_page_token?: string };
    return { items: page.data.map(toPortable), nextCursor: page.next_page_token };
  }

  async get(_type: CrmObjectType, id: string, options: { signal?: AbortSignal }): Promise<unknown> {
    const { body } = await this.transport.request({ method: 'GET', path: `/people/${encodeURIComponent(id)}`, signal: options.signal });
    return toPortable(body as TinyPerson);
  }

  async create(_type: CrmObjectType, input: Readonly<Record<string, unknown>>, options: { signal?: AbortSignal; idempotencyKey?: string }): Promise<unknown> {
    // TinyCRM honours idempotency keys, so a create may be retried after a timeout.
    const { body } = await this.transport.request({ method: 'POST', path: '/people', json: toTiny(input), retry: 'idempotency-key', idempotencyKey: options.idempotencyKey, signal: options.signal });
    return toPortable(body as TinyPerson);
  }

  async update(_type: CrmObjectType, id: string, patch: Readonly<Record<string, unknown>>, options: { signal?: AbortSignal }): Promise<unknown> {
    const { body } = await this.transport.request({ method: 'PATCH', path: `/people/${encodeURIComponent(id)}`, json: toTiny(patch), retry: 'idempotent', signal: options.signal });
    return toPortable(body as TinyPerson);
  }

  async remove(_type: CrmObjectType, id: string, options: { signal?: AbortSignal }): Promise<void> {
    await this.transport.request({ method: 'DELETE', path: `/people/${encodeURIComponent(id)}`, signal: options.signal });
  }

  async upsertBatch(_type: CrmObjectType, inputs: readonly Readonly<Record<string, unknown>>[], options: { signal?: AbortSignal; matchBy?: string }): Promise<readonly CrmBatchItemOutcome<unknown>[]> {
    if ((options.matchBy ?? 'email') !== 'email') throw new UnsupportedOperationError('TinyCRM upserts people by email only', this.name, 'contacts.upsertMany');
    // No batch endpoint: one idempotent PUT per item, each outcome reported on its own.
    return Promise.all(
      inputs.map(async (input, index): Promise<CrmBatchItemOutcome<unknown>> => {
        if (typeof input.email !== 'string') return { index, ok: false, failure: { code: 'missing_email', message: 'TinyCRM upserts need an email' } };
        try {
          const { body } = await this.transport.request({ method: 'PUT', path: `/people/by-email/${encodeURIComponent(input.email)}`, json: toTiny(input), signal: options.signal });
          return { index, ok: true, record: toPortable(body as TinyPerson) };
        } catch (error) {
          return { index, ok: false, failure: failureFromError(error) };
        }
      }),
    );
  }

  async search(_type: CrmObjectType, query: CrmSearchQuery, request: CrmPageRequest): Promise<CrmPage<unknown>> {
    const where = query.filter === undefined ? [] : this.#equalities(query.filter, []);
    if (query.text !== undefined || query.sort !== undefined) throw new UnsupportedOperationError('TinyCRM search has no text query or sorting', this.name, 'search');
    const { body } = await this.transport.request({ method: 'POST', path: '/people/query', json: { where, page_size: request.limit, page_token: request.cursor }, retry: 'idempotent', signal: request.signal });
    const page = body as { data: TinyPerson[]; next_page_token?: string };
    return { items: page.data.map(toPortable), nextCursor: page.next_page_token };
  }

  /** TinyCRM understands an AND of equalities on known fields; anything else is refused, never dropped. */
  #equalities(filter: CrmFilter, path: (string | number)[]): { field: string; value: string }[] {
    if ('and' in filter) return filter.and.flatMap((child, index) => this.#equalities(child, [...path, 'and', index]));
    if ('or' in filter) throw new UnsupportedOperationError('TinyCRM search cannot express OR', this.name, 'search', path);
    const field = fieldNames[filter.field];
    if (filter.op !== 'eq' || field === undefined) throw new UnsupportedOperationError(`TinyCRM search supports only 'eq' on ${Object.keys(fieldNames).join(', ')}`, this.name, 'search', path);
    return [{ field, value: String(filter.value) }];
  }
}
