/**
 * The demo's web server: serves the storefront at `/` and the dashboard at
 * `/dashboard/`, each under a strict Content-Security-Policy, plus the shop's backend
 * (`/shop/api/`) and the dashboard's read endpoints (`/dashboard/api/`).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { repoRoot } from './build-pages';

const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json; charset=utf-8',
};

/** A JSON endpoint: returns the body to send (status 200) or throws an `HttpProblem`. */
export type JsonRoute = (request: { method: string; path: string; query: URLSearchParams; body: unknown; headers: IncomingMessage['headers'] }) => Promise<unknown>;

/** An error with an HTTP status, sent as `{ error }`. */
export class HttpProblem extends Error {
  override name = 'HttpProblem' as const;
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface DemoWebServerOptions {
  /** Origin of the CRM server's collector, allowed in the storefront's `connect-src` (read per request). */
  readonly collectorOrigin: () => string;
  /** Routes under `/shop/api/` (key: the rest of the path after the prefix, first segment). */
  readonly shopApi: JsonRoute;
  /** Routes under `/dashboard/api/`. */
  readonly dashboardApi: JsonRoute;
  readonly log: (message: string) => void;
}

/** The Content-Security-Policy of the pages: scripts and styles only from this origin. */
export function pagePolicy(connectSources: readonly string[]): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${connectSources.join(' ')}`.trim(),
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

const storefrontRoot = path.join(repoRoot, 'examples', 'storefront', 'public');
const dashboardRoot = path.join(repoRoot, 'examples', 'dashboard', 'public');

async function serveFile(response: ServerResponse, root: string, relative: string, policy: string): Promise<boolean> {
  const file = path.resolve(root, `.${path.posix.normalize(`/${relative}`)}`);
  if (!file.startsWith(root + path.sep) && file !== root) return false;
  try {
    const body = await readFile(file);
    response.writeHead(200, {
      'content-type': contentTypes[path.extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-store',
      'content-security-policy': policy,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'strict-origin-when-cross-origin',
    });
    response.end(body);
    return true;
  } catch {
    return false;
  }
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' });
  response.end(JSON.stringify(body));
}

async function readBody(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > 1_000_000) throw new HttpProblem(413, 'request body over 1 MB');
    chunks.push(chunk as Buffer);
  }
  if (size === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
  } catch {
    throw new HttpProblem(400, 'request body is not JSON');
  }
}

async function handleApi(route: JsonRoute, prefix: string, request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
  try {
    const body = request.method === 'GET' || request.method === 'HEAD' ? undefined : await readBody(request);
    const result = await route({ method: request.method ?? 'GET', path: url.pathname.slice(prefix.length), query: url.searchParams, body, headers: request.headers });
    sendJson(response, 200, result);
  } catch (error) {
    if (error instanceof HttpProblem) sendJson(response, error.status, { error: error.message });
    else {
      console.error(error);
      sendJson(response, 500, { error: 'internal error' });
    }
  }
}

/** Starts the web server on `host:port` (0 = a free port). */
export async function startDemoWebServer(options: DemoWebServerOptions, host: string, port: number): Promise<{ server: Server; origin: string }> {
  const dashboardPolicy = pagePolicy([]);
  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const pathname = url.pathname;
    void (async () => {
      if (pathname.startsWith('/shop/api/')) return handleApi(options.shopApi, '/shop/api/', request, response, url);
      if (pathname.startsWith('/dashboard/api/')) return handleApi(options.dashboardApi, '/dashboard/api/', request, response, url);
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        response.writeHead(405, { allow: 'GET, HEAD' }).end();
        return;
      }
      if (pathname === '/dashboard') {
        response.writeHead(301, { location: '/dashboard/' }).end();
        return;
      }
      const served = pathname.startsWith('/dashboard/')
        ? await serveFile(response, dashboardRoot, pathname === '/dashboard/' ? 'index.html' : pathname.slice('/dashboard/'.length), dashboardPolicy)
        : await serveFile(response, storefrontRoot, pathname === '/' ? 'index.html' : pathname.slice(1), pagePolicy([options.collectorOrigin()]));
      if (!served) {
        response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' });
        response.end('not found');
      }
    })().catch((error: unknown) => {
      options.log(`web server: ${String(error)}`);
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  return { server, origin: `http://${host.includes(':') ? `[${host}]` : host}:${actualPort}` };
}
