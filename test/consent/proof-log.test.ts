import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canonicalJson,
  consentLogGenesisHash,
  consentRecordHash,
  createConsentLog,
  verifyConsentLog,
  type ConsentRecord,
  type ConsentRecordDraft,
} from 'guanxi/consent';

function draft(n: number): ConsentRecordDraft {
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    recordedAt: Date.parse('2026-03-01T00:00:00Z') + n * 1000,
    subject: n % 2 === 0 ? { anonymousId: 'anon-1' } : { anonymousId: 'anon-1', userId: 'u-1' },
    jurisdiction: 'EU',
    purposes: [{ purpose: 'analytics', state: n % 3 === 0 ? 'denied' : 'granted', previous: 'pending', form: 'general' }],
    channels: n % 4 === 0 ? [{ channel: 'email', state: 'granted', previous: 'pending' }] : [],
    notice: { version: 'v1', sha256: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad', language: 'en' },
    source: 'banner',
    action: 'save-choices',
    libraryVersion: '0.1.0',
  };
}

async function chain(length: number) {
  const log = createConsentLog();
  for (let n = 0; n < length; n++) await log.append(draft(n));
  return { records: log.records() as ConsentRecord[], head: log.head() };
}

const kinds = async (records: readonly unknown[], anchor?: { length: number; hash: string }) =>
  [...new Set((await verifyConsentLog(records, anchor)).problems.map((problem) => problem.kind))];

describe('canonical JSON', () => {
  it('sorts keys at every level and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: undefined, c: [1, { z: 1, y: 2 }] } })).toBe('{"a":{"c":[1,{"y":2,"z":1}]},"b":1}');
  });

  it('is independent of key insertion order', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (object) => {
        const reversed = Object.fromEntries(Object.entries(object).reverse());
        expect(canonicalJson(reversed)).toBe(canonicalJson(object));
      }),
    );
  });
});

describe('hash-chained consent log', () => {
  it('chains records: sequence, link to the previous hash, hash of the content', async () => {
    const { records, head } = await chain(3);
    expect(records.map((r) => r.sequence)).toEqual([0, 1, 2]);
    expect(records[0]?.previousHash).toBe(consentLogGenesisHash);
    expect(records[1]?.previousHash).toBe(records[0]?.hash);
    expect(await consentRecordHash(records[2]!)).toBe(records[2]?.hash);
    expect(head).toEqual({ length: 3, hash: records[2]?.hash });
    expect(await verifyConsentLog(records, head)).toEqual({ valid: true, problems: [], head });
  });

  it('appends in call order even when called concurrently', async () => {
    const log = createConsentLog();
    await Promise.all([0, 1, 2, 3, 4].map((n) => log.append(draft(n))));
    expect(log.records().map((r) => r.id)).toEqual([0, 1, 2, 3, 4].map((n) => draft(n).id));
    expect((await verifyConsentLog(log.records())).valid).toBe(true);
  });

  it('an empty log verifies against an empty anchor', async () => {
    expect((await verifyConsentLog([], { length: 0, hash: consentLogGenesisHash })).valid).toBe(true);
  });

  it('detects an altered record (content changed, hash kept)', async () => {
    const { records, head } = await chain(5);
    const tampered = records.map((r) => ({ ...r }));
    tampered[2] = { ...tampered[2]!, purposes: [{ purpose: 'analytics', state: 'granted', previous: 'denied', form: 'general' }] };
    const result = await verifyConsentLog(tampered, head);
    expect(result.valid).toBe(false);
    expect(result.problems[0]).toMatchObject({ kind: 'altered', index: 2, sequence: 2 });
  });

  it('detects an altered record whose hash was recomputed (the next link breaks)', async () => {
    const { records, head } = await chain(5);
    const changed = { ...records[2]!, recordedAt: records[2]!.recordedAt + 1 };
    const resealed = { ...changed, hash: await consentRecordHash(changed) };
    const tampered = [...records.slice(0, 2), resealed, ...records.slice(3)];
    const result = await verifyConsentLog(tampered, head);
    expect(result.problems).toEqual([expect.objectContaining({ kind: 'altered', index: 3 })]);
  });

  it('detects a removed record (first, middle)', async () => {
    const { records, head } = await chain(5);
    expect(await kinds([...records.slice(0, 2), ...records.slice(3)], head)).toContain('removed');
    expect(await kinds(records.slice(1), head)).toContain('removed');
    const middle = await verifyConsentLog([...records.slice(0, 2), ...records.slice(3)]);
    expect(middle.problems[0]).toMatchObject({ kind: 'removed', index: 2, sequence: 3 });
  });

  it('detects reordered records', async () => {
    const { records, head } = await chain(5);
    const swapped = [records[0]!, records[2]!, records[1]!, records[3]!, records[4]!];
    expect(await kinds(swapped, head)).toContain('reordered');
    const duplicated = [...records.slice(0, 3), records[1]!, ...records.slice(3)];
    expect(await kinds(duplicated)).toContain('reordered');
  });

  it('detects truncation against an anchor, and says it cannot without one', async () => {
    const { records, head } = await chain(5);
    const cut = records.slice(0, 3);
    expect((await verifyConsentLog(cut)).valid).toBe(true); // indistinguishable without an anchor
    const result = await verifyConsentLog(cut, head);
    expect(result.problems).toEqual([expect.objectContaining({ kind: 'truncated' })]);
    expect((await verifyConsentLog([], head)).problems[0]?.kind).toBe('truncated');
  });

  it('detects a log cut and rewritten to its old length (a forged tail)', async () => {
    const { records, head } = await chain(4);
    const forged = createConsentLog({ records: records.slice(0, 3) });
    await forged.append({ ...draft(99) });
    const result = await verifyConsentLog(forged.records(), head);
    expect(result.valid).toBe(false);
    expect(result.problems[0]?.kind).toBe('altered');
  });

  it('accepts a log that grew after the anchor was taken', async () => {
    const log = createConsentLog();
    for (let n = 0; n < 3; n++) await log.append(draft(n));
    const anchor = log.head();
    await log.append(draft(3));
    expect((await verifyConsentLog(log.records(), anchor)).valid).toBe(true);
  });

  it('reports malformed records with their index instead of throwing', async () => {
    const { records } = await chain(3);
    const result = await verifyConsentLog([records[0], { hello: 'world' }, records[2], null]);
    expect(result.problems.filter((p) => p.kind === 'malformed').map((p) => p.index)).toEqual([1, 3]);
  });

  it('property: any single alteration, removal, swap or truncation is detected', async () => {
    const { records, head } = await chain(8);
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('alter' as const), index: fc.nat(7), at: fc.integer({ min: 1, max: 10_000 }) }),
      fc.record({ kind: fc.constant('remove' as const), index: fc.nat(7) }),
      fc.record({ kind: fc.constant('swap' as const), index: fc.nat(6) }),
      fc.record({ kind: fc.constant('truncate' as const), index: fc.nat(7) }),
    );
    await fc.assert(
      fc.asyncProperty(mutation, async (m) => {
        let mutated: ConsentRecord[] = records.slice();
        if (m.kind === 'alter') mutated[m.index] = { ...mutated[m.index]!, recordedAt: mutated[m.index]!.recordedAt + m.at };
        if (m.kind === 'remove') mutated.splice(m.index, 1);
        if (m.kind === 'swap') mutated = [...mutated.slice(0, m.index), mutated[m.index + 1]!, mutated[m.index]!, ...mutated.slice(m.index + 2)];
        if (m.kind === 'truncate') mutated = mutated.slice(0, m.index);
        expect((await verifyConsentLog(mutated, head)).valid).toBe(false);
      }),
      { numRuns: 100 },
    );
  });
});
