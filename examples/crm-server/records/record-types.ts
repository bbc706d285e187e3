/**
 * The record types of the API and how each one's `properties` are validated. Contacts and
 * companies are validated by the profile integration (`../profiles.ts`); deals, tickets and
 * activities by the schemas here (activities reuse the tracker's touchpoint vocabulary).
 */
import { z } from 'zod';
import { safeValidate, type ValidationResult } from 'guanxi';
import { parseCompanyProperties, parseContactProperties } from '../profiles';
import { parseActivityProperties } from '../touchpoints';

export type RecordType = 'contact' | 'company' | 'deal' | 'activity' | 'ticket';

/** A record's properties: a JSON object. */
export type RecordProperties = Record<string, unknown>;

export interface RecordTypeDefinition {
  readonly type: RecordType;
  /** The path segment: `/v1/<collection>`. */
  readonly collection: string;
  /** Prefix of server-assigned ids. */
  readonly idPrefix: string;
  /** Validates and normalizes a full set of properties. */
  readonly parse: (input: unknown) => ValidationResult<RecordProperties>;
}

const recordRef = z.string().min(1).max(256);

const DealProperties = z
  .object({
    name: z.string().trim().min(1).max(512),
    stage: z.string().trim().min(1).max(64),
    pipeline: z.string().trim().min(1).max(64).optional(),
    amount: z.number().finite().nonnegative().optional(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'Expected an ISO 4217 currency code such as "EUR"')
      .optional(),
    closeDate: z.iso.date().optional(),
    ownerId: z.string().min(1).max(128).optional(),
    contactId: recordRef.optional(),
    companyId: recordRef.optional(),
  })
  .loose()
  .refine((deal) => deal.amount === undefined || deal.currency !== undefined, { message: 'currency is required with amount', path: ['currency'] });

const TicketProperties = z
  .object({
    subject: z.string().trim().min(1).max(512),
    description: z.string().max(65536).optional(),
    status: z.enum(['new', 'open', 'pending', 'resolved', 'closed']),
    priority: z.enum(['low', 'medium', 'high', 'urgent']).optional(),
    severity: z.enum(['minor', 'major', 'critical']).optional(),
    category: z.enum(['inquiry', 'complaint', 'suggestion', 'service-request', 'other']).optional(),
    ownerId: z.string().min(1).max(128).optional(),
    contactId: recordRef.optional(),
    companyId: recordRef.optional(),
  })
  .loose();

function objectOnly(input: unknown): ValidationResult<RecordProperties> | undefined {
  if (typeof input === 'object' && input !== null && !Array.isArray(input)) return undefined;
  return safeValidate(z.record(z.string(), z.unknown()), input, 'properties') as ValidationResult<RecordProperties>;
}

export const recordTypes: readonly RecordTypeDefinition[] = [
  { type: 'contact', collection: 'contacts', idPrefix: 'ct', parse: parseContactProperties },
  { type: 'company', collection: 'companies', idPrefix: 'co', parse: parseCompanyProperties },
  {
    type: 'deal',
    collection: 'deals',
    idPrefix: 'dl',
    parse: (input) => objectOnly(input) ?? (safeValidate(DealProperties, input, 'deal') as ValidationResult<RecordProperties>),
  },
  { type: 'activity', collection: 'activities', idPrefix: 'ac', parse: parseActivityProperties },
  {
    type: 'ticket',
    collection: 'tickets',
    idPrefix: 'tk',
    parse: (input) => objectOnly(input) ?? (safeValidate(TicketProperties, input, 'ticket') as ValidationResult<RecordProperties>),
  },
];

export function recordTypeNamed(type: RecordType): RecordTypeDefinition {
  const found = recordTypes.find((definition) => definition.type === type);
  if (!found) throw new Error(`unknown record type ${type}`);
  return found;
}
