#!/usr/bin/env node
/**
 * The `guanxi` command line (Node only).
 * @packageDocumentation
 */
import process from 'node:process';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { isGuanxiError } from '../core/index';
import { fitCommand, scoreCommand, type CommandContext, type InputFlags, type ModelName } from './commands';
import { CommandError, InputRowError, type ProgressMode } from './input-file';

const usage = `Usage: guanxi <command> [options]

Commands:
  fit <file> --model bgnbd|mbgnbd|paretonbd|gammagamma [--summary] [--unit day|week]
             [--calibration-end DATE] [--format json|text]
      Fit a model; print parameters, log-likelihood, iterations and customer count.
      --summary reads per-customer summaries (id,x,t_x,T[,monetary]; a zbar column is
      the monetary value); otherwise the file holds transactions.
  score <file> [--as-of DATE] [--horizon N] [--period month] [--discount-rate D]
               [--model bgnbd|mbgnbd|paretonbd] [--unit day|week] [--format csv|json]
      One row per customer: RFM scores and segment, value tier (ABC by CLV), P(alive),
      expected purchases and spend over the horizon, CLV, lifecycle stage and churn flag.
  help    Show this help

Transaction files: CSV (or ; or tab separated) with a header, or whitespace-separated
(CDNOW_sample.txt, CDNOW_master.txt). Columns are detected from the header; name them
with --id-column, --time-column, --amount-column, --cost-column (a header name or a
1-based number). Times: YYYY-MM-DD, YYYYMMDD or ISO date-times (zone-less ones are UTC;
--utc-offset MINUTES sets where days begin).

Common options:
  --skip-bad        skip rows that cannot be read and count them (default: stop at the first)
  --progress        always report progress on stderr; --quiet never (default: after 2 s)

Defaults: --unit week; --calibration-end / --as-of = the last purchase day in the file;
--horizon 12 --period month --discount-rate 0.01 (per period); --model bgnbd for score.
Exit codes: 0 success, 1 bad input (the message names the line), 2 bad command line.
`;

const inputOptions = {
  unit: { type: 'string' },
  'skip-bad': { type: 'boolean' },
  progress: { type: 'boolean' },
  quiet: { type: 'boolean' },
  'utc-offset': { type: 'string' },
  'id-column': { type: 'string' },
  'time-column': { type: 'string' },
  'amount-column': { type: 'string' },
  'cost-column': { type: 'string' },
  model: { type: 'string' },
  format: { type: 'string' },
} as const satisfies ParseArgsConfig['options'];

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], flag: string, fallback?: T): T {
  if (value === undefined) {
    if (fallback === undefined) throw new CommandError(`${flag} is required (${allowed.join('|')})`);
    return fallback;
  }
  if (!(allowed as readonly string[]).includes(value)) throw new CommandError(`${flag} ${value}: expected ${allowed.join('|')}`);
  return value as T;
}

function numberFlag(value: string | undefined, flag: string, fallback: number, check: (n: number) => boolean, expected: string): number {
  if (value === undefined) return fallback;
  const number = Number(value);
  if (value.trim() === '' || !Number.isFinite(number) || !check(number)) throw new CommandError(`${flag} ${value}: expected ${expected}`);
  return number;
}

function parse(argv: readonly string[], extra: ParseArgsConfig['options']): { values: Record<string, string | boolean | undefined>; positionals: string[] } {
  try {
    const parsed = parseArgs({ args: [...argv], options: { ...inputOptions, ...extra }, allowPositionals: true, strict: true });
    return { values: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals };
  } catch (error) {
    throw new CommandError((error as Error).message);
  }
}

function inputFlags(values: Record<string, string | boolean | undefined>, positionals: string[]): InputFlags {
  if (positionals.length !== 1) throw new CommandError(positionals.length === 0 ? 'a file is required' : `expected one file, got ${positionals.length}`);
  const progress: ProgressMode = values.quiet === true ? 'never' : values.progress === true ? 'always' : 'auto';
  const text = (name: string) => values[name] as string | undefined;
  return {
    file: positionals[0]!,
    skipBad: values['skip-bad'] === true,
    progress,
    utcOffsetMinutes: numberFlag(text('utc-offset'), '--utc-offset', 0, (n) => Number.isInteger(n) && Math.abs(n) <= 18 * 60, 'whole minutes within ±1080'),
    unit: oneOf(text('unit'), ['day', 'week'], '--unit', 'week'),
    columns: {
      ...(text('id-column') === undefined ? {} : { id: text('id-column') }),
      ...(text('time-column') === undefined ? {} : { time: text('time-column') }),
      ...(text('amount-column') === undefined ? {} : { amount: text('amount-column') }),
      ...(text('cost-column') === undefined ? {} : { cost: text('cost-column') }),
    },
  };
}

/** Runs the command line; returns the exit code. */
async function main(argv: readonly string[], context: CommandContext): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
      context.out(usage);
      return 0;
    }
    if (command === 'fit') {
      const { values, positionals } = parse(rest, { summary: { type: 'boolean' }, 'calibration-end': { type: 'string' } });
      return await fitCommand(
        {
          ...inputFlags(values, positionals),
          model: oneOf<ModelName>(values.model as string | undefined, ['bgnbd', 'mbgnbd', 'paretonbd', 'gammagamma'], '--model'),
          summary: values.summary === true,
          calibrationEnd: values['calibration-end'] as string | undefined,
          format: oneOf(values.format as string | undefined, ['json', 'text'], '--format', 'text'),
        },
        context,
      );
    }
    if (command === 'score') {
      const { values, positionals } = parse(rest, {
        'as-of': { type: 'string' },
        horizon: { type: 'string' },
        period: { type: 'string' },
        'discount-rate': { type: 'string' },
      });
      return await scoreCommand(
        {
          ...inputFlags(values, positionals),
          asOf: values['as-of'] as string | undefined,
          horizon: numberFlag(values.horizon as string | undefined, '--horizon', 12, (n) => Number.isInteger(n) && n >= 0 && n <= 10_000, 'a whole number of periods'),
          period: oneOf(values.period as string | undefined, ['day', 'week', 'month', 'quarter', 'year'], '--period', 'month'),
          discountRate: numberFlag(values['discount-rate'] as string | undefined, '--discount-rate', 0.01, (n) => n >= 0 && n < 10, 'a rate per period such as 0.01'),
          model: oneOf(values.model as string | undefined, ['bgnbd', 'mbgnbd', 'paretonbd'], '--model', 'bgnbd'),
          format: oneOf(values.format as string | undefined, ['csv', 'json'], '--format', 'csv'),
        },
        context,
      );
    }
    throw new CommandError(`unknown command '${command}'`);
  } catch (error) {
    if (error instanceof CommandError) {
      context.err(`guanxi: ${error.message}${error.exitCode === 2 ? `\nRun 'guanxi help' for usage.` : ''}`);
      return error.exitCode;
    }
    if (error instanceof InputRowError) {
      context.err(`guanxi: ${error.message} (use --skip-bad to skip bad rows and count them)`);
      return 1;
    }
    if (isGuanxiError(error)) {
      context.err(`guanxi: ${error.message}`);
      return 1;
    }
    throw error;
  }
}

// Output piped into a reader that stops early (`guanxi score … | head`) is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});
const context: CommandContext = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(`${text}\n`),
};
main(process.argv.slice(2), context).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`guanxi: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 70;
  },
);
