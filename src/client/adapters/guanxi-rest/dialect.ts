import type { ValidationIssue } from '../../../core/errors/validation-error';
import { parseRetryAfter } from '../../../core/backoff';
import type { CrmErrorDescription, CrmWireDialect, CrmWireResponse } from '../../transport/transport';

// Wire property names of guanxi REST that stand for a portable field, for issue paths.
const portableNames: Readonly<Record<string, string>> = {
  emails: 'email',
  phones: 'phone',
  givenName: 'firstName',
  familyName: 'lastName',
  tradeName: 'name',
  website: 'domain',
  description: 'content',
};

/**
 * Issue paths of the wire (`['properties', 'emails', 0, 'address']`) as portable paths
 * (`['email']`): the `properties` envelope is dropped and mapped names are renamed.
 */
export function portableIssues(raw: unknown): ValidationIssue[] {
  if (!Array.isArray(raw)) return [];
  return raw.flatMap((entry: unknown): ValidationIssue[] => {
    if (typeof entry !== 'object' || entry === null) return [];
    const issue = entry as { path?: unknown; code?: unknown; message?: unknown };
    let path = Array.isArray(issue.path) ? issue.path.map((segment: unknown) => (typeof segment === 'number' ? segment : String(segment))) : [];
    if (path[0] === 'properties') path = path.slice(1);
    const head = path[0];
    if (typeof head === 'string' && portableNames[head] !== undefined) path = [portableNames[head]];
    return [{ path, code: typeof issue.code === 'string' ? issue.code : 'invalid', message: typeof issue.message === 'string' ? issue.message : 'Invalid value' }];
  });
}

function numberHeader(response: CrmWireResponse, name: string): number | undefined {
  const value = response.headers.get(name);
  if (value === null || value.trim() === '') return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}

/**
 * guanxi REST's error and rate-limit conventions (docs/openapi.yaml): error bodies
 * `{ error: { status, code, message, requestId, issues, details } }`; 429s name their
 * bucket in `details.policy` and say when to retry in `Retry-After`; every response
 * carries `RateLimit-Remaining` and `RateLimit-Reset` (seconds), which pace the client's
 * bucket when the server's is empty.
 *
 * @example
 * ```ts
 * import { guanxiRestWireDialect } from 'guanxi/client';
 *
 * const description = guanxiRestWireDialect.describeError(
 *   { status: 404, headers: new Headers(), body: { error: { status: 404, code: 'not_found', message: 'No such contact', requestId: 'req_1' } } },
 *   Date.now(),
 * );
 * console.log(description.code, description.requestId); // 'not_found' 'req_1'
 * ```
 */
export const guanxiRestWireDialect: CrmWireDialect = /*@__PURE__*/ Object.freeze({
  describeError(response: CrmWireResponse, nowMs: number): CrmErrorDescription {
    const body = typeof response.body === 'object' && response.body !== null ? (response.body as { error?: unknown }) : {};
    const error = (typeof body.error === 'object' && body.error !== null ? body.error : {}) as { code?: unknown; message?: unknown; requestId?: unknown; issues?: unknown; details?: { policy?: unknown } };
    const issues = portableIssues(error.issues);
    const description: CrmErrorDescription = {
      code: typeof error.code === 'string' ? error.code : undefined,
      message: typeof error.message === 'string' ? error.message : typeof response.body === 'string' ? response.body.slice(0, 300) : undefined,
      requestId: typeof error.requestId === 'string' ? error.requestId : (response.headers.get('x-request-id') ?? undefined),
      issues: issues.length > 0 ? issues : undefined,
    };
    if (response.status !== 429) return description;
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), nowMs) ?? (numberHeader(response, 'ratelimit-reset') ?? 1) * 1000;
    const policy = typeof error.details?.policy === 'string' ? error.details.policy : 'api';
    return { ...description, rateLimit: { limit: policy, retryable: true, retryAfterMs, resetAt: nowMs + retryAfterMs } };
  },
  pacing(response: CrmWireResponse): number | undefined {
    if (numberHeader(response, 'ratelimit-remaining') !== 0) return undefined;
    const reset = numberHeader(response, 'ratelimit-reset');
    return reset === undefined ? undefined : reset * 1000;
  },
});
