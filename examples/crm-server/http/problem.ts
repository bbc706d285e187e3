/**
 * A failure the server answers with a 4xx or 5xx and the API's error body
 * `{ error: { status, code, message, requestId, issues?, details? } }` (docs/openapi.yaml).
 */
import type { ValidationIssue } from 'guanxi';

/** Where a problem is: request body, query string, path or a header. */
export type IssueLocation = 'body' | 'query' | 'path' | 'header';

/** One problem of a request, as sent in `error.issues`. */
export interface RequestIssue {
  readonly in?: IssueLocation;
  readonly path: readonly (string | number)[];
  readonly code: string;
  readonly message: string;
}

export class HttpProblem extends Error {
  override name = 'HttpProblem' as const;
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly issues?: readonly RequestIssue[],
    readonly details?: Record<string, unknown>,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

/** A 400 `validation_failed` naming every issue, each tagged with where it is. */
export function validationProblem(issues: readonly ValidationIssue[], location: IssueLocation, what: string): HttpProblem {
  const tagged = issues.map((issue) => ({ in: location, path: issue.path, code: issue.code, message: issue.message }));
  const first = tagged[0];
  const where = first ? ` at ${formatIssuePath(first.path)}: ${first.message}` : '';
  const more = tagged.length > 1 ? ` (and ${tagged.length - 1} more)` : '';
  return new HttpProblem(400, 'validation_failed', `Invalid ${what}${where}${more}`, tagged);
}

export function notFound(what: string, id: string): HttpProblem {
  return new HttpProblem(404, 'not_found', `No ${what} with id ${JSON.stringify(id.slice(0, 256))}`);
}

function formatIssuePath(path: readonly (string | number)[]): string {
  if (path.length === 0) return '(root)';
  return path.map((segment, index) => (typeof segment === 'number' ? `[${segment}]` : index === 0 ? segment : `.${segment}`)).join('');
}
