import { GuanxiError } from './errors/guanxi-error';

/**
 * SHA-256 of a UTF-8 string as lower-case hex, through WebCrypto (`crypto.subtle`),
 * which browsers (in secure contexts) and Node 20+ provide. Used for consent notice
 * fingerprints, erased-profile tombstones and hash chains.
 *
 * @throws GuanxiError with code `webcrypto_unavailable` where `crypto.subtle` is missing
 * (for example a page served over plain HTTP from a non-local host).
 *
 * @example
 * ```ts
 * import { sha256Hex } from 'guanxi';
 *
 * const digest = await sha256Hex('abc');
 * // 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
 * ```
 */
export async function sha256Hex(text: string): Promise<string> {
  const subtle = globalThis.crypto?.subtle;
  if (!subtle) {
    throw new GuanxiError('WebCrypto (crypto.subtle) is not available in this runtime', 'webcrypto_unavailable');
  }
  const digest = await subtle.digest('SHA-256', new TextEncoder().encode(text));
  let hex = '';
  for (const byte of new Uint8Array(digest)) hex += byte.toString(16).padStart(2, '0');
  return hex;
}
