/**
 * The client's record schemas keep their checks while built on fewer zod features:
 * objects keyed by arbitrary strings (consent purposes, event properties, extra CRM
 * properties) check every value and report it at `[key]`, and changes to a record accept
 * any subset of its fields, each still checked.
 */
import { describe, expect, it } from 'vitest';
import { isValidationError, safeValidate } from 'guanxi';
import { CrmActivity, CrmConsentRecordInput, CrmContact, CrmDataSubjectRequest, CrmEvent, createCrmClient, type CrmAdapter } from 'guanxi/client';

describe('client schemas', () => {
  it('checks each value of a string-keyed object and names its key', () => {
    const record = { subject: { userId: 'u-1' }, purposes: { analytics: 'granted', ads: 'maybe' }, source: 'banner' };
    const result = safeValidate(CrmConsentRecordInput, record, 'consent record');
    expect(result.success).toBe(false);
    expect(!result.success && result.error.issues.map((issue) => issue.path)).toEqual([['purposes', 'ads']]);
    expect(safeValidate(CrmConsentRecordInput, { ...record, purposes: { analytics: 'granted' } }, 'consent record').success).toBe(true);
    const counts = safeValidate(CrmDataSubjectRequest, { id: 'd', type: 'export', status: 'completed', subject: {}, createdAt: 'now', counts: { events: 'many' } }, 'request');
    expect(!counts.success && counts.error.issues[0]?.path).toEqual(['counts', 'events']);
  });

  it('takes objects, not arrays or scalars, where free-form properties go, and keeps them whole', () => {
    const event = { type: 'track', messageId: 'm-1', event: 'Viewed', properties: { sku: 'tea', nested: { a: [1, 2] } } };
    const parsed = safeValidate(CrmEvent, event, 'event');
    expect(parsed.success && parsed.value.properties).toEqual({ sku: 'tea', nested: { a: [1, 2] } });
    for (const properties of [['a'], 'text', 42, null]) {
      const result = safeValidate(CrmEvent, { ...event, properties }, 'event');
      expect(!result.success && result.error.issues[0]?.path).toEqual(['properties']);
    }
    const contact = safeValidate(CrmContact, { id: '1', properties: ['not', 'an', 'object'] }, 'contact');
    expect(contact.success).toBe(false);
    expect(safeValidate(CrmActivity, { id: 'a', type: 'call', occurredAt: '2026-01-01', properties: { hs_call_disposition: 'x' } }, 'activity').success).toBe(true);
  });

  it('checks changes to a record field by field, whatever subset is given', async () => {
    const sent: Record<string, unknown>[] = [];
    const adapter: CrmAdapter = {
      name: 'recording',
      limits: { batchSize: 10, defaultPageSize: 10, maxPageSize: 10, maxSearchPageSize: 10 },
      supports: () => true,
      list: async () => ({ items: [] }),
      get: async () => ({ id: '1' }),
      create: async (_type, input) => ({ ...input, id: '1' }),
      update: async (_type, id, patch) => {
        sent.push({ ...patch });
        return { id, type: 'call', occurredAt: '2026-01-01', ...patch };
      },
      remove: async () => undefined,
      upsertBatch: async () => [],
      search: async () => ({ items: [] }),
    };
    const crm = createCrmClient({ adapter });
    await crm.activities.update('1', { subject: 'Only the subject' });
    await crm.activities.update('1', { durationMs: 90_000 });
    expect(sent).toEqual([{ subject: 'Only the subject' }, { durationSeconds: 90 }]);
    const error = await crm.activities.update('1', { durationSeconds: -5 }).catch((caught: unknown) => caught);
    expect(isValidationError(error) && error.issues[0]?.path).toEqual(['durationSeconds']);
    const contactError = await crm.contacts.update('1', { email: 'not-an-email' }).catch((caught: unknown) => caught);
    expect(isValidationError(contactError) && contactError.issues[0]?.path).toEqual(['email']);
    expect(sent).toHaveLength(2);
  });
});
