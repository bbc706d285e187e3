/**
 * The client's error classes: data fields, realm-independent guards, serialization, and
 * no secrets in URLs, messages or JSON.
 */
import { describe, expect, it } from 'vitest';
import { isGuanxiError } from 'guanxi';
import {
  AuthError,
  ConflictError,
  HttpError,
  NetworkError,
  NotFoundError,
  RateLimitError,
  ResultLimitError,
  TimeoutError,
  UnsupportedOperationError,
  isAuthError,
  isConflictError,
  isHttpError,
  isNetworkError,
  isNotFoundError,
  isRateLimitError,
  isResultLimitError,
  isTimeoutError,
  isUnsupportedOperationError,
} from 'guanxi/client';
import { redactUrl } from '../../src/client/transport/redact';

const details = { status: 404, method: 'GET', url: 'https://api.example.com/x', code: 'not_found', requestId: 'req_1', body: { a: 1 } };

describe('client errors', () => {
  it('carry their data and serialize it', () => {
    const error = new RateLimitError('limited', { ...details, status: 429, limit: 'DAILY', resetAt: 5 });
    expect(error.toJSON()).toEqual({ name: 'RateLimitError', code: 'not_found', message: 'limited', status: 429, method: 'GET', url: 'https://api.example.com/x', requestId: 'req_1', body: { a: 1 }, limit: 'DAILY', resetAt: 5 });
    expect(new TimeoutError('GET', 'u', 'total', 5).toJSON()).toMatchObject({ kind: 'total', timeoutMs: 5, code: 'timeout_total' });
    expect(new ResultLimitError('m', 10, 'api').toJSON()).toMatchObject({ limit: 10, source: 'api' });
    expect(new UnsupportedOperationError('m', 'hubspot', 'search', ['or', 0]).toJSON()).toMatchObject({ adapter: 'hubspot', path: ['or', 0] });
  });

  it('have guards that match by name (other realms) and form an HTTP family', () => {
    const cases: [Error, (value: unknown) => boolean][] = [
      [new AuthError('m', details), isAuthError],
      [new NotFoundError('m', details), isNotFoundError],
      [new ConflictError('m', details), isConflictError],
      [new RateLimitError('m', { ...details, limit: 'x' }), isRateLimitError],
      [new NetworkError('GET', 'u'), isNetworkError],
      [new TimeoutError('GET', 'u', 'attempt', 1), isTimeoutError],
      [new ResultLimitError('m', 1, 'caller'), isResultLimitError],
      [new UnsupportedOperationError('m', 'a', 'o'), isUnsupportedOperationError],
    ];
    for (const [error, guard] of cases) {
      expect(guard(error)).toBe(true);
      expect(isGuanxiError(error)).toBe(true);
      // An error from another realm: same brand and name, different prototype chain.
      const foreign = Object.assign(Object.create(null) as object, { name: error.name, message: error.message });
      Object.defineProperty(foreign, Symbol.for('guanxi.error'), { value: true });
      expect(guard(foreign)).toBe(true);
      expect(foreign instanceof Error).toBe(false);
    }
    expect([new AuthError('m', details), new NotFoundError('m', details), new HttpError('m', details)].every(isHttpError)).toBe(true);
    expect(isHttpError(new NetworkError('GET', 'u'))).toBe(false);
    expect(isAuthError(new NotFoundError('m', details))).toBe(false);
  });

  it('redact credentials from URLs', () => {
    expect(redactUrl('https://user:pass@api.example.com/x?hapikey=abc123&limit=5&access_token=t0k3n&after=xyz')).toBe(
      'https://[redacted]@api.example.com/x?hapikey=[redacted]&limit=5&access_token=[redacted]&after=xyz',
    );
    expect(redactUrl('https://api.example.com/hook?signature=s1&api_key=k&writeKey=w')).not.toMatch(/s1|=k|=w&?$/);
    expect(redactUrl('not a url?token=abc')).toBe('not a url?[redacted]');
  });
});
