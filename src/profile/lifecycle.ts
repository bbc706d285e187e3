import * as z from 'zod/mini';

/**
 * Where a party stands with the business. `pool` holds leads nobody follows up (no owner
 * yet, free to claim); then `lead` → `prospect` → `customer` → `loyal`; `dormant` when a
 * customer has made no deal for a year; `churned` when they are gone.
 *
 * @example
 * ```ts
 * import { ProfileLifecycleStage } from 'guanxi/profile';
 *
 * ProfileLifecycleStage.parse('pool');
 * ```
 */
export const ProfileLifecycleStage = /*@__PURE__*/ z.enum(['pool', 'lead', 'prospect', 'customer', 'loyal', 'dormant', 'churned']);
/** See the `ProfileLifecycleStage` schema. *
 * @example
 * ```ts
 * import type { ProfileLifecycleStage } from 'guanxi/profile';
 *
 * const stage: ProfileLifecycleStage = 'customer';
 * ```
 */
export type ProfileLifecycleStage = z.infer<typeof ProfileLifecycleStage>;
