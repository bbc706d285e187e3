/**
 * Command line of the reference CRM server:
 *
 *   npx tsx examples/crm-server/main.ts --help
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { startCrmServer } from './server';
import { defaultCrmServerOptions } from './options';

const usage = `guanxi reference CRM server — the guanxi REST API (docs/openapi.yaml)

Usage: npx tsx examples/crm-server/main.ts [options]

Options:
  --port <n>             TCP port (default ${defaultCrmServerOptions.port}; 0 picks a free one)
  --host <address>       interface to listen on (default ${defaultCrmServerOptions.host})
  --database-url <url>   PostgreSQL connection URL (default: $DATABASE_URL; unset → embedded PGlite)
  --data-dir <dir>       PGlite data directory (default ${defaultCrmServerOptions.dataDir})
  --api-key <key>        an API key of the CRM API; repeatable (default: $GUANXI_API_KEYS,
                         comma-separated; none → a random key is generated and printed)
  --write-key <key>      a collector write key; repeatable (default: $GUANXI_WRITE_KEYS;
                         none → a random key is generated and printed)
  --allowed-origin <o>   an origin that gets CORS headers, e.g. http://localhost:5173;
                         repeatable, '*' for any (default: $GUANXI_ALLOWED_ORIGINS)
  --no-public-loyalty    turn off GET /v1/loyalty (the storefront badge)
  -h, --help             show this help

The server runs until interrupted (Ctrl-C); data stays in the database.`;

function list(values: readonly string[] | undefined, env: string | undefined): string[] {
  if (values && values.length > 0) return [...values];
  return (env ?? '')
    .split(',')
    .map((value) => value.trim())
    .filter((value) => value !== '');
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'database-url': { type: 'string' },
      'data-dir': { type: 'string' },
      'api-key': { type: 'string', multiple: true },
      'write-key': { type: 'string', multiple: true },
      'allowed-origin': { type: 'string', multiple: true },
      'no-public-loyalty': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(usage);
    return;
  }
  const port = values.port === undefined ? undefined : Number(values.port);
  if (port !== undefined && !(Number.isInteger(port) && port >= 0 && port <= 65535)) throw new Error(`--port must be an integer from 0 to 65535, not ${values.port}`);
  let apiKeys = list(values['api-key'], process.env['GUANXI_API_KEYS']);
  let writeKeys = list(values['write-key'], process.env['GUANXI_WRITE_KEYS']);
  const generated: string[] = [];
  if (apiKeys.length === 0) {
    apiKeys = [`gx_api_${randomBytes(18).toString('base64url')}`];
    generated.push(`API key:   ${apiKeys[0]}`);
  }
  if (writeKeys.length === 0) {
    writeKeys = [`gx_write_${randomBytes(12).toString('base64url')}`];
    generated.push(`write key: ${writeKeys[0]}`);
  }
  const server = await startCrmServer({
    port,
    host: values.host,
    databaseUrl: values['database-url'] ?? process.env['DATABASE_URL'],
    dataDir: values['data-dir'],
    apiKeys,
    writeKeys,
    allowedOrigins: list(values['allowed-origin'], process.env['GUANXI_ALLOWED_ORIGINS']),
    publicLoyalty: !values['no-public-loyalty'],
  });
  console.log(`guanxi CRM server listening on ${server.url} (database: ${server.database})`);
  for (const line of generated) console.log(line);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: closing…`);
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
