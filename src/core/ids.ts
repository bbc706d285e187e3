/**
 * A source of randomness, injectable for deterministic tests: returns a float in [0, 1).
 *
 * @example
 * ```ts
 * import type { RandomSource } from 'guanxi';
 *
 * // A deterministic source for tests (a linear congruential generator).
 * let seed = 42;
 * const random: RandomSource = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
 * ```
 */
export type RandomSource = () => number;

/**
 * A random RFC 4122 version-4 UUID, from WebCrypto (`crypto.randomUUID` where present,
 * otherwise `crypto.getRandomValues`). Used for message ids, anonymous ids, session ids
 * and customer numbers.
 *
 * @example
 * ```ts
 * import { randomId } from 'guanxi';
 *
 * const messageId = randomId(); // e.g. '3b241101-e2bb-4255-8caf-4136c566a962'
 * ```
 */
export function randomId(): string {
  const webCrypto = globalThis.crypto;
  if (webCrypto && typeof webCrypto.randomUUID === 'function') return webCrypto.randomUUID();
  const bytes = new Uint8Array(16);
  if (webCrypto && typeof webCrypto.getRandomValues === 'function') {
    webCrypto.getRandomValues(bytes);
  } else {
    // Last resort for exotic runtimes without WebCrypto: ids stay unique in practice but
    // are not unpredictable, so never use them as secrets.
    for (let i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
  }
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
