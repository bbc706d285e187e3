/**
 * A profile merge walkthrough: an anonymous visitor browses the shop, logs in on the
 * app, and the CRM already knows her from a trade fair. Three sources, one person: the
 * identity graph links the observations, merges them field by field with provenance and
 * keeps the history of every change.
 *
 * Run: `npm run demo:profile` (or `npx tsx examples/profile-merge.ts`).
 */
import { z } from 'zod';
import { createIdentityGraph, createProfileModel, type IngestOutcome } from 'guanxi/profile';

const model = createProfileModel({
  traits: z.object({ plan: z.enum(['free', 'plus', 'pro']).optional(), shoeSize: z.number().optional() }),
  traitCategories: { shoeSize: 'demographic' },
  defaultRegion: 'CN',
  tiers: ['member', 'silver', 'gold'],
});

let nextId = 0;
const graph = createIdentityGraph({
  model,
  keepHistory: true,
  newProfileId: () => `profile-${++nextId}`,
  clock: { now: () => Date.parse('2026-03-02T12:00:00Z') },
});

function report(step: string, outcome: IngestOutcome): string {
  if (outcome.status !== 'applied') throw new Error(`${step}: refused (${outcome.reason})`);
  const what = outcome.created ? 'created' : outcome.mergedProfileIds.length > 0 ? `merged ${outcome.mergedProfileIds.join(', ')} into` : 'updated';
  console.log(`${step}\n  → ${what} ${outcome.profileId} (customer number ${outcome.customerNumber}), ${outcome.changes.length} change(s)`);
  return outcome.profileId;
}

console.log('guanxi profile merge walkthrough\n');

// 1. An anonymous visitor on the storefront (a cookie id, nothing else).
const visitor = report(
  '1. web: anonymous visitor anon-7f3c browses in Chinese',
  await graph.ingest({
    source: 'web',
    observedAt: '2026-03-01T09:15:00Z',
    profile: { identities: { anonymousIds: ['anon-7f3c'] }, language: 'zh', locale: 'zh-CN', traits: { plan: 'free' } },
  }),
);

// 2. The CRM already has her from a trade fair, under her email and phone.
const crm = report(
  '2. crm: record from the Shanghai trade fair (email, phone, name, tier)',
  await graph.ingest({
    source: 'crm',
    observedAt: '2026-02-20T14:00:00Z',
    profile: {
      fullName: '韩梅梅',
      givenName: 'Meimei',
      familyName: 'Han',
      emails: [{ address: ' HanMeimei@Example.CN ', label: 'work' }],
      phones: [{ number: '139 1234 5678', kind: 'mobile', preference: 'allowed' }],
      lifecycleStage: 'lead',
      tier: 'silver',
      source: 'trade-fair-2026',
      ownerId: 'staff-li',
      identities: { externalIds: { hubspot: '51234' } },
    },
  }),
);

// 3. She logs in on the app: the anonymous device becomes known, and the account's
//    verified email links her to the CRM record — three profiles become one.
const known = report(
  '3. app: login as user u-1024 on device anon-7f3c, verified email',
  await graph.ingest({
    source: 'app',
    observedAt: '2026-03-01T09:20:00Z',
    profile: {
      identities: { anonymousIds: ['anon-7f3c'], userId: 'u-1024' },
      emails: [{ address: 'hanmeimei@example.cn', verified: true, primary: true }],
      lifecycleStage: 'customer',
      traits: { plan: 'plus', shoeSize: 37 },
    },
  }),
);

console.log(`\nThe visitor (${visitor}) and the CRM record (${crm}) both resolve to ${graph.canonicalId(visitor)}; profiles in the graph: ${graph.size}`);

const profile = graph.person(known);
console.log('\nThe merged profile');
console.log(`  ${profile?.fullName} (${profile?.givenName} ${profile?.familyName}), customer number ${profile?.customerNumber}`);
console.log(`  user id ${profile?.identities?.userId}, devices ${profile?.identities?.anonymousIds?.join(', ')}, HubSpot ${profile?.identities?.externalIds?.hubspot?.join(', ')}`);
console.log(`  email ${profile?.emails?.map((email) => `${email.address}${email.verified ? ' (verified)' : ''}`).join(', ')}; phone ${profile?.phones?.map((phone) => phone.number).join(', ')}`);
console.log(`  stage ${profile?.lifecycleStage}, tier ${profile?.tier}, owner ${profile?.ownerId}, first touch ${profile?.source}`);
console.log(`  traits ${JSON.stringify(profile?.traits)}, merged profiles ${profile?.mergedProfileIds?.join(', ')}`);

console.log('\nWhere each value came from (provenance)');
const exported = graph.exportProfile(known);
for (const entry of exported?.provenance ?? []) {
  const field = entry.key === undefined ? entry.field : `${entry.field}[${entry.key}]`;
  console.log(`  ${field.padEnd(38)} ${entry.source.padEnd(4)} ${entry.observedAt}  (${entry.category})`);
}

console.log('\nHistory (every applied change, per profile; the merge copies profile-1\'s values into profile-2)');
for (const change of graph.history(known)) {
  const field = change.key === undefined ? change.field : `${change.field}[${change.key}]`;
  const show = (value: unknown) => (value === undefined ? '∅' : typeof value === 'string' ? value : JSON.stringify(value));
  console.log(`  ${change.profileId}  ${new Date(change.observedAt).toISOString()} ${change.source.padEnd(4)} ${field}: ${show(change.before)} → ${show(change.after)}`);
}

// A second person on the same device: different user ids are never merged.
const other = await graph.identify({ anonymousId: 'anon-7f3c', userId: 'u-2048', source: 'app', observedAt: '2026-03-01T20:00:00Z' });
if (other.status === 'applied') {
  console.log(`\nLi Lei logs in on the same device as u-2048 → separate profile ${other.profileId}; conflicts reported: ${other.conflicts.length} (${other.conflicts[0]?.exclusiveKind} differs, shared ${other.conflicts[0]?.sharedKinds.join(', ')})`);
}

// Erasure on request: only SHA-256 digests remain, and she is not re-created later.
const tombstone = await graph.erase(known);
console.log(`\nErased ${known}: tombstone keeps ${tombstone?.digests.length} SHA-256 digests, e.g. ${tombstone?.digests[0]?.slice(0, 16)}…`);
const comeback = await graph.ingest({ source: 'web', observedAt: '2026-03-03T10:00:00Z', profile: { emails: [{ address: 'hanmeimei@example.cn' }] } });
console.log(`A later event with her email → ${comeback.status}${comeback.status === 'refused' ? ` (${comeback.reason})` : ''}; profiles in the graph: ${graph.size}`);
