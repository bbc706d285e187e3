import * as z from 'zod/mini';
import type { StandardSchemaV1 } from '../core/standard-schema';
import { safeValidate } from '../core/validate';
import { reportIssue } from './issue';

/** The ISO 8601 form of `ObservedAt`: a date-time with seconds and `Z` or an offset. */
const IsoObservedAt = /*@__PURE__*/ z.iso.datetime({ offset: true });

/**
 * The pattern `ObservedAt` checks ISO 8601 text with (zod's own `iso.datetime` pattern):
 * text it matches is accepted and becomes `Date.parse(text)`; other text is rejected. The
 * fast path of observation parsing tests with it, so both accept exactly the same text.
 *
 * @internal
 */
export function isoObservedAtPattern(): RegExp {
  return (IsoObservedAt as unknown as { _zod: { def: { pattern: RegExp } } })._zod.def.pattern;
}

/**
 * When an observation was made: milliseconds since the epoch, or an ISO 8601 date-time
 * with offset. Parsed values are always milliseconds.
 *
 * @example
 * ```ts
 * import { ObservedAt } from 'guanxi/profile';
 *
 * ObservedAt.parse('2026-03-01T08:00:00Z'); // 1772352000000
 * ```
 */
export const ObservedAt = /*@__PURE__*/ z.pipe(
  z.union([z.number().check(z.minimum(0), z.maximum(8.64e15)), IsoObservedAt]),
  z.transform((value: number | string) => (typeof value === 'number' ? value : Date.parse(value))),
);

/**
 * Builds the observation schema of a profile model: who observed what and when, with
 * the party parsed by the model's person or organization schema (by `kind`).
 *
 * @internal
 */
export function buildObservationSchema<P extends StandardSchemaV1, O extends StandardSchemaV1>(Person: P, Organization: O) {
  return z.object({
    source: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)),
    observedAt: ObservedAt,
    profileId: z.optional(z.string().check(z.trim(), z.minLength(1), z.maxLength(256))),
    profile: z.pipe(
      z.unknown(),
      z.transform((input: unknown, context): StandardSchemaV1.InferOutput<P> | StandardSchemaV1.InferOutput<O> => {
        const organization = typeof input === 'object' && input !== null && (input as { kind?: unknown }).kind === 'organization';
        const result = organization ? safeValidate(Organization, input, 'organization') : safeValidate(Person, input, 'person');
        if (result.success) return result.value as StandardSchemaV1.InferOutput<P> | StandardSchemaV1.InferOutput<O>;
        for (const issue of result.error.issues) reportIssue(context, issue.code, issue.message, issue.path);
        return z.NEVER;
      }),
    ),
  });
}

/**
 * An observation of a party, as the identity graph ingests it: where it came from, when,
 * optionally which profile it is about, and the party fields observed (identifiers
 * included). `P` is the party type (see `ObservationOf`).
 *
 * @example
 * ```ts
 * import type { Observation } from 'guanxi/profile';
 *
 * const seen: Observation = {
 *   source: 'web',
 *   observedAt: Date.parse('2026-03-01T08:00:00Z'),
 *   profile: { kind: 'person', identities: { anonymousIds: ['anon-1'] }, language: 'zh' },
 * };
 * ```
 */
export interface Observation<P = { readonly kind: 'person' | 'organization' } & Record<string, unknown>> {
  /** Where the observation came from: `'web'`, `'crm'`, `'pos'`… */
  readonly source: string;
  /** When it was made (ms since the epoch). */
  readonly observedAt: number;
  /** The profile it is about, when the source knows it (a CRM edit). */
  readonly profileId?: string | undefined;
  /** The observed fields. */
  readonly profile: P;
}
