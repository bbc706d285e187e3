/**
 * Phone normalization: µs per `normalizePhone` call for Chinese mobile numbers written the
 * five ways the profile benchmark writes them (`+8613812345678`, `138 1234 5678`,
 * `13812345678`, `+86 138-1234-5678`, `(+86) 138 1234 5678`; default region CN), against
 * the path before separators were stripped: libphonenumber-js (`min`) on the text as
 * written, cached by the raw text.
 *
 * - distinct numbers, cold: 100,000 numbers, each in one of the five forms, none seen before;
 * - the same again: each block of 10,000 normalized a second time right after its first
 *   pass (cache hits; 100,000 numbers at once would not fit in the 65,536-entry cache);
 * - one person, five ways: 20,000 numbers, each in all five forms (100,000 texts, one form
 *   after the other), the shape of identity-graph ingestion;
 * - parsing alone, per form: the old call on the text as written against the new call on
 *   the stripped text.
 *
 * Run: `npm run bench -- phone`. Each path runs in its own process, twice, the two taking
 * turns; each figure is the best of four runs after a warm-up. Each run takes fresh
 * numbers, so cold stays cold, and the caches stay full between runs as they would in a
 * long ingestion. On a shared machine the figures are noisy.
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parsePhoneNumberFromString as parseStripped } from 'libphonenumber-js/core';
import phoneMetadata from 'libphonenumber-js/min/metadata';
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/min';
import { normalizePhone, type NormalizationResult } from 'guanxi/profile';
import { flatText } from '../src/profile/flat-text';

const region = { defaultRegion: 'CN' };
const forms = [
  (d: string) => `+86138${d}`,
  (d: string) => `138 ${d.slice(0, 4)} ${d.slice(4)}`,
  (d: string) => `138${d}`,
  (d: string) => `+86 138-${d.slice(0, 4)}-${d.slice(4)}`,
  (d: string) => `(+86) 138 ${d.slice(0, 4)} ${d.slice(4)}`,
] as const;
const formNames = ['+8613812345678', '138 1234 5678', '13812345678', '+86 138-1234-5678', '(+86) 138 1234 5678'];

/** Eight distinct digits for number `index` of run `run`: no two runs share a number. */
const digitsOf = (run: number, index: number) => String(10_000_000 + run * 1_000_000 + index);
/**
 * Texts as a collector hands them over: fresh flat strings out of a JSON payload, so no
 * pass finds its keys already hashed by the one before.
 */
const received = (texts: readonly string[]): string[] => JSON.parse(JSON.stringify(texts)) as string[];

// The path before: normalizePhone as it was (parsing the trimmed text as written with
// libphonenumber-js/min, results kept per region by the raw text in two bounded
// generations), so that both sides pay for the same region and cache handling.
interface CacheBefore {
  recent: Map<string, NormalizationResult>;
  older: Map<string, NormalizationResult>;
}
const cachesBefore = new Map<string, CacheBefore>();
function normalizePhoneBefore(input: string, options: { defaultRegion?: string } = {}): NormalizationResult {
  const region = options.defaultRegion?.toUpperCase();
  let cache = cachesBefore.get(region ?? '');
  if (cache === undefined) cachesBefore.set(region ?? '', (cache = { recent: new Map(), older: new Map() }));
  const known = cache.recent.get(input) ?? cache.older.get(input);
  if (known !== undefined) return known;
  const result = Object.freeze(parseBefore(input, region));
  if (cache.recent.size >= 32_768) {
    cache.older = cache.recent;
    cache.recent = new Map();
  }
  cache.recent.set(input, result);
  return result;
}
function parseBefore(input: string, region: string | undefined): NormalizationResult {
  if (region !== undefined && !isSupportedCountry(region)) return { ok: false, code: 'invalid_region', message: `Unknown default phone region "${region}"` };
  const text = input.trim();
  if (text.length === 0 || text.length > 64) return { ok: false, code: 'invalid_phone', message: 'Not a valid phone number' };
  const parsed = parsePhoneNumberFromString(text, region as CountryCode | undefined);
  if (parsed === undefined || !parsed.isValid()) {
    const hint = region === undefined && !text.startsWith('+') ? ' (no country code and no default region)' : '';
    return { ok: false, code: 'invalid_phone', message: `Not a valid phone number${hint}` };
  }
  const value = flatText(parsed.number);
  return parsed.ext === undefined ? { ok: true, value } : { ok: true, value, extension: parsed.ext };
}

type Normalize = (text: string) => NormalizationResult;
const paths: ReadonlyArray<readonly [string, Normalize]> = [
  ['before (libphonenumber on the text as written)', (text) => normalizePhoneBefore(text, region)],
  ['now (stripped key and parse)', (text) => normalizePhone(text, region)],
];

let sink = 0;
function elapsedMs(texts: readonly string[], normalize: Normalize): number {
  const start = performance.now();
  for (const text of texts) if (normalize(text).ok) sink += 1;
  return performance.now() - start;
}

const count = 100_000;
const block = 10_000;
const people = 20_000;
const us = (ms: number, calls: number) => `${((ms * 1000) / calls).toFixed(2)} µs`;

interface Figures {
  cold: number;
  hits: number;
  fiveWays: number;
}

const pathIndex = process.argv[2];
if (pathIndex !== undefined) {
  // A child process measures one path, so neither path's cache or garbage weighs on the other.
  const normalize = paths[Number(pathIndex)]![1];
  let run = 0;
  const best = (measure: (run: number) => number): number => {
    let fastest = Number.POSITIVE_INFINITY;
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const elapsed = measure((run += 1));
      if (attempt > 0) fastest = Math.min(fastest, elapsed); // the first warms the JIT
    }
    return fastest;
  };
  const figures: Figures = {
    cold: best((r) => elapsedMs(received(Array.from({ length: count }, (_, i) => forms[i % 5]!(digitsOf(r, i)))), normalize)),
    hits: best((r) => {
      let elapsed = 0;
      for (let from = 0; from < count; from += block) {
        const texts = Array.from({ length: block }, (_, i) => forms[(from + i) % 5]!(digitsOf(r, from + i)));
        elapsedMs(received(texts), normalize);
        elapsed += elapsedMs(received(texts), normalize);
      }
      return elapsed;
    }),
    fiveWays: best((r) => elapsedMs(received(forms.flatMap((form) => Array.from({ length: people }, (_, i) => form(digitsOf(r, i))))), normalize)),
  };
  console.log(JSON.stringify(figures));
  process.exit(sink === 0 ? 1 : 0);
}

const cpus = os.cpus();
console.log(`machine: ${cpus.length} × ${cpus[0]?.model ?? 'unknown CPU'}, Node ${process.version}, load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
// Each path in its own process, twice, taking turns; the best of each figure is printed.
const figures: Figures[] = paths.map(() => ({ cold: Number.POSITIVE_INFINITY, hits: Number.POSITIVE_INFINITY, fiveWays: Number.POSITIVE_INFINITY }));
for (let round = 0; round < 2; round += 1) {
  for (const [index, best] of figures.entries()) {
    const output = execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), String(index)], { encoding: 'utf8' });
    const measured = JSON.parse(output.trim().split('\n').at(-1)!) as Figures;
    best.cold = Math.min(best.cold, measured.cold);
    best.hits = Math.min(best.hits, measured.hits);
    best.fiveWays = Math.min(best.fiveWays, measured.fiveWays);
  }
}
const row = (label: string, pick: (figures: Figures) => number, calls: number) => console.log(`  ${label.padEnd(46)} ${figures.map((f) => us(pick(f), calls)).join(' → ')}`);
console.log(`µs per call, ${paths.map(([name]) => name).join(' → ')}:`);
row('100,000 distinct numbers, five forms, cold', (f) => f.cold, count);
row('the same again (cache hits)', (f) => f.hits, count);
row('20,000 numbers × five forms (100,000 texts)', (f) => f.fiveWays, people * 5);

console.log('parsing alone, µs per parse + isValid (min on the text as written → core on the stripped text, extract: false):');
const cnStripped = { defaultCountry: 'CN', extract: false } as const;
const parseAsWritten: Normalize = (text) => {
  const parsed = parsePhoneNumberFromString(text, 'CN');
  return parsed !== undefined && parsed.isValid() ? { ok: true, value: parsed.number } : { ok: false, code: 'invalid_phone', message: '' };
};
const parseStrippedText: Normalize = (text) => {
  const parsed = parseStripped(text, cnStripped, phoneMetadata);
  return parsed !== undefined && parsed.isValid() ? { ok: true, value: parsed.number } : { ok: false, code: 'invalid_phone', message: '' };
};
// Rounds over all forms rather than one form at a time, so a burst of load elsewhere on
// the machine does not land on one form only.
const parseInputs = forms.map((form) => received(Array.from({ length: block }, (_, i) => form(digitsOf(0, i)))));
const parseFastest = forms.map(() => [Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY]);
for (let round = 0; round < 16; round += 1) {
  for (const [index, texts] of parseInputs.entries()) {
    const stripped = texts.map((text) => text.replace(/[^+0-9]/g, ''));
    const beforeMs = elapsedMs(texts, parseAsWritten);
    const afterMs = elapsedMs(stripped, parseStrippedText);
    if (round > 0) parseFastest[index] = [Math.min(parseFastest[index]![0]!, beforeMs), Math.min(parseFastest[index]![1]!, afterMs)];
  }
}
for (const [index, [before, after]] of parseFastest.entries()) console.log(`  ${formNames[index]!.padEnd(20)} ${us(before!, block)} → ${us(after!, block)}`);
if (sink === 0) console.log('no number was valid');
