import { describe, expect, it } from 'vitest';
import { healthScore, lifecycleStatus, medianInterPurchaseDays, satisfactionScores, surveyResponsesOf, type SurveyResponse } from '../../src/scoring/index';

describe('satisfactionScores', () => {
  it('computes NPS from promoters (9–10) and detractors (0–6), with counts', () => {
    const responses: SurveyResponse[] = [10, 9, 9, 8, 7, 6, 0, 5, 10, 3].map((score) => ({ metric: 'nps', score }));
    expect(satisfactionScores(responses).nps).toEqual({ score: 0, promoters: 4, passives: 2, detractors: 4, responses: 10 });
    expect(satisfactionScores([{ metric: 'nps', score: 9 }, { metric: 'nps', score: 8 }]).nps.score).toBe(50);
  });

  it('computes CSAT as % of 4–5 on 1–5 and CES 2.0 as the mean of 1–7', () => {
    const scores = satisfactionScores([
      { metric: 'csat', score: 5 },
      { metric: 'csat', score: 4 },
      { metric: 'csat', score: 3 },
      { metric: 'ces', score: 7 },
      { metric: 'ces', score: 4 },
      { metric: 'ces', score: 5 },
    ]);
    expect(scores.csat).toEqual({ score: (2 * 100) / 3, satisfied: 2, responses: 3 });
    expect(scores.ces).toEqual({ score: 16 / 3, responses: 3 });
    expect(scores.nps.score).toBeUndefined();
  });

  it('names every response off its scale', () => {
    expect(() => satisfactionScores([{ metric: 'nps', score: 11 }, { metric: 'csat', score: 0 }, { metric: 'ces', score: 4.5 }])).toThrow(
      /\[0\]\.score.*\[1\]\.score.*\[2\]\.score/,
    );
  });
});

describe('lifecycleStatus', () => {
  it('is dormant after more than 365 days without a purchase', () => {
    expect(lifecycleStatus({ lastPurchase: '2025-01-01' }, '2026-01-01').stage).toBe('active');
    expect(lifecycleStatus({ lastPurchase: '2025-01-01' }, '2026-01-02')).toMatchObject({ stage: 'dormant', daysSinceLastPurchase: 366 });
    expect(lifecycleStatus({ lastPurchase: '2025-06-01' }, '2026-01-01', { dormantAfterDays: 90 }).stage).toBe('dormant');
  });

  it('is at risk when overdue against k × the median inter-purchase time', () => {
    const purchases = ['2026-01-01', '2026-01-11', '2026-01-11', '2026-01-21', '2026-02-20'];
    expect(medianInterPurchaseDays(purchases)).toBe(10);
    expect(lifecycleStatus({ purchases }, '2026-03-12').stage).toBe('active'); // 20 days = 2 × 10: not more
    expect(lifecycleStatus({ purchases }, '2026-03-13')).toMatchObject({ stage: 'at-risk', reason: 'overdue', daysSinceLastPurchase: 21 });
    expect(lifecycleStatus({ purchases }, '2026-03-13', { atRiskMultiple: 3 }).stage).toBe('active');
  });

  it('uses P(alive) when a model is fitted, ignores purchases after as-of, and knows prospects', () => {
    expect(lifecycleStatus({ lastPurchase: '2026-01-01', pAlive: 0.3 }, '2026-01-10')).toMatchObject({ stage: 'at-risk', reason: 'low-p-alive' });
    expect(lifecycleStatus({ purchases: ['2026-05-01'] }, '2026-01-10').stage).toBe('prospect');
    expect(lifecycleStatus({}, '2026-01-10').stage).toBe('prospect');
    expect(() => lifecycleStatus({ lastPurchase: 'soon' }, '2026-01-10')).toThrow(/lastPurchase/);
  });
});

describe('healthScore', () => {
  const options = {
    components: {
      engagement: { weight: 2, worst: 0, best: 10 },
      nps: { weight: 1, worst: -100, best: 100 },
      openTickets: { weight: 1, worst: 5, best: 0 },
    },
  };

  it('is the weighted mean of normalized, clamped components, with red/amber/green', () => {
    const health = healthScore({ engagement: 8, nps: 50, openTickets: 1 }, options);
    expect(health.score).toBeCloseTo(78.75, 12);
    expect(health.status).toBe('green');
    expect(health.components.openTickets).toMatchObject({ normalized: 0.8 });
    expect(Object.values(health.components).reduce((sum, c) => sum + c.contribution, 0)).toBeCloseTo(health.score, 12);
    expect(healthScore({ engagement: 50, nps: 100, openTickets: 0 }, options).score).toBe(100);
    expect(healthScore({ engagement: 6, nps: 0, openTickets: 5 }, options)).toMatchObject({ score: 42.5, status: 'amber' });
    expect(healthScore({ engagement: 0, nps: -100, openTickets: 9 }, options)).toMatchObject({ score: 0, status: 'red' });
  });

  it('spreads the weight of missing components over the rest and lists them', () => {
    const health = healthScore({ engagement: 5 }, options);
    expect(health.score).toBe(50);
    expect(health.missing).toEqual(['nps', 'openTickets']);
  });

  it('rejects bad weights, ranges and thresholds', () => {
    expect(() => healthScore({}, { components: { a: { weight: 0 } } })).toThrow(/components\.a\.weight/);
    expect(() => healthScore({}, { components: { a: { weight: 1, worst: 1, best: 1 } } })).toThrow(/worst and best/);
    expect(() => healthScore({}, { components: { a: { weight: 1 } }, thresholds: { amber: 80, green: 60 } })).toThrow(/thresholds/);
  });
});

describe('surveyResponsesOf (survey-response touchpoints)', () => {
  it('reads the answers of survey touchpoints as the storefront records them and skips the rest', () => {
    const responses = surveyResponsesOf([
      { type: 'survey-response', occurredAt: '2026-03-02T09:30:00.000Z', customerId: 'c1', properties: { survey: 'nps', score: 9 } },
      { type: 'survey-response', occurredAt: '2026-03-02T09:31:00.000Z', properties: { metric: 'csat', score: 5 } },
      { type: 'survey-response', properties: { survey: 'nps' } },
      { type: 'survey-response', properties: { survey: 'stars', score: 4 } },
      { type: 'visit', occurredAt: '2026-03-02T09:32:00.000Z', properties: { survey: 'nps', score: 0 } },
    ]);
    expect(responses).toEqual([
      { metric: 'nps', score: 9, customerId: 'c1', at: '2026-03-02T09:30:00.000Z' },
      { metric: 'csat', score: 5, at: '2026-03-02T09:31:00.000Z' },
    ]);
    expect(satisfactionScores(responses)).toMatchObject({ nps: { score: 100, responses: 1 }, csat: { score: 100, responses: 1 } });
  });
});
