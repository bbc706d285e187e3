/**
 * Options of the reference CRM server, with their defaults and one resolver.
 */
import path from 'node:path';
import type { RateLimitPolicy } from './http/rate-limit';

export interface CrmServerOptions {
  /** TCP port; `0` picks a free one. @default 4000 */
  readonly port?: number;
  /** Interface to listen on. @default '127.0.0.1' */
  readonly host?: string;
  /** A PostgreSQL connection URL. When set, PostgreSQL is used instead of the embedded PGlite. @default undefined */
  readonly databaseUrl?: string;
  /** Where the embedded PGlite database keeps its files. @default '.guanxi-data/crm-server' */
  readonly dataDir?: string;
  /** API keys of the CRM API (secrets; at least one). */
  readonly apiKeys: readonly string[];
  /** Write keys of the collector (safe to ship to browsers). @default [] */
  readonly writeKeys?: readonly string[];
  /** Origins that get CORS headers (`'*'` for any). @default [] */
  readonly allowedOrigins?: readonly string[];
  /** Requests per window per API key, for the `api` and `search` buckets. @default { api: 1000 per 10 s, search: 200 per 10 s } */
  readonly rateLimits?: { readonly api?: RateLimitPolicy; readonly search?: RateLimitPolicy };
  /** Whether `GET /v1/loyalty` answers storefronts (write key). @default true */
  readonly publicLoyalty?: boolean;
  /** Fills the database with demo data once the server listens, before `startCrmServer` resolves. @default undefined */
  readonly seed?: (server: { readonly url: string; readonly apiKey: string; readonly writeKey: string | undefined }) => Promise<void>;
  /** The clock (ms since the epoch); tests inject one. @default Date.now */
  readonly now?: () => number;
  /** Where log lines go. @default console.error */
  readonly log?: (line: string) => void;
}

export interface ResolvedCrmServerOptions extends Required<Omit<CrmServerOptions, 'databaseUrl' | 'seed' | 'rateLimits'>> {
  readonly databaseUrl: string | undefined;
  readonly rateLimits: { readonly api: RateLimitPolicy; readonly search: RateLimitPolicy };
  readonly seed: CrmServerOptions['seed'];
}

export const defaultCrmServerOptions = Object.freeze({
  port: 4000,
  host: '127.0.0.1',
  dataDir: path.join('.guanxi-data', 'crm-server'),
  writeKeys: [] as readonly string[],
  allowedOrigins: [] as readonly string[],
  rateLimits: Object.freeze({ api: { limit: 1000, windowMs: 10_000 }, search: { limit: 200, windowMs: 10_000 } }),
  publicLoyalty: true,
});

export function resolveCrmServerOptions(options: CrmServerOptions): ResolvedCrmServerOptions {
  if (options.apiKeys.length === 0 || options.apiKeys.some((key) => key.length < 8)) {
    throw new TypeError('apiKeys must hold at least one key of 8 or more characters');
  }
  if (options.writeKeys?.some((key) => key.length < 8)) throw new TypeError('writeKeys must be 8 or more characters long');
  return {
    port: options.port ?? defaultCrmServerOptions.port,
    host: options.host ?? defaultCrmServerOptions.host,
    databaseUrl: options.databaseUrl,
    dataDir: options.dataDir ?? defaultCrmServerOptions.dataDir,
    apiKeys: options.apiKeys,
    writeKeys: options.writeKeys ?? defaultCrmServerOptions.writeKeys,
    allowedOrigins: options.allowedOrigins ?? defaultCrmServerOptions.allowedOrigins,
    rateLimits: {
      api: options.rateLimits?.api ?? defaultCrmServerOptions.rateLimits.api,
      search: options.rateLimits?.search ?? defaultCrmServerOptions.rateLimits.search,
    },
    publicLoyalty: options.publicLoyalty ?? defaultCrmServerOptions.publicLoyalty,
    seed: options.seed,
    now: options.now ?? Date.now,
    log: options.log ?? ((line) => console.error(line)),
  };
}
