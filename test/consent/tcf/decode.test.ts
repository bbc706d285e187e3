/**
 * TC string decoding against strings whose decoded values are published (the test
 * vectors of IAB Tech Lab's reference decoder, iabtcf-java `TCStringV2Test`), against
 * strings built here with an independent bit writer, and against malformed input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeTcString, isConsentSignalError, type ConsentSignalError } from 'guanxi/consent/tcf';

/** An independent writer: fields to a '0'/'1' string, then bytes, then base64url (Node's Buffer). */
class BitWriter {
  bits = '';
  int(value: number, width: number): this {
    this.bits += value.toString(2).padStart(width, '0');
    if (this.bits.length > 100_000 || value.toString(2).length > width) throw new Error('writer misuse');
    return this;
  }
  bool(value: boolean): this {
    return this.int(value ? 1 : 0, 1);
  }
  flags(ids: readonly number[], width: number): this {
    for (let i = 1; i <= width; i++) this.bits += ids.includes(i) ? '1' : '0';
    return this;
  }
  letters(text: string): this {
    for (const char of text) this.int(char.charCodeAt(0) - 65, 6);
    return this;
  }
  toBase64Url(): string {
    const padded = this.bits.padEnd(Math.ceil(this.bits.length / 8) * 8, '0');
    const bytes = Buffer.alloc(padded.length / 8);
    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(padded.slice(i * 8, i * 8 + 8), 2);
    return bytes.toString('base64url');
  }
}

interface CoreFields {
  created: number;
  cmpId: number;
  language: string;
  purposes: number[];
  vendorConsents: number[];
  vendorLegitimateInterests: number[];
  rangeConsents?: [number, number][];
  restrictions?: { purposeId: number; type: number; ranges: [number, number][] }[];
  version?: number;
}

function writeVendors(writer: BitWriter, ids: number[], ranges?: [number, number][]): void {
  if (ranges) {
    const max = Math.max(0, ...ranges.map(([, end]) => end));
    writer.int(max, 16).bool(true).int(ranges.length, 12);
    for (const [start, end] of ranges) {
      writer.bool(start !== end).int(start, 16);
      if (start !== end) writer.int(end, 16);
    }
    return;
  }
  const max = Math.max(0, ...ids);
  writer.int(max, 16).bool(false).flags(ids, max);
}

function coreString(fields: CoreFields): string {
  const w = new BitWriter();
  w.int(fields.version ?? 2, 6)
    .int(fields.created / 100, 36)
    .int(fields.created / 100, 36)
    .int(fields.cmpId, 12)
    .int(3, 12)
    .int(1, 6)
    .letters(fields.language)
    .int(250, 12)
    .int(4, 6)
    .bool(false)
    .bool(false)
    .flags([1], 12)
    .flags(fields.purposes, 24)
    .flags([2, 7], 24)
    .bool(false)
    .letters('DE');
  writeVendors(w, fields.vendorConsents, fields.rangeConsents);
  writeVendors(w, fields.vendorLegitimateInterests);
  const restrictions = fields.restrictions ?? [];
  w.int(restrictions.length, 12);
  for (const restriction of restrictions) {
    w.int(restriction.purposeId, 6).int(restriction.type, 2).int(restriction.ranges.length, 12);
    for (const [start, end] of restriction.ranges) {
      w.bool(start !== end).int(start, 16);
      if (start !== end) w.int(end, 16);
    }
  }
  return w.toBase64Url();
}

function signalError(run: () => unknown): ConsentSignalError {
  try {
    run();
  } catch (error) {
    if (isConsentSignalError(error)) return error;
    throw error;
  }
  throw new Error('expected a ConsentSignalError');
}

describe('published TC strings (IAB Tech Lab iabtcf-java test vectors)', () => {
  it('decodes every core field of COtybn4PA_zT4KjACBENAPCIAEBAAECAAIAAAAAAAAAA', () => {
    const tc = decodeTcString('COtybn4PA_zT4KjACBENAPCIAEBAAECAAIAAAAAAAAAA');
    expect(tc).toMatchObject({
      version: 2,
      created: Date.parse('2020-01-26T17:01:00Z'),
      lastUpdated: Date.parse('2021-02-02T17:01:00Z'),
      cmpId: 675,
      cmpVersion: 2,
      consentScreen: 1,
      vendorListVersion: 15,
      tcfPolicyVersion: 2,
      consentLanguage: 'EN',
      publisherCountryCode: 'AA',
      isServiceSpecific: false,
      purposeOneTreatment: true,
      useNonStandardTexts: false,
      specialFeatureOptIns: [1],
      purposeConsents: [2, 10],
      purposeLegitimateInterests: [2, 9],
    });
  });

  const vendorString = 'COrEAV4OrXx94ACABBENAHCIAD-AAAAAAACAAxAAAAgAIAwgAgAAAAEAgQAAAAAEAYQAQAAAACAAAABAAA';

  it('decodes vendor consents and legitimate interests in bitfield encoding', () => {
    const tc = decodeTcString(vendorString);
    expect(tc.purposeConsents).toEqual([3, 4, 5, 6, 7, 8, 9]);
    expect(tc.vendorConsents).toEqual([23, 37, 47, 48, 53, 65, 98]);
    expect(tc.vendorLegitimateInterests).toEqual([37, 47, 48, 53, 65, 98, 129]);
  });

  it('decodes disclosed-vendors and allowed-vendors segments', () => {
    const tc = decodeTcString(`${vendorString}.IBAgAAAgAIAwgAgAAAAEAAAACA.QAagAQAgAIAwgA`);
    expect(tc.allowedVendors).toEqual([12, 23, 37, 47, 48, 53]);
    expect(tc.disclosedVendors).toEqual([23, 37, 47, 48, 53, 65, 98, 129]);
  });

  it('decodes the publisher-TC segment (padding "=" tolerated)', () => {
    const tc = decodeTcString(`${vendorString}.IBAgAAAgAIAwgAgAAAAEAAAACA.QAagAQAgAIAwgA.cAAAAAAAITg=`);
    expect(tc.publisher?.purposeConsents).toHaveLength(1);
  });

  it('decodes range-encoded vendor sections', () => {
    expect(decodeTcString('COv__-wOv__-wC2AAAENAPCgAAAAAAAAAAAAA_wAQA_gEBABAEAAAA').vendorLegitimateInterests).toEqual([128]);
    const gvl =
      '.IFoEUQQgAIQwgIwQABAEAAAAOIAACAIAAAAQAIAgEAACEAAAAAgAQBAAAAAAAGBAAgAAAAAAAFAAECAAAgAAQARAEQAAAAAJAAIAAgAAAYQEAAAQmAgBC3ZAYzUw';
    expect(decodeTcString(`COwBOpCOwBOpCLqAAAENAPCAAAAAAAAAAAAAFfwAYFfAV-BVkAGBVYFWAAA${gvl}`).vendorConsents).toEqual([702, 703]);
    expect(decodeTcString(`COwBOpCOwBOpCLqAAAENAPCAAAAAAAAAAAAAFfwAQFfgUbABAUaAAA${gvl}`).vendorConsents).toEqual([703]);
  });

  it('decodes purpose consents', () => {
    expect(decodeTcString('COwxsONOwxsONKpAAAENAdCAAMAAAAAAAAAAAAAAAAAA').purposeConsents).toEqual(expect.arrayContaining([1, 2]));
  });
});

describe('strings built with an independent bit writer', () => {
  it('decodes publisher restrictions with their vendor ranges', () => {
    const text = coreString({
      created: Date.parse('2025-06-01T12:00:00Z'),
      cmpId: 300,
      language: 'FR',
      purposes: [1, 3, 11],
      vendorConsents: [2, 5, 755],
      vendorLegitimateInterests: [],
      restrictions: [
        { purposeId: 2, type: 1, ranges: [[10, 12], [20, 20]] },
        { purposeId: 7, type: 0, ranges: [] },
        { purposeId: 10, type: 2, ranges: [[755, 755]] },
      ],
    });
    const tc = decodeTcString(text);
    expect(tc).toMatchObject({ cmpId: 300, consentLanguage: 'FR', tcfPolicyVersion: 4, publisherCountryCode: 'DE', purposeConsents: [1, 3, 11], purposeLegitimateInterests: [2, 7] });
    expect(tc.created).toBe(Date.parse('2025-06-01T12:00:00Z'));
    expect(tc.vendorConsents).toEqual([2, 5, 755]);
    expect(tc.publisherRestrictions).toEqual([
      { purposeId: 2, type: 'require-consent', vendors: [10, 11, 12, 20] },
      { purposeId: 7, type: 'not-allowed', vendors: [] },
      { purposeId: 10, type: 'require-legitimate-interest', vendors: [755] },
    ]);
  });

  it('property: written fields decode to the same values, bitfield or range encoding', () => {
    const ids = fc.uniqueArray(fc.integer({ min: 1, max: 400 }), { maxLength: 30 }).map((list) => list.sort((a, b) => a - b));
    fc.assert(
      fc.property(
        fc.record({
          created: fc.integer({ min: 0, max: 2_000_000_000 }).map((s) => s * 1000),
          cmpId: fc.integer({ min: 0, max: 4095 }),
          language: fc.constantFrom('EN', 'DE', 'FR', 'ZH', 'AA', 'ZZ'),
          purposes: fc.uniqueArray(fc.integer({ min: 1, max: 24 })).map((list) => list.sort((a, b) => a - b)),
          vendorConsents: ids,
          vendorLegitimateInterests: ids,
          useRanges: fc.boolean(),
        }),
        (fields) => {
          const rangeConsents = fields.useRanges ? fields.vendorConsents.map((id) => [id, id] as [number, number]) : undefined;
          const tc = decodeTcString(coreString({ ...fields, rangeConsents }));
          expect(tc.created).toBe(fields.created);
          expect(tc.cmpId).toBe(fields.cmpId);
          expect(tc.consentLanguage).toBe(fields.language);
          expect(tc.purposeConsents).toEqual(fields.purposes);
          expect(tc.vendorConsents).toEqual(fields.vendorConsents);
          expect(tc.vendorLegitimateInterests).toEqual(fields.vendorLegitimateInterests);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('malformed TC strings give a clear ConsentSignalError', () => {
  const valid = coreString({ created: 0, cmpId: 1, language: 'EN', purposes: [1], vendorConsents: [3, 9], vendorLegitimateInterests: [] });

  it('bad base64url', () => {
    expect(signalError(() => decodeTcString('COtybn4PA_zT4+jACBENAPCI'))).toMatchObject({ signal: 'tcf', reason: 'bad_encoding', segment: 0 });
    expect(signalError(() => decodeTcString('COtybn4PA_zT4 jACBENAPCI')).reason).toBe('bad_encoding');
    expect(signalError(() => decodeTcString('')).reason).toBe('bad_encoding');
    expect(signalError(() => decodeTcString(`${valid}..`)).reason).toBe('bad_encoding');
    expect(signalError(() => decodeTcString(42 as unknown as string)).reason).toBe('bad_encoding');
  });

  it('truncated segments name the field and bit where data ran out', () => {
    // 25 characters = 150 bits: the 12 special-feature bits start at bit 140.
    const error = signalError(() => decodeTcString('COtybn4PA_zT4KjACBENAPCIA'));
    expect(error).toMatchObject({ reason: 'truncated', segment: 0, field: 'SpecialFeatureOptIns', bitOffset: 150 });
    expect(error.message).toMatch(/segment 0 SpecialFeatureOptIns \(bit 150\)/);
    expect(signalError(() => decodeTcString('COtybn4PA_zT4KjACBENAPCIAEBAAECAAIAAAAAAAAAA.I'))).toMatchObject({ reason: 'truncated', segment: 1 });
    for (let cut = 1; cut < valid.length - 2; cut++) {
      expect(() => decodeTcString(valid.slice(0, cut))).toThrow(expect.objectContaining({ name: 'ConsentSignalError' }));
    }
  });

  it('wrong version', () => {
    expect(signalError(() => decodeTcString('BOVeoB_OVeoFxC-AHAFRBtAAAAAhGAEAD4AXAA2YCEQ'))).toMatchObject({ reason: 'unsupported_version', field: 'Version' });
    const v3 = coreString({ created: 0, cmpId: 1, language: 'EN', purposes: [], vendorConsents: [], vendorLegitimateInterests: [], version: 3 });
    expect(signalError(() => decodeTcString(v3)).message).toMatch(/version 3/);
  });

  it('bitfield length mismatch: MaxVendorId larger than the bits present', () => {
    const w = new BitWriter();
    w.bits = Buffer.from(valid, 'base64url').reduce((bits, byte) => bits + byte.toString(2).padStart(8, '0'), '');
    // Rewrite MaxVendorId of the vendor-consent section (bit 213) to 60000.
    const at = 6 + 36 + 36 + 12 + 12 + 6 + 12 + 12 + 6 + 1 + 1 + 12 + 24 + 24 + 1 + 12;
    w.bits = w.bits.slice(0, at) + (60000).toString(2).padStart(16, '0') + w.bits.slice(at + 16);
    expect(signalError(() => decodeTcString(w.toBase64Url()))).toMatchObject({ reason: 'bad_value', field: 'VendorConsents' });
    expect(signalError(() => decodeTcString(w.toBase64Url())).message).toMatch(/bitfield length mismatch/);
  });

  it('bitfield length mismatch: more data than declared', () => {
    const w = new BitWriter();
    w.int(1, 3).int(4, 16).bool(false).flags([1, 4], 4).flags([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16], 16);
    expect(signalError(() => decodeTcString(`${valid}.${w.toBase64Url()}`))).toMatchObject({ reason: 'bad_value', segment: 1 });
  });

  it('impossible values: a range ending before it starts, vendor 0, unknown and repeated segment types', () => {
    const badRange = coreString({ created: 0, cmpId: 1, language: 'EN', purposes: [], vendorConsents: [], vendorLegitimateInterests: [], rangeConsents: [[9, 3]] });
    expect(signalError(() => decodeTcString(badRange)).reason).toBe('bad_value');
    const unknownType = new BitWriter().int(5, 3).int(0, 16).toBase64Url();
    expect(signalError(() => decodeTcString(`${valid}.${unknownType}`))).toMatchObject({ reason: 'bad_segment', segment: 1 });
    const disclosed = new BitWriter().int(1, 3).int(2, 16).bool(false).flags([2], 2).toBase64Url();
    expect(decodeTcString(`${valid}.${disclosed}`).disclosedVendors).toEqual([2]);
    expect(signalError(() => decodeTcString(`${valid}.${disclosed}.${disclosed}`)).reason).toBe('bad_segment');
    const letter = new BitWriter();
    letter.bits = Buffer.from(valid, 'base64url').reduce((bits, byte) => bits + byte.toString(2).padStart(8, '0'), '');
    letter.bits = letter.bits.slice(0, 108) + '111111' + letter.bits.slice(114);
    expect(signalError(() => decodeTcString(letter.toBase64Url()))).toMatchObject({ reason: 'bad_value', field: 'ConsentLanguage' });
  });

  it('property: arbitrary input either decodes or throws a ConsentSignalError, never anything else', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.base64String().map((s) => s.replace(/=/g, '')), fc.constant(valid).chain((v) => fc.nat(v.length).map((n) => v.slice(0, n) + 'A'.repeat(n % 7)))), (input) => {
        try {
          decodeTcString(input);
        } catch (error) {
          expect(isConsentSignalError(error)).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('errors serialise without the string itself', () => {
    const error = signalError(() => decodeTcString('COtybn4PA_zT4KjACBEN'));
    expect(error.toJSON()).toMatchObject({ name: 'ConsentSignalError', code: 'consent_signal_truncated', signal: 'tcf', reason: 'truncated', segment: 0 });
    expect(JSON.stringify(error.toJSON())).not.toContain('COtybn4PA');
  });
});
