import * as z from 'zod/mini';
import type { StandardSchemaV1 } from '../core/standard-schema';
import { safeValidate, validate, type ValidationResult } from '../core/validate';
import { profileFieldCategories, type DataCategory } from './data-category';
import { buildOrganizationSchema } from './organization';
import { buildPersonSchema } from './person';
import { buildObservationSchema, type Observation } from './observation';
import { createFastPath } from './observation-fast-path';
import { resolvePhoneNormalizationOptions } from './normalize';
import { defaultRelationshipTypes, type RelationshipTypeRegistry } from './relationship';
import { defineProfileTierLadder, type ProfileTierLadder } from './tier';
import { AnyTraits } from './traits';
import type { PartyKind } from './party-kind';

/**
 * Options of a profile model: the custom trait schemas, how traits are classified, the
 * default phone region, the tier ladder and the relationship types.
 *
 * @example
 * ```ts
 * import { z } from 'zod';
 * import { createProfileModel, type ProfileModelOptions } from 'guanxi/profile';
 *
 * const Traits = z.object({ plan: z.enum(['free', 'pro']), religion: z.optional(z.string()) });
 * const options: ProfileModelOptions<typeof Traits> = {
 *   traits: Traits,
 *   traitCategories: { religion: 'sensitive' },
 *   defaultRegion: 'CN',
 *   tiers: ['bronze', 'silver', 'gold'],
 * };
 * const model = createProfileModel(options);
 * ```
 */
export interface ProfileModelOptions<
  TPersonTraits extends StandardSchemaV1 = typeof AnyTraits,
  TOrganizationTraits extends StandardSchemaV1 = typeof AnyTraits,
> {
  /**
   * Schema of a person's custom traits: any Standard Schema (zod, valibot, arktype…).
   * Parsed profiles carry its output type.
   * @default AnyTraits (any JSON object)
   */
  readonly traits?: TPersonTraits;
  /**
   * Schema of an organization's custom traits.
   * @default AnyTraits (any JSON object)
   */
  readonly organizationTraits?: TOrganizationTraits;
  /**
   * Data category of each top-level trait key, so consent, export and redaction treat
   * custom traits like built-in fields. Mark health, religion, biometrics… `sensitive`.
   * @default {}
   */
  readonly traitCategories?: Readonly<Record<string, DataCategory>>;
  /**
   * Category of trait keys missing from `traitCategories`.
   * @default 'behavioural'
   */
  readonly defaultTraitCategory?: DataCategory;
  /**
   * Region assumed for phone numbers without a country code (ISO 3166-1 alpha-2).
   * @default undefined (numbers must be international)
   */
  readonly defaultRegion?: string;
  /**
   * The tier ladder, lowest first (names, or steps with a `tier` name such as a
   * `guanxi/scoring` ladder); `tier` values must be on it.
   * @default undefined (any tier name)
   */
  readonly tiers?: ProfileTierLadder | readonly (string | { readonly tier: string })[];
  /**
   * Relationship types allowed in `relationships`.
   * @default defaultRelationshipTypes
   */
  readonly relationshipTypes?: RelationshipTypeRegistry;
}

/**
 * The defaults of `ProfileModelOptions`.
 *
 * @example
 * ```ts
 * import { defaultProfileModelOptions } from 'guanxi/profile';
 *
 * console.log(defaultProfileModelOptions.defaultTraitCategory); // 'behavioural'
 * ```
 */
export const defaultProfileModelOptions = /*@__PURE__*/ Object.freeze({
  traits: AnyTraits,
  organizationTraits: AnyTraits,
  traitCategories: Object.freeze({}) as Readonly<Record<string, DataCategory>>,
  defaultTraitCategory: 'behavioural' as DataCategory,
  defaultRegion: undefined as string | undefined,
  tiers: undefined as ProfileTierLadder | undefined,
  relationshipTypes: defaultRelationshipTypes as RelationshipTypeRegistry,
});

/**
 * `ProfileModelOptions` with every default filled in and the tier ladder built.
 *
 * @example
 * ```ts
 * import type { ResolvedProfileModelOptions } from 'guanxi/profile';
 *
 * declare const resolved: ResolvedProfileModelOptions;
 * console.log(resolved.tiers?.tiers);
 * ```
 */
export interface ResolvedProfileModelOptions<
  TPersonTraits extends StandardSchemaV1 = typeof AnyTraits,
  TOrganizationTraits extends StandardSchemaV1 = typeof AnyTraits,
> {
  readonly traits: TPersonTraits;
  readonly organizationTraits: TOrganizationTraits;
  readonly traitCategories: Readonly<Record<string, DataCategory>>;
  readonly defaultTraitCategory: DataCategory;
  readonly defaultRegion: string | undefined;
  readonly tiers: ProfileTierLadder | undefined;
  readonly relationshipTypes: RelationshipTypeRegistry;
}

/**
 * Fills unset profile model options with the defaults (and builds the tier ladder from a
 * list of names).
 *
 * @example
 * ```ts
 * import { resolveProfileModelOptions } from 'guanxi/profile';
 *
 * const resolved = resolveProfileModelOptions({ tiers: ['standard', 'vip'] });
 * console.log(resolved.tiers?.rank('vip')); // 1
 * ```
 */
export function resolveProfileModelOptions<
  TPersonTraits extends StandardSchemaV1 = typeof AnyTraits,
  TOrganizationTraits extends StandardSchemaV1 = typeof AnyTraits,
>(options: ProfileModelOptions<TPersonTraits, TOrganizationTraits> = {}): ResolvedProfileModelOptions<TPersonTraits, TOrganizationTraits> {
  const tiers = options.tiers === undefined ? undefined : 'rank' in options.tiers ? options.tiers : defineProfileTierLadder(options.tiers as readonly (string | { readonly tier: string })[]);
  const traitCategories: Record<string, DataCategory> = Object.create(null) as Record<string, DataCategory>;
  for (const [key, category] of Object.entries(options.traitCategories ?? {})) traitCategories[key] = category;
  return Object.freeze({
    traits: (options.traits ?? defaultProfileModelOptions.traits) as TPersonTraits,
    organizationTraits: (options.organizationTraits ?? defaultProfileModelOptions.organizationTraits) as TOrganizationTraits,
    traitCategories: Object.freeze(traitCategories),
    defaultTraitCategory: options.defaultTraitCategory ?? defaultProfileModelOptions.defaultTraitCategory,
    defaultRegion: resolvePhoneNormalizationOptions({ defaultRegion: options.defaultRegion }).defaultRegion,
    tiers,
    relationshipTypes: options.relationshipTypes ?? defaultProfileModelOptions.relationshipTypes,
  });
}

interface PartyRuleInput {
  readonly kind: PartyKind;
  readonly tier?: string | undefined;
  readonly relationships?: readonly { readonly type: string; readonly to: { readonly kind: PartyKind } }[] | undefined;
}

/** Rules that depend on the model's configuration: the tier ladder and the relationship registry. */
function partyRules(options: ResolvedProfileModelOptions<StandardSchemaV1, StandardSchemaV1>) {
  // `when` makes the rules run even when other fields have issues, so one parse reports
  // every problem; the rules therefore read the value defensively.
  return z.check<PartyRuleInput>((payload) => {
    const party = payload.value;
    if (typeof party !== 'object' || party === null) return;
    if (typeof party.tier === 'string' && options.tiers !== undefined && !options.tiers.has(party.tier)) {
      payload.issues.push({
        code: 'invalid_tier' as 'custom',
        message: `Tier "${party.tier}" is not on the ladder (${options.tiers.tiers.join(', ')})`,
        input: undefined,
        path: ['tier'],
      });
    }
    if (!Array.isArray(party.relationships)) return;
    party.relationships.forEach((relationship, index) => {
      if (typeof relationship?.type !== 'string' || typeof relationship.to?.kind !== 'string') return;
      const definition = Object.hasOwn(options.relationshipTypes, relationship.type) ? options.relationshipTypes[relationship.type] : undefined;
      if (definition === undefined) {
        payload.issues.push({ code: 'unknown_relationship_type' as 'custom', message: `Unknown relationship type "${relationship.type}"`, input: undefined, path: ['relationships', index, 'type'] });
      } else if (!definition.from.includes(party.kind) || !definition.to.includes(relationship.to.kind)) {
        payload.issues.push({
          code: 'invalid_relationship' as 'custom',
          message: `A "${relationship.type}" relationship goes from ${definition.from.join(' or ')} to ${definition.to.join(' or ')}`,
          input: undefined,
          path: ['relationships', index],
        });
      }
    });
  }, { when: (payload) => typeof payload.value === 'object' && payload.value !== null });
}

function createModelSchemas<TPersonTraits extends StandardSchemaV1, TOrganizationTraits extends StandardSchemaV1>(
  options: ResolvedProfileModelOptions<TPersonTraits, TOrganizationTraits>,
) {
  const phone = { defaultRegion: options.defaultRegion };
  const rules = partyRules(options);
  const Person = buildPersonSchema(options.traits, phone).check(rules);
  const Organization = buildOrganizationSchema(options.organizationTraits, phone).check(rules);
  const Observation = buildObservationSchema(Person, Organization);
  return { Person, Organization, Observation };
}

type ModelSchemas<TPersonTraits extends StandardSchemaV1, TOrganizationTraits extends StandardSchemaV1> = ReturnType<
  typeof createModelSchemas<TPersonTraits, TOrganizationTraits>
>;

/**
 * A profile model: the person and organization schemas of one CRM (with its custom
 * traits, phone region, tiers and relationship types) and typed parsers.
 *
 * @example
 * ```ts
 * import { createProfileModel, type ProfileModel } from 'guanxi/profile';
 *
 * const model: ProfileModel = createProfileModel();
 * const ada = model.parsePerson({ givenName: 'Ada', emails: [{ address: 'ADA@example.com' }] });
 * ```
 */
export interface ProfileModel<
  TPersonTraits extends StandardSchemaV1 = typeof AnyTraits,
  TOrganizationTraits extends StandardSchemaV1 = typeof AnyTraits,
> {
  /** The person schema (zod/mini; also a Standard Schema). */
  readonly Person: ModelSchemas<TPersonTraits, TOrganizationTraits>['Person'];
  /** The organization schema (zod/mini; also a Standard Schema). */
  readonly Organization: ModelSchemas<TPersonTraits, TOrganizationTraits>['Organization'];
  /** The observation schema: `{ source, observedAt, profileId?, profile }`. */
  readonly Observation: ModelSchemas<TPersonTraits, TOrganizationTraits>['Observation'];
  /** The resolved options the model was built with. */
  readonly options: ResolvedProfileModelOptions<TPersonTraits, TOrganizationTraits>;
  /** Parses and normalizes a person; throws `ValidationError` listing every issue. */
  parsePerson(input: unknown): PersonOf<ProfileModel<TPersonTraits, TOrganizationTraits>>;
  /** Parses a person without throwing. */
  safeParsePerson(input: unknown): ValidationResult<PersonOf<ProfileModel<TPersonTraits, TOrganizationTraits>>>;
  /** Parses and normalizes an organization (`kind: 'organization'` is required). */
  parseOrganization(input: unknown): OrganizationOf<ProfileModel<TPersonTraits, TOrganizationTraits>>;
  /** Parses an organization without throwing. */
  safeParseOrganization(input: unknown): ValidationResult<OrganizationOf<ProfileModel<TPersonTraits, TOrganizationTraits>>>;
  /** Parses either party, by `kind` (a missing kind means a person). */
  parseParty(input: unknown): PartyOf<ProfileModel<TPersonTraits, TOrganizationTraits>>;
  /** Parses either party without throwing. */
  safeParseParty(input: unknown): ValidationResult<PartyOf<ProfileModel<TPersonTraits, TOrganizationTraits>>>;
  /** Parses an observation (its party by `kind`); throws `ValidationError` listing every issue. */
  parseObservation(input: unknown): ObservationOf<ProfileModel<TPersonTraits, TOrganizationTraits>>;
  /** Parses an observation without throwing. */
  safeParseObservation(input: unknown): ValidationResult<ObservationOf<ProfileModel<TPersonTraits, TOrganizationTraits>>>;
  /**
   * The data category of a field path (`'emails'`, `'emails.0.address'`,
   * `'identities.userId'`, `'traits.religion'`), or `undefined` for an unknown field.
   */
  categoryOf(path: string): DataCategory | undefined;
}

/**
 * The person type of a profile model.
 *
 * @example
 * ```ts
 * import { z } from 'zod';
 * import { createProfileModel, type PersonOf } from 'guanxi/profile';
 *
 * const model = createProfileModel({ traits: z.object({ plan: z.string() }) });
 * type Customer = PersonOf<typeof model>;
 * const plan = (customer: Customer) => customer.traits?.plan;
 * ```
 */
export type PersonOf<M extends { readonly Person: StandardSchemaV1 }> = StandardSchemaV1.InferOutput<M['Person']>;
/**
 * The organization type of a profile model.
 *
 * @example
 * ```ts
 * import { createProfileModel, type OrganizationOf } from 'guanxi/profile';
 *
 * const model = createProfileModel();
 * const acme: OrganizationOf<typeof model> = model.parseOrganization({ kind: 'organization', legalName: 'Acme Ltd' });
 * ```
 */
export type OrganizationOf<M extends { readonly Organization: StandardSchemaV1 }> = StandardSchemaV1.InferOutput<M['Organization']>;
/**
 * Either party type of a profile model.
 *
 * @example
 * ```ts
 * import { createProfileModel, type PartyOf } from 'guanxi/profile';
 *
 * const model = createProfileModel();
 * const name = (party: PartyOf<typeof model>) => (party.kind === 'person' ? party.fullName : party.legalName);
 * ```
 */
export type PartyOf<M extends { readonly Person: StandardSchemaV1; readonly Organization: StandardSchemaV1 }> = PersonOf<M> | OrganizationOf<M>;

/**
 * The observation type of a profile model.
 *
 * @example
 * ```ts
 * import { createProfileModel, type ObservationOf } from 'guanxi/profile';
 *
 * const model = createProfileModel();
 * const seen: ObservationOf<typeof model> = model.parseObservation({
 *   source: 'pos',
 *   observedAt: '2026-03-01T08:00:00Z',
 *   profile: { phones: [{ number: '+8613800138000' }] },
 * });
 * ```
 */
export type ObservationOf<M extends { readonly Person: StandardSchemaV1; readonly Organization: StandardSchemaV1 }> = Observation<PartyOf<M>>;

/**
 * Builds a profile model: person and organization schemas extended with your own
 * custom-trait schemas (any Standard Schema), normalizing emails and phones (with your
 * default region), checking tiers against your ladder and relationships against your
 * registry. Parsed values carry your trait types.
 *
 * @example
 * ```ts
 * import { z } from 'zod';
 * import { createProfileModel, type PersonOf } from 'guanxi/profile';
 *
 * const shop = createProfileModel({
 *   traits: z.object({ shoeSize: z.number(), newsletter: z.boolean() }),
 *   defaultRegion: 'CN',
 *   tiers: ['member', 'silver', 'gold'],
 * });
 * const li: PersonOf<typeof shop> = shop.parsePerson({
 *   fullName: '李雷',
 *   phones: [{ number: '138 0013 8000' }],
 *   tier: 'gold',
 *   traits: { shoeSize: 42, newsletter: true },
 * });
 * console.log(li.phones?.[0]?.number, li.traits?.shoeSize); // '+8613800138000' 42
 * ```
 */
export function createProfileModel<
  TPersonTraits extends StandardSchemaV1 = typeof AnyTraits,
  TOrganizationTraits extends StandardSchemaV1 = typeof AnyTraits,
>(options: ProfileModelOptions<TPersonTraits, TOrganizationTraits> = {}): ProfileModel<TPersonTraits, TOrganizationTraits> {
  const resolved = resolveProfileModelOptions(options);
  const { Person, Organization, Observation } = createModelSchemas(resolved);
  type Model = ProfileModel<TPersonTraits, TOrganizationTraits>;
  const isOrganization = (input: unknown) =>
    typeof input === 'object' && input !== null && (input as { kind?: unknown }).kind === 'organization';
  // Plain, well-formed input is read by hand-written checks that give the schema's exact
  // output; anything else (including every invalid input) goes through the schema, which
  // names each issue (see observation-fast-path.ts).
  const fast = createFastPath({
    Person,
    Organization,
    Observation,
    traits: resolved.traits,
    organizationTraits: resolved.organizationTraits,
    defaultRegion: resolved.defaultRegion,
    tiers: resolved.tiers,
  });
  type PersonValue = PersonOf<Model>;
  type OrganizationValue = OrganizationOf<Model>;
  const fastPerson = (input: unknown) => fast.party(input, false) as PersonValue | undefined;
  const fastOrganization = (input: unknown) => fast.party(input, true) as OrganizationValue | undefined;
  const fastObservation = (input: unknown) => fast.observation(input) as ObservationOf<Model> | undefined;
  const parsed = <T>(value: T) => ({ success: true as const, value });
  const categoryOf = (path: string): DataCategory | undefined => {
    const segments = path.split('.');
    const head = segments[0] ?? '';
    if (head === 'traits') {
      const key = segments[1];
      if (key === undefined) return resolved.defaultTraitCategory;
      return Object.hasOwn(resolved.traitCategories, key) ? resolved.traitCategories[key] : resolved.defaultTraitCategory;
    }
    if (head === 'identities' && segments[1] !== undefined) {
      const nested = `identities.${segments[1]}`;
      return Object.hasOwn(profileFieldCategories, nested) ? profileFieldCategories[nested] : undefined;
    }
    if (head === 'identities') return 'identifier';
    return Object.hasOwn(profileFieldCategories, head) ? profileFieldCategories[head] : undefined;
  };
  const model: Model = {
    Person,
    Organization,
    Observation,
    options: resolved,
    parsePerson: (input) => fastPerson(input) ?? validate(Person, input, 'person'),
    safeParsePerson: (input) => {
      const value = fastPerson(input);
      return value === undefined ? safeValidate(Person, input, 'person') : parsed(value);
    },
    parseOrganization: (input) => fastOrganization(input) ?? validate(Organization, input, 'organization'),
    safeParseOrganization: (input) => {
      const value = fastOrganization(input);
      return value === undefined ? safeValidate(Organization, input, 'organization') : parsed(value);
    },
    parseParty: (input) => (isOrganization(input) ? model.parseOrganization(input) : model.parsePerson(input)),
    safeParseParty: (input) => (isOrganization(input) ? model.safeParseOrganization(input) : model.safeParsePerson(input)),
    parseObservation: (input) => fastObservation(input) ?? (validate(Observation, input, 'observation') as ObservationOf<Model>),
    safeParseObservation: (input) => {
      const value = fastObservation(input);
      return value === undefined ? (safeValidate(Observation, input, 'observation') as ValidationResult<ObservationOf<Model>>) : parsed(value);
    },
    categoryOf,
  };
  return Object.freeze(model);
}

/**
 * The model with default options: any traits, no default phone region, any tier name,
 * the default relationship types. `Person` and `Organization` are its schemas.
 *
 * @example
 * ```ts
 * import { defaultProfileModel } from 'guanxi/profile';
 *
 * const result = defaultProfileModel.safeParsePerson({ emails: [{ address: 'nope' }] });
 * if (!result.success) console.log(result.error.issues[0]?.path); // ['emails', 0, 'address']
 * ```
 */
export const defaultProfileModel: ProfileModel = /*@__PURE__*/ createProfileModel();

/**
 * The person schema of the default model. Build your own with `createProfileModel` (or
 * `definePersonSchema`) to type your custom traits.
 *
 * @example
 * ```ts
 * import { Person } from 'guanxi/profile';
 *
 * const ada: Person = Person.parse({ givenName: 'Ada', familyName: 'Lovelace', birthday: '1815-12-10' });
 * ```
 */
export const Person = defaultProfileModel.Person;
/** A person of the default model (see the `Person` schema). *
 * @example
 * ```ts
 * import type { Person } from 'guanxi/profile';
 *
 * const ada: Person = { kind: 'person', givenName: 'Ada', lifecycleStage: 'lead' };
 * ```
 */
export type Person = z.infer<typeof Person>;

/**
 * The organization schema of the default model.
 *
 * @example
 * ```ts
 * import { Organization } from 'guanxi/profile';
 *
 * const acme: Organization = Organization.parse({ kind: 'organization', legalName: 'Acme Trading Co., Ltd.', size: 'small' });
 * ```
 */
export const Organization = defaultProfileModel.Organization;
/** An organization of the default model (see the `Organization` schema). *
 * @example
 * ```ts
 * import type { Organization } from 'guanxi/profile';
 *
 * const acme: Organization = { kind: 'organization', legalName: 'Acme Ltd', industry: 'retail' };
 * ```
 */
export type Organization = z.infer<typeof Organization>;

/**
 * Either party of the default model.
 *
 * @example
 * ```ts
 * import type { Party } from 'guanxi/profile';
 *
 * const display = (party: Party) => (party.kind === 'person' ? party.fullName : party.tradeName ?? party.legalName);
 * ```
 */
export type Party = Person | Organization;

/**
 * A person schema with your own traits (a shorthand for `createProfileModel(options).Person`).
 *
 * @example
 * ```ts
 * import { z } from 'zod';
 * import { definePersonSchema } from 'guanxi/profile';
 *
 * const Customer = definePersonSchema({ traits: z.object({ vip: z.boolean() }) });
 * type Customer = z.infer<typeof Customer>;
 * const customer: Customer = Customer.parse({ givenName: 'Ada', traits: { vip: true } });
 * ```
 */
export function definePersonSchema<TPersonTraits extends StandardSchemaV1 = typeof AnyTraits>(
  options: ProfileModelOptions<TPersonTraits> = {},
): ProfileModel<TPersonTraits>['Person'] {
  return createProfileModel(options).Person;
}
