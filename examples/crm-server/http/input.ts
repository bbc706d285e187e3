/**
 * Parsing request input with schemas: every problem becomes an issue naming where it is
 * (`in`) and its path, and the whole list is answered at once.
 */
import { z } from 'zod';
import { safeValidate, type StandardSchemaV1, type ValidationIssue } from 'guanxi';
import type { HttpProblem} from './problem';
import { validationProblem, type IssueLocation } from './problem';

/** Validates `input` or throws a 400 naming every issue. */
export function parseInput<S extends StandardSchemaV1>(schema: S, input: unknown, location: IssueLocation, what: string): StandardSchemaV1.InferOutput<S> {
  const result = safeValidate(schema, input, what);
  if (!result.success) throw validationProblem(result.error.issues, location, what);
  return result.value;
}

/** Prefixes issue paths, e.g. with `['properties']` or `['inputs', 3, 'properties']`. */
export function prefixIssues(issues: readonly ValidationIssue[], prefix: readonly (string | number)[]): ValidationIssue[] {
  return issues.map((issue) => ({ ...issue, path: [...prefix, ...issue.path] }));
}

const booleanText = z.enum(['true', 'false']).transform((text) => text === 'true');

export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  after: z.string().min(1).max(2048).optional(),
});

export const ListQuery = PageQuery.extend({ archived: booleanText.default(false) });

/** The query string as an object (single values), checked against `schema`. */
export function parseQuery<S extends StandardSchemaV1>(schema: S, query: URLSearchParams): StandardSchemaV1.InferOutput<S> {
  const values: Record<string, string> = {};
  for (const [key, value] of query) values[key] = value;
  return parseInput(schema, values, 'query', 'query');
}

/** Applies a JSON Merge Patch (RFC 7396): objects merge, `null` deletes, anything else replaces. */
export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) return patch;
  const result: Record<string, unknown> = typeof target === 'object' && target !== null && !Array.isArray(target) ? { ...(target as Record<string, unknown>) } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
}

export function problemFromIssues(issues: readonly ValidationIssue[], what: string): HttpProblem {
  return validationProblem(issues, 'body', what);
}
