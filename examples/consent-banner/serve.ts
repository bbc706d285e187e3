/**
 * Serves the consent banner example on http://127.0.0.1:<port>/ (default 4180):
 * bundles main.ts with esbuild (guanxi resolving to src/) and serves it under a strict
 * Content-Security-Policy. Run: `npx tsx examples/consent-banner/serve.ts [port]`.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { bundleForBrowser } from '../../test/support/bundle';

const here = import.meta.dirname;
const port = Number(process.argv[2] ?? 4180);
const script = await bundleForBrowser(readFileSync(path.join(here, 'main.ts'), 'utf8').replace("'./banner'", `'${path.join(here, 'banner.ts')}'`));
const files: Record<string, [string, string]> = {
  '/': [readFileSync(path.join(here, 'index.html'), 'utf8'), 'text/html'],
  '/main.js': [script, 'text/javascript'],
  '/styles.css': [readFileSync(path.join(here, 'styles.css'), 'utf8'), 'text/css'],
};
createServer((request, response) => {
  const file = files[new URL(request.url ?? '/', 'http://127.0.0.1').pathname];
  if (!file) return void response.writeHead(404).end();
  response.writeHead(200, { 'content-type': file[1], 'content-security-policy': "default-src 'self'" }).end(file[0]);
}).listen(port, '127.0.0.1', () => console.log(`consent banner example: http://127.0.0.1:${port}/`));
