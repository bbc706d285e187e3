import { describe, expect, it } from 'vitest';
import {
  createConsentRegister,
  encodeConsentToken,
  evaluateConsentRequest,
  filterConsentedEvents,
  type ConsentRequestEvaluation,
} from 'guanxi/consent';
import { startTestServer } from '../support/http-server';

const notice = { version: 'v1', text: 'Notice', language: 'en' };
const now = Date.parse('2026-03-01T00:00:00Z');
const clock = { now: () => now };
const choice = (state: 'granted' | 'denied', extra = {}) => ({ state, at: now - 1000, noticeVersion: 'v1', form: 'general' as const, source: 'banner' as const, ...extra });

describe('evaluateConsentRequest', () => {
  it('without a token: the jurisdiction’s defaults', () => {
    const eu = evaluateConsentRequest({ headers: {} }, { jurisdiction: 'EU', clock });
    expect(eu).toMatchObject({ jurisdiction: 'EU', token: 'absent', globalPrivacyControl: false });
    expect(eu.decide(['analytics'])).toBe('pending');
    expect(eu.decide(['necessary'])).toBe('granted');
    const ca = evaluateConsentRequest({ headers: {} }, { jurisdiction: 'US-CA', clock });
    expect(ca.decide(['analytics', 'advertising'])).toBe('granted');
  });

  it('Sec-GPC: 1 opts out of sale/sharing and advertising, and says which to record as proof', () => {
    const result = evaluateConsentRequest({ headers: { 'Sec-GPC': '1' } }, { jurisdiction: 'US-CA', clock });
    expect(result.globalPrivacyControl).toBe(true);
    expect(result.states).toMatchObject({ advertising: 'denied', 'sale-sharing': 'denied', analytics: 'granted' });
    expect(result.optedOutBySignal).toEqual(['advertising', 'sale-sharing']);
    expect(evaluateConsentRequest({ headers: new Headers({ 'sec-gpc': '1' }) }, { jurisdiction: 'US-CA' }).states.advertising).toBe('denied');
    expect(evaluateConsentRequest({ headers: { 'sec-gpc': '0' } }, { jurisdiction: 'US-CA' }).states.advertising).toBe('granted');
    expect(evaluateConsentRequest({ headers: { 'sec-gpc': '1' } }, { jurisdiction: 'US-CA', honourGlobalPrivacyControl: false }).states.advertising).toBe('granted');
  });

  it('reads the register’s token from the cookie or the header', async () => {
    const register = createConsentRegister({ jurisdiction: 'EU', notice, clock, globalPrivacyControl: () => false });
    await register.update({ purposes: { analytics: 'granted', marketing: 'denied' } });
    const cookie = `theme=dark; guanxi_consent=${encodeURIComponent(register.token())}; other=1`;
    const viaCookie = evaluateConsentRequest({ headers: { cookie } }, { clock, noticeVersion: 'v1' });
    expect(viaCookie).toMatchObject({ token: 'valid', jurisdiction: 'EU' });
    expect(viaCookie.states).toMatchObject({ analytics: 'granted', marketing: 'denied', advertising: 'pending' });
    const viaHeader = evaluateConsentRequest({ headers: { 'X-Guanxi-Consent': register.token() } }, { clock });
    expect(viaHeader.states.analytics).toBe('granted');
  });

  it('applies the same policy: a grant under an old notice has lapsed', () => {
    const token = encodeConsentToken({ purposes: { analytics: choice('granted') }, channels: {}, jurisdiction: 'EU' });
    expect(evaluateConsentRequest({ headers: {}, token }, { clock, noticeVersion: 'v2' }).states.analytics).toBe('pending');
    expect(evaluateConsentRequest({ headers: {}, token }, { clock, noticeVersion: 'v1' }).states.analytics).toBe('granted');
  });

  it('a grant made despite GPC holds when the header is on', () => {
    const token = encodeConsentToken({ purposes: { advertising: choice('granted', { despiteGpc: true }) }, channels: {} });
    const result = evaluateConsentRequest({ headers: { 'sec-gpc': '1' }, token }, { jurisdiction: 'US-CA', clock });
    expect(result.states).toMatchObject({ advertising: 'granted', 'sale-sharing': 'denied' });
  });

  it('an unreadable token is reported and ignored, never thrown', () => {
    for (const token of ['%%%', 'bm90IGpzb24', btoa('{"v":2}')]) {
      const result = evaluateConsentRequest({ headers: { 'x-guanxi-consent': token } }, { jurisdiction: 'EU' });
      expect(result.token).toBe('invalid');
      expect(result.tokenError).toMatchObject({ name: 'ConsentSignalError', reason: 'bad_token', signal: 'token' });
      expect(result.decide(['analytics'])).toBe('pending');
    }
  });

  it('reads the jurisdiction from CDN geolocation headers, then the token', () => {
    expect(evaluateConsentRequest({ headers: { 'cf-ipcountry': 'FR' } }).jurisdiction).toBe('EU');
    expect(evaluateConsentRequest({ headers: { 'x-vercel-ip-country': 'US', 'x-vercel-ip-country-region': 'CA' } }).jurisdiction).toBe('US-CA');
    expect(evaluateConsentRequest({ headers: { 'cloudfront-viewer-country': 'US', 'cloudfront-viewer-country-region': 'TX' } }).jurisdiction).toBe('US');
    expect(evaluateConsentRequest({ headers: { 'cf-ipcountry': 'XX' } }).jurisdiction).toBe('default');
    const token = encodeConsentToken({ purposes: {}, channels: {}, jurisdiction: 'CN' });
    expect(evaluateConsentRequest({ headers: {}, token }).jurisdiction).toBe('CN');
    expect(evaluateConsentRequest({ headers: { 'cf-ipcountry': 'GB' } }, { jurisdiction: () => 'US-CA' }).jurisdiction).toBe('US-CA');
  });
});

describe('filterConsentedEvents', () => {
  const evaluation = (states: Record<string, 'granted' | 'denied' | 'pending' | 'objected'>): Pick<ConsentRequestEvaluation, 'decide' | 'states'> => ({
    states,
    decide: (purposes) => (purposes.some((p) => states[p] !== 'granted' && states[p] !== 'pending') ? 'denied' : purposes.some((p) => states[p] === 'pending') ? 'pending' : 'granted'),
  });

  it('accepts only events whose purposes are granted now and were granted at capture', () => {
    const events = [
      { messageId: 'a', type: 'track', context: { consent: { required: ['analytics'], purposes: { analytics: 'granted' } } } },
      { messageId: 'b', type: 'track', context: { consent: { required: ['advertising'], purposes: { advertising: 'granted' } } } },
      { messageId: 'c', type: 'track', context: { consent: { required: ['analytics'], purposes: { analytics: 'pending' } } } },
      { messageId: 'd', type: 'page' },
      { messageId: 'e', type: 'track', context: { consent: { required: ['marketing'] } } },
    ];
    const result = filterConsentedEvents(events, evaluation({ analytics: 'granted', advertising: 'denied', marketing: 'pending' }));
    expect(result.accepted.map((e) => e.messageId)).toEqual(['a', 'd']);
    expect(result.rejected.map((r) => [r.event.messageId, r.reason, r.purposes, r.index])).toEqual([
      ['b', 'consent', ['advertising'], 1],
      ['c', 'consent', ['analytics'], 2],
      ['e', 'consent-pending', ['marketing'], 4],
    ]);
  });

  it('lets the caller say which purposes an event needs', () => {
    const events = [{ type: 'track', event: 'Ad Clicked' }, { type: 'track', event: 'Viewed' }];
    const result = filterConsentedEvents(events, evaluation({ analytics: 'granted', advertising: 'denied' }), {
      purposesOf: (e) => (e.event === 'Ad Clicked' ? ['analytics', 'advertising'] : undefined),
    });
    expect(result.accepted).toEqual([events[1]]);
  });

  it('filters a batch posted to a real collector on 127.0.0.1 before anything is written', async () => {
    const server = await startTestServer();
    const written: string[] = [];
    server.handler = (request, response, body) => {
      const consent = evaluateConsentRequest({ headers: request.headers }, { jurisdiction: 'US-CA' });
      const batch = (JSON.parse(body.toString('utf8')) as { batch: { messageId: string; type: string; context?: unknown }[] }).batch;
      const { accepted, rejected } = filterConsentedEvents(batch, consent);
      written.push(...accepted.map((event) => event.messageId));
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ accepted: accepted.length, rejected: rejected.length }));
    };
    try {
      const batch = {
        batch: [
          { messageId: 'm1', type: 'track', context: { consent: { required: ['analytics'], purposes: { analytics: 'granted' } } } },
          { messageId: 'm2', type: 'track', context: { consent: { required: ['advertising'], purposes: { advertising: 'granted' } } } },
        ],
      };
      const response = await fetch(`${server.origin}/v1/batch`, { method: 'POST', headers: { 'content-type': 'text/plain', 'sec-gpc': '1' }, body: JSON.stringify(batch) });
      expect(await response.json()).toEqual({ accepted: 1, rejected: 1 });
      expect(written).toEqual(['m1']);
    } finally {
      await server.close();
    }
  });
});
