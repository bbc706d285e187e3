import { describe, expect, it } from 'vitest';
import { createIdentityGraph, createProfileModel, defaultProfileModel, redactParty, Tombstone, type IngestOutcome } from 'guanxi/profile';
import { sha256Hex, validate } from 'guanxi';

function applied(outcome: IngestOutcome) {
  if (outcome.status !== 'applied') throw new Error(`expected applied, got ${outcome.reason}`);
  return outcome;
}

const clock = { now: () => Date.parse('2026-04-01T00:00:00Z') };
const model = createProfileModel({ traitCategories: { religion: 'sensitive' } });

async function seeded() {
  const graph = createIdentityGraph({ model, clock, keepHistory: true });
  const web = applied(await graph.ingest({ source: 'web', observedAt: '2026-03-01T08:00:00Z', profile: { identities: { anonymousIds: ['anon-1'] }, language: 'zh' } }));
  await graph.identify({ anonymousId: 'anon-1', userId: 'u-1', source: 'app', observedAt: '2026-03-01T08:05:00Z', profile: { emails: [{ address: 'Ada@Example.com' }] } });
  await graph.ingest({
    source: 'crm',
    observedAt: '2026-03-02T09:00:00Z',
    profile: {
      fullName: 'Ada Lovelace',
      birthday: '1815-12-10',
      incomeBand: '100k+',
      emails: [{ address: 'ada@example.com' }],
      phones: [{ number: '+447911123456' }],
      identities: { externalIds: { hubspot: '901' } },
      traits: { religion: 'none', plan: 'pro' },
    },
  });
  return { graph, profileId: web.profileId };
}

describe('export (portability)', () => {
  it('exports fields, categories, provenance and history as JSON', async () => {
    const { graph, profileId } = await seeded();
    const data = graph.exportProfile(profileId);
    expect(data).toBeDefined();
    if (data === undefined) return;
    expect(data.format).toBe('guanxi.profile-export/1');
    expect(data.exportedAt).toBe('2026-04-01T00:00:00.000Z');
    expect(data.profile).toMatchObject({ id: profileId, fullName: 'Ada Lovelace', emails: [{ address: 'ada@example.com' }], identities: { userId: 'u-1' } });
    expect(data.categories).toMatchObject({ fullName: 'identifier', emails: 'contact', birthday: 'demographic', incomeBand: 'financial', 'traits.religion': 'sensitive', 'traits.plan': 'behavioural', 'identities.userId': 'identifier' });
    expect(data.provenance).toContainEqual({ field: 'emails', key: 'ada@example.com', category: 'contact', source: 'crm', observedAt: '2026-03-02T09:00:00.000Z' });
    expect(data.provenance).toContainEqual({ field: 'language', category: 'demographic', source: 'web', observedAt: '2026-03-01T08:00:00.000Z' });
    expect(data.history?.length).toBeGreaterThan(5);
    expect(JSON.parse(JSON.stringify(data))).toEqual(data);
    expect(graph.exportProfile('nobody')).toBeUndefined();
  });
});

describe('redaction by data category', () => {
  it('redactParty drops fields and traits of the given categories, keeping the profile id', () => {
    const party = { kind: 'person', id: 'p-1', customerNumber: 'C1', fullName: 'Ada', birthday: '1815-12-10', incomeBand: '100k+', traits: { religion: 'none', plan: 'pro' }, identities: { userId: 'u-1' } };
    expect(redactParty(party, ['sensitive', 'financial'], model)).toEqual({ kind: 'person', id: 'p-1', customerNumber: 'C1', fullName: 'Ada', birthday: '1815-12-10', traits: { plan: 'pro' }, identities: { userId: 'u-1' } });
    expect(redactParty(party, ['identifier'], defaultProfileModel)).toEqual({ kind: 'person', id: 'p-1', customerNumber: 'C1', birthday: '1815-12-10', incomeBand: '100k+', traits: { religion: 'none', plan: 'pro' } });
  });

  it('graph.redact removes values, records the change and unlinks redacted identifiers', async () => {
    const { graph, profileId } = await seeded();
    const changes = graph.redact(profileId, ['contact', 'sensitive'], { source: 'dsar-42' });
    expect(changes.map((change) => `${change.field}${change.key === undefined ? '' : `#${change.key}`}`).sort()).toEqual(['emails#ada@example.com', 'phones#+447911123456', 'traits.religion']);
    expect(changes.every((change) => change.after === undefined && change.source === 'dsar-42')).toBe(true);
    const profile = graph.person(profileId);
    expect(profile?.emails).toBeUndefined();
    expect(profile?.phones).toBeUndefined();
    expect(profile?.traits).toEqual({ plan: 'pro' });
    expect(profile?.fullName).toBe('Ada Lovelace');
    expect(graph.findProfileId('email', 'ada@example.com')).toBeUndefined();
    expect(graph.findProfileId('userId', 'u-1')).toBe(profileId);
    expect(graph.history(profileId).slice(-3).every((change) => change.source === 'dsar-42')).toBe(true);
    // A later observation may bring a value back: redaction is not erasure.
    const again = applied(await graph.ingest({ source: 'crm', observedAt: '2026-05-01T00:00:00Z', profile: { identities: { userId: 'u-1' }, emails: [{ address: 'ada@example.com' }] } }));
    expect(again.profileId).toBe(profileId);
  });
});

describe('erasure', () => {
  it('removes the profile and keeps only SHA-256 digests of its identifiers', async () => {
    const { graph, profileId } = await seeded();
    const customerNumber = graph.profile(profileId)?.customerNumber ?? '';
    const tombstone = await graph.erase(profileId);
    expect(tombstone).toBeDefined();
    if (tombstone === undefined) return;
    expect(validate(Tombstone, tombstone)).toEqual(tombstone);
    expect(tombstone.erasedAt).toBe('2026-04-01T00:00:00.000Z');
    // Digests are hex and may spell 'ada' or '901' by chance: check them by form, the rest by content.
    for (const digest of tombstone.digests) expect(digest).toMatch(/^[0-9a-f]{64}$/);
    const text = JSON.stringify({ ...tombstone, digests: [] });
    for (const secret of ['ada', 'Ada', 'u-1', 'anon-1', '901', '447911123456', profileId, customerNumber, 'Lovelace']) expect(text).not.toContain(secret);
    expect(tombstone.digests).toContain(await sha256Hex('p|e:ada@example.com'));
    expect(tombstone.digests).toContain(await sha256Hex(`id:${profileId}`));
    expect(graph.size).toBe(0);
    expect(graph.profile(profileId)).toBeUndefined();
    expect(graph.findProfileId('email', 'ada@example.com')).toBeUndefined();
    expect(graph.findByCustomerNumber(customerNumber)).toBeUndefined();
    expect(await graph.erase(profileId)).toBeUndefined();
  });

  it('refuses later observations carrying any erased identifier, so the person is not re-created', async () => {
    const { graph, profileId } = await seeded();
    await graph.erase(profileId);
    const comebacks = [
      { identities: { anonymousIds: ['anon-1'] } },
      { identities: { userId: 'u-1' } },
      { emails: [{ address: ' ADA@example.com' }] },
      { phones: [{ number: '+44 7911 123456' }] },
      { identities: { externalIds: { hubspot: '901' } } },
      { identities: { anonymousIds: ['brand-new-device', 'anon-1'] } },
    ];
    for (const profile of comebacks) {
      expect(await graph.ingest({ source: 'web', observedAt: '2026-04-02T00:00:00Z', profile })).toEqual({ status: 'refused', reason: 'erased' });
    }
    expect(await graph.ingest({ source: 'crm', observedAt: 1, profileId, profile: { fullName: 'X' } })).toEqual({ status: 'refused', reason: 'erased' });
    expect(graph.size).toBe(0);
    // Someone else is welcome.
    expect(applied(await graph.ingest({ source: 'web', observedAt: 2, profile: { emails: [{ address: 'grace@example.com' }] } })).created).toBe(true);
  });

  it('recognises stored tombstones in a new graph, with the same salt only', async () => {
    const first = createIdentityGraph({ erasureSalt: 'pepper' });
    const ada = applied(await first.ingest({ source: 'crm', observedAt: 1, profile: { emails: [{ address: 'ada@example.com' }] } }));
    const tombstone = await first.erase(ada.profileId);
    expect(tombstone?.digests).toContain(await sha256Hex('pepperp|e:ada@example.com'));
    const stored = JSON.parse(JSON.stringify(first.tombstones())) as Tombstone[];
    const restarted = createIdentityGraph({ erasureSalt: 'pepper', tombstones: stored });
    expect(await restarted.ingest({ source: 'web', observedAt: 2, profile: { emails: [{ address: 'ada@example.com' }] } })).toEqual({ status: 'refused', reason: 'erased' });
    const unsalted = createIdentityGraph({ tombstones: stored });
    expect((await unsalted.ingest({ source: 'web', observedAt: 2, profile: { emails: [{ address: 'ada@example.com' }] } })).status).toBe('applied');
  });

  it('an erasure racing with ingestion never leaves the person behind', async () => {
    const graph = createIdentityGraph();
    const ada = applied(await graph.ingest({ source: 'crm', observedAt: 1, profile: { emails: [{ address: 'ada@example.com' }] } }));
    const erasing = graph.erase(ada.profileId);
    // Arrives while the digests are being computed: attaches to the live profile, which is then erased with it.
    const during = graph.ingest({ source: 'web', observedAt: 2, profile: { emails: [{ address: 'ada@example.com' }], identities: { anonymousIds: ['late-device'] } } });
    const [tombstone, outcome] = await Promise.all([erasing, during]);
    expect(outcome.status).toBe('applied');
    expect(tombstone?.digests).toContain(await sha256Hex('p|a:late-device'));
    expect(graph.size).toBe(0);
    expect(await graph.ingest({ source: 'web', observedAt: 3, profile: { identities: { anonymousIds: ['late-device'] } } })).toEqual({ status: 'refused', reason: 'erased' });
  });
});
