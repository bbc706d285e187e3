import * as z from 'zod/mini';
import { objectOf } from './record-fields';

/**
 * One event message (Segment spec): `track`, `identify`, `page`, `screen`, `group` or
 * `alias`, with a `messageId` the collector deduplicates by. Unknown fields are kept.
 *
 * @example
 * ```ts
 * import type { CrmEvent } from 'guanxi/client';
 *
 * const event: CrmEvent = { type: 'track', messageId: 'm-1', userId: 'u-42', event: 'Order Completed', properties: { revenue: 42 }, timestamp: '2026-05-04T10:00:00Z' };
 * ```
 */
export const CrmEvent = /*@__PURE__*/ z.looseObject({
  type: z.enum(['identify', 'track', 'page', 'screen', 'group', 'alias']),
  messageId: z.string().check(z.minLength(1), z.maxLength(256)),
  anonymousId: z.optional(z.string()),
  userId: z.optional(z.string()),
  event: z.optional(z.string()),
  name: z.optional(z.string()),
  timestamp: z.optional(z.string()),
  properties: z.optional(objectOf(z.unknown())),
  traits: z.optional(objectOf(z.unknown())),
  context: z.optional(objectOf(z.unknown())),
  previousId: z.optional(z.string()),
  groupId: z.optional(z.string()),
});
/** An event message. *
 * @example
 * ```ts
 * import type { CrmEvent } from 'guanxi/client';
 *
 * const identify: CrmEvent = { type: 'identify', messageId: 'm-2', userId: 'u-42', traits: { email: 'ada@example.com' } };
 * ```
 */
export type CrmEvent = z.infer<typeof CrmEvent>;
