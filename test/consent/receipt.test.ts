import { describe, expect, it } from 'vitest';
import { createConsentRegister, defaultConsentPurposes, toConsentReceipt } from 'guanxi/consent';

const controller = { piiController: 'Example Shop GmbH', contact: 'Data Protection Officer', address: 'Hauptstr. 1, 10115 Berlin', email: 'privacy@shop.example' };

describe('Kantara Consent Receipt v1.1 export', () => {
  it('carries the v1.1 field set and links back to the proof record', async () => {
    const register = createConsentRegister({
      jurisdiction: 'EU',
      subject: { anonymousId: 'anon-1', userId: 'u-7' },
      notice: { version: '2026-03', text: 'Notice text', language: 'de', url: 'https://shop.example/datenschutz' },
      clock: { now: () => Date.parse('2026-03-01T12:00:00.500Z') },
      globalPrivacyControl: () => false,
    });
    const record = (await register.update({ purposes: { analytics: 'granted', 'sale-sharing': 'denied' }, source: 'banner', action: 'save-choices' }))!;
    const receipt = toConsentReceipt(record, { controller, purposes: defaultConsentPurposes });
    expect(Object.keys(receipt).sort()).toEqual(
      ['version', 'jurisdiction', 'consentTimestamp', 'collectionMethod', 'consentReceiptID', 'language', 'piiPrincipalId', 'piiControllers', 'policyUrl', 'services', 'sensitive', 'spiCat', 'guanxi'].sort(),
    );
    expect(receipt).toMatchObject({
      version: 'KI-CR-v1.1.0',
      jurisdiction: 'EU',
      consentTimestamp: Date.parse('2026-03-01T12:00:00Z') / 1000,
      collectionMethod: 'banner: save-choices',
      consentReceiptID: record.id,
      language: 'de',
      piiPrincipalId: 'u-7',
      piiControllers: [controller],
      policyUrl: 'https://shop.example/datenschutz',
      sensitive: false,
      spiCat: [],
      guanxi: { noticeVersion: '2026-03', noticeSha256: record.notice.sha256, recordHash: record.hash, sequence: 0 },
    });
    expect(receipt.services[0]?.service).toBe('Example Shop GmbH');
    expect(receipt.services[0]?.purposes).toEqual([
      expect.objectContaining({ purpose: 'Analytics', purposeCategory: ['analytics'], consentType: 'EXPLICIT', piiCategory: ['identifier', 'behavioural'], thirdPartyDisclosure: false, state: 'granted', form: 'general' }),
      expect.objectContaining({ purposeCategory: ['sale-sharing'], thirdPartyDisclosure: true, state: 'denied' }),
    ]);
  });

  it('marks sensitive purposes and signal-derived records', async () => {
    const purposes = [...defaultConsentPurposes, { id: 'health', lawfulBasis: 'consent' as const, categories: ['sensitive' as const] }];
    const register = createConsentRegister({ jurisdiction: 'US-CA', purposes, notice: { version: '1', text: 't', language: 'en' }, globalPrivacyControl: () => true });
    await register.ready;
    const gpcRecord = register.log.records()[0]!;
    expect(toConsentReceipt(gpcRecord, { controller, policyUrl: 'https://x.example' }).services[0]?.purposes[0]?.consentType).toBe('IMPLICIT');
    const health = (await register.grant(['health'], { source: 'preference-centre' }))!;
    const receipt = toConsentReceipt(health, { controller, purposes });
    expect(receipt.sensitive).toBe(true);
    expect(receipt.spiCat).toEqual(['health']);
    expect(receipt.piiPrincipalId).toBe('');
  });
});
