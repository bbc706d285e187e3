import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EmailAddress, createPhoneNumberSchema, normalizeEmail, normalizePhone, resolvePhoneNormalizationOptions } from 'guanxi/profile';
import { isValidationError, validate } from 'guanxi';

describe('normalizeEmail', () => {
  it('trims and lower-cases', () => {
    expect(normalizeEmail('  Ada.Lovelace@Example.COM ')).toEqual({ ok: true, value: 'ada.lovelace@example.com' });
  });

  it.each(['', 'ada', 'ada@', '@example.com', 'ada@example', 'a da@example.com', 'ada@@example.com', `${'a'.repeat(250)}@x.com`])(
    'rejects %j with invalid_email',
    (input) => {
      const result = normalizeEmail(input);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.code).toBe('invalid_email');
    },
  );

  it('is idempotent and case/space-insensitive (property)', () => {
    fc.assert(
      fc.property(fc.emailAddress(), fc.nat(3), fc.nat(3), (address, before, after) => {
        const first = normalizeEmail(address);
        if (!first.ok) return;
        const noisy = `${' '.repeat(before)}${address.toUpperCase()}${' '.repeat(after)}`;
        expect(normalizeEmail(noisy)).toEqual(first);
        expect(normalizeEmail(first.value)).toEqual(first);
      }),
    );
  });
});

describe('normalizePhone', () => {
  it('normalizes national numbers with the default region to E.164', () => {
    expect(normalizePhone('138 0013 8000', { defaultRegion: 'CN' })).toEqual({ ok: true, value: '+8613800138000' });
    expect(normalizePhone('(415) 555-2671', { defaultRegion: 'us' })).toEqual({ ok: true, value: '+14155552671' });
    expect(normalizePhone('030 123456', { defaultRegion: 'DE' })).toEqual({ ok: true, value: '+4930123456' });
  });

  it('accepts international numbers without a region and keeps extensions apart', () => {
    expect(normalizePhone('+44 7911 123456')).toEqual({ ok: true, value: '+447911123456' });
    expect(normalizePhone('+1 415 555 2671 x12')).toEqual({ ok: true, value: '+14155552671', extension: '12' });
  });

  it('rejects national numbers without a region, invalid numbers and unknown regions', () => {
    const noRegion = normalizePhone('138 0013 8000');
    expect(noRegion).toMatchObject({ ok: false, code: 'invalid_phone' });
    if (!noRegion.ok) expect(noRegion.message).toContain('no country code');
    expect(normalizePhone('12', { defaultRegion: 'US' })).toMatchObject({ ok: false, code: 'invalid_phone' });
    expect(normalizePhone('not a phone', { defaultRegion: 'US' })).toMatchObject({ ok: false, code: 'invalid_phone' });
    expect(normalizePhone('+86 138 0013 8000', { defaultRegion: 'XX' })).toMatchObject({ ok: false, code: 'invalid_region' });
  });

  it('gives the same E.164 for every written form of a number (property)', () => {
    const formats = (digits: string) => [`138${digits}`, `138 ${digits.slice(0, 4)} ${digits.slice(4)}`, `+86 138${digits}`, `+86-138-${digits.slice(0, 4)}-${digits.slice(4)}`, `(+86) 138 ${digits}`];
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9]{8}$/), (digits) => {
        const results = formats(digits).map((text) => normalizePhone(text, { defaultRegion: 'CN' }));
        for (const result of results) expect(result).toEqual({ ok: true, value: `+86138${digits}` });
      }),
    );
  });

  it('upper-cases the configured region', () => {
    expect(resolvePhoneNormalizationOptions({ defaultRegion: 'cn' }).defaultRegion).toBe('CN');
    expect(resolvePhoneNormalizationOptions().defaultRegion).toBeUndefined();
  });
});

describe('normalizing schemas', () => {
  it('EmailAddress reports invalid_email with a ValidationError', () => {
    expect(validate(EmailAddress, ' X@Y.org ')).toBe('x@y.org');
    try {
      validate(EmailAddress, 'nope', 'email');
      expect.unreachable();
    } catch (error) {
      expect(isValidationError(error)).toBe(true);
      if (isValidationError(error)) expect(error.issues).toEqual([{ path: [], code: 'invalid_email', message: 'Not a valid email address' }]);
    }
  });

  it('createPhoneNumberSchema uses its region', () => {
    expect(validate(createPhoneNumberSchema({ defaultRegion: 'CN' }), '13800138000')).toBe('+8613800138000');
    expect(() => validate(createPhoneNumberSchema(), '13800138000')).toThrow(/phone/);
  });
});
