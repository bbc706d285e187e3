/**
 * Redaction of credentials from URLs and text that end up in errors and logs. API keys
 * travel in query strings more often than they should (HubSpot's retired `hapikey`,
 * signed links), so every query parameter whose name suggests a credential is masked,
 * as is user info (`https://user:pass@host`).
 */

const secretParameter = /token|secret|passw|pwd|signature|credential|session|hapikey|api[_-]?key|key$|^sig$|^code$|^auth/i;

export const redactedMark = '[redacted]';

/** The URL with credential-looking query values and user info replaced by `[redacted]`. */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url.replace(/\?.*$/, '?[redacted]');
  }
  if (parsed.username !== '' || parsed.password !== '') {
    parsed.username = redactedMark;
    parsed.password = '';
  }
  const names = [...new Set([...parsed.searchParams.keys()])];
  for (const name of names) {
    if (secretParameter.test(name)) parsed.searchParams.set(name, redactedMark);
  }
  return parsed.toString().replaceAll(encodeURIComponent(redactedMark), redactedMark);
}

/** `text` with every occurrence of each known secret (of 4+ characters) replaced. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length >= 4) result = result.split(secret).join(redactedMark);
  }
  return result;
}

/** A deep copy of JSON-like data with known secrets removed from every string. */
export function redactValue(value: unknown, secrets: readonly string[], depth = 0): unknown {
  if (secrets.length === 0 || depth > 32) return value;
  if (typeof value === 'string') return redactSecrets(value, secrets);
  if (Array.isArray(value)) return value.map((item) => redactValue(item, secrets, depth + 1));
  if (value !== null && typeof value === 'object') {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
      copy[key] = redactValue(item, secrets, depth + 1);
    }
    return copy;
  }
  return value;
}
