/**
 * Options of `npm run demo` and `startDemo()`, and the command line that sets them.
 */
import { parseArgs } from 'node:util';

export interface DemoOptions {
  /**
   * Port of the storefront and dashboard; the CRM server listens on the next port.
   * `0` picks free ports (tests).
   * @default 4100
   */
  readonly port?: number;
  /**
   * Interface to listen on. The demo is for this machine only.
   * @default '127.0.0.1'
   */
  readonly host?: string;
  /**
   * PostgreSQL URL for the CRM server; without one it uses embedded PGlite.
   * @default process.env.DATABASE_URL
   */
  readonly databaseUrl?: string | undefined;
  /**
   * Directory of the embedded database; `undefined` keeps it in memory (fresh on every start).
   * @default undefined
   */
  readonly dataDir?: string | undefined;
  /**
   * Number of demo customers seeded into the CRM server.
   * @default 1000
   */
  readonly seedSize?: number;
  /**
   * Where purchase histories come from: CDNOW when `../shared/data/cdnow/` exists, else the
   * library's simulator (`'auto'`), or force one.
   * @default 'auto'
   */
  readonly history?: 'auto' | 'cdnow' | 'simulated';
  /**
   * Seed of the random choices (which customers, their names), so runs are repeatable.
   * @default 7
   */
  readonly seed?: number;
  /**
   * The day the seeded histories end ("today" for the demo's customer base), `YYYY-MM-DD`.
   * @default yesterday (UTC)
   */
  readonly asOfDay?: string;
  /**
   * Jurisdiction whose consent rules the storefront applies: `EU` asks before anything
   * beyond what runs the shop (opt-in); `US-CA` allows until the visitor opts out.
   * @default 'EU'
   */
  readonly jurisdiction?: string;
  /**
   * Log requests and seeding progress to this function.
   * @default no logging
   */
  readonly log?: (message: string) => void;
}

export const defaultDemoOptions = Object.freeze({
  port: 4100,
  host: '127.0.0.1',
  seedSize: 500,
  history: 'auto' as const,
  seed: 7,
  jurisdiction: 'EU',
});

export interface ResolvedDemoOptions {
  readonly port: number;
  readonly host: string;
  readonly databaseUrl: string | undefined;
  readonly dataDir: string | undefined;
  readonly seedSize: number;
  readonly history: 'auto' | 'cdnow' | 'simulated';
  readonly seed: number;
  readonly asOfDay: string;
  readonly jurisdiction: string;
  readonly log: (message: string) => void;
}

export function resolveDemoOptions(options: DemoOptions = {}): ResolvedDemoOptions {
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  const resolved: ResolvedDemoOptions = {
    port: options.port ?? defaultDemoOptions.port,
    host: options.host ?? defaultDemoOptions.host,
    databaseUrl: options.databaseUrl,
    dataDir: options.dataDir,
    seedSize: options.seedSize ?? defaultDemoOptions.seedSize,
    history: options.history ?? defaultDemoOptions.history,
    seed: options.seed ?? defaultDemoOptions.seed,
    asOfDay: options.asOfDay ?? yesterday,
    jurisdiction: options.jurisdiction ?? defaultDemoOptions.jurisdiction,
    log: options.log ?? (() => undefined),
  };
  if (!Number.isInteger(resolved.port) || resolved.port < 0 || resolved.port > 65_534) throw new RangeError(`port must be an integer from 0 to 65534, got ${resolved.port}`);
  if (!Number.isInteger(resolved.seedSize) || resolved.seedSize < 1 || resolved.seedSize > 23_570) {
    throw new RangeError(`seed size must be an integer from 1 to 23570 (CDNOW's customers), got ${resolved.seedSize}`);
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(resolved.asOfDay) || Number.isNaN(Date.parse(resolved.asOfDay))) throw new RangeError(`as-of day must be YYYY-MM-DD, got ${resolved.asOfDay}`);
  if (!['auto', 'cdnow', 'simulated'].includes(resolved.history)) throw new RangeError(`history must be auto, cdnow or simulated, got ${resolved.history}`);
  return resolved;
}

export const demoHelp = `Usage: npm run demo -- [options]

Starts guanxi's demonstration on this machine: the reference CRM server (embedded
PGlite database unless --database-url is given) seeded with demo customers, a
storefront that tracks visitors with guanxi, and a CRM dashboard. Prints the URLs and
runs until interrupted (Ctrl+C).

Options:
  -p, --port <n>           port of the storefront and dashboard; the CRM server uses
                           the next one (default ${defaultDemoOptions.port}; 0 picks free ports)
      --host <address>     interface to listen on (default ${defaultDemoOptions.host})
      --database-url <url> PostgreSQL URL for the CRM server (default: $DATABASE_URL,
                           else embedded PGlite)
      --data-dir <dir>     keep the embedded database in this directory between runs
                           (default: in memory, fresh on every start)
  -n, --seed-size <n>      demo customers to seed (default ${defaultDemoOptions.seedSize}, at most 23570)
      --history <source>   auto | cdnow | simulated: where purchase histories come from
                           (default auto: CDNOW from ../shared/data/cdnow/ when present,
                           else the library's simulator)
      --seed <n>           random seed for picking and naming customers (default ${defaultDemoOptions.seed})
      --as-of <YYYY-MM-DD> the day the seeded histories end (default yesterday)
      --jurisdiction <code> consent rules of the storefront: EU (opt-in, default),
                           UK, CN, US-CA (opt-out of sale/sharing), …
  -q, --quiet              print only the URLs
  -h, --help               show this help
`;

export interface DemoCommand {
  readonly help: boolean;
  readonly quiet: boolean;
  readonly options: DemoOptions;
}

/** Parses the demo's command line; throws a `TypeError` naming a bad or unknown option. */
export function parseDemoArguments(argv: readonly string[], environment: Readonly<Record<string, string | undefined>> = {}): DemoCommand {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      port: { type: 'string', short: 'p' },
      host: { type: 'string' },
      'database-url': { type: 'string' },
      'data-dir': { type: 'string' },
      'seed-size': { type: 'string', short: 'n' },
      history: { type: 'string' },
      seed: { type: 'string' },
      'as-of': { type: 'string' },
      jurisdiction: { type: 'string' },
      quiet: { type: 'boolean', short: 'q' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const integer = (name: string, value: string | undefined): number | undefined => {
    if (value === undefined) return undefined;
    if (!/^\d+$/.test(value)) throw new TypeError(`--${name} must be a whole number, got "${value}"`);
    return Number(value);
  };
  const history = values.history;
  if (history !== undefined && history !== 'auto' && history !== 'cdnow' && history !== 'simulated') {
    throw new TypeError(`--history must be auto, cdnow or simulated, got "${history}"`);
  }
  const options: DemoOptions = {
    port: integer('port', values.port),
    host: values.host,
    databaseUrl: values['database-url'] ?? environment.DATABASE_URL,
    dataDir: values['data-dir'],
    seedSize: integer('seed-size', values['seed-size']),
    history,
    seed: integer('seed', values.seed),
    asOfDay: values['as-of'],
    jurisdiction: values.jurisdiction,
  };
  return {
    help: values.help ?? false,
    quiet: values.quiet ?? false,
    options: Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as DemoOptions,
  };
}
