import type * as z from 'zod/mini';

type Payload = Parameters<Parameters<typeof z.transform>[0]>[1];

/**
 * Reports an issue from inside a schema transform with guanxi's own code (e.g.
 * `invalid_phone`), which `validate()` passes through to `ValidationIssue.code`. zod
 * prefixes the path with the field's position.
 *
 * @internal
 */
export function reportIssue(context: Payload, code: string, message: string, path: readonly (string | number)[] = []): void {
  context.issues.push({ code: code as 'custom', message, input: undefined, path: [...path] });
}
