import { GuanxiError, isGuanxiErrorNamed, type GuanxiErrorOptions } from '../core/errors/guanxi-error';
import type { IdentifierKind } from './identity';

/**
 * Two profiles that share an identifier but carry different values of an exclusive
 * identifier (by default, different user ids): the identity graph does not merge them and
 * reports this instead. Resolve it with `graph.resolveConflict(conflict.id, 'merge')` or
 * `'keep-separate'`.
 *
 * @example
 * ```ts
 * import type { IdentityConflict } from 'guanxi/profile';
 *
 * const onConflict = (conflict: IdentityConflict) =>
 *   console.log(`profiles ${conflict.profileIds.join(' and ')} both claim ${conflict.sharedKinds.join(', ')} but differ in ${conflict.exclusiveKind}`);
 * ```
 */
export interface IdentityConflict {
  /** Stable id of the conflict (the pair of profiles). */
  readonly id: string;
  /** The two profiles, by id. */
  readonly profileIds: readonly [string, string];
  /** The exclusive identifier kind whose values differ (e.g. `userId`). */
  readonly exclusiveKind: IdentifierKind;
  /** Kinds of the identifiers that would have linked them (e.g. `anonymousId` of a shared device). */
  readonly sharedKinds: readonly IdentifierKind[];
  /** Source of the observation that revealed the conflict. */
  readonly source: string;
  /** When that observation was made (ms since the epoch). */
  readonly observedAt: number;
}

/**
 * Thrown by `graph.mergeProfiles()` without `force` when the two profiles carry different
 * values of an exclusive identifier. Carries the conflict as data.
 *
 * @example
 * ```ts
 * import { createIdentityGraph, isIdentityConflictError } from 'guanxi/profile';
 *
 * const graph = createIdentityGraph();
 * try {
 *   graph.mergeProfiles('p-1', 'p-2');
 * } catch (error) {
 *   if (isIdentityConflictError(error)) console.log(error.conflict.exclusiveKind); // 'userId'
 * }
 * ```
 */
export class IdentityConflictError extends GuanxiError {
  override name = 'IdentityConflictError' as const;
  /** The conflict that stopped the merge. */
  readonly conflict: IdentityConflict;

  constructor(conflict: IdentityConflict, options: GuanxiErrorOptions = {}) {
    super(`Profiles ${conflict.profileIds[0]} and ${conflict.profileIds[1]} have different ${conflict.exclusiveKind} values`, 'identity_conflict', options);
    this.conflict = conflict;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), conflict: this.conflict };
  }
}

/**
 * Whether a value is an `IdentityConflictError` (matched by name, across realms).
 *
 * @example
 * ```ts
 * import { isIdentityConflictError } from 'guanxi/profile';
 *
 * console.log(isIdentityConflictError(new Error('x'))); // false
 * ```
 */
export function isIdentityConflictError(value: unknown): value is IdentityConflictError {
  return isGuanxiErrorNamed<IdentityConflictError>(value, 'IdentityConflictError');
}
