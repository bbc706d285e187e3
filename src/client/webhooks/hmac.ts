import { GuanxiError } from '../../core/errors/guanxi-error';

const encoder = new TextEncoder();

function subtle(): SubtleCrypto {
  const value = globalThis.crypto?.subtle;
  if (!value) throw new GuanxiError('WebCrypto (crypto.subtle) is not available in this runtime', 'webcrypto_unavailable');
  return value;
}

/** An HMAC-SHA256 key from a secret. */
export function hmacKey(secret: string, usage: 'sign' | 'verify'): Promise<CryptoKey> {
  return subtle().importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [usage]);
}

/** HMAC-SHA256 of `message` under `secret`. */
export async function hmacSha256(secret: string, message: string): Promise<Uint8Array> {
  const key = await hmacKey(secret, 'sign');
  return new Uint8Array(await subtle().sign('HMAC', key, encoder.encode(message)));
}

/**
 * Whether `signature` is the HMAC-SHA256 of `message` under `secret`. WebCrypto's
 * `verify` compares in constant time, so the time taken reveals nothing about how much
 * of a forged signature was right.
 */
export async function verifyHmacSha256(secret: string, message: string, signature: Uint8Array): Promise<boolean> {
  if (signature.byteLength !== 32) return false;
  const key = await hmacKey(secret, 'verify');
  return subtle().verify('HMAC', key, signature as Uint8Array<ArrayBuffer>, encoder.encode(message));
}

export function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

export function fromHex(text: string): Uint8Array | undefined {
  if (!/^(?:[0-9a-f]{2})+$/i.test(text)) return undefined;
  const bytes = new Uint8Array(text.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(text.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

export function fromBase64(text: string): Uint8Array | undefined {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) return undefined;
  try {
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return undefined;
  }
}
