/**
 * The demo's web server and the shop backend over real HTTP on 127.0.0.1: pages come
 * with their CSP, nothing outside the public folders is served, and bad requests get a
 * 4xx naming what was wrong.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveConsentPolicy } from 'guanxi/consent';
import { consentProofOf } from '../../examples/demo/shop-backend';
import { startDemo, type RunningDemo } from '../../examples/demo/start-demo';
import { HttpProblem } from '../../examples/demo/web-server';

let demo: RunningDemo;

// Starting the CRM server (embedded PGlite) and seeding takes seconds, more on a busy machine.
beforeAll(async () => {
  demo = await startDemo({ port: 0, seedSize: 60 });
}, 180_000);

afterAll(async () => {
  await demo?.close();
});

/** A GET with the path sent exactly as written (fetch would normalize `..`). */
function rawGet(url: string, path: string): Promise<number> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const outgoing = request({ hostname, port, path, method: 'GET' }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

async function post(path: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(new URL(path, demo.storefrontUrl), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('the demo web server', () => {
  it('serves the pages and their scripts, and nothing outside the public folders', async () => {
    expect((await fetch(demo.storefrontUrl)).status).toBe(200);
    expect((await fetch(new URL('/build/storefront.js', demo.storefrontUrl))).headers.get('content-type')).toContain('text/javascript');
    expect((await fetch(new URL('/dashboard/build/dashboard.js', demo.storefrontUrl))).status).toBe(200);
    for (const path of ['/../package.json', '/%2e%2e/package.json', '/dashboard/../../package.json', '/build/../../src/main.ts', '/nothing-here']) {
      expect(await rawGet(demo.storefrontUrl, path), path).toBe(404);
    }
  });

  it('tells the storefront where the collector is, and nothing secret', async () => {
    const config = (await (await fetch(new URL('/shop/api/config', demo.storefrontUrl))).json()) as Record<string, unknown>;
    expect(config.collectorOrigin).toBe(demo.crmUrl);
    expect(Object.keys(config).sort()).toEqual(['collectorOrigin', 'consentPolicy', 'jurisdiction', 'noticeVersion', 'writeKey']);
    // The page's consent gate gets the jurisdiction's policy, resolved by the backend.
    expect(config.consentPolicy).toEqual(resolveConsentPolicy(String(config.jurisdiction)));
  });

  it('rejects bad log-ins and orders with the field named', async () => {
    expect(await post('/shop/api/login', { email: 'not an email' })).toEqual({ status: 400, body: { error: 'email: expected an email address' } });
    expect(await post('/shop/api/orders', { items: [{ productId: 'p-nope', quantity: 1 }] })).toEqual({ status: 400, body: { error: 'items[0].productId: unknown product' } });
    expect(await post('/shop/api/orders', { items: [{ productId: 'p-tidal', quantity: 0 }] })).toEqual({ status: 400, body: { error: 'items[0].quantity: expected 1 to 99' } });
    expect((await post('/shop/api/orders', [])).status).toBe(400);
  });

  it('logs in a seeded customer as returning and a new address as new', async () => {
    const seeded = demo.customers[0]!;
    const returning = await post('/shop/api/login', { email: seeded.email.toUpperCase(), name: '' });
    expect(returning).toMatchObject({ status: 200, body: { userId: seeded.userId, returning: true } });
    const created = await post('/shop/api/login', { email: 'new.visitor@example.com', name: 'New Visitor' });
    expect(created).toMatchObject({ status: 200, body: { email: 'new.visitor@example.com', returning: false } });
    const again = await post('/shop/api/login', { email: 'new.visitor@example.com', name: '' });
    expect(again.body.userId).toBe(created.body.userId);
  });

  it('prices orders from the catalogue, whatever the page claims', async () => {
    const order = await post('/shop/api/orders', { items: [{ productId: 'p-tidal', quantity: 2, price: 0.01 }] });
    expect(order.status).toBe(200);
    expect(order.body.total).toBe(31.98);
  });

  it('answers unknown dashboard customers with 404', async () => {
    const response = await fetch(new URL('/dashboard/api/customers/nobody', demo.storefrontUrl));
    expect(response.status).toBe(404);
  });
});

describe('consent proof records from the storefront', () => {
  const record = {
    id: 'r-1',
    subject: { anonymousId: 'a-1' },
    purposes: [
      { purpose: 'analytics', state: 'granted', previous: 'pending', form: 'general' },
      { purpose: 'marketing', state: 'denied', previous: 'granted', form: 'general' },
    ],
    source: 'preference-centre',
    action: 'save-choices',
    notice: { version: '2026-01', sha256: 'a'.repeat(64), language: 'en' },
    jurisdiction: 'EU',
    recordedAt: Date.parse('2026-03-01T10:00:00Z'),
    libraryVersion: '0.1.0',
  };

  it('become the CRM API’s consent record input', () => {
    expect(consentProofOf({ record, userId: 'u-1' })).toEqual({
      id: 'r-1',
      subject: { userId: 'u-1', anonymousId: 'a-1' },
      purposes: { analytics: 'granted', marketing: 'denied' },
      source: 'preference-centre',
      action: 'save-choices',
      notice: { version: '2026-01', sha256: 'a'.repeat(64), language: 'en' },
      jurisdiction: 'EU',
      occurredAt: '2026-03-01T10:00:00.000Z',
      libraryVersion: '0.1.0',
    });
  });

  it('keep signal sources the CRM API does not name in the action', () => {
    expect(consentProofOf({ record: { ...record, source: 'dnt' } })).toMatchObject({ source: 'dnt', action: 'save-choices' });
    expect(consentProofOf({ record: { ...record, source: 'carrier-pigeon', action: undefined } })).toMatchObject({ source: 'api', action: 'carrier-pigeon' });
  });

  it('carry contact preferences per channel', () => {
    const withChannels = { ...record, channels: [{ channel: 'email', state: 'granted', previous: 'pending' }] };
    expect(consentProofOf({ record: withChannels }).channels).toEqual({ email: 'granted' });
  });

  it('are refused without a subject or purposes', () => {
    expect(() => consentProofOf({ record: { ...record, subject: {} } })).toThrow(HttpProblem);
    expect(() => consentProofOf({ record: { ...record, purposes: [] } })).toThrow(/no purpose changed/);
    expect(() => consentProofOf({ record: { ...record, purposes: [{ purpose: 'x', state: 'maybe' }] } })).toThrow(/record.purposes\[0\]/);
  });
});
