import { isGuanxiError } from '../core/errors/guanxi-error';
import { isValidationError } from '../core/errors/validation-error';
import type { CrmBatchItemOutcome, CrmItemFailure } from './adapter';
import { isAuthError } from './errors/auth-error';
import { isHttpError } from './errors/http-error';
import { isUnsupportedOperationError } from './errors/unsupported-operation-error';

/**
 * The result of a batch operation: which items succeeded and which failed, by their
 * index in the caller's array. A partial failure is a result, not an exception.
 *
 * @example
 * ```ts
 * import type { CrmBatchResult, CrmContact } from 'guanxi/client';
 *
 * function report(result: CrmBatchResult<CrmContact>): string {
 *   return `${result.succeeded.length} saved, ${result.failed.length} failed`;
 * }
 * ```
 */
export interface CrmBatchResult<T> {
  /** Saved items, in index order. */
  readonly succeeded: readonly { readonly index: number; readonly record: T }[];
  /** Failed items, in index order. */
  readonly failed: readonly { readonly index: number; readonly failure: CrmItemFailure }[];
}

export const failureOf = failureFromError;

/** Splits `items` into chunks of at most `size`. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}

/**
 * Runs `task` over `inputs` with at most `concurrency` running at once, preserving
 * order in the result.
 */
export async function mapBounded<T, R>(inputs: readonly T[], concurrency: number, task: (input: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(inputs.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < inputs.length) {
      const index = next++;
      results[index] = await task(inputs[index] as T, index);
    }
  };
  const workers = Array.from({ length: Math.max(1, Math.min(concurrency, inputs.length)) }, worker);
  await Promise.all(workers);
  return results;
}

/**
 * Describes an error as the failure of one batch item (or of every item of a chunk):
 * its code, message, HTTP status and field issues. For adapter authors who send items
 * one by one.
 *
 * @example
 * ```ts
 * import { NotFoundError, failureFromError } from 'guanxi/client';
 *
 * const failure = failureFromError(new NotFoundError('gone', { status: 404, method: 'PUT', url: 'https://x/1', code: 'not_found' }));
 * console.log(failure); // { code: 'not_found', message: 'gone', status: 404 }
 * ```
 */
export function failureFromError(error: unknown): CrmItemFailure {
  if (isValidationError(error)) {
    const cause = (error as { cause?: unknown }).cause;
    return { code: error.code, message: error.message, status: isHttpError(cause) ? cause.status : undefined, issues: error.issues };
  }
  if (isHttpError(error)) return { code: error.code, message: error.message, status: error.status };
  if (isGuanxiError(error)) return { code: error.code, message: error.message };
  return { code: 'unexpected_error', message: error instanceof Error ? error.message : String(error) };
}

/**
 * Whether an error stops a whole batch rather than failing its chunk: bad credentials,
 * an operation the adapter cannot do, cancellation and other non-guanxi errors.
 */
export function stopsBatch(error: unknown): boolean {
  return isAuthError(error) || isUnsupportedOperationError(error) || !isGuanxiError(error);
}

/** Splits item outcomes into the two lists of a `CrmBatchResult`, sorted by index. */
export function collectOutcomes<T>(outcomes: readonly CrmBatchItemOutcome<T>[]): CrmBatchResult<T> {
  const sorted = [...outcomes].sort((a, b) => a.index - b.index);
  const succeeded: { index: number; record: T }[] = [];
  const failed: { index: number; failure: CrmItemFailure }[] = [];
  for (const outcome of sorted) {
    if (outcome.ok) succeeded.push({ index: outcome.index, record: outcome.record });
    else failed.push({ index: outcome.index, failure: outcome.failure });
  }
  return { succeeded, failed };
}
