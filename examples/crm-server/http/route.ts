/**
 * Routes as data: method, OpenAPI-style path, how the caller authenticates, which rate
 * bucket it draws from, and the handler. The route table is what the server serves and
 * what the spec test compares with docs/openapi.yaml.
 */
import type { IncomingHttpHeaders } from 'node:http';

/** How a route authenticates: none, a CRM API key, or a collector write key. */
export type RouteAuth = 'none' | 'api-key' | 'write-key';

/** What a route's body may be: none, JSON, or JSON sent as `text/plain` too (collector). */
export type RouteBody = 'none' | 'json' | 'json-or-text';

export interface RequestContext {
  readonly requestId: string;
  readonly method: string;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  /** The parsed JSON body (`undefined` for routes without a body). */
  readonly body: unknown;
  /** Who is calling: an opaque id of the API key or write key (never the key itself). */
  readonly caller: string;
}

export interface RouteResponse {
  readonly status: number;
  readonly body?: unknown;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface Route {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** OpenAPI path template, e.g. `/v1/contacts/{id}`. */
  readonly path: string;
  readonly auth: RouteAuth;
  readonly body: RouteBody;
  /** Rate-limit bucket for API-key routes. */
  readonly bucket?: 'api' | 'search';
  /** Honour `Idempotency-Key` (POSTs that create). */
  readonly idempotent?: boolean;
  /** Body size limit in bytes. @default 1 MiB */
  readonly maxBodyBytes?: number;
  handle(context: RequestContext): Promise<RouteResponse>;
}

interface CompiledRoute {
  readonly route: Route;
  readonly pattern: RegExp;
  readonly names: readonly string[];
}

/** Matches request paths against the route table; concrete paths win over templated ones. */
export class RouteTable {
  readonly #compiled: CompiledRoute[];

  constructor(readonly routes: readonly Route[]) {
    this.#compiled = routes
      .map((route) => {
        const names: string[] = [];
        const source = route.path
          .split('/')
          .map((segment) => {
            const name = /^\{(\w+)\}$/.exec(segment)?.[1];
            if (name === undefined) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
            names.push(name);
            return '([^/]+)';
          })
          .join('/');
        return { route, pattern: new RegExp(`^${source}$`), names };
      })
      .sort((a, b) => a.names.length - b.names.length);
  }

  /** The route for `method` and `path`, or the methods the path allows (for 405), or nothing (404). */
  match(method: string, path: string): { route: Route; params: Record<string, string> } | { allowed: string[] } | undefined {
    const allowed: string[] = [];
    let found: { route: Route; params: Record<string, string> } | undefined;
    const matchedTemplates = new Set<string>();
    for (const { route, pattern, names } of this.#compiled) {
      const match = pattern.exec(path);
      if (!match) continue;
      // A concrete path shadows templates only for the methods it defines.
      if (route.method === method) {
        if (found) continue;
        const params: Record<string, string> = {};
        names.forEach((name, index) => {
          params[name] = decodeURIComponent(match[index + 1] ?? '');
        });
        found = { route, params };
      } else if (!matchedTemplates.has(`${route.method}`)) {
        matchedTemplates.add(route.method);
        allowed.push(route.method);
      }
    }
    if (found) return found;
    return allowed.length > 0 ? { allowed } : undefined;
  }
}
