/**
 * Search requests: the filter tree (and/or; eq, neq, lt, lte, gt, gte, in, exists,
 * contains) compiled to SQL over the `properties` jsonb column with SQL/JSON path
 * expressions, a sort, and keyset cursors. Property paths are checked against a strict
 * pattern before they are written into a path expression; every value travels as a
 * query parameter.
 */
import { z } from 'zod';

const pathPattern = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*){0,7}$/;
export const PropertyPath = z.string().regex(pathPattern, 'Expected a dotted property path such as "amount" or "emails.address"');

const scalar = z.union([z.string(), z.number().finite(), z.boolean()]);

export type FilterNode =
  | { readonly and: readonly FilterNode[] }
  | { readonly or: readonly FilterNode[] }
  | { readonly property: string; readonly op: FilterOperator; readonly value?: unknown };

export type FilterOperator = 'eq' | 'neq' | 'lt' | 'lte' | 'gt' | 'gte' | 'in' | 'exists' | 'contains';

const FilterCondition = z
  .object({
    property: PropertyPath,
    op: z.enum(['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'in', 'exists', 'contains']),
    value: z.unknown().optional(),
  })
  .strict()
  .superRefine((condition, context) => {
    const { op, value } = condition;
    const check = (schema: z.ZodType, message: string) => {
      if (!schema.safeParse(value).success) context.addIssue({ code: 'custom', path: ['value'], message });
    };
    if (op === 'in') check(z.array(scalar).min(1).max(100), '`in` takes an array of 1 to 100 strings, numbers or booleans');
    else if (op === 'exists') check(z.boolean().optional(), '`exists` takes an optional boolean');
    else if (op === 'contains') check(z.string().min(1).max(256), '`contains` takes a non-empty string');
    else check(scalar, `\`${op}\` takes a string, number or boolean`);
  });

export const FilterNodeSchema: z.ZodType<FilterNode> = z.lazy(() =>
  z.union([
    z.object({ and: z.array(FilterNodeSchema).min(1) }).strict(),
    z.object({ or: z.array(FilterNodeSchema).min(1) }).strict(),
    FilterCondition,
  ]),
) as z.ZodType<FilterNode>;

export const SearchRequest = z
  .object({
    filter: FilterNodeSchema.optional(),
    query: z.string().min(1).max(256).optional(),
    sort: z
      .array(z.object({ property: PropertyPath, direction: z.enum(['asc', 'desc']).default('asc') }).strict())
      .max(1)
      .optional(),
    limit: z.number().int().min(1).max(200).default(20),
    after: z.string().min(1).max(2048).optional(),
  })
  .strict();
export type SearchRequest = z.infer<typeof SearchRequest>;

export const maxFilterDepth = 5;
export const maxFilterConditions = 50;

/** Problems of shape the schema cannot express: depth and total size. */
export function filterLimitIssues(filter: FilterNode | undefined): { path: (string | number)[]; code: string; message: string }[] {
  if (!filter) return [];
  let conditions = 0;
  const issues: { path: (string | number)[]; code: string; message: string }[] = [];
  const walk = (node: FilterNode, depth: number, path: (string | number)[]) => {
    if (depth > maxFilterDepth) {
      issues.push({ path, code: 'too_deep', message: `Filters may nest at most ${maxFilterDepth} levels` });
      return;
    }
    if ('and' in node) node.and.forEach((child, i) => walk(child, depth + 1, [...path, 'and', i]));
    else if ('or' in node) node.or.forEach((child, i) => walk(child, depth + 1, [...path, 'or', i]));
    else conditions += 1;
  };
  walk(filter, 1, ['filter']);
  if (conditions > maxFilterConditions) issues.push({ path: ['filter'], code: 'too_big', message: `At most ${maxFilterConditions} conditions in all` });
  return issues;
}

/** Collects query parameters while SQL is built. */
export class SqlParameters {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

const systemColumns: Readonly<Record<string, { column: string; cast: string }>> = {
  id: { column: 'id', cast: 'text' },
  createdAt: { column: 'created_at', cast: 'timestamptz' },
  updatedAt: { column: 'updated_at', cast: 'timestamptz' },
};

function jsonPath(property: string): string {
  // Segments match pathPattern, so quoting them cannot break out of the path literal.
  return `lax $${property
    .split('.')
    .map((segment) => `."${segment}"`)
    .join('')}`;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (character) => `\\${character}`);
}

const comparison: Readonly<Record<string, string>> = { eq: '==', lt: '<', lte: '<=', gt: '>', gte: '>=' };
const sqlComparison: Readonly<Record<string, string>> = { eq: '=', lt: '<', lte: '<=', gt: '>', gte: '>=' };

/** SQL for a filter tree (a boolean expression over the `crm_records` row). */
export function filterSql(node: FilterNode, parameters: SqlParameters): string {
  if ('and' in node) return `(${node.and.map((child) => filterSql(child, parameters)).join(' AND ')})`;
  if ('or' in node) return `(${node.or.map((child) => filterSql(child, parameters)).join(' OR ')})`;
  const { property, op, value } = node;
  const system = systemColumns[property];
  if (system) {
    const column = system.column;
    switch (op) {
      case 'exists':
        return value === false ? 'FALSE' : 'TRUE';
      case 'contains':
        return `(${column}::text ILIKE ${parameters.add(`%${escapeLike(String(value))}%`)} ESCAPE '\\')`;
      case 'in':
        return `(${column} IN (SELECT x::${system.cast} FROM jsonb_array_elements_text(${parameters.add(JSON.stringify(value))}::jsonb) AS x))`;
      case 'neq':
        return `(${column} <> ${parameters.add(String(value))}::${system.cast})`;
      default:
        return `(${column} ${sqlComparison[op]} ${parameters.add(String(value))}::${system.cast})`;
    }
  }
  const path = parameters.add(jsonPath(property));
  switch (op) {
    case 'exists': {
      const exists = `jsonb_path_exists(properties, ${path}::jsonpath)`;
      return value === false ? `(NOT ${exists})` : exists;
    }
    case 'contains':
      return `EXISTS (SELECT 1 FROM jsonb_path_query(properties, ${path}::jsonpath) AS v WHERE jsonb_typeof(v) = 'string' AND (v #>> '{}') ILIKE ${parameters.add(`%${escapeLike(String(value))}%`)} ESCAPE '\\')`;
    case 'in':
      return `EXISTS (SELECT 1 FROM jsonb_array_elements(${parameters.add(JSON.stringify(value))}::jsonb) AS e WHERE jsonb_path_exists(properties, (${path} || ' ? (@ == $v)')::jsonpath, jsonb_build_object('v', e)))`;
    case 'neq':
      return `(NOT jsonb_path_exists(properties, (${path} || ' ? (@ == $v)')::jsonpath, ${parameters.add(JSON.stringify({ v: value }))}::jsonb))`;
    default:
      return `jsonb_path_exists(properties, (${path} || ' ? (@ ${comparison[op]} $v)')::jsonpath, ${parameters.add(JSON.stringify({ v: value }))}::jsonb)`;
  }
}

/** SQL for free text: some string value anywhere in the properties contains it. */
export function textQuerySql(text: string, parameters: SqlParameters): string {
  return `EXISTS (SELECT 1 FROM jsonb_path_query(properties, 'lax $.**') AS v WHERE jsonb_typeof(v) = 'string' AND (v #>> '{}') ILIKE ${parameters.add(`%${escapeLike(text)}%`)} ESCAPE '\\')`;
}

/** The sort key expression for a property path or record field. */
export function sortKeySql(property: string): { expression: string; cast: string } {
  const system = systemColumns[property];
  if (system) return { expression: system.column, cast: system.cast };
  // Missing values sort as JSON null, which orders before every other JSON value.
  return { expression: `COALESCE(properties #> '{${property.split('.').join(',')}}', 'null'::jsonb)`, cast: 'jsonb' };
}

/** Cursors are opaque to clients: base64url JSON of the last row's sort key and id. */
export interface Cursor {
  /** The sort signature the cursor belongs to. */
  readonly s: string;
  /** Last id. */
  readonly id: string;
  /** Last sort value (JSON text for jsonb sorts, ISO text for time). */
  readonly v?: string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

export function decodeCursor(text: string, signature: string): Cursor | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as unknown;
    const cursor = z.object({ s: z.string(), id: z.string(), v: z.string().optional() }).safeParse(parsed);
    if (!cursor.success || cursor.data.s !== signature) return undefined;
    return cursor.data;
  } catch {
    return undefined;
  }
}
