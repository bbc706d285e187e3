/**
 * Webhook signatures: HubSpot v3 (checked against an independent HMAC from node:crypto)
 * and guanxi's own scheme, with the 5-minute window, tampering, malformed headers and
 * secret rotation.
 */
import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signGuanxiWebhook, signHubSpotRequest, verifyGuanxiWebhook, verifyHubSpotSignature, webhookToleranceMs } from 'guanxi/client';

const now = Date.parse('2026-05-04T10:00:00Z');
const clock = { now: () => now };

describe('HubSpot v3 signatures', () => {
  const base = { clientSecret: 'hubspot-app-secret', method: 'POST', url: 'https://example.com/webhooks/hubspot?portal=1', body: '[{"eventId":1,"subscriptionType":"contact.creation"}]' };

  it('matches HMAC-SHA256 over method + URI + body + timestamp, base64', async () => {
    const timestamp = String(now);
    const expected = createHmac('sha256', base.clientSecret).update(`POST${base.url}${base.body}${timestamp}`).digest('base64');
    expect(await signHubSpotRequest({ ...base, timestamp })).toBe(expected);
    expect(await verifyHubSpotSignature({ ...base, signature: expected, timestamp, clock })).toEqual({ valid: true });
  });

  it('decodes the URI characters HubSpot decodes before signing', async () => {
    const timestamp = String(now);
    const expected = createHmac('sha256', base.clientSecret).update(`POSThttps://example.com/hook?a=b:c${base.body}${timestamp}`).digest('base64');
    expect(await verifyHubSpotSignature({ ...base, url: 'https://example.com/hook?a=b%3Ac', signature: expected, timestamp, clock })).toEqual({ valid: true });
  });

  it('rejects stale or future timestamps, tampered bodies, wrong secrets and malformed headers', async () => {
    const old = String(now - webhookToleranceMs - 1);
    const signature = await signHubSpotRequest({ ...base, timestamp: old });
    expect(await verifyHubSpotSignature({ ...base, signature, timestamp: old, clock })).toEqual({ valid: false, reason: 'stale_timestamp' });
    const future = String(now + webhookToleranceMs + 1);
    expect(await verifyHubSpotSignature({ ...base, signature: await signHubSpotRequest({ ...base, timestamp: future }), timestamp: future, clock })).toMatchObject({ reason: 'stale_timestamp' });
    const timestamp = String(now - 1000);
    const good = await signHubSpotRequest({ ...base, timestamp });
    expect(await verifyHubSpotSignature({ ...base, body: `${base.body} `, signature: good, timestamp, clock })).toEqual({ valid: false, reason: 'bad_signature' });
    expect(await verifyHubSpotSignature({ ...base, clientSecret: 'other', signature: good, timestamp, clock })).toMatchObject({ reason: 'bad_signature' });
    expect(await verifyHubSpotSignature({ ...base, signature: null, timestamp, clock })).toMatchObject({ reason: 'missing_signature' });
    expect(await verifyHubSpotSignature({ ...base, signature: 'not base64!', timestamp, clock })).toMatchObject({ reason: 'malformed_signature' });
    expect(await verifyHubSpotSignature({ ...base, signature: good, timestamp: 'yesterday', clock })).toMatchObject({ reason: 'malformed_signature' });
  });
});

describe('guanxi webhook signatures', () => {
  it('signs as t=<ms>,v1=<hex HMAC-SHA256(secret, "t.body")>', async () => {
    const header = await signGuanxiWebhook({ secrets: ['whsec_a'], body: '{"x":1}', timestampMs: now });
    const expected = createHmac('sha256', 'whsec_a').update(`${now}.{"x":1}`).digest('hex');
    expect(header).toBe(`t=${now},v1=${expected}`);
  });

  it('accepts any of several secrets during rotation and rejects the rest', async () => {
    const header = await signGuanxiWebhook({ secrets: ['whsec_new', 'whsec_old'], body: 'b', timestampMs: now });
    expect(await verifyGuanxiWebhook({ secrets: ['whsec_old'], body: 'b', header, clock })).toEqual({ valid: true });
    expect(await verifyGuanxiWebhook({ secrets: ['whsec_new'], body: 'b', header, clock })).toEqual({ valid: true });
    expect(await verifyGuanxiWebhook({ secrets: ['whsec_other'], body: 'b', header, clock })).toEqual({ valid: false, reason: 'bad_signature' });
    expect(await verifyGuanxiWebhook({ secrets: ['whsec_new'], body: 'b', header: `t=${now}`, clock })).toMatchObject({ reason: 'malformed_signature' });
    expect(await verifyGuanxiWebhook({ secrets: ['whsec_new'], body: 'b', header: undefined, clock })).toMatchObject({ reason: 'missing_signature' });
    const stale = await signGuanxiWebhook({ secrets: ['whsec_new'], body: 'b', timestampMs: now - webhookToleranceMs - 1 });
    expect(await verifyGuanxiWebhook({ secrets: ['whsec_new'], body: 'b', header: stale, clock })).toMatchObject({ reason: 'stale_timestamp' });
  });

  it('verifies what it signs, and no change to the body or timestamp survives (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1 }), fc.string(), fc.string({ minLength: 1 }), fc.integer({ min: -60_000, max: 60_000 }), async (secret, body, extra, skew) => {
        const header = await signGuanxiWebhook({ secrets: [secret], body, timestampMs: now + skew });
        expect(await verifyGuanxiWebhook({ secrets: [secret], body, header, clock })).toEqual({ valid: true });
        expect((await verifyGuanxiWebhook({ secrets: [secret], body: body + extra, header, clock })).valid).toBe(false);
        const shifted = header.replace(/^t=(-?\d+)/, (_, t: string) => `t=${Number(t) + 1}`);
        expect((await verifyGuanxiWebhook({ secrets: [secret], body, header: shifted, clock })).valid).toBe(false);
      }),
      { numRuns: 60 },
    );
  });
});
