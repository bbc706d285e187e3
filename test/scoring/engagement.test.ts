import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { engagementAt, engagementScore, updateEngagement, type EngagementEvent } from '../../src/scoring/index';

const day = 86_400_000;
const start = Date.UTC(2026, 0, 1);

describe('engagement with decay', () => {
  it('halves after one half-life and adds the event weight: E ← E·2^(−Δt/h) + w', () => {
    const options = { halfLifeDays: 10, weights: { purchase: 8, open: 1 } };
    let state = updateEngagement(undefined, { type: 'purchase', at: start }, options);
    expect(state).toEqual({ score: 8, at: start });
    state = updateEngagement(state, { type: 'open', at: start + 10 * day }, options);
    expect(state.score).toBeCloseTo(5, 12);
    state = updateEngagement(state, { type: 'unknown', at: start + 30 * day }, options);
    expect(state.score).toBeCloseTo(5 / 4 + 1, 12);
    expect(engagementAt(state, start + 40 * day, options)).toBeCloseTo((5 / 4 + 1) / 2, 12);
    expect(engagementAt(state, start, options)).toBe(state.score);
  });

  it('gives the same score whatever order events arrive in (property)', () => {
    const event = fc.record({ type: fc.constantFrom('view', 'open', 'click', 'purchase'), offset: fc.integer({ min: 0, max: 200 }) });
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 30 }), (raw) => {
        const options = { halfLifeDays: 14, weights: { view: 0.2, open: 0.5, click: 1, purchase: 5 } };
        const events: EngagementEvent[] = raw.map((e) => ({ type: e.type, at: start + e.offset * day }));
        const asOf = start + 250 * day;
        const forward = engagementScore(events, asOf, options);
        const backward = engagementScore([...events].reverse(), asOf, options);
        const direct = events.reduce((sum, e) => sum + options.weights[e.type as keyof typeof options.weights] * 2 ** (-((asOf - (e.at as number)) / day) / 14), 0);
        expect(backward).toBeCloseTo(forward, 9);
        expect(forward).toBeCloseTo(direct, 9);
      }),
    );
  });

  it('ignores events after the as-of date and rejects bad times and options', () => {
    expect(engagementScore([{ type: 'x', at: '2026-02-01' }], '2026-01-31')).toBe(0);
    expect(() => updateEngagement(undefined, { type: 'x', at: '2026-01-01T10:00' })).toThrow(/zoned/);
    expect(() => engagementScore([], '2026-01-01', { halfLifeDays: 0 })).toThrow(/halfLifeDays/);
  });
});
