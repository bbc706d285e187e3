/**
 * A small real HTTP server on 127.0.0.1 for tests: serves fixed pages and lets each test
 * install its own request handler. Closed by the test that opened it.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StaticFile {
  readonly body: string | Uint8Array;
  readonly contentType: string;
  readonly headers?: Record<string, string>;
}

export type RequestHandler = (request: IncomingMessage, response: ServerResponse, body: Buffer) => void | Promise<void>;

export interface TestServer {
  readonly origin: string;
  readonly server: Server;
  /** Files served for GET requests by exact path. */
  readonly files: Map<string, StaticFile>;
  /** Handler for everything that is not a static file; replace per test. */
  handler: RequestHandler;
  close(): Promise<void>;
}

export async function startTestServer(): Promise<TestServer> {
  const files = new Map<string, StaticFile>();
  const state: { handler: RequestHandler } = {
    handler: (_request, response) => {
      response.writeHead(404).end();
    },
  };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      if (request.method === 'GET' && url.pathname === '/favicon.ico' && !files.has(url.pathname)) {
        response.writeHead(204).end();
        return;
      }
      const file = request.method === 'GET' ? files.get(url.pathname) : undefined;
      if (file) {
        response.writeHead(200, { 'content-type': file.contentType, 'cache-control': 'no-store', ...file.headers });
        response.end(file.body);
        return;
      }
      Promise.resolve(state.handler(request, response, Buffer.concat(chunks))).catch((error: unknown) => {
        if (!response.headersSent) response.writeHead(500);
        response.end(String(error));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    server,
    files,
    get handler() {
      return state.handler;
    },
    set handler(next: RequestHandler) {
      state.handler = next;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
