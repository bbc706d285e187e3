import * as z from 'zod/mini';
import { ValidationError, type ValidationIssue } from '../core/errors/validation-error';
import { PartyKind } from './party-kind';

/**
 * One relationship type, defined once: which kinds of party it may start from and point
 * to, and the name of the same relationship read from the other end.
 *
 * @example
 * ```ts
 * import type { RelationshipTypeDefinition } from 'guanxi/profile';
 *
 * const employee: RelationshipTypeDefinition = { from: ['person'], to: ['organization'], inverse: 'employer' };
 * ```
 */
export interface RelationshipTypeDefinition {
  /** Party kinds that may hold the relationship. */
  readonly from: readonly PartyKind[];
  /** Party kinds the relationship may point to. */
  readonly to: readonly PartyKind[];
  /** The relationship's name read from the target (`employee` → `employer`). Symmetric types name themselves. */
  readonly inverse?: string;
  /** What the relationship means, for people reading the registry. */
  readonly description?: string;
}

/**
 * A registry of relationship types keyed by type name.
 *
 * @example
 * ```ts
 * import { defaultRelationshipTypes, type RelationshipTypeRegistry } from 'guanxi/profile';
 *
 * const registry: RelationshipTypeRegistry = defaultRelationshipTypes;
 * ```
 */
export type RelationshipTypeRegistry = Readonly<Record<string, RelationshipTypeDefinition>>;

const typeNamePattern = /^[a-z][a-z0-9-]{0,39}$/;

/**
 * Defines the relationship types of a CRM, once, and checks the definitions: names are
 * lower-case kebab-case, every type allows at least one party kind on each end, and no
 * inverse name collides with another type.
 *
 * @throws ValidationError listing every problem, with the type name as path.
 *
 * @example
 * ```ts
 * import { defaultRelationshipTypes, defineRelationshipTypes } from 'guanxi/profile';
 *
 * const types = defineRelationshipTypes({
 *   ...defaultRelationshipTypes,
 *   franchisee: { from: ['organization'], to: ['organization'], inverse: 'franchisor' },
 * });
 * ```
 */
export function defineRelationshipTypes<const T extends Record<string, RelationshipTypeDefinition>>(types: T): Readonly<T> {
  const issues: ValidationIssue[] = [];
  const names = Object.keys(types);
  for (const name of names) {
    const definition = types[name] as RelationshipTypeDefinition;
    if (!typeNamePattern.test(name)) {
      issues.push({ path: [name], code: 'invalid_relationship_type', message: 'Type names are lower-case kebab-case' });
    }
    if (definition.from.length === 0 || definition.to.length === 0) {
      issues.push({ path: [name], code: 'invalid_relationship_type', message: 'A type needs at least one party kind on each end' });
    }
    for (const kind of [...definition.from, ...definition.to]) {
      if (kind !== 'person' && kind !== 'organization') {
        issues.push({ path: [name], code: 'invalid_relationship_type', message: `Unknown party kind "${String(kind)}"` });
      }
    }
    const inverse = definition.inverse;
    if (inverse !== undefined && inverse !== name && Object.hasOwn(types, inverse)) {
      const other = types[inverse] as RelationshipTypeDefinition;
      if (other.inverse !== name) {
        issues.push({ path: [name, 'inverse'], code: 'invalid_relationship_type', message: `Inverse "${inverse}" is another type whose inverse is not "${name}"` });
      }
    }
  }
  if (issues.length > 0) throw new ValidationError(issues, 'relationship types');
  const copy: Record<string, RelationshipTypeDefinition> = Object.create(null) as Record<string, RelationshipTypeDefinition>;
  for (const name of names) copy[name] = Object.freeze({ ...(types[name] as RelationshipTypeDefinition) });
  return Object.freeze(copy) as Readonly<T>;
}

/**
 * The relationship types guanxi knows out of the box: person–person (`spouse`, `family`,
 * `referrer`), person–organization (`employee`, `buyer`, `payer`, `ship-to`, `dealer`,
 * `contact`) and organization–organization (`subsidiary`, `branch`, `partner`,
 * `supplier`). `dealer`, `buyer`, `payer` and `ship-to` also allow an organization on
 * the holding end (a distributor buying for a chain of shops).
 *
 * @example
 * ```ts
 * import { defaultRelationshipTypes } from 'guanxi/profile';
 *
 * console.log(defaultRelationshipTypes.subsidiary.inverse); // 'parent'
 * ```
 */
export const defaultRelationshipTypes = /*@__PURE__*/ defineRelationshipTypes({
  spouse: { from: ['person'], to: ['person'], inverse: 'spouse', description: 'Married or civil partners' },
  family: { from: ['person'], to: ['person'], inverse: 'family', description: 'Another member of the household or family' },
  referrer: { from: ['person'], to: ['person', 'organization'], inverse: 'referred', description: 'Who referred this party to the business' },
  employee: { from: ['person'], to: ['organization'], inverse: 'employer', description: 'Works for the organization' },
  contact: { from: ['person'], to: ['organization'], inverse: 'contact-of', description: 'The person the business talks to at the organization' },
  buyer: { from: ['person', 'organization'], to: ['organization'], inverse: 'bought-for', description: 'Places orders for the organization' },
  payer: { from: ['person', 'organization'], to: ['organization', 'person'], inverse: 'paid-for', description: 'Pays the invoices of the target' },
  'ship-to': { from: ['person', 'organization'], to: ['organization', 'person'], inverse: 'ships-for', description: 'Receives the goods ordered by the target' },
  dealer: { from: ['person', 'organization'], to: ['organization'], inverse: 'dealt-by', description: 'Resells the products of the target' },
  subsidiary: { from: ['organization'], to: ['organization'], inverse: 'parent', description: 'Owned or controlled by the target (holding)' },
  branch: { from: ['organization'], to: ['organization'], inverse: 'head-office', description: 'A branch or store of the target' },
  partner: { from: ['organization'], to: ['organization'], inverse: 'partner', description: 'Business partners' },
  supplier: { from: ['organization'], to: ['organization'], inverse: 'customer-of', description: 'Supplies the target' },
});

/**
 * A relationship from the profile that holds it to another party. `type` must be a
 * type of the profile model's registry, and the registry must allow both party kinds.
 *
 * @example
 * ```ts
 * import { Relationship } from 'guanxi/profile';
 *
 * const job = Relationship.parse({ type: 'employee', to: { kind: 'organization', id: 'org-acme' }, since: '2021-03-01' });
 * ```
 */
export const Relationship = /*@__PURE__*/ z.object({
  type: z.string().check(z.regex(typeNamePattern, 'Expected a relationship type name')),
  to: z.object({ kind: PartyKind, id: z.string().check(z.trim(), z.minLength(1), z.maxLength(256)) }),
  since: z.optional(z.iso.date()),
  until: z.optional(z.iso.date()),
  label: z.optional(z.string().check(z.trim(), z.maxLength(100))),
});
/** See the `Relationship` schema. *
 * @example
 * ```ts
 * import type { Relationship } from 'guanxi/profile';
 *
 * const parent: Relationship = { type: 'subsidiary', to: { kind: 'organization', id: 'org-holding' } };
 * ```
 */
export type Relationship = z.infer<typeof Relationship>;
