import * as z from 'zod/mini';

/**
 * Where a party stands with the business. `pool` holds leads nobody follows up (no owner
 * yet, free to claim); then `lead` → `prospect` → `customer` → `loyal`; `dormant` when a
 * customer has made no deal for a year; `churned` when they are gone.
 *
 * @example
 * ```ts
 * import { LifecycleStage } from 'guanxi/profile';
 *
 * LifecycleStage.parse('pool');
 * ```
 */
export const LifecycleStage = /*@__PURE__*/ z.enum(['pool', 'lead', 'prospect', 'customer', 'loyal', 'dormant', 'churned']);
/** See the `LifecycleStage` schema. *
 * @example
 * ```ts
 * import type { LifecycleStage } from 'guanxi/profile';
 *
 * const stage: LifecycleStage = 'customer';
 * ```
 */
export type LifecycleStage = z.infer<typeof LifecycleStage>;
