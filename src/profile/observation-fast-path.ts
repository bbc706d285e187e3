import type { StandardSchemaV1 } from '../core/standard-schema';
import { forbiddenKeys } from '../core/safe-object';
import { ChannelPreference, PhoneKind } from './contact-point';
import { ExternalSystemPattern } from './identity';
import { ProfileLifecycleStage } from './lifecycle';
import { normalizeEmail, normalizePhone } from './normalize';
import { isoObservedAtPattern } from './observation';
import { Gender } from './person';
import type { ProfileTierLadder } from './tier';
import { AnyTraits, hasForbiddenKey } from './traits';

/*
 * The fast path of observation parsing (see docs/profile.md, "Fast path", and
 * docs/decisions.md). A zod parse of a typical observation costs ~20 µs: every field,
 * present or not, goes through zod's payload machinery. Most observations are plain JSON
 * objects with a handful of well-formed fields; for those, the readers below check each
 * field with the same rules as the schema (trim, lengths, enums, email and phone
 * normalization) and build the same output, in the same key order.
 *
 * A reader never decides that input is invalid: anything it does not recognise, or any
 * value that breaks a rule, makes it answer `unsure`, and the caller runs the full
 * schema, which reports every issue with its path. So the fast path can only change how
 * fast valid input is accepted, never which input is accepted or what errors say. Fields
 * without a hand-written reader are checked with their own schema from the model's shape
 * (the same schema the full parse runs); only `relationships` (checked against the
 * registry by a party-level rule) always takes the full parse.
 */

/** Answer of a reader that cannot vouch for a value: the full schema decides. */
const unsure: unique symbol = Symbol('unsure');
type Unsure = typeof unsure;
type Reader = (value: unknown) => unknown;

/** Reads a parsed observation, or `undefined` when the full schema must decide. */
export type FastObservationReader = (input: unknown) => Record<string, unknown> | undefined;

/** Reads a parsed party of the given kind, or `undefined` when the full schema must decide. */
export type FastPartyReader = (input: unknown, organization: boolean) => Record<string, unknown> | undefined;

/** A zod object schema, seen through the parts the fast path needs. */
interface ObjectSchema extends StandardSchemaV1 {
  readonly _zod: { readonly def: { readonly shape: Readonly<Record<string, StandardSchemaV1>> } };
}

function isPlain(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** `z.string().check(z.trim(), z.minLength(min), z.maxLength(max))`. */
function text(min: number, max: number): Reader {
  return (value) => {
    if (typeof value !== 'string') return unsure;
    const trimmed = value.trim();
    return trimmed.length < min || trimmed.length > max ? unsure : trimmed;
  };
}

function oneOf(options: readonly string[]): Reader {
  const allowed = new Set(options);
  return (value) => (typeof value === 'string' && allowed.has(value) ? value : unsure);
}

function pattern(regex: RegExp): Reader {
  return (value) => (typeof value === 'string' && regex.test(value) ? value : unsure);
}

/** `z.array(item).check(z.maxLength(max))`. */
function list(item: Reader, max: number): Reader {
  return (value) => {
    if (!Array.isArray(value) || value.length > max) return unsure;
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      const read = item(value[i]);
      if (read === unsure) return unsure;
      out[i] = read;
    }
    return out;
  };
}

/** The field's own schema, run alone: the same checks and output as inside the object. */
function bySchema(schema: StandardSchemaV1): Reader {
  return (value) => {
    const result = schema['~standard'].validate(value);
    if (result instanceof Promise) {
      result.catch(() => undefined);
      return unsure;
    }
    return result.issues === undefined ? result.value : unsure;
  };
}

interface FieldReader {
  readonly key: string;
  /** Position of the key in the schema's shape: output keys follow it. */
  readonly position: number;
  readonly read: Reader;
}

function fieldReaders(fields: readonly (readonly [string, Reader])[]): Map<string, FieldReader> {
  return new Map(fields.map(([key, read], position) => [key, { key, position, read }]));
}

/**
 * Reads the fields of a plain object: every key must be known and defined. Only the keys
 * present are visited (a profile schema has ~30 fields, an observation a handful), and the
 * output has them in the schema's order, which is the order zod's output has. `kind`, when
 * given, is the output's first key (the party schemas default it).
 *
 * Input written in the schema's order (most is: collectors and exports build it from the
 * same types) is read in one pass; otherwise the keys are put in order first.
 */
function readFields(value: Record<string, unknown>, readers: ReadonlyMap<string, FieldReader>, kind: string | undefined): Record<string, unknown> | Unsure {
  const out: Record<string, unknown> = kind === undefined ? {} : { kind };
  let last = -1;
  for (const key in value) {
    const reader = readers.get(key);
    const field = value[key];
    if (reader === undefined || field === undefined) return unsure;
    if (reader.position < last) return readFieldsInOrder(value, readers, kind);
    last = reader.position;
    const parsed = reader.read(field);
    if (parsed === unsure) return unsure;
    out[key] = parsed;
  }
  return out;
}

/** `readFields` for keys out of the schema's order. */
function readFieldsInOrder(value: Record<string, unknown>, readers: ReadonlyMap<string, FieldReader>, kind: string | undefined): Record<string, unknown> | Unsure {
  const present: FieldReader[] = [];
  for (const key in value) {
    const reader = readers.get(key);
    if (reader === undefined || value[key] === undefined) return unsure;
    // Insertion sort by position: a few keys.
    let at = present.length;
    while (at > 0 && (present[at - 1] as FieldReader).position > reader.position) at--;
    present.splice(at, 0, reader);
  }
  const out: Record<string, unknown> = kind === undefined ? {} : { kind };
  for (const reader of present) {
    const parsed = reader.read(value[reader.key]);
    if (parsed === unsure) return unsure;
    out[reader.key] = parsed;
  }
  return out;
}

/** `z.object(fields)` over plain objects, output keys in the schema's order. */
function object(fields: readonly (readonly [string, Reader])[]): Reader {
  const readers = fieldReaders(fields);
  return (value) => (isPlain(value) ? readFields(value, readers, undefined) : unsure);
}

const boolean: Reader = (value) => (typeof value === 'boolean' ? value : unsure);
const identifierText = text(1, 256);

/** `label`, `primary`, `verified`, `preference`, in the schema's order. */
const contactPointFields: readonly (readonly [string, Reader])[] = [
  ['label', text(0, 100)],
  ['primary', boolean],
  ['verified', boolean],
  ['preference', oneOf(ChannelPreference.options)],
];

const emailAddress: Reader = (value) => {
  if (typeof value !== 'string') return unsure;
  const result = normalizeEmail(value);
  return result.ok ? result.value : unsure;
};

function phoneNumber(defaultRegion: string | undefined): Reader {
  const options = { defaultRegion };
  return (value) => {
    if (typeof value !== 'string') return unsure;
    const result = normalizePhone(value, options);
    return result.ok ? result.value : unsure;
  };
}

/** `externalIds`: system → one id or several; parsed values are always arrays. */
const externalIds: Reader = (value) => {
  if (!isPlain(value) || Object.getOwnPropertySymbols(value).length > 0) return unsure;
  const out: Record<string, unknown> = {};
  for (const system of Object.keys(value)) {
    if (forbiddenKeys.has(system) || !ExternalSystemPattern.test(system)) return unsure;
    const ids = value[system];
    if (typeof ids === 'string') {
      const id = identifierText(ids);
      if (id === unsure) return unsure;
      out[system] = [id];
    } else {
      const parsed = identifierList100(ids);
      if (parsed === unsure) return unsure;
      out[system] = parsed;
    }
  }
  return out;
};
const identifierList100 = list(identifierText, 100);

const identities = object([
  ['anonymousIds', list(identifierText, 1000)],
  ['userId', identifierText],
  ['externalIds', externalIds],
]);

/** The default trait schema, `z.record(z.string(), z.unknown())` behind the forbidden-key scan. */
const anyTraits: Reader = (value) => {
  if (!isPlain(value) || Object.getOwnPropertySymbols(value).length > 0 || hasForbiddenKey(value, 0)) return unsure;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value)) out[key] = value[key];
  return out;
};

/** Hand-written readers of the fields persons and organizations share (see `partyFields`). */
function sharedReaders(defaultRegion: string | undefined): Record<string, Reader> {
  return {
    id: identifierText,
    customerNumber: identifierText,
    identities,
    emails: list(object([['address', emailAddress], ...contactPointFields]), 100),
    phones: list(
      object([['number', phoneNumber(defaultRegion)], ['kind', oneOf(PhoneKind.options)], ['extension', text(0, 20)], ...contactPointFields]),
      100,
    ),
    ownerId: identifierText,
    lifecycleStage: oneOf(ProfileLifecycleStage.options),
    tier: text(1, 200),
    tags: list(text(1, 64), 500),
    source: text(1, 200),
  };
}

function personOnlyReaders(): Record<string, Reader> {
  const name = text(1, 200);
  const languageTag = pattern(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/);
  return {
    givenName: name,
    familyName: name,
    middleName: name,
    fullName: name,
    nickname: name,
    honorific: text(1, 40),
    gender: oneOf(Gender.options),
    language: languageTag,
    locale: languageTag,
    education: name,
    occupation: name,
    jobTitle: name,
    incomeBand: text(1, 40),
  };
}

/** Readers for every key of a party schema: hand-written where known, the field's schema otherwise. */
function partyReaders(schema: ObjectSchema, hand: Record<string, Reader>): (readonly [string, Reader])[] {
  const readers: (readonly [string, Reader])[] = [];
  const shape = schema._zod.def.shape;
  for (const key of Object.keys(shape)) {
    if (key === 'kind' || key === 'relationships') continue;
    readers.push([key, Object.hasOwn(hand, key) ? (hand[key] as Reader) : bySchema(shape[key] as StandardSchemaV1)]);
  }
  return readers;
}

function kindOf(kind: string): Reader {
  return (value) => (value === kind ? value : unsure);
}

/** What the fast path needs from a profile model. */
export interface FastPathModel {
  readonly Person: StandardSchemaV1;
  readonly Organization: StandardSchemaV1;
  readonly Observation: StandardSchemaV1;
  readonly traits: StandardSchemaV1;
  readonly organizationTraits: StandardSchemaV1;
  readonly defaultRegion: string | undefined;
  readonly tiers: ProfileTierLadder | undefined;
}

/**
 * Builds the fast readers of a model's parties and observations.
 *
 * @internal
 */
export function createFastPath(model: FastPathModel): { readonly party: FastPartyReader; readonly observation: FastObservationReader } {
  const shared = sharedReaders(model.defaultRegion);
  const person = partyReaders(model.Person as ObjectSchema, {
    ...shared,
    ...personOnlyReaders(),
    ...(model.traits === AnyTraits ? { traits: anyTraits } : {}),
  });
  const organization = partyReaders(model.Organization as ObjectSchema, {
    ...shared,
    ...(model.organizationTraits === AnyTraits ? { traits: anyTraits } : {}),
  });
  // `kind` comes first in both shapes and is checked by the party reader itself.
  const personFields = fieldReaders([['kind', kindOf('person')], ...person]);
  const organizationFields = fieldReaders([['kind', kindOf('organization')], ...organization]);
  const tiers = model.tiers;

  const party: FastPartyReader = (input, isOrganization) => {
    if (!isPlain(input)) return undefined;
    if (isOrganization && input.kind !== 'organization') return undefined;
    // The person schema defaults `kind`; the output always has it, first.
    const out = readFields(input, isOrganization ? organizationFields : personFields, isOrganization ? 'organization' : 'person');
    if (out === unsure) return undefined;
    // The party rule of the model: a tier must be on the ladder.
    if (tiers !== undefined && typeof out.tier === 'string' && !tiers.has(out.tier)) return undefined;
    return out;
  };

  const observationShape = (model.Observation as ObjectSchema)._zod.def.shape;
  const observedAt = bySchema(observationShape.observedAt as StandardSchemaV1);
  // ISO text (CRM exports, server logs) is checked with the pattern of `ObservedAt`, which
  // every model's observation schema uses, and parsed as its transform does: the same
  // answer without zod's union and pipe machinery (~1.3 µs an observation).
  const isoPattern = isoObservedAtPattern();
  const source = text(1, 100);
  const observation: FastObservationReader = (input) => {
    if (!isPlain(input)) return undefined;
    for (const key in input) {
      if ((key !== 'source' && key !== 'observedAt' && key !== 'profileId' && key !== 'profile') || input[key] === undefined) return undefined;
    }
    const parsedSource = source(input.source);
    if (parsedSource === unsure) return undefined;
    const at = input.observedAt;
    const parsedAt =
      typeof at === 'number'
        ? Number.isFinite(at) && at >= 0 && at <= 8.64e15
          ? at
          : unsure
        : typeof at === 'string' && isoPattern.test(at)
          ? Date.parse(at)
          : observedAt(at);
    if (parsedAt === unsure) return undefined;
    const profile = input.profile;
    const parsedParty = party(profile, isPlain(profile) && profile.kind === 'organization');
    if (parsedParty === undefined) return undefined;
    if (input.profileId === undefined) return { source: parsedSource, observedAt: parsedAt, profile: parsedParty };
    const profileId = identifierText(input.profileId);
    if (profileId === unsure) return undefined;
    return { source: parsedSource, observedAt: parsedAt, profileId, profile: parsedParty };
  };

  return { party, observation };
}
