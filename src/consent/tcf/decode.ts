/**
 * The TC string decoder (IAB Tech Lab, "Transparency and Consent String and Global
 * Vendor List Format", v2.2/2.3): the core segment, then optional disclosed-vendors,
 * allowed-vendors and publisher-TC segments. Decode only: only a registered CMP may
 * create a TC string.
 */
import { SegmentBits, tcfFail } from './bits';

/**
 * A publisher restriction: for `purposeId`, the listed vendors are restricted
 * (`not-allowed`, `require-consent`, `require-legitimate-interest`, or `undefined` for
 * the reserved type 3).
 *
 * @example
 * ```ts
 * import type { TcfPublisherRestriction } from 'guanxi/consent/tcf';
 *
 * const restriction: TcfPublisherRestriction = { purposeId: 2, type: 'require-consent', vendors: [12, 13] };
 * ```
 */
export interface TcfPublisherRestriction {
  readonly purposeId: number;
  readonly type: 'not-allowed' | 'require-consent' | 'require-legitimate-interest' | 'undefined';
  readonly vendors: readonly number[];
}

/**
 * The publisher-TC segment: the publisher's own purposes and custom purposes.
 *
 * @example
 * ```ts
 * import type { TcfPublisherSegment } from 'guanxi/consent/tcf';
 *
 * const publisher: TcfPublisherSegment = { purposeConsents: [1], purposeLegitimateInterests: [], customPurposeConsents: [2], customPurposeLegitimateInterests: [] };
 * ```
 */
export interface TcfPublisherSegment {
  readonly purposeConsents: readonly number[];
  readonly purposeLegitimateInterests: readonly number[];
  readonly customPurposeConsents: readonly number[];
  readonly customPurposeLegitimateInterests: readonly number[];
}

/**
 * A decoded TC string. Id lists (purposes, special features, vendors) are sorted
 * ascending; times are milliseconds since the epoch.
 *
 * @example
 * ```ts
 * import { decodeTcString, type TcString } from 'guanxi/consent/tcf';
 *
 * const tc: TcString = decodeTcString('COtybn4PA_zT4KjACBENAPCIAEBAAECAAIAAAAAAAAAA');
 * console.log(tc.cmpId, tc.purposeConsents); // 675 [2, 10]
 * ```
 */
export interface TcString {
  readonly version: 2;
  readonly created: number;
  readonly lastUpdated: number;
  readonly cmpId: number;
  readonly cmpVersion: number;
  readonly consentScreen: number;
  readonly consentLanguage: string;
  readonly vendorListVersion: number;
  readonly tcfPolicyVersion: number;
  readonly isServiceSpecific: boolean;
  readonly useNonStandardTexts: boolean;
  readonly specialFeatureOptIns: readonly number[];
  readonly purposeConsents: readonly number[];
  readonly purposeLegitimateInterests: readonly number[];
  readonly purposeOneTreatment: boolean;
  readonly publisherCountryCode: string;
  readonly vendorConsents: readonly number[];
  readonly vendorLegitimateInterests: readonly number[];
  readonly publisherRestrictions: readonly TcfPublisherRestriction[];
  /** From the disclosed-vendors segment (type 1), when present. */
  readonly disclosedVendors?: readonly number[];
  /** From the allowed-vendors segment (type 2, TCF 2.0/2.1 only), when present. */
  readonly allowedVendors?: readonly number[];
  /** From the publisher-TC segment (type 3), when present. */
  readonly publisher?: TcfPublisherSegment;
}

const sorted = (ids: Set<number>): number[] => [...ids].sort((a, b) => a - b);

const restrictionTypes = ['not-allowed', 'require-consent', 'require-legitimate-interest', 'undefined'] as const;

/**
 * Entries of a range section: each a single vendor id or an inclusive range. Errors
 * name the section (`field`); the bit offset locates the sub-field.
 */
function ranges(bits: SegmentBits, field: string, into: Set<number>): void {
  const count = bits.int(12, field);
  for (let i = 0; i < count; i++) {
    const isRange = bits.bool(field);
    const start = bits.int(16, field);
    const end = isRange ? bits.int(16, field) : start;
    if (start < 1 || end < start) bits.fail('bad_value', `bad range ${start}-${end}`, field);
    for (let id = start; id <= end; id++) into.add(id);
  }
}

/** A vendor section: MaxVendorId, IsRangeEncoding, then a bitfield or ranges. */
function vendors(bits: SegmentBits, field: string): number[] {
  const max = bits.int(16, field);
  if (!bits.bool(field)) {
    if (bits.remaining < max) bits.fail('bad_value', `bitfield length mismatch (MaxVendorId ${max}, ${bits.remaining} bits left)`, field);
    return bits.flags(max, field);
  }
  const ids = new Set<number>();
  ranges(bits, field, ids);
  for (const id of ids) if (id > max) bits.fail('bad_value', `vendor ${id} > MaxVendorId ${max}`, field);
  return sorted(ids);
}

function finish(bits: SegmentBits, name: string): void {
  // Encoders pad to whole bytes, and base64 to whole characters: at most 7 + 4 bits,
  // all zero. More means a declared length does not match the data.
  if (bits.remaining > 11) bits.fail('bad_value', `${bits.remaining} bits left over: length mismatch`, name);
  while (bits.remaining > 0) if (bits.int(1, name)) bits.fail('bad_value', 'non-zero padding', name);
}

const deciseconds = (bits: SegmentBits, field: string): number => bits.int(36, field) * 100;

/**
 * Decodes an IAB TCF v2 TC string (TCF 2.0 to 2.3; the string format version is 2).
 *
 * @throws ConsentSignalError (`signal: 'tcf'`) with reason `bad_encoding` (not
 * base64url, empty segment), `unsupported_version` (not version 2), `truncated` (a
 * segment ends inside a field), `bad_segment` (unknown or repeated segment type) or
 * `bad_value` (an impossible value, a bitfield longer or shorter than its declared
 * MaxVendorId, non-zero padding), with the segment, bit offset and field.
 *
 * @example
 * ```ts
 * import { decodeTcString } from 'guanxi/consent/tcf';
 *
 * const tc = decodeTcString('COtybn4PA_zT4KjACBENAPCIAEBAAECAAIAAAAAAAAAA');
 * console.log(new Date(tc.created).toISOString()); // '2020-01-26T17:01:00.000Z'
 * console.log(tc.consentLanguage, tc.purposeConsents, tc.specialFeatureOptIns); // 'EN' [2, 10] [1]
 * ```
 */
export function decodeTcString(tcString: string): TcString {
  if (typeof tcString !== 'string' || tcString.trim() === '') tcfFail('bad_encoding', 'not a non-empty string');
  const segments = tcString.trim().split('.');
  const core = new SegmentBits(segments[0]!, 0);
  const version = core.int(6, 'Version');
  if (version !== 2) tcfFail('unsupported_version', `version ${version} (only 2, TCF v2.x, is supported)`, 0, 'Version', 0);
  // Object literal members are evaluated in order: this reads the fields in the
  // specification's order.
  const decoded: { -readonly [K in keyof TcString]: TcString[K] } = {
    version: 2,
    created: deciseconds(core, 'Created'),
    lastUpdated: deciseconds(core, 'LastUpdated'),
    cmpId: core.int(12, 'CmpId'),
    cmpVersion: core.int(12, 'CmpVersion'),
    consentScreen: core.int(6, 'ConsentScreen'),
    consentLanguage: core.letters('ConsentLanguage'),
    vendorListVersion: core.int(12, 'VendorListVersion'),
    tcfPolicyVersion: core.int(6, 'TcfPolicyVersion'),
    isServiceSpecific: core.bool('IsServiceSpecific'),
    useNonStandardTexts: core.bool('UseNonStandardTexts'),
    specialFeatureOptIns: core.flags(12, 'SpecialFeatureOptIns'),
    purposeConsents: core.flags(24, 'PurposesConsent'),
    purposeLegitimateInterests: core.flags(24, 'PurposesLITransparency'),
    purposeOneTreatment: core.bool('PurposeOneTreatment'),
    publisherCountryCode: core.letters('PublisherCC'),
    vendorConsents: vendors(core, 'VendorConsents'),
    vendorLegitimateInterests: vendors(core, 'VendorLegitimateInterests'),
    publisherRestrictions: [],
  };
  const count = core.int(12, 'NumPubRestrictions');
  for (let i = 0; i < count; i++) {
    const purposeId = core.int(6, 'PurposeId');
    const type = restrictionTypes[core.int(2, 'RestrictionType')]!;
    const ids = new Set<number>();
    ranges(core, 'PubRestrictionEntry', ids);
    (decoded.publisherRestrictions as TcfPublisherRestriction[]).push({ purposeId, type, vendors: sorted(ids) });
  }
  finish(core, 'core');

  for (let index = 1; index < segments.length; index++) {
    const bits = new SegmentBits(segments[index]!, index);
    const type = bits.int(3, 'SegmentType');
    const seen = (type === 1 && decoded.disclosedVendors) || (type === 2 && decoded.allowedVendors) || (type === 3 && decoded.publisher);
    if (seen || type < 1 || type > 3) tcfFail('bad_segment', `${seen ? 'repeated' : 'unknown'} segment type ${type}`, index, 'SegmentType', 0);
    if (type === 1) decoded.disclosedVendors = vendors(bits, 'DisclosedVendors');
    else if (type === 2) decoded.allowedVendors = vendors(bits, 'AllowedVendors');
    else {
      const purposeConsents = bits.flags(24, 'PubPurposesConsent');
      const purposeLegitimateInterests = bits.flags(24, 'PubPurposesLITransparency');
      const custom = bits.int(6, 'NumCustomPurposes');
      decoded.publisher = {
        purposeConsents,
        purposeLegitimateInterests,
        customPurposeConsents: bits.flags(custom, 'CustomPurposesConsent'),
        customPurposeLegitimateInterests: bits.flags(custom, 'CustomPurposesLITransparency'),
      };
    }
    finish(bits, `SegmentType ${type}`);
  }
  return decoded;
}
