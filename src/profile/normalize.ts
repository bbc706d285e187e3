import { flatText } from './flat-text';
import { isSupportedCountry, parsePhoneNumberFromString, type CountryCode, type PhoneNumber } from 'libphonenumber-js/core';
import phoneMetadata from 'libphonenumber-js/min/metadata';

/**
 * The outcome of normalizing one contact value: the canonical form, or the reason it was
 * rejected. Normalizers never throw and never drop a value silently.
 *
 * @example
 * ```ts
 * import { normalizeEmail, type NormalizationResult } from 'guanxi/profile';
 *
 * const result: NormalizationResult = normalizeEmail('  Ada@Example.COM ');
 * if (result.ok) console.log(result.value); // 'ada@example.com'
 * ```
 */
export type NormalizationResult =
  | { readonly ok: true; readonly value: string; readonly extension?: string }
  | { readonly ok: false; readonly code: 'invalid_email' | 'invalid_phone' | 'invalid_region'; readonly message: string };

// Deliberately simple: one "@", a non-empty local part without spaces and a dotted
// domain. RFC 5322 allows far more, but addresses that need quoting are not deliverable
// in practice and a stricter pattern would reject real customers.
const emailPattern = /^[^\s@]+@[^\s@]+\.[^\s@.]+$/;

/**
 * Normalizes an email address: trims surrounding white space and lower-cases the whole
 * address. Lower-casing the local part is what every large mailbox provider does in
 * practice, and it makes `Ada@X.com` and `ada@x.com` one identifier for identity
 * resolution.
 *
 * @returns `{ ok: true, value }` or `{ ok: false, code: 'invalid_email', message }`.
 *
 * @example
 * ```ts
 * import { normalizeEmail } from 'guanxi/profile';
 *
 * normalizeEmail(' Ada.Lovelace@Example.com '); // { ok: true, value: 'ada.lovelace@example.com' }
 * normalizeEmail('not-an-email'); // { ok: false, code: 'invalid_email', … }
 * ```
 */
export function normalizeEmail(input: string): NormalizationResult {
  const value = input.trim().toLowerCase();
  if (value.length > 254 || !emailPattern.test(value)) {
    return { ok: false, code: 'invalid_email', message: 'Not a valid email address' };
  }
  return { ok: true, value };
}

/**
 * Options of phone normalization.
 *
 * @example
 * ```ts
 * import { normalizePhone, type PhoneNormalizationOptions } from 'guanxi/profile';
 *
 * const china: PhoneNormalizationOptions = { defaultRegion: 'CN' };
 * normalizePhone('138 0013 8000', china); // { ok: true, value: '+8613800138000' }
 * ```
 */
export interface PhoneNormalizationOptions {
  /**
   * ISO 3166-1 alpha-2 region assumed for numbers written without a country code
   * (`'CN'`, `'US'`, `'DE'`…). Without it, only international numbers (`+…`) are accepted.
   * @default undefined
   */
  readonly defaultRegion?: string | undefined;
}

/**
 * The default phone normalization: no default region, so numbers must be international.
 *
 * @example
 * ```ts
 * import { defaultPhoneNormalizationOptions } from 'guanxi/profile';
 *
 * console.log(defaultPhoneNormalizationOptions.defaultRegion); // undefined
 * ```
 */
export const defaultPhoneNormalizationOptions: Readonly<PhoneNormalizationOptions> = Object.freeze({ defaultRegion: undefined });

/**
 * Fills unset phone options with the defaults.
 *
 * @example
 * ```ts
 * import { resolvePhoneNormalizationOptions } from 'guanxi/profile';
 *
 * const options = resolvePhoneNormalizationOptions({ defaultRegion: 'cn' }); // region upper-cased: 'CN'
 * ```
 */
export function resolvePhoneNormalizationOptions(options: PhoneNormalizationOptions = {}): Readonly<PhoneNormalizationOptions> {
  const region = options.defaultRegion ?? defaultPhoneNormalizationOptions.defaultRegion;
  return Object.freeze({ defaultRegion: region === undefined ? undefined : region.toUpperCase() });
}

/**
 * Normalizes a phone number to E.164 (`+8613800138000`) with libphonenumber-js (its `min`
 * metadata: number lengths and prefixes of every region, kept current with Google's
 * libphonenumber). An extension (`x12`) is returned separately.
 *
 * Results are cached per default region (the latest 32,768 to 65,536 distinct keys), so a
 * number seen again costs a map lookup; returned results are frozen. A number written with
 * only digits, plain separators (spaces, `-` and the Unicode dashes, `.`, `/`, `()`, `[]`,
 * their full-width forms) and at most one `+`, before every digit, is keyed, and parsed,
 * without its separators: `138 0013 8000` and `13800138000` are one entry, and so are
 * `+86 138-0013-8000` and `(+86) 138 0013 8000`. Any other text (letters, extensions,
 * `tel:` URIs, `*`, `#`, `~`, tabs, full-width digits) is keyed by the text as given.
 * Either way the number, extension or error code is what libphonenumber gives for the
 * trimmed text as written.
 *
 * @returns `{ ok: true, value, extension? }`, or `{ ok: false, code, message }` where
 * `code` is `invalid_phone` or `invalid_region` (an unknown default region).
 *
 * @example
 * ```ts
 * import { normalizePhone } from 'guanxi/profile';
 *
 * normalizePhone('(415) 555-2671', { defaultRegion: 'US' }); // { ok: true, value: '+14155552671' }
 * normalizePhone('+44 7911 123456'); // { ok: true, value: '+447911123456' }
 * normalizePhone('12', { defaultRegion: 'US' }); // { ok: false, code: 'invalid_phone', … }
 * ```
 */
export function normalizePhone(input: string, options: PhoneNormalizationOptions = {}): NormalizationResult {
  const region = options.defaultRegion?.toUpperCase();
  if (input.length > 128) return Object.freeze(parsePhone(input, region)); // junk is not worth keeping
  const digits = strippedPhoneText(input.trim());
  const key = digits ?? input;
  const cache = phoneCacheOf(region);
  const known = cache.recent.get(key) ?? cache.older.get(key);
  if (known !== undefined) return known;
  const result = Object.freeze(digits === undefined ? parsePhone(input, region) : parsePlainPhone(digits, region, cache));
  if (cache.recent.size >= phoneCacheGeneration) {
    cache.older = cache.recent;
    cache.recent = new Map();
  }
  cache.recent.set(key === input ? key : flatText(key), result);
  return result;
}

// Text that libphonenumber reads exactly as its digits and leading "+": ASCII digits, at
// most one "+" before every digit, and separators from its VALID_PUNCTUATION that no
// extension pattern uses (spaces, NBSP, U+3000; "-", U+2010–U+2015, U+2212, U+FF0D; "/",
// U+FF0F; ".", U+FF0E; "()", "[]" and their full-width forms). For such text its
// `parse()` extracts the span from the first "+" or digit to the last digit, finds it
// viable (three digits or more; shorter text is left to the general path), finds no
// extension (every extension pattern needs a letter, "#", "~", "," or ";"), and from then
// on reads only parseIncompletePhoneNumber(span): the digits and the leading "+". The
// stripped text gives that same string, so parsing it (without extraction, which would
// change nothing) gives the same number. Tildes are left out: "~" marks an extension.
// test/profile/normalize-plain.test.ts checks this against the library, region by region.
//
// A loop over char codes, not a regular expression and a replace: on a cache hit this is
// most of the cost (~70 ns against ~140 ns measured), and a number without separators
// comes back as the same string.
function strippedPhoneText(text: string): string | undefined {
  if (text.length > 64) return undefined;
  let stripped = '';
  let from = 0;
  let digits = 0;
  let plus = false;
  for (let index = 0; index < text.length; index += 1) {
    const code = text.charCodeAt(index);
    if (code >= 0x30 && code <= 0x39) digits += 1;
    else if (code === 0x2b) {
      if (plus || digits > 0) return undefined;
      plus = true;
    } else if (isPhoneSeparator(code)) {
      if (index > from) stripped += text.slice(from, index);
      from = index + 1;
    } else return undefined;
  }
  if (digits < 3) return undefined;
  return from === 0 ? text : stripped + text.slice(from);
}

function isPhoneSeparator(code: number): boolean {
  switch (code) {
    case 0x20: // space
    case 0xa0: // no-break space
    case 0x3000: // ideographic space
    case 0x2d: // -
    case 0x2010: // hyphen … horizontal bar
    case 0x2011:
    case 0x2012:
    case 0x2013:
    case 0x2014:
    case 0x2015:
    case 0x2212: // minus sign
    case 0xff0d: // full-width -
    case 0x2f: // /
    case 0xff0f: // full-width /
    case 0x2e: // .
    case 0xff0e: // full-width .
    case 0x28: // (
    case 0x29: // )
    case 0xff08: // full-width (
    case 0xff09: // full-width )
    case 0x5b: // [
    case 0x5d: // ]
    case 0xff3b: // full-width [
    case 0xff3d: // full-width ]
      return true;
    default:
      return false;
  }
}

// Parsing with libphonenumber costs ~5 µs a number, and the same customer's number
// arrives again and again (every till visit, every CRM sync), so results are kept per
// default region. A result depends only on (key, region), so a kept result is exactly
// what parsing again would give. Two generations bound the cache (at most 2 × 32,768
// numbers per region) without the cost of evicting entries one by one: when the recent
// generation is full, it becomes the older one and the older is dropped. Keys of the two
// kinds never collide: a stripped key is "+" and digits, at most 64 characters, and text
// like that, given as is, is its own stripped key. Stripped keys are kept flat (one run of
// characters, not the pieces they were joined from).
const phoneCacheGeneration = 32_768;
interface PhoneCache {
  recent: Map<string, NormalizationResult>;
  older: Map<string, NormalizationResult>;
  /** libphonenumber options for stripped text: the region, no extraction. */
  readonly plainParseOptions: { readonly defaultCountry?: CountryCode; readonly extract: false };
}
let phoneCaches: Map<string, PhoneCache> | undefined;

function phoneCacheOf(region: string | undefined): PhoneCache {
  phoneCaches ??= new Map();
  const key = region ?? '';
  let cache = phoneCaches.get(key);
  if (cache === undefined) {
    if (phoneCaches.size >= 300) phoneCaches.clear(); // ~250 regions exist; past that it is junk input
    const plainParseOptions = region === undefined ? { extract: false as const } : { defaultCountry: region as CountryCode, extract: false as const };
    phoneCaches.set(key, (cache = { recent: new Map(), older: new Map(), plainParseOptions }));
  }
  return cache;
}

function parsePhone(input: string, region: string | undefined): NormalizationResult {
  if (region !== undefined && !isSupportedCountry(region as CountryCode, phoneMetadata)) return invalidRegion(region);
  const text = input.trim();
  if (text.length === 0 || text.length > 64) {
    return { ok: false, code: 'invalid_phone', message: 'Not a valid phone number' };
  }
  return phoneResult(parsePhoneNumberFromString(text, region as CountryCode, phoneMetadata), text, region);
}

/** Parses stripped text: `+` and digits only (see `plainPhoneText`). */
function parsePlainPhone(digits: string, region: string | undefined, cache: PhoneCache): NormalizationResult {
  if (region !== undefined && !isSupportedCountry(region as CountryCode, phoneMetadata)) return invalidRegion(region);
  return phoneResult(parsePhoneNumberFromString(digits, cache.plainParseOptions, phoneMetadata), digits, region);
}

function phoneResult(parsed: PhoneNumber | undefined, text: string, region: string | undefined): NormalizationResult {
  if (parsed === undefined || !parsed.isValid()) {
    const hint = region === undefined && !text.startsWith('+') ? ' (no country code and no default region)' : '';
    return { ok: false, code: 'invalid_phone', message: `Not a valid phone number${hint}` };
  }
  // libphonenumber builds the number by concatenation; a flat copy is what profiles keep.
  const value = flatText(parsed.number);
  return parsed.ext === undefined ? { ok: true, value } : { ok: true, value, extension: parsed.ext };
}

function invalidRegion(region: string): NormalizationResult {
  return { ok: false, code: 'invalid_region', message: `Unknown default phone region "${region}"` };
}
