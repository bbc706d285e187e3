/**
 * `normalizePhone` strips plain separators before its cache and its parse. These tests
 * hold it to what libphonenumber-js gives for the text as written (the path every number
 * took before): the same number and extension, or the same error code, for example
 * numbers of every region in every format, with separators, brackets and digit mutations.
 */
import fc from 'fast-check';
import { parsePhoneNumberFromString as parseWithTypes } from 'libphonenumber-js/max';
import { getCountries, getExampleNumber, isSupportedCountry, parsePhoneNumberFromString, type CountryCode, type NumberFormat } from 'libphonenumber-js/min';
import mobileExamples from 'libphonenumber-js/examples.mobile.json';
import { describe, expect, it } from 'vitest';
import { normalizePhone, type NormalizationResult } from 'guanxi/profile';

type Outcome = { ok: true; value: string; extension: string | undefined } | { ok: false; code: string };

/** The uncached path: libphonenumber on the trimmed text as written. */
function libraryOutcome(input: string, defaultRegion: string | undefined): Outcome {
  const region = defaultRegion?.toUpperCase();
  if (region !== undefined && !isSupportedCountry(region)) return { ok: false, code: 'invalid_region' };
  const text = input.trim();
  if (text.length === 0 || text.length > 64) return { ok: false, code: 'invalid_phone' };
  const parsed = parsePhoneNumberFromString(text, region as CountryCode | undefined);
  if (parsed === undefined || !parsed.isValid()) return { ok: false, code: 'invalid_phone' };
  return { ok: true, value: parsed.number, extension: parsed.ext };
}

function outcomeOf(result: NormalizationResult): Outcome {
  return result.ok ? { ok: true, value: result.value, extension: result.extension } : { ok: false, code: result.code };
}

const regions = getCountries().filter((region) => getExampleNumber(region, mobileExamples) !== undefined);

// Fixed-line example numbers (national significant numbers) from Google's
// PhoneNumberMetadata.xml; the package ships mobile examples only. Checked below.
const fixedLineExamples: ReadonlyArray<readonly [CountryCode, string]> = [
  ['GB', '1212345678'], ['DE', '30123456'], ['CN', '1012345678'], ['US', '2015550123'], ['FR', '123456789'],
  ['JP', '312345678'], ['IN', '7410410123'], ['BR', '1123456789'], ['AU', '212345678'], ['RU', '3011234567'],
  ['IT', '0212345678'], ['ES', '810123123'], ['KR', '22123456'], ['HK', '21234567'], ['SG', '61234567'],
  ['TW', '221234567'], ['NL', '101234567'], ['CH', '212345678'], ['SE', '8123456'], ['AR', '1123456789'],
  ['MX', '2001234567'], ['ZA', '101234567'], ['EG', '234567890'], ['TR', '2123456789'], ['PL', '123456789'],
  ['ID', '218350123'], ['TH', '21234567'], ['VN', '2101234567'], ['PH', '232345678'], ['AT', '1234567890'],
  ['BE', '12345678'], ['IE', '2212345'], ['NZ', '32345678'], ['CA', '5062345678'],
];

// Separators the fast path strips, and characters that must send text the general way.
const plainSeparators = [' ', ' ', '-', '-', '.', '/', '(', ')', '\u00A0', '\u3000', '\u2013', '\u2212', '\uFF0D', '\uFF08', '\uFF09', '[', ']', '\uFF0E', '\uFF0F'];
const otherCharacters = ['\t', '~', '\uFF5E', '#', ',', ';', 'x', 'ext. ', '+', '*', 'a', '\u00AD', '\u200B', '\u30FC', '\uFF10', '\uFF0B', '\u2053', ':'];

// The stripping rule, restated as a pattern, only to count how often the property reaches it.
const strippedByTheRule = (text: string): boolean => {
  const trimmed = text.trim();
  return trimmed.length <= 64 && /^[ \u00A0\u3000\-\u2010-\u2015\u2212\uFF0D/\uFF0F.\uFF0E()\uFF08\uFF09[\]\uFF3B\uFF3D]*\+?[0-9 \u00A0\u3000\-\u2010-\u2015\u2212\uFF0D/\uFF0F.\uFF0E()\uFF08\uFF09[\]\uFF3B\uFF3D]*$/.test(trimmed) && (trimmed.match(/[0-9]/g)?.length ?? 0) >= 3;
};

const separator = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...plainSeparators) }, { weight: 1, arbitrary: fc.constantFrom(...otherCharacters) });

/** One example number, as a valid international number. */
const exampleNumber = fc.oneof(
  fc.constantFrom(...regions).map((region) => {
    const example = getExampleNumber(region, mobileExamples);
    if (example === undefined) throw new Error(`no example for ${region}`);
    return { region, number: example };
  }),
  fc.constantFrom(...fixedLineExamples).map(([region, national]) => {
    const number = parsePhoneNumberFromString(national, region);
    if (number === undefined) throw new Error(`fixed-line example ${region} ${national} does not parse`);
    return { region, number };
  }),
);

const formats: readonly NumberFormat[] = ['NATIONAL', 'INTERNATIONAL', 'E.164', 'RFC3966'];

type Edit =
  | { kind: 'mutate'; at: number; digit: number; how: 'replace' | 'delete' | 'insert' }
  | { kind: 'separator'; at: number; text: string }
  | { kind: 'bracket'; at: number; length: number }
  | { kind: 'compact' };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('mutate' as const), at: fc.nat(30), digit: fc.integer({ min: 0, max: 9 }), how: fc.constantFrom('replace' as const, 'delete' as const, 'insert' as const) }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('separator' as const), at: fc.nat(30), text: fc.array(separator, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('')) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('bracket' as const), at: fc.nat(30), length: fc.integer({ min: 1, max: 5 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'compact' as const }) },
);

function applyEdit(text: string, change: Edit): string {
  const digitPositions = [...text].flatMap((character, index) => (character >= '0' && character <= '9' ? [index] : []));
  const digitAt = (at: number) => digitPositions[at % Math.max(digitPositions.length, 1)] ?? 0;
  switch (change.kind) {
    case 'mutate': {
      const index = digitAt(change.at);
      if (change.how === 'replace') return `${text.slice(0, index)}${change.digit}${text.slice(index + 1)}`;
      if (change.how === 'delete') return `${text.slice(0, index)}${text.slice(index + 1)}`;
      return `${text.slice(0, index)}${change.digit}${text.slice(index)}`;
    }
    case 'separator': {
      const index = change.at % (text.length + 1);
      return `${text.slice(0, index)}${change.text}${text.slice(index)}`;
    }
    case 'bracket': {
      // Brackets around a run of digits, as in "(0)20" or "(+86) 138".
      const from = digitAt(change.at);
      let to = from;
      while (to < text.length && to - from < change.length && /[0-9+]/.test(text[to] ?? '')) to += 1;
      const start = from > 0 && text[from - 1] === '+' ? from - 1 : from;
      return `${text.slice(0, start)}(${text.slice(start, to)})${text.slice(to)}`;
    }
    case 'compact':
      return text.replace(/[^+0-9]/g, '');
  }
}

/** A number written as people write it: formatted, then edited, maybe padded. */
const writtenNumber = fc
  .record({
    example: exampleNumber,
    format: fc.constantFrom(...formats),
    nationalPrefixGroup: fc.boolean(),
    edits: fc.array(edit, { maxLength: 4 }),
    padding: fc.constantFrom('', ' ', '\t', '\u00A0', '\u3000 '),
  })
  .map(({ example, format, nationalPrefixGroup, edits, padding }) => {
    let text = example.number.format(format);
    // "+44 (0) 20 …": a national prefix kept in brackets after the country code.
    if (nationalPrefixGroup && format === 'INTERNATIONAL') text = text.replace(/^(\+\d+) /, '$1 (0) ');
    for (const change of edits) text = applyEdit(text, change);
    return { region: example.region, text: `${padding}${text}${padding}` };
  });

describe('normalizePhone: stripped plain text parses as the text as written', () => {
  it('the fixed-line examples are fixed-line numbers', () => {
    for (const [region, national] of fixedLineExamples) {
      expect(parseWithTypes(national, region)?.getType(), `${region} ${national}`).toMatch(/^FIXED_LINE/);
    }
  });

  it('agrees with libphonenumber for example numbers of every region, every format, with and without a default region (property)', () => {
    let valid = 0;
    let invalid = 0;
    let stripped = 0;
    fc.assert(
      fc.property(
        writtenNumber,
        fc.oneof(fc.constant('own'), fc.constant(undefined), fc.constantFrom(...regions), fc.constant('xx')),
        ({ region, text }, choice) => {
          const defaultRegion = choice === 'own' ? region : choice === 'xx' ? 'XX' : choice;
          const expected = libraryOutcome(text, defaultRegion);
          const first = normalizePhone(text, { defaultRegion });
          expect(outcomeOf(first), JSON.stringify({ text, defaultRegion })).toEqual(expected);
          // Again, now from the cache (possibly under another text's key).
          expect(outcomeOf(normalizePhone(text, { defaultRegion }))).toEqual(expected);
          expect(Object.isFrozen(first)).toBe(true);
          if (expected.ok) valid += 1;
          else invalid += 1;
          if (strippedByTheRule(text)) stripped += 1;
        },
      ),
      { numRuns: 4_000 },
    );
    // Both outcomes and both paths were exercised, not one of them vacuously.
    expect(valid).toBeGreaterThan(400);
    expect(invalid).toBeGreaterThan(400);
    expect(stripped).toBeGreaterThan(1_000);
    expect(stripped).toBeLessThan(3_600);
  });

  it('agrees with libphonenumber for random plain text: digits, separators and a "+" (property)', () => {
    const plainText = fc
      .array(fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...'0123456789') }, { weight: 1, arbitrary: fc.constantFrom(...plainSeparators) }), { maxLength: 20 })
      .chain((parts) => fc.tuple(fc.constant(parts), fc.nat(parts.length), fc.boolean()))
      .map(([parts, at, plus]) => (plus ? [...parts.slice(0, at), '+', ...parts.slice(at)] : parts).join(''));
    fc.assert(
      fc.property(plainText, fc.oneof(fc.constant(undefined), fc.constantFrom('CN', 'US', 'DE', 'GB', 'FR', 'JP', 'IN', 'BR', 'RU', 'IT')), (text, defaultRegion) => {
        expect(outcomeOf(normalizePhone(text, { defaultRegion })), JSON.stringify({ text, defaultRegion })).toEqual(libraryOutcome(text, defaultRegion));
      }),
      { numRuns: 3_000 },
    );
  });
});

describe('normalizePhone: one cache entry per written form', () => {
  const china = { defaultRegion: 'CN' };

  it('caches five ways of writing one number under two keys, national and international', () => {
    const forms = ['+8613812345678', '138 1234 5678', '13812345678', '+86 138-1234-5678', '(+86) 138 1234 5678', ' +86\u00A0138\u30001234 5678 ', '（+86）138－1234－5678'];
    const results = forms.map((text) => normalizePhone(text, china));
    for (const result of results) expect(result).toEqual({ ok: true, value: '+8613812345678' });
    expect(new Set(results).size).toBe(2);
    expect(results[1]).toBe(results[2]);
    expect(results[0]).toBe(results[3]);
    expect(results[0]).toBe(results[4]);
  });

  it('keeps text that is more than digits and separators under its own key', () => {
    const plain = normalizePhone('+1 415 555 2671', { defaultRegion: 'US' });
    for (const text of ['+1 415 555 2671 x12', '+1 415 555 2671 ext. 12', '+1 415 555 2671 ~ 12', '+1 415 555 2671 - 12#', '+1 415 555 2671,,12', 'tel:+1-415-555-2671;ext=12']) {
      const result = normalizePhone(text, { defaultRegion: 'US' });
      expect(result, text).toEqual({ ok: true, value: '+14155552671', extension: '12' });
      expect(result).not.toBe(plain);
    }
    expect(normalizePhone('tel:+1-415-555-2671', { defaultRegion: 'US' })).not.toBe(plain);
  });
});

describe('normalizePhone: edge cases of the stripping rule', () => {
  it.each([
    ['+44 (0) 20 7946 0958', undefined],
    ['+44 (0)20 7946 0958', 'GB'],
    ['(020) 7946 0958', 'GB'],
    ['+1 (415) 555-2671', undefined],
    ['1 2', 'US'],
    ['12', 'US'],
    ['+1 2', undefined],
    ['+12', undefined],
    ['123', 'DE'],
    ['86+13812345678', 'CN'],
    ['+86 138 1234 5678 +1', 'CN'],
    ['++8613812345678', 'CN'],
    ['138\t1234\t5678', 'CN'],
    ['１３８ １２３４ ５６７８', 'CN'],
    ['＋86 138 1234 5678', 'CN'],
    ['+86 138~1234~5678', 'CN'],
    ['(+86) 138 1234 5678', undefined],
    ['[+86] 138.1234.5678', undefined],
    ['+86 138/1234/5678', undefined],
    ['*86 138 1234 5678', 'CN'],
    ['138 1234 5678 #', 'CN'],
    ['---', 'CN'],
    ['()', undefined],
    ['+', undefined],
    ['', 'CN'],
    ['   ', 'CN'],
    ['0086 138 1234 5678', 'CN'],
    ['00 86 138 1234 5678', 'DE'],
    ['011 44 20 7946 0958', 'US'],
    ['8 (800) 555-35-35', 'RU'],
    ['+7 800 555 35 35', undefined],
    [`+86 138 1234 5678${' '.repeat(60)}`, 'CN'],
    [`${'1'.repeat(20)}-${'2'.repeat(44)}`, 'CN'],
    ['1'.repeat(65), 'CN'],
    ['+8613812345678', 'xx'],
  ])('%j with region %j: what libphonenumber gives for the text as written', (text, defaultRegion) => {
    expect(outcomeOf(normalizePhone(text, { defaultRegion }))).toEqual(libraryOutcome(text, defaultRegion));
  });

  it('an unknown region is reported for plain digits too', () => {
    expect(normalizePhone('13812345678', { defaultRegion: 'ZZ' })).toMatchObject({ ok: false, code: 'invalid_region', message: 'Unknown default phone region "ZZ"' });
  });

  it('hints at the missing country code only when there is none', () => {
    const national = normalizePhone('138 1234 5678');
    expect(national.ok === false && national.message).toBe('Not a valid phone number (no country code and no default region)');
    // "(+86) 12" has a country code: the hint looks past the bracket.
    const bracketed = normalizePhone('(+86) 12');
    expect(bracketed.ok === false && bracketed.message).toBe('Not a valid phone number');
  });

  it('returns frozen results on every path', () => {
    for (const text of ['+86 138 1234 5678', 'x', '+1 415 555 2671 x12', '1'.repeat(200)]) {
      expect(Object.isFrozen(normalizePhone(text, { defaultRegion: 'CN' })), text).toBe(true);
    }
  });
});

describe('normalizePhone: cache bounds', () => {
  it('keeps a number for at least 32,767 newer ones and forgets it within 65,536', () => {
    const brazil = { defaultRegion: 'BR' };
    const number = (index: number) => `+55 11 9${String(index).padStart(8, '0')}`;
    const first = normalizePhone(number(0), brazil);
    for (let index = 1; index < 32_768; index += 1) normalizePhone(number(index), brazil);
    expect(normalizePhone(number(0), brazil)).toBe(first);
    for (let index = 32_768; index <= 65_536; index += 1) normalizePhone(number(index), brazil);
    const again = normalizePhone(number(0), brazil);
    expect(again).not.toBe(first);
    expect(again).toEqual(first);
  });
});
