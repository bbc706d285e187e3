/**
 * Contact preferences: may we contact this customer for marketing on this channel?
 * Marketing touchpoints check them before anyone is contacted; several departments
 * contacting the same customer on a channel they refused is what these preferences
 * exist to prevent.
 */

/**
 * Marketing contact channels with a preference of their own.
 *
 * @example
 * ```ts
 * import type { ContactChannel } from 'guanxi/consent';
 *
 * const channel: ContactChannel = 'sms';
 * ```
 */
export type ContactChannel = 'email' | 'sms' | 'phone' | 'push' | 'mail';

/**
 * Every contact channel, in a stable order.
 *
 * @example
 * ```ts
 * import { contactChannels } from 'guanxi/consent';
 *
 * console.log(contactChannels); // ['email', 'sms', 'phone', 'push', 'mail']
 * ```
 */
export const contactChannels: readonly ContactChannel[] = /* @__PURE__ */ Object.freeze(['email', 'sms', 'phone', 'push', 'mail']);

/**
 * A channel's state: `granted` (may contact), `denied` (must not), `pending` (not asked
 * yet, and the jurisdiction requires opt-in).
 *
 * @example
 * ```ts
 * import type { ContactPreferenceState } from 'guanxi/consent';
 *
 * const email: ContactPreferenceState = 'granted';
 * ```
 */
export type ContactPreferenceState = 'granted' | 'denied' | 'pending';

/**
 * Whether a value names a contact channel.
 *
 * @example
 * ```ts
 * import { isContactChannel } from 'guanxi/consent';
 *
 * isContactChannel('fax'); // false
 * ```
 */
export function isContactChannel(value: unknown): value is ContactChannel {
  return typeof value === 'string' && (contactChannels as readonly string[]).includes(value);
}
