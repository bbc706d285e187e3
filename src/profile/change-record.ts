/**
 * One applied change to a profile, for the audit trail: which field changed (and which
 * item of a list), the value before and after, and the source and observation time of
 * the value that won. `before` is `undefined` when the field or item was new.
 *
 * @example
 * ```ts
 * import type { ChangeRecord } from 'guanxi/profile';
 *
 * const change: ChangeRecord = {
 *   profileId: 'p-1',
 *   field: 'familyName',
 *   before: 'Byron',
 *   after: 'Lovelace',
 *   source: 'crm',
 *   observedAt: Date.parse('2026-02-01T10:00:00Z'),
 * };
 * ```
 */
export interface ChangeRecord {
  /** The profile that changed. */
  readonly profileId: string;
  /** Field path: `'familyName'`, `'identities.userId'`, `'traits.plan'`, `'emails'`… */
  readonly field: string;
  /** For list fields, the item's identity (an email address, a phone number, a tag…). */
  readonly key?: string;
  /** The value before the change; `undefined` if there was none. */
  readonly before: unknown;
  /** The value after the change. */
  readonly after: unknown;
  /** Source of the value that won. */
  readonly source: string;
  /** Observation time of the value that won (ms since the epoch). */
  readonly observedAt: number;
}
