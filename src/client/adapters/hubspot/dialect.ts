import type { ValidationIssue } from '../../../core/errors/validation-error';
import { parseRetryAfter } from '../../../core/backoff';
import type { CrmErrorDescription, CrmWireDialect, CrmWireResponse } from '../../transport/transport';
import { activityFieldOf } from './activities';
import { hubSpotPropertyNames } from './properties';

let fieldOfPropertyCache: Map<string, string> | undefined;

function fieldOfProperty(property: string): string | undefined {
  if (!fieldOfPropertyCache) {
    fieldOfPropertyCache = new Map();
    for (const map of Object.values(hubSpotPropertyNames)) {
      for (const [field, name] of Object.entries(map)) if (!fieldOfPropertyCache.has(name)) fieldOfPropertyCache.set(name, field);
    }
  }
  return fieldOfPropertyCache.get(property) ?? activityFieldOf(property);
}

function header(response: CrmWireResponse, name: string): number | undefined {
  const value = response.headers.get(name);
  if (value === null || value.trim() === '') return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : undefined;
}

function propertyIssue(property: string, code: string, message: string): ValidationIssue {
  return { path: [fieldOfProperty(property) ?? property], code, message };
}

/** HubSpot's field errors: `errors[].context.propertyName`, or the JSON list inside "Property values were not valid: [...]". */
/** Field issues of HubSpot's `errors: [{ message, code, context: { propertyName: [...] } }]`. */
export function hubSpotIssues(errors: unknown): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (Array.isArray(errors)) {
    for (const entry of errors as unknown[]) {
      if (typeof entry !== 'object' || entry === null) continue;
      const error = entry as { message?: unknown; code?: unknown; context?: { propertyName?: unknown } };
      const names = Array.isArray(error.context?.propertyName) ? error.context.propertyName : [];
      const code = typeof error.code === 'string' ? error.code : 'invalid';
      const message = typeof error.message === 'string' ? error.message : 'Invalid value';
      if (names.length === 0) issues.push({ path: [], code, message });
      for (const name of names) issues.push(propertyIssue(String(name), code, message));
    }
  }
  return issues;
}

function issuesOf(body: Record<string, unknown>): ValidationIssue[] {
  const issues = hubSpotIssues(body.errors);
  if (issues.length === 0 && typeof body.message === 'string') {
    const embedded = /:\s*(\[[\s\S]*\])\s*$/.exec(body.message)?.[1];
    if (embedded) {
      try {
        const list = JSON.parse(embedded) as unknown;
        if (Array.isArray(list)) {
          for (const item of list as { name?: unknown; error?: unknown; message?: unknown }[]) {
            if (typeof item?.name === 'string') issues.push(propertyIssue(item.name, typeof item.error === 'string' ? item.error : 'invalid', typeof item.message === 'string' ? item.message : 'Invalid value'));
          }
        }
      } catch {
        // Not JSON after all: the message is reported as is.
      }
    }
  }
  return issues;
}

/**
 * HubSpot's error and rate-limit conventions: error bodies `{ status: "error", message,
 * correlationId, category, errors? }`; 429 bodies name the policy — a
 * `TEN_SECONDLY_ROLLING` (or secondly search) limit clears within its interval and is
 * retried after `Retry-After` or `X-HubSpot-RateLimit-Interval-Milliseconds`; a `DAILY`
 * limit does not clear soon and fails with a `RateLimitError` at once. Successful
 * responses whose `X-HubSpot-RateLimit-Remaining` is 0 pause the client's bucket for
 * the interval.
 *
 * @example
 * ```ts
 * import { hubSpotWireDialect } from 'guanxi/client';
 *
 * const description = hubSpotWireDialect.describeError(
 *   { status: 429, headers: new Headers(), body: { status: 'error', message: 'Daily limit', errorType: 'RATE_LIMIT', policyName: 'DAILY', correlationId: 'c1' } },
 *   Date.now(),
 * );
 * console.log(description.rateLimit?.retryable); // false
 * ```
 */
export const hubSpotWireDialect: CrmWireDialect = /*@__PURE__*/ Object.freeze({
  describeError(response: CrmWireResponse, nowMs: number): CrmErrorDescription {
    const body = typeof response.body === 'object' && response.body !== null ? (response.body as Record<string, unknown>) : {};
    const issues = response.status === 400 || response.status === 422 ? issuesOf(body) : [];
    const description: CrmErrorDescription = {
      code: typeof body.category === 'string' ? body.category : undefined,
      message: typeof body.message === 'string' ? body.message : typeof response.body === 'string' ? response.body.slice(0, 300) : undefined,
      requestId: typeof body.correlationId === 'string' ? body.correlationId : (response.headers.get('x-hubspot-correlation-id') ?? undefined),
      issues: issues.length > 0 ? issues : undefined,
    };
    if (response.status !== 429) return description;
    const policy = typeof body.policyName === 'string' ? body.policyName : 'unknown';
    if (policy === 'DAILY') {
      return { ...description, rateLimit: { limit: policy, retryable: false } };
    }
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), nowMs) ?? header(response, 'x-hubspot-ratelimit-interval-milliseconds') ?? (policy === 'TEN_SECONDLY_ROLLING' ? 10_000 : 1000);
    return { ...description, rateLimit: { limit: policy, retryable: true, retryAfterMs, resetAt: nowMs + retryAfterMs } };
  },
  pacing(response: CrmWireResponse): number | undefined {
    if (header(response, 'x-hubspot-ratelimit-remaining') !== 0) return undefined;
    return header(response, 'x-hubspot-ratelimit-interval-milliseconds');
  },
});
