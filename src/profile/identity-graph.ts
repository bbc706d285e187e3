import { systemClock, type Clock } from '../core/clock';
import { GuanxiError } from '../core/errors/guanxi-error';
import { ValidationError } from '../core/errors/validation-error';
import { sha256Hex } from '../core/hash';
import { randomId } from '../core/ids';
import type { StandardSchemaV1 } from '../core/standard-schema';
import type { ChangeRecord } from './change-record';
import { IdentityConflictError, type IdentityConflict } from './identity-conflict';
import { IdentifierKind } from './identity';
import { resolveMergeOptions, type MergeOptions, type ResolvedMergeOptions } from './merge-policy';
import { flatText } from './flat-text';
import { normalizeEmail, normalizePhone } from './normalize';
import type { PartyKind } from './party-kind';
import { absorbRecord, applyObservation, createProfileRecord, profileRecordToParty, type ObservationStamp, type ProfileRecord } from './profile-record';
import { defaultProfileModel, type ObservationOf, type OrganizationOf, type PartyOf, type PersonOf, type ProfileModel } from './profile-model';
import type { Tombstone } from './tombstone';
import type { DataCategory } from './data-category';
import { exportProfileRecord, redactRecord, type ProfileExport } from './data-subject';

type AnyProfileModel = ProfileModel<StandardSchemaV1, StandardSchemaV1>;

/**
 * Options of an identity graph.
 *
 * @example
 * ```ts
 * import { createIdentityGraph, createProfileModel, type IdentityGraphOptions } from 'guanxi/profile';
 *
 * const options: IdentityGraphOptions = {
 *   model: createProfileModel({ defaultRegion: 'CN' }),
 *   strongIdentifiers: ['userId', 'externalId', 'email', 'anonymousId'], // a shared family phone does not link
 *   keepHistory: true,
 * };
 * const graph = createIdentityGraph(options);
 * ```
 */
export interface IdentityGraphOptions<M extends AnyProfileModel = ProfileModel> {
  /**
   * The profile model observations are parsed with.
   * @default defaultProfileModel
   */
  readonly model?: M;
  /**
   * Identifier kinds that link profiles: two observations sharing one of these belong to
   * the same party. Other kinds are kept on the profile and can be looked up, but never
   * link.
   * @default ['userId', 'externalId', 'registrationId', 'email', 'phone', 'anonymousId']
   */
  readonly strongIdentifiers?: readonly IdentifierKind[];
  /**
   * Identifier kinds a party has only one value of. Two profiles with different values
   * of one of these are never merged automatically: a conflict is reported instead.
   * @default ['userId']
   */
  readonly exclusiveIdentifiers?: readonly IdentifierKind[];
  /**
   * Field-level merge policies.
   * @default defaultMergeOptions
   */
  readonly merge?: MergeOptions;
  /**
   * Time source for erasure and merge records.
   * @default systemClock
   */
  readonly clock?: Clock;
  /**
   * Issues the id of a new profile.
   * @default randomId
   */
  readonly newProfileId?: () => string;
  /**
   * Issues the customer number of a new profile, on first contact, from a sequence
   * starting at 1.
   * @default (sequence) => `C${String(sequence).padStart(8, '0')}`
   */
  readonly issueCustomerNumber?: (sequence: number) => string;
  /**
   * Keep every change record in memory, per profile (`graph.history(id)`). Change
   * records are always returned by `ingest`; keep them here only if nothing else stores
   * them.
   * @default false
   */
  readonly keepHistory?: boolean;
  /**
   * Prepended to identifiers before hashing them into tombstones. A secret salt keeps
   * tombstone digests from being matched against a list of known emails by whoever
   * reads them. Changing it makes existing tombstones unrecognisable.
   * @default ''
   */
  readonly erasureSalt?: string;
  /**
   * Tombstones of profiles erased earlier (from storage), recognised from the start.
   * @default []
   */
  readonly tombstones?: readonly Tombstone[];
}

/**
 * The defaults of `IdentityGraphOptions`.
 *
 * @example
 * ```ts
 * import { defaultIdentityGraphOptions } from 'guanxi/profile';
 *
 * console.log(defaultIdentityGraphOptions.exclusiveIdentifiers); // ['userId']
 * ```
 */
export const defaultIdentityGraphOptions = /*@__PURE__*/ Object.freeze({
  model: defaultProfileModel as ProfileModel,
  strongIdentifiers: Object.freeze(['userId', 'externalId', 'registrationId', 'email', 'phone', 'anonymousId']) as readonly IdentifierKind[],
  exclusiveIdentifiers: Object.freeze(['userId']) as readonly IdentifierKind[],
  merge: Object.freeze({}) as MergeOptions,
  clock: systemClock as Clock,
  newProfileId: randomId as () => string,
  issueCustomerNumber: ((sequence: number) => `C${String(sequence).padStart(8, '0')}`) as (sequence: number) => string,
  keepHistory: false,
  erasureSalt: '',
  tombstones: Object.freeze([]) as readonly Tombstone[],
});

/**
 * `IdentityGraphOptions` with every default filled in.
 *
 * @example
 * ```ts
 * import { resolveIdentityGraphOptions } from 'guanxi/profile';
 *
 * const resolved = resolveIdentityGraphOptions({ keepHistory: true });
 * console.log(resolved.strongIdentifiers.length); // 6
 * ```
 */
export function resolveIdentityGraphOptions<M extends AnyProfileModel = ProfileModel>(
  options: IdentityGraphOptions<M> = {},
): Readonly<Required<IdentityGraphOptions<M>>> {
  const issues: { path: (string | number)[]; code: string; message: string }[] = [];
  for (const field of ['strongIdentifiers', 'exclusiveIdentifiers'] as const) {
    options[field]?.forEach((kind, index) => {
      if (!IdentifierKind.options.includes(kind)) issues.push({ path: [field, index], code: 'invalid_identifier_kind', message: `Unknown identifier kind "${String(kind)}"` });
    });
  }
  if (issues.length > 0) throw new ValidationError(issues, 'identity graph options');
  return Object.freeze({
    model: options.model ?? (defaultIdentityGraphOptions.model as unknown as M),
    strongIdentifiers: options.strongIdentifiers ?? defaultIdentityGraphOptions.strongIdentifiers,
    exclusiveIdentifiers: options.exclusiveIdentifiers ?? defaultIdentityGraphOptions.exclusiveIdentifiers,
    merge: options.merge ?? defaultIdentityGraphOptions.merge,
    clock: options.clock ?? defaultIdentityGraphOptions.clock,
    newProfileId: options.newProfileId ?? defaultIdentityGraphOptions.newProfileId,
    issueCustomerNumber: options.issueCustomerNumber ?? defaultIdentityGraphOptions.issueCustomerNumber,
    keepHistory: options.keepHistory ?? defaultIdentityGraphOptions.keepHistory,
    erasureSalt: options.erasureSalt ?? defaultIdentityGraphOptions.erasureSalt,
    tombstones: options.tombstones ?? defaultIdentityGraphOptions.tombstones,
  });
}

/**
 * A resolved profile: the party's fields plus the graph's `id`, `customerNumber` and the
 * ids of profiles merged into it. `P` narrows it to the person or organization type.
 *
 * @example
 * ```ts
 * import { createIdentityGraph, type ResolvedProfile } from 'guanxi/profile';
 *
 * const graph = createIdentityGraph();
 * const show = (profile: ResolvedProfile) => `${profile.customerNumber}: ${profile.kind}`;
 * ```
 */
export type ResolvedProfile<M extends AnyProfileModel = ProfileModel, P = PartyOf<M>> = P & {
  readonly id: string;
  readonly customerNumber: string;
  readonly mergedProfileIds?: readonly string[];
};

/**
 * What ingesting one observation did.
 *
 * - `applied`: the observation was merged into `profileId` (created now if `created`),
 *   merging the profiles in `mergedProfileIds` into it; `changes` lists every field that
 *   changed; `conflicts` lists profiles it would have linked but did not.
 * - `refused`: nothing was stored. `reason` is `erased` (an identifier belongs to an
 *   erased person), `unknown_profile` (the `profileId` is not in the graph) or
 *   `kind_mismatch` (the `profileId` is a party of the other kind).
 *
 * @example
 * ```ts
 * import { createIdentityGraph, type IngestOutcome } from 'guanxi/profile';
 *
 * const graph = createIdentityGraph();
 * const outcome: IngestOutcome = await graph.ingest({ source: 'web', observedAt: 0, profile: { identities: { anonymousIds: ['a-1'] } } });
 * if (outcome.status === 'applied') console.log(outcome.created); // true
 * ```
 */
export type IngestOutcome =
  | {
      readonly status: 'applied';
      readonly profileId: string;
      readonly customerNumber: string;
      readonly created: boolean;
      readonly mergedProfileIds: readonly string[];
      readonly changes: readonly ChangeRecord[];
      readonly conflicts: readonly IdentityConflict[];
    }
  | { readonly status: 'refused'; readonly reason: 'erased' | 'unknown_profile' | 'kind_mismatch' };

/**
 * What a profile merge did: the surviving profile and the changes applied to it.
 *
 * @example
 * ```ts
 * import type { ProfileMergeOutcome } from 'guanxi/profile';
 *
 * const report = (outcome: ProfileMergeOutcome) => `${outcome.profileId}: ${outcome.changes.length} changes`;
 * ```
 */
export interface ProfileMergeOutcome {
  readonly profileId: string;
  readonly mergedProfileIds: readonly string[];
  readonly changes: readonly ChangeRecord[];
}

/**
 * Links profiles that share a strong identifier and merges them field by field with
 * provenance. Anonymous visitors become known on `identify` and `alias`; different user
 * ids are never merged automatically (a conflict is reported); erased people are
 * recognised from tombstones and never re-created.
 *
 * Identifier lookups are hash-map reads and profile merges use union–find, so ingestion
 * costs a few map operations per identifier (see docs/benchmarks.md).
 *
 * @example
 * ```ts
 * import { createIdentityGraph } from 'guanxi/profile';
 *
 * const graph = createIdentityGraph({ keepHistory: true });
 * await graph.ingest({ source: 'web', observedAt: '2026-03-01T08:00:00Z', profile: { identities: { anonymousIds: ['anon-1'] }, language: 'zh' } });
 * const known = await graph.identify({ anonymousId: 'anon-1', userId: 'u-42', traits: { plan: 'pro' }, source: 'app', observedAt: '2026-03-01T08:05:00Z' });
 * if (known.status === 'applied') console.log(graph.profile(known.profileId)?.identities?.userId); // 'u-42'
 * ```
 */
export interface IdentityGraph<M extends AnyProfileModel = ProfileModel> {
  /** The model observations are parsed with. */
  readonly model: M;
  /** Number of live profiles. */
  readonly size: number;
  /** Parses an observation with the model (throws `ValidationError` listing every issue) and ingests it. */
  ingest(input: unknown): Promise<IngestOutcome>;
  /**
   * Ingests an observation already parsed by the model (`model.parseObservation`), for
   * pipelines that validate at the edge. Skips validation, so pass only parsed values.
   */
  ingestParsed(observation: ObservationOf<M>): Promise<IngestOutcome>;
  /**
   * Ingests parsed observations in order, with one promise for the batch (a collector's
   * batch, an import): the fastest way in.
   */
  ingestParsedBatch(observations: readonly ObservationOf<M>[]): Promise<IngestOutcome[]>;
  /** Links an anonymous id to a user id (and records traits): the visitor becomes known. */
  identify(input: IdentifyInput): Promise<IngestOutcome>;
  /**
   * Declares that `previousId` (an anonymous id or user id) and the new id are the same
   * party. Chains of aliases link every id in them.
   */
  alias(input: AliasInput): Promise<IngestOutcome>;
  /** The resolved profile, by its id or the id of any profile merged into it. */
  profile(profileId: string): ResolvedProfile<M> | undefined;
  /** The resolved profile if it is a person (`undefined` for organizations and unknown ids). */
  person(profileId: string): ResolvedProfile<M, PersonOf<M>> | undefined;
  /** The resolved profile if it is an organization. */
  organization(profileId: string): ResolvedProfile<M, OrganizationOf<M>> | undefined;
  /** The profile with provenance of every field (for audits and exports). */
  record(profileId: string): ProfileRecord | undefined;
  /** The current id of a profile (follows merges), or `undefined` when unknown or erased. */
  canonicalId(profileId: string): string | undefined;
  /** Finds a profile by identifier; emails and phones are normalized first (phones with the model's region). */
  findProfileId(kind: IdentifierKind, value: string, options?: FindProfileOptions): string | undefined;
  /** Finds a profile by customer number. */
  findByCustomerNumber(customerNumber: string): string | undefined;
  /** Ids of every live profile. */
  profileIds(): IterableIterator<string>;
  /** Change records kept for a profile (with `keepHistory: true`), oldest first. */
  history(profileId: string): readonly ChangeRecord[];
  /** Conflicts waiting for a decision. */
  conflicts(): readonly IdentityConflict[];
  /** Decides a conflict: merge the two profiles anyway, or keep them apart (and stop reporting the pair). */
  resolveConflict(conflictId: string, resolution: 'merge' | 'keep-separate'): ProfileMergeOutcome | undefined;
  /**
   * Merges two profiles (duplicates found by staff). Throws `IdentityConflictError` when
   * they carry different exclusive identifiers, unless `force`.
   */
  mergeProfiles(profileId: string, otherProfileId: string, options?: { readonly force?: boolean; readonly source?: string }): ProfileMergeOutcome;
  /**
   * Erases a profile: removes every value and index entry and keeps a tombstone of
   * SHA-256 digests of its identifiers, so later observations carrying any of them are
   * refused.
   */
  erase(profileId: string): Promise<Tombstone | undefined>;
  /** Every tombstone, for storage. */
  tombstones(): readonly Tombstone[];
  /**
   * Exports a profile for its data subject (portability): the fields, the provenance and
   * category of every value, and the history when kept.
   */
  exportProfile(profileId: string): ProfileExport | undefined;
  /**
   * Removes every value of the given data categories from a profile and unlinks the
   * identifiers among them (a redacted email no longer finds the profile). The profile's
   * id and customer number stay; later observations may add values again (use `erase` to
   * forget a person for good). Returns a change record per removed value.
   */
  redact(profileId: string, categories: readonly DataCategory[], options?: { readonly source?: string }): readonly ChangeRecord[];
}

/**
 * Options of `graph.findProfileId`.
 *
 * @example
 * ```ts
 * import { createIdentityGraph, type FindProfileOptions } from 'guanxi/profile';
 *
 * const graph = createIdentityGraph();
 * const options: FindProfileOptions = { system: 'hubspot' };
 * graph.findProfileId('externalId', '901', options);
 * ```
 */
export interface FindProfileOptions {
  /**
   * Party kind to search.
   * @default 'person'
   */
  readonly partyKind?: PartyKind;
  /**
   * The external system, for `externalId`.
   * @default undefined
   */
  readonly system?: string;
}

/**
 * Input of `graph.identify`.
 *
 * @example
 * ```ts
 * import type { IdentifyInput } from 'guanxi/profile';
 *
 * const login: IdentifyInput = { anonymousId: 'anon-1', userId: 'u-42', traits: { plan: 'pro' }, source: 'app', observedAt: Date.now() };
 * ```
 */
export interface IdentifyInput {
  readonly userId: string;
  readonly anonymousId?: string;
  /** Person fields to record with it (e.g. `{ emails: [...] }`). */
  readonly profile?: Record<string, unknown>;
  /** Custom traits to record with it. */
  readonly traits?: Record<string, unknown>;
  readonly source: string;
  /** ms since the epoch or ISO 8601. */
  readonly observedAt: number | string;
}

/**
 * Input of `graph.alias`: `previousId` (an anonymous id or a user id) is the same party
 * as the new `userId` or `anonymousId`.
 *
 * @example
 * ```ts
 * import type { AliasInput } from 'guanxi/profile';
 *
 * const merge: AliasInput = { previousId: 'anon-phone', userId: 'u-42', source: 'app', observedAt: Date.now() };
 * ```
 */
export interface AliasInput {
  readonly previousId: string;
  readonly userId?: string;
  readonly anonymousId?: string;
  readonly source: string;
  readonly observedAt: number | string;
}

interface ProfileNode {
  readonly index: number;
  readonly id: string;
  readonly customerNumber: string;
  readonly sequence: number;
  readonly record: ProfileRecord;
  mergedIds: string[] | undefined;
  /** Customer numbers of the profiles merged into this one. */
  mergedCustomerNumbers: string[] | undefined;
  /**
   * Identifiers recorded for this profile, flat: kind number, value, kind number, value…
   * (values are the strings of the observation, shared with the record and the index).
   */
  identifiers: (number | string)[];
  history: ChangeRecord[] | undefined;
}

// Identifier kinds by number, strongest first: the order in which an observation's
// identifiers choose the profile it belongs to.
const kindByNumber: readonly IdentifierKind[] = ['userId', 'externalId', 'registrationId', 'email', 'phone', 'anonymousId'];
const kindCount = kindByNumber.length;
const numberOfKind: Readonly<Record<IdentifierKind, number>> = { userId: 0, externalId: 1, registrationId: 2, email: 3, phone: 4, anonymousId: 5 };
const kindCodes: readonly string[] = ['u', 'x', 'r', 'e', 't', 'a'];

/** The profile field each identifier kind is stored in. */
const fieldOfKind: Readonly<Record<IdentifierKind, string>> = {
  userId: 'identities.userId',
  externalId: 'identities.externalIds',
  registrationId: 'registrationId',
  email: 'emails',
  phone: 'phones',
  anonymousId: 'identities.anonymousIds',
};

/**
 * The text hashed into tombstones: `p|e:ada@example.com` — party kind, identifier kind
 * and value, so that equal strings of different kinds never match.
 */
function identifierText(party: PartyKind, kind: number, value: string): string {
  return `${party === 'organization' ? 'o' : 'p'}|${kindCodes[kind] as string}:${value}`;
}

/** Identifiers of an observed party, flat (kind number, value), strongest kind first. */
function collectIdentifiers(party: Record<string, unknown>): (number | string)[] {
  const found: (number | string)[] = [];
  const identities = party.identities as { userId?: string; anonymousIds?: string[]; externalIds?: Record<string, string[]> } | undefined;
  if (identities?.userId !== undefined) found.push(0, identities.userId);
  const external = identities?.externalIds;
  if (external !== undefined) {
    for (const system of Object.keys(external)) for (const id of external[system] ?? []) found.push(1, `${system}:${id}`);
  }
  if (typeof party.registrationId === 'string') found.push(2, party.registrationId);
  const emails = party.emails as { address: string }[] | undefined;
  if (emails !== undefined) for (const email of emails) found.push(3, email.address);
  const phones = party.phones as { number: string }[] | undefined;
  if (phones !== undefined) for (const phone of phones) found.push(4, phone.number);
  const anonymous = identities?.anonymousIds;
  if (anonymous !== undefined) for (const id of anonymous) found.push(5, id);
  return found;
}

function hasIdentifier(identifiers: readonly (number | string)[], kind: number, value: string): boolean {
  for (let i = 0; i < identifiers.length; i += 2) if (identifiers[i] === kind && identifiers[i + 1] === value) return true;
  return false;
}

/** Whether the flat identifier list has (kind, value) before position `end`. */
function occursBefore(identifiers: readonly (number | string)[], end: number, kind: number, value: string): boolean {
  for (let i = 0; i < end; i += 2) if (identifiers[i] === kind && identifiers[i + 1] === value) return true;
  return false;
}

/**
 * The exclusive kind on which two identifier lists disagree: both have values of it and
 * share none. `mask` has bit k set for each exclusive kind number k.
 */
function conflictingKind(a: readonly (number | string)[], b: readonly (number | string)[], mask: number): IdentifierKind | undefined {
  for (let i = 0; i < a.length; i += 2) {
    const kind = a[i] as number;
    if ((mask & (1 << kind)) === 0) continue;
    let theirs = false;
    let shared = false;
    for (let j = 0; j < b.length; j += 2) {
      if (b[j] !== kind) continue;
      theirs = true;
      if (hasIdentifier(a, kind, b[j + 1] as string)) {
        shared = true;
        break;
      }
    }
    if (theirs && !shared) return kindByNumber[kind];
  }
  return undefined;
}

/** Appends the exclusive identifiers of `from` missing in `into`. */
function addExclusive(into: (number | string)[], from: readonly (number | string)[], mask: number): void {
  for (let i = 0; i < from.length; i += 2) {
    const kind = from[i] as number;
    if ((mask & (1 << kind)) !== 0 && !hasIdentifier(into, kind, from[i + 1] as string)) into.push(kind, from[i + 1] as string);
  }
}

class InMemoryIdentityGraph<M extends AnyProfileModel> implements IdentityGraph<M> {
  readonly model: M;
  /** Bit k set: identifier kind number k links profiles. */
  private readonly strongMask: number;
  /** Bit k set: a profile has one value of kind k; different values never merge automatically. */
  private readonly exclusiveMask: number;
  private readonly merge: ResolvedMergeOptions;
  private readonly clock: Clock;
  private readonly newProfileId: () => string;
  private readonly issueCustomerNumber: (sequence: number) => string;
  private readonly keepHistory: boolean;
  private readonly erasureSalt: string;

  private nodes: (ProfileNode | undefined)[] = [];
  /** Union–find parents over node indexes (a root is its own parent). */
  private parent = new Int32Array(1024);
  private count = 0;
  private live = 0;
  private sequence = 0;
  /**
   * One map per party kind and identifier kind (person kinds 0–5, organization kinds
   * 6–11): identifier value → node index, possibly merged away (follow `find`). Keys are
   * the observation's own strings, so the index costs no string copies.
   */
  private readonly indexes: Map<string, number>[] = Array.from({ length: 2 * kindCount }, () => new Map<string, number>());
  /**
   * Profile id → node index and customer number → node index, built on first lookup and
   * kept up to date from then on. Bulk ingestion never looks profiles up by id, and two
   * more maps of hundreds of thousands of keys, grown and rehashed as profiles are
   * created, cost as much as resolving an observation's identifiers.
   */
  private idIndexBuilt: Map<string, number> | undefined;
  private customerNumberIndexBuilt: Map<string, number> | undefined;
  private readonly sources = new Map<string, string>();
  private readonly pending = new Map<string, IdentityConflict>();
  private readonly dismissed = new Set<string>();
  private readonly erasedDigests = new Set<string>();
  private readonly tombstoneList: Tombstone[] = [];
  /** Lookup answers of the identifiers of the observation being applied (reused, never shrunk). */
  private knownScratch = new Int32Array(16);
  /** Bumped by every erasure, so an ingest that hashed before an erasure finished re-checks. */
  private erasures = 0;

  constructor(options: IdentityGraphOptions<M>) {
    const resolved = resolveIdentityGraphOptions(options);
    this.model = resolved.model;
    this.strongMask = resolved.strongIdentifiers.reduce((mask, kind) => mask | (1 << numberOfKind[kind]), 0);
    this.exclusiveMask = resolved.exclusiveIdentifiers.reduce((mask, kind) => mask | (1 << numberOfKind[kind]), 0);
    this.merge = resolveMergeOptions(resolved.merge);
    this.clock = resolved.clock;
    this.newProfileId = resolved.newProfileId;
    this.issueCustomerNumber = resolved.issueCustomerNumber;
    this.keepHistory = resolved.keepHistory;
    this.erasureSalt = resolved.erasureSalt;
    for (const tombstone of resolved.tombstones) this.addTombstone(tombstone);
  }

  get size(): number {
    return this.live;
  }

  ingest(input: unknown): Promise<IngestOutcome> {
    let observation: ObservationOf<M>;
    try {
      observation = this.model.parseObservation(input) as ObservationOf<M>;
    } catch (error) {
      return Promise.reject(error);
    }
    return this.ingestParsed(observation);
  }

  ingestParsed(observation: ObservationOf<M>): Promise<IngestOutcome> {
    try {
      const party = this.checkParsed(observation);
      const identifiers = collectIdentifiers(party);
      // Without tombstones nothing needs hashing: apply at once, no asynchronous step.
      if (this.erasedDigests.size === 0) return Promise.resolve(this.apply(observation, party, identifiers));
      return this.screenThenApply(observation, party, identifiers);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  async ingestParsedBatch(observations: readonly ObservationOf<M>[]): Promise<IngestOutcome[]> {
    const outcomes: IngestOutcome[] = [];
    for (const observation of observations) {
      const party = this.checkParsed(observation);
      const identifiers = collectIdentifiers(party);
      outcomes.push(this.erasedDigests.size === 0 ? this.apply(observation, party, identifiers) : await this.screenThenApply(observation, party, identifiers));
    }
    return outcomes;
  }

  private checkParsed(observation: ObservationOf<M>): Record<string, unknown> {
    const party = observation?.profile as unknown as Record<string, unknown>;
    if (typeof observation?.source !== 'string' || !Number.isFinite(observation.observedAt) || typeof party !== 'object' || party === null) {
      throw new ValidationError([{ path: [], code: 'invalid_observation', message: 'Expected a parsed observation ({ source, observedAt, profile })' }], 'observation');
    }
    return party;
  }

  private async screenThenApply(observation: ObservationOf<M>, party: Record<string, unknown>, identifiers: (number | string)[]): Promise<IngestOutcome> {
    // Hashing is asynchronous (WebCrypto); if an erasure completes meanwhile, check again.
    for (;;) {
      const erasuresBefore = this.erasures;
      if (await this.isErased(party, identifiers, observation.profileId)) return { status: 'refused', reason: 'erased' };
      if (erasuresBefore === this.erasures) break;
    }
    return this.apply(observation, party, identifiers);
  }

  async identify(input: IdentifyInput): Promise<IngestOutcome> {
    const identities: Record<string, unknown> = { userId: input.userId };
    if (input.anonymousId !== undefined) identities.anonymousIds = [input.anonymousId];
    const profile: Record<string, unknown> = { ...(input.profile ?? {}), kind: 'person', identities };
    if (input.traits !== undefined) profile.traits = input.traits;
    return this.ingest({ source: input.source, observedAt: input.observedAt, profile });
  }

  async alias(input: AliasInput): Promise<IngestOutcome> {
    const previousIsUser = this.indexOf('person', 0).has(input.previousId);
    if (previousIsUser && input.userId !== undefined && input.userId !== input.previousId) {
      // Two user ids: a merge of two accounts, decided like any other (conflict unless resolved).
      const observation = this.model.parseObservation({ source: input.source, observedAt: input.observedAt, profile: { identities: { userId: input.previousId } } });
      const first = await this.ingestParsed(observation as ObservationOf<M>);
      if (first.status !== 'applied') return first;
      const second = await this.ingest({ source: input.source, observedAt: input.observedAt, profile: { identities: { userId: input.userId } } });
      if (second.status !== 'applied' || second.profileId === first.profileId) return second;
      const stamp = { source: this.intern(observation.source), observedAt: observation.observedAt };
      const a = this.rootOf(first.profileId);
      const b = this.rootOf(second.profileId);
      if (a === undefined || b === undefined) return second;
      const conflict = this.registerConflict(a, b, 'userId', ['userId'], stamp);
      return { ...second, conflicts: conflict === undefined ? [] : [conflict] };
    }
    const identities: Record<string, unknown> = {};
    const anonymousIds = previousIsUser ? [] : [input.previousId];
    if (previousIsUser) identities.userId = input.previousId;
    if (input.anonymousId !== undefined) anonymousIds.push(input.anonymousId);
    if (input.userId !== undefined && !previousIsUser) identities.userId = input.userId;
    if (anonymousIds.length > 0) identities.anonymousIds = anonymousIds;
    return this.ingest({ source: input.source, observedAt: input.observedAt, profile: { kind: 'person', identities } });
  }

  profile(profileId: string): ResolvedProfile<M> | undefined {
    const node = this.nodeOf(profileId);
    if (node === undefined) return undefined;
    const party = profileRecordToParty(node.record);
    party.id = node.id;
    party.customerNumber = node.customerNumber;
    if (node.mergedIds !== undefined) party.mergedProfileIds = [...node.mergedIds].sort();
    return party as ResolvedProfile<M>;
  }

  person(profileId: string): ResolvedProfile<M, PersonOf<M>> | undefined {
    const node = this.nodeOf(profileId);
    return node?.record.kind === 'person' ? (this.profile(profileId) as ResolvedProfile<M, PersonOf<M>>) : undefined;
  }

  organization(profileId: string): ResolvedProfile<M, OrganizationOf<M>> | undefined {
    const node = this.nodeOf(profileId);
    return node?.record.kind === 'organization' ? (this.profile(profileId) as ResolvedProfile<M, OrganizationOf<M>>) : undefined;
  }

  record(profileId: string): ProfileRecord | undefined {
    return this.nodeOf(profileId)?.record;
  }

  canonicalId(profileId: string): string | undefined {
    return this.nodeOf(profileId)?.id;
  }

  findProfileId(kind: IdentifierKind, value: string, options: FindProfileOptions = {}): string | undefined {
    let normalized = value;
    if (kind === 'email') {
      const email = normalizeEmail(value);
      if (!email.ok) return undefined;
      normalized = email.value;
    } else if (kind === 'phone') {
      const phone = normalizePhone(value, { defaultRegion: this.model.options.defaultRegion });
      if (!phone.ok) return undefined;
      normalized = phone.value;
    } else if (kind === 'externalId') {
      if (options.system === undefined) return undefined;
      normalized = `${options.system}:${value}`;
    }
    const number = numberOfKind[kind];
    if (number === undefined) return undefined;
    const index = this.indexOf(options.partyKind ?? 'person', number).get(normalized);
    if (index === undefined) return undefined;
    return this.nodes[this.find(index)]?.id;
  }

  findByCustomerNumber(customerNumber: string): string | undefined {
    const index = this.customerNumberIndex().get(customerNumber);
    return index === undefined ? undefined : this.nodes[this.find(index)]?.id;
  }

  *profileIds(): IterableIterator<string> {
    for (const node of this.nodes) if (node !== undefined) yield node.id;
  }

  history(profileId: string): readonly ChangeRecord[] {
    return this.nodeOf(profileId)?.history ?? [];
  }

  conflicts(): readonly IdentityConflict[] {
    return [...this.pending.values()];
  }

  resolveConflict(conflictId: string, resolution: 'merge' | 'keep-separate'): ProfileMergeOutcome | undefined {
    const conflict = this.pending.get(conflictId);
    if (conflict === undefined) throw new GuanxiError(`No pending identity conflict "${conflictId}"`, 'unknown_conflict');
    this.pending.delete(conflictId);
    if (resolution === 'keep-separate') {
      this.dismissed.add(conflictId);
      return undefined;
    }
    const [a, b] = conflict.profileIds;
    if (this.rootOf(a) === undefined || this.rootOf(b) === undefined) return undefined;
    return this.mergeProfiles(a, b, { force: true, source: conflict.source });
  }

  mergeProfiles(profileId: string, otherProfileId: string, options: { readonly force?: boolean; readonly source?: string } = {}): ProfileMergeOutcome {
    const a = this.rootOf(profileId);
    const b = this.rootOf(otherProfileId);
    if (a === undefined || b === undefined) {
      throw new GuanxiError(`Unknown profile ${a === undefined ? profileId : otherProfileId}`, 'unknown_profile');
    }
    const first = this.nodes[a] as ProfileNode;
    if (a === b) return { profileId: first.id, mergedProfileIds: [], changes: [] };
    const second = this.nodes[b] as ProfileNode;
    const stamp = { source: this.intern(options.source ?? 'identity-graph'), observedAt: this.clock.now() };
    if (first.record.kind !== second.record.kind) {
      throw new GuanxiError('Cannot merge a person with an organization', 'party_kind_mismatch');
    }
    const kind = conflictingKind(first.identifiers, second.identifiers, this.exclusiveMask);
    if (kind !== undefined && options.force !== true) {
      throw new IdentityConflictError(this.describeConflict(first, second, kind, [], stamp));
    }
    const survivor = this.older(first, second);
    const absorbed = survivor === first ? second : first;
    const changes: ChangeRecord[] = [];
    this.absorb(survivor, absorbed, stamp, changes);
    this.keep(survivor, changes);
    return { profileId: survivor.id, mergedProfileIds: [absorbed.id], changes };
  }

  async erase(profileId: string): Promise<Tombstone | undefined> {
    const digests = new Map<string, string>();
    // Hashing awaits; the profile may gain identifiers or be merged meanwhile, so hash
    // until every identifier of the (current) profile has a digest.
    for (;;) {
      const node = this.nodeOf(profileId);
      if (node === undefined) return undefined;
      const texts = this.erasableTexts(node).filter((text) => !digests.has(text));
      if (texts.length === 0) {
        return this.removeErased(node, [...new Set(digests.values())].sort());
      }
      const hashed = await Promise.all(texts.map((text) => sha256Hex(this.erasureSalt + text)));
      texts.forEach((text, index) => digests.set(text, hashed[index] as string));
    }
  }

  tombstones(): readonly Tombstone[] {
    return [...this.tombstoneList];
  }

  exportProfile(profileId: string): ProfileExport | undefined {
    const node = this.nodeOf(profileId);
    if (node === undefined) return undefined;
    const system: Record<string, unknown> = { id: node.id, customerNumber: node.customerNumber };
    if (node.mergedIds !== undefined) system.mergedProfileIds = [...node.mergedIds].sort();
    return exportProfileRecord(node.record, this.model, {
      exportedAt: this.clock.now(),
      system,
      ...(node.history === undefined ? {} : { history: [...node.history] }),
    });
  }

  redact(profileId: string, categories: readonly DataCategory[], options: { readonly source?: string } = {}): readonly ChangeRecord[] {
    const node = this.nodeOf(profileId);
    if (node === undefined) throw new GuanxiError(`Unknown profile ${profileId}`, 'unknown_profile');
    const stamp = { source: this.intern(options.source ?? 'redaction'), observedAt: this.clock.now() };
    const changes = redactRecord(node.record, categories, this.model, node.id, stamp);
    const drop = new Set(categories);
    const kept: (number | string)[] = [];
    for (let i = 0; i < node.identifiers.length; i += 2) {
      const kind = node.identifiers[i] as number;
      const value = node.identifiers[i + 1] as string;
      const category = this.model.categoryOf(fieldOfKind[kindByNumber[kind] as IdentifierKind]);
      if (category === undefined || !drop.has(category)) {
        kept.push(kind, value);
        continue;
      }
      const index = this.indexOf(node.record.kind, kind);
      const at = index.get(value);
      if (at !== undefined && this.find(at) === node.index) index.delete(value);
    }
    node.identifiers = kept;
    this.keep(node, changes);
    return changes;
  }

  // ——— internals ———

  private indexOf(party: PartyKind, kind: number): Map<string, number> {
    return this.indexes[(party === 'organization' ? kindCount : 0) + kind] as Map<string, number>;
  }

  private intern(source: string): string {
    const known = this.sources.get(source);
    if (known !== undefined) return known;
    this.sources.set(source, source);
    return source;
  }

  /**
   * Every id a live profile answers to (its own and those of the profiles merged into
   * it) → its node index. Erased profiles are absent from `nodes`, so their ids are not
   * found, as after an eager deletion.
   */
  private idIndex(): Map<string, number> {
    if (this.idIndexBuilt !== undefined) return this.idIndexBuilt;
    const index = new Map<string, number>();
    for (const node of this.nodes) {
      if (node === undefined) continue;
      index.set(node.id, node.index);
      for (const id of node.mergedIds ?? []) index.set(id, node.index);
    }
    this.idIndexBuilt = index;
    return index;
  }

  private customerNumberIndex(): Map<string, number> {
    if (this.customerNumberIndexBuilt !== undefined) return this.customerNumberIndexBuilt;
    const index = new Map<string, number>();
    for (const node of this.nodes) {
      if (node === undefined) continue;
      index.set(node.customerNumber, node.index);
      for (const number of node.mergedCustomerNumbers ?? []) index.set(number, node.index);
    }
    this.customerNumberIndexBuilt = index;
    return index;
  }

  private find(index: number): number {
    const parent = this.parent;
    let current = index;
    while (parent[current] !== current) {
      const grand = parent[parent[current] as number] as number;
      parent[current] = grand; // path halving
      current = grand;
    }
    return current;
  }

  private rootOf(profileId: string): number | undefined {
    const index = this.idIndex().get(profileId);
    if (index === undefined) return undefined;
    const root = this.find(index);
    return this.nodes[root] === undefined ? undefined : root;
  }

  private nodeOf(profileId: string): ProfileNode | undefined {
    const root = this.rootOf(profileId);
    return root === undefined ? undefined : this.nodes[root];
  }

  private createNode(kind: PartyKind): ProfileNode {
    const index = this.count++;
    if (index >= this.parent.length) {
      const grown = new Int32Array(this.parent.length * 2);
      grown.set(this.parent);
      this.parent = grown;
    }
    this.parent[index] = index;
    const sequence = ++this.sequence;
    const node: ProfileNode = {
      index,
      id: flatText(this.newProfileId()),
      customerNumber: flatText(this.issueCustomerNumber(sequence)),
      sequence,
      record: createProfileRecord(kind),
      mergedIds: undefined,
      mergedCustomerNumbers: undefined,
      identifiers: [],
      history: undefined,
    };
    this.nodes.push(node);
    this.idIndexBuilt?.set(node.id, index);
    this.customerNumberIndexBuilt?.set(node.customerNumber, index);
    this.live++;
    return node;
  }

  /** Of two profiles, the one seen first (then the one created first): it keeps its id and customer number. */
  private older(a: ProfileNode, b: ProfileNode): ProfileNode {
    if (a.record.firstSeenAt !== b.record.firstSeenAt) return a.record.firstSeenAt < b.record.firstSeenAt ? a : b;
    return a.sequence <= b.sequence ? a : b;
  }

  private absorb(survivor: ProfileNode, absorbed: ProfileNode, stamp: ObservationStamp, changes: ChangeRecord[]): void {
    absorbRecord(survivor.record, absorbed.record, this.merge, changes, survivor.id);
    this.parent[absorbed.index] = survivor.index;
    survivor.mergedIds = union(union(survivor.mergedIds, [absorbed.id]), absorbed.mergedIds);
    survivor.mergedCustomerNumbers = union(union(survivor.mergedCustomerNumbers, [absorbed.customerNumber]), absorbed.mergedCustomerNumbers);
    for (const item of absorbed.identifiers) survivor.identifiers.push(item);
    if (absorbed.history !== undefined) survivor.history = [...(survivor.history ?? []), ...absorbed.history];
    changes.push({ profileId: survivor.id, field: 'mergedProfileIds', key: absorbed.id, before: undefined, after: absorbed.id, source: stamp.source, observedAt: stamp.observedAt });
    this.nodes[absorbed.index] = undefined;
    this.live--;
  }

  private keep(node: ProfileNode, changes: readonly ChangeRecord[]): void {
    if (!this.keepHistory || changes.length === 0) return;
    node.history ??= [];
    for (const change of changes) node.history.push(change);
  }

  private describeConflict(a: ProfileNode, b: ProfileNode, exclusiveKind: IdentifierKind, sharedKinds: readonly IdentifierKind[], stamp: ObservationStamp): IdentityConflict {
    const ids = [a.id, b.id].sort() as [string, string];
    return { id: `${ids[0]}~${ids[1]}`, profileIds: ids, exclusiveKind, sharedKinds: [...sharedKinds], source: stamp.source, observedAt: stamp.observedAt };
  }

  private registerConflict(a: number, b: number, exclusiveKind: IdentifierKind, sharedKinds: readonly IdentifierKind[], stamp: ObservationStamp): IdentityConflict | undefined {
    const conflict = this.describeConflict(this.nodes[a] as ProfileNode, this.nodes[b] as ProfileNode, exclusiveKind, sharedKinds, stamp);
    if (this.dismissed.has(conflict.id)) return undefined;
    const known = this.pending.get(conflict.id);
    if (known !== undefined) return known;
    this.pending.set(conflict.id, conflict);
    return conflict;
  }

  private apply(observation: ObservationOf<M>, party: Record<string, unknown>, identifiers: readonly (number | string)[]): IngestOutcome {
    const stamp: ObservationStamp = { source: this.intern(observation.source), observedAt: observation.observedAt };
    const kind: PartyKind = party.kind === 'organization' ? 'organization' : 'person';
    const base = kind === 'organization' ? kindCount : 0;
    // Profiles the observation points at, strongest identifier first; `matched[i]` has
    // bit k set when identifier kind k led to root i.
    let roots: number[] | undefined;
    let matched: number[] | undefined;
    if (observation.profileId !== undefined) {
      const root = this.rootOf(observation.profileId);
      if (root === undefined) return { status: 'refused', reason: 'unknown_profile' };
      if ((this.nodes[root] as ProfileNode).record.kind !== kind) return { status: 'refused', reason: 'kind_mismatch' };
      roots = [root];
      matched = [0];
    }
    let exclusive: (number | string)[] | undefined;
    // Each identifier is looked up once; the registration loop below reuses the answer
    // (lookups in maps of hundreds of thousands of keys are cache misses).
    const known = identifiers.length <= this.knownScratch.length ? this.knownScratch : (this.knownScratch = new Int32Array(identifiers.length * 2));
    for (let i = 0; i < identifiers.length; i += 2) {
      const identifierKind = identifiers[i] as number;
      const bit = 1 << identifierKind;
      if ((this.exclusiveMask & bit) !== 0) (exclusive ??= []).push(identifierKind, identifiers[i + 1] as string);
      const index = (this.indexes[base + identifierKind] as Map<string, number>).get(identifiers[i + 1] as string);
      known[i] = index ?? -1;
      if (index === undefined || (this.strongMask & bit) === 0) continue;
      const root = this.find(index);
      if (this.nodes[root] === undefined) continue;
      if (roots === undefined || matched === undefined) {
        roots = [root];
        matched = [bit];
        continue;
      }
      const position = roots.indexOf(root);
      if (position === -1) {
        roots.push(root);
        matched.push(bit);
      } else {
        matched[position] = (matched[position] as number) | bit;
      }
    }
    let survivor: ProfileNode | undefined;
    let compatible: ProfileNode[] | undefined;
    let conflicting: number[] | undefined;
    if (roots !== undefined) {
      // The exclusive identifiers of the observation and of the profiles accepted so far;
      // copied only when a second profile has to be checked against it.
      let accumulated: readonly (number | string)[] = exclusive ?? noIdentifiers;
      for (let position = 0; position < roots.length; position++) {
        const node = this.nodes[roots[position] as number] as ProfileNode;
        if (this.exclusiveMask !== 0 && conflictingKind(accumulated, node.identifiers, this.exclusiveMask) !== undefined) {
          (conflicting ??= []).push(position);
          continue;
        }
        (compatible ??= []).push(node);
        survivor = survivor === undefined ? node : this.older(survivor, node);
        if (this.exclusiveMask !== 0 && position < roots.length - 1) {
          const grown = [...accumulated];
          addExclusive(grown, node.identifiers, this.exclusiveMask);
          accumulated = grown;
        }
      }
    }
    const created = survivor === undefined;
    if (survivor === undefined) survivor = this.createNode(kind);
    const changes: ChangeRecord[] = [];
    let mergedProfileIds: readonly string[] = noProfileIds;
    if (compatible !== undefined && compatible.length > 1) {
      const merged: string[] = [];
      for (const node of compatible) {
        if (node === survivor) continue;
        this.absorb(survivor, node, stamp, changes);
        merged.push(node.id);
      }
      mergedProfileIds = merged;
    }
    for (let i = 0; i < identifiers.length; i += 2) {
      const identifierKind = identifiers[i] as number;
      const value = identifiers[i + 1] as string;
      const index = this.indexes[base + identifierKind] as Map<string, number>;
      // Unknown at lookup and not registered by an earlier identical identifier of this
      // observation (scanning the observation's few identifiers is cheaper than a second
      // lookup in a map of hundreds of thousands of keys).
      if (known[i] === -1 && !occursBefore(identifiers, i, identifierKind, value)) {
        const kept = flatText(value);
        index.set(kept, survivor.index);
        survivor.identifiers.push(identifierKind, kept);
      } else if ((this.exclusiveMask & (1 << identifierKind)) !== 0 && !hasIdentifier(survivor.identifiers, identifierKind, value)) {
        // An exclusive identifier owned elsewhere (accepted after a forced merge) still belongs to this profile.
        survivor.identifiers.push(identifierKind, value);
      }
    }
    applyObservation(survivor.record, party, stamp, this.merge, changes, survivor.id);
    this.keep(survivor, changes);
    let conflicts: IdentityConflict[] = noConflicts;
    if (conflicting !== undefined) {
      conflicts = [];
      for (const position of conflicting) {
        const root = (roots as number[])[position] as number;
        if (this.nodes[root] === undefined) continue;
        const exclusiveKind = conflictingKind(survivor.identifiers, (this.nodes[root] as ProfileNode).identifiers, this.exclusiveMask) ?? 'userId';
        const conflict = this.registerConflict(survivor.index, root, exclusiveKind, kindsOfMask((matched as number[])[position] as number), stamp);
        if (conflict !== undefined) conflicts.push(conflict);
      }
    }
    return { status: 'applied', profileId: survivor.id, customerNumber: survivor.customerNumber, created, mergedProfileIds, changes, conflicts };
  }

  private erasableTexts(node: ProfileNode): string[] {
    const texts: string[] = [];
    for (let i = 0; i < node.identifiers.length; i += 2) texts.push(identifierText(node.record.kind, node.identifiers[i] as number, node.identifiers[i + 1] as string));
    texts.push(`id:${node.id}`, `cn:${node.customerNumber}`);
    for (const id of node.mergedIds ?? []) texts.push(`id:${id}`);
    for (const number of node.mergedCustomerNumbers ?? []) texts.push(`cn:${number}`);
    return texts;
  }

  private removeErased(node: ProfileNode, digests: string[]): Tombstone {
    for (let i = 0; i < node.identifiers.length; i += 2) {
      const index = this.indexOf(node.record.kind, node.identifiers[i] as number);
      const value = node.identifiers[i + 1] as string;
      const at = index.get(value);
      if (at !== undefined && this.find(at) === node.index) index.delete(value);
    }
    for (const id of [node.id, ...(node.mergedIds ?? [])]) this.idIndexBuilt?.delete(id);
    for (const number of [node.customerNumber, ...(node.mergedCustomerNumbers ?? [])]) this.customerNumberIndexBuilt?.delete(number);
    for (const [id, conflict] of this.pending) {
      if (conflict.profileIds.some((profileId) => this.rootOf(profileId) === node.index)) this.pending.delete(id);
    }
    this.nodes[node.index] = undefined;
    this.live--;
    const tombstone: Tombstone = { erasedAt: new Date(this.clock.now()).toISOString(), algorithm: 'sha-256', digests };
    this.addTombstone(tombstone);
    this.erasures++;
    return tombstone;
  }

  private addTombstone(tombstone: Tombstone): void {
    this.tombstoneList.push(tombstone);
    for (const digest of tombstone.digests) this.erasedDigests.add(digest);
  }

  private async isErased(party: Record<string, unknown>, identifiers: readonly (number | string)[], profileId: string | undefined): Promise<boolean> {
    // Identifiers in the index belong to live profiles, so only unseen ones need hashing.
    const kind: PartyKind = party.kind === 'organization' ? 'organization' : 'person';
    const unseen: string[] = [];
    for (let i = 0; i < identifiers.length; i += 2) {
      const value = identifiers[i + 1] as string;
      const at = this.indexOf(kind, identifiers[i] as number).get(value);
      if (at === undefined || this.nodes[this.find(at)] === undefined) unseen.push(identifierText(kind, identifiers[i] as number, value));
    }
    if (profileId !== undefined && !this.idIndex().has(profileId)) unseen.push(`id:${profileId}`);
    if (unseen.length === 0) return false;
    const digests = await Promise.all(unseen.map((text) => sha256Hex(this.erasureSalt + text)));
    return digests.some((digest) => this.erasedDigests.has(digest));
  }
}

const noConflicts: IdentityConflict[] = [];
const noIdentifiers: readonly (number | string)[] = Object.freeze([]);
const noProfileIds: readonly string[] = Object.freeze([]);

function kindsOfMask(mask: number): IdentifierKind[] {
  return kindByNumber.filter((_, kind) => (mask & (1 << kind)) !== 0);
}

function union(a: string[] | undefined, b: readonly string[] | undefined): string[] | undefined {
  if (b === undefined || b.length === 0) return a;
  if (a === undefined || a.length === 0) return [...b];
  const merged = [...a];
  for (const value of b) if (!merged.includes(value)) merged.push(value);
  return merged;
}

/**
 * Creates an in-memory identity graph.
 *
 * @example
 * ```ts
 * import { createIdentityGraph } from 'guanxi/profile';
 *
 * const graph = createIdentityGraph();
 * const visit = await graph.ingest({ source: 'web', observedAt: 1, profile: { identities: { anonymousIds: ['anon-1'] } } });
 * const login = await graph.identify({ anonymousId: 'anon-1', userId: 'u-1', source: 'web', observedAt: 2 });
 * if (visit.status === 'applied' && login.status === 'applied') console.log(visit.profileId === login.profileId); // true
 * ```
 */
export function createIdentityGraph<M extends AnyProfileModel = ProfileModel>(options: IdentityGraphOptions<M> = {}): IdentityGraph<M> {
  return new InMemoryIdentityGraph<M>(options);
}
