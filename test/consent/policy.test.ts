import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  combinePurposeStates,
  decideFromStates,
  defaultConsentPurposes,
  defaultJurisdictionRules,
  defaultJurisdictionSources,
  evaluateContactChannel,
  evaluatePurpose,
  findJurisdictionRule,
  mergeJurisdictionRules,
  purposeMode,
  requiredConsentForm,
  type ConsentPurpose,
  type PolicyContext,
  type PurposeState,
} from 'guanxi/consent';

const purpose = (id: string): ConsentPurpose => defaultConsentPurposes.find((p) => p.id === id)!;
const rule = (code: string) => findJurisdictionRule(defaultJurisdictionRules, code)!;
const health: ConsentPurpose = { id: 'health-offers', lawfulBasis: 'consent', categories: ['sensitive'] };
const fraud: ConsentPurpose = { id: 'fraud-prevention', lawfulBasis: 'legitimate-interests' };
const export_: ConsentPurpose = { id: 'hq-reporting', lawfulBasis: 'consent', processing: { crossBorder: true } };
const context = (overrides: Partial<PolicyContext> = {}): PolicyContext => ({
  now: Date.parse('2026-06-01T00:00:00Z'),
  noticeVersion: 'v1',
  reconsentAfterMonths: 13,
  optOutSignal: false,
  optOutSignalPurposes: ['advertising', 'sale-sharing'],
  ...overrides,
});

describe('jurisdiction lookup', () => {
  it('maps countries, subdivisions and codes to rules, with a fallback', () => {
    expect(rule('de').code).toBe('EU');
    expect(rule('NO').code).toBe('EU');
    expect(rule('GB').code).toBe('UK');
    expect(rule('US-CA').code).toBe('US-CA');
    expect(rule('US-TX').code).toBe('US');
    expect(rule('CN').code).toBe('CN');
    expect(rule('JP').code).toBe('default');
    expect(findJurisdictionRule(defaultJurisdictionRules, undefined)?.code).toBe('default');
    expect(findJurisdictionRule(defaultJurisdictionRules, 'JP', 'US')?.code).toBe('US');
  });

  it('every shipped rule names its sources', () => {
    for (const r of defaultJurisdictionRules) expect(defaultJurisdictionSources[r.code]?.length, r.code).toBeGreaterThan(0);
  });

  it('users override the table as data', () => {
    const rules = mergeJurisdictionRules(defaultJurisdictionRules, [{ code: 'US', sensitive: 'opt-out' }, { code: 'BR', name: 'Brazil', regions: ['BR'] }]);
    expect(findJurisdictionRule(rules, 'US-TX')?.sensitive).toBe('opt-out');
    expect(findJurisdictionRule(rules, 'BR')?.consentDefault).toBe('opt-in');
    expect(defaultJurisdictionRules.find((r) => r.code === 'US')?.sensitive).toBe('opt-in');
  });
});

describe('purpose modes and required forms', () => {
  it('EU/UK: opt-in for everything not necessary', () => {
    for (const code of ['EU', 'UK']) {
      for (const p of defaultConsentPurposes) expect(purposeMode(p, rule(code))).toBe(p.alwaysOn ? 'always' : 'opt-in');
    }
  });

  it('California: opt-out for sale/sharing and targeted ads; Colorado: opt-in for sensitive', () => {
    expect(purposeMode(purpose('sale-sharing'), rule('US-CA'))).toBe('opt-out');
    expect(purposeMode(purpose('advertising'), rule('US-CA'))).toBe('opt-out');
    expect(purposeMode(purpose('analytics'), rule('US-CA'))).toBe('opt-out');
    expect(purposeMode(health, rule('US-CA'))).toBe('opt-out');
    expect(purposeMode(health, rule('US-CO'))).toBe('opt-in');
    expect(purposeMode(health, rule('US-VA'))).toBe('opt-in');
    expect(purposeMode(health, rule('US-TX'))).toBe('opt-in');
  });

  it('legitimate interests: objectable in the EU, opt-in under PIPL (no such basis)', () => {
    expect(purposeMode(fraud, rule('EU'))).toBe('legitimate-interests');
    expect(purposeMode(fraud, rule('CN'))).toBe('opt-in');
    expect(purposeMode({ id: 'invoices', lawfulBasis: 'legal-obligation' }, rule('EU'))).toBe('always');
  });

  it('sensitive data needs explicit consent (GDPR Art. 9) or separate consent (PIPL Art. 29)', () => {
    expect(requiredConsentForm(health, rule('EU'))).toBe('explicit');
    expect(requiredConsentForm(health, rule('CN'))).toBe('separate');
    expect(requiredConsentForm(health, rule('US-CA'))).toBe('general');
  });

  it('PIPL: separate consent for sharing, public disclosure and cross-border transfer', () => {
    expect(requiredConsentForm(purpose('sale-sharing'), rule('CN'))).toBe('separate');
    expect(requiredConsentForm(purpose('advertising'), rule('CN'))).toBe('separate');
    expect(requiredConsentForm(export_, rule('CN'))).toBe('separate');
    expect(requiredConsentForm({ id: 'reviews', lawfulBasis: 'consent', processing: { publicDisclosure: true } }, rule('CN'))).toBe('separate');
    expect(requiredConsentForm(purpose('analytics'), rule('CN'))).toBe('general');
    expect(requiredConsentForm(export_, rule('EU'))).toBe('general');
  });
});

describe('evaluatePurpose', () => {
  const granted = { state: 'granted', at: Date.parse('2026-01-01T00:00:00Z'), noticeVersion: 'v1', form: 'general', source: 'banner' } as const;

  it('defaults: pending where opt-in, granted where opt-out', () => {
    expect(evaluatePurpose(purpose('analytics'), rule('EU'), undefined, context()).state).toBe('pending');
    expect(evaluatePurpose(purpose('analytics'), rule('US-CA'), undefined, context()).state).toBe('granted');
    expect(evaluatePurpose(purpose('necessary'), rule('EU'), { ...granted, state: 'denied' }, context()).state).toBe('granted');
  });

  it('a grant lapses when the notice version changes', () => {
    const result = evaluatePurpose(purpose('analytics'), rule('EU'), granted, context({ noticeVersion: 'v2' }));
    expect(result).toMatchObject({ state: 'pending', reconsent: 'notice-changed' });
  });

  it('a grant lapses after 13 months, to the day', () => {
    const justBefore = evaluatePurpose(purpose('analytics'), rule('EU'), granted, context({ now: Date.parse('2027-01-31T23:59:59Z') }));
    const after = evaluatePurpose(purpose('analytics'), rule('EU'), granted, context({ now: Date.parse('2027-02-01T00:00:00Z') }));
    expect(justBefore.state).toBe('granted');
    expect(after).toMatchObject({ state: 'pending', reconsent: 'expired' });
  });

  it('the re-consent period is configurable', () => {
    const sixMonths = evaluatePurpose(purpose('analytics'), { ...rule('EU'), reconsentAfterMonths: 6 }, granted, context({ now: Date.parse('2026-07-02T00:00:00Z') }));
    expect(sixMonths.reconsent).toBe('expired');
  });

  it('a refusal never lapses into a grant', () => {
    const denied = { ...granted, state: 'denied' as const };
    expect(evaluatePurpose(purpose('sale-sharing'), rule('US-CA'), denied, context({ now: Date.parse('2030-01-01T00:00:00Z'), noticeVersion: 'v9' })).state).toBe('denied');
  });

  it('a grant in a weaker form than now required lapses', () => {
    expect(evaluatePurpose(health, rule('EU'), granted, context())).toMatchObject({ state: 'pending', reconsent: 'form-insufficient' });
    expect(evaluatePurpose(health, rule('EU'), { ...granted, form: 'explicit' }, context()).state).toBe('granted');
  });

  it('an opt-out signal denies signalled purposes unless granted while the signal was on', () => {
    const on = context({ optOutSignal: true });
    expect(evaluatePurpose(purpose('advertising'), rule('US-CA'), undefined, on)).toMatchObject({ state: 'denied', optedOutBySignal: true });
    expect(evaluatePurpose(purpose('analytics'), rule('US-CA'), undefined, on).state).toBe('granted');
    expect(evaluatePurpose(purpose('advertising'), rule('US-CA'), { ...granted, despiteGpc: true }, on).state).toBe('granted');
  });

  it('contact channels follow the rule until chosen', () => {
    expect(evaluateContactChannel('email', rule('US'), undefined)).toBe('granted');
    expect(evaluateContactChannel('sms', rule('US'), undefined)).toBe('pending');
    expect(evaluateContactChannel('email', rule('EU'), undefined)).toBe('pending');
    expect(evaluateContactChannel('email', rule('US'), { state: 'denied', at: 0, source: 'api' })).toBe('denied');
  });
});

describe('combining states: the most restrictive wins', () => {
  const state = fc.constantFrom<PurposeState>('granted', 'denied', 'pending', 'objected');

  it('is commutative, associative and idempotent', () => {
    fc.assert(
      fc.property(state, state, state, (a, b, c) => {
        expect(combinePurposeStates(a, b)).toBe(combinePurposeStates(b, a));
        expect(combinePurposeStates(combinePurposeStates(a, b), c)).toBe(combinePurposeStates(a, combinePurposeStates(b, c)));
        expect(combinePurposeStates(a, a)).toBe(a);
      }),
    );
  });

  it('never lets a combination be more permissive than either side', () => {
    fc.assert(
      fc.property(state, state, (a, b) => {
        const combined = combinePurposeStates(a, b);
        const decide = (s: PurposeState) => decideFromStates({ p: s }, ['p']);
        const rank = { granted: 0, pending: 1, denied: 2 } as const;
        expect(rank[decide(combined)]).toBeGreaterThanOrEqual(Math.max(rank[decide(a)], rank[decide(b)]));
      }),
    );
  });

  it('decides denied for unknown purposes', () => {
    expect(decideFromStates({ analytics: 'granted' }, ['analytics', 'typo'])).toBe('denied');
    expect(decideFromStates({ analytics: 'granted' }, ['toString'])).toBe('denied');
    expect(decideFromStates({ a: 'granted', b: 'pending' }, ['a', 'b'])).toBe('pending');
    expect(decideFromStates({ a: 'objected', b: 'pending' }, ['a', 'b'])).toBe('denied');
    expect(decideFromStates({}, [])).toBe('granted');
  });
});
