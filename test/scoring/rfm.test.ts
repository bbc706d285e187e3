import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkRfmSegmentMap,
  defineRfmSegmentMap,
  rfmInputOf,
  rfmScoreColumns,
  rfmScores,
  rfmSegmentOf,
  standardRfmSegmentMap,
  summarizeTransactions,
} from '../../src/scoring/index';
import { readCdnowSample } from './cdnow';

// REFERENCE §4: the 10-segment R/F map, first digit R, second F.
const expectedCells: Record<string, string> = {};
const assign = (recency: number[], frequency: number[], segment: string) => {
  for (const r of recency) for (const f of frequency) expectedCells[`${r}${f}`] = segment;
};
assign([1, 2], [1, 2], 'hibernating');
assign([1, 2], [3, 4], 'at-risk');
assign([1, 2], [5], 'cant-lose');
assign([3], [1, 2], 'about-to-sleep');
assign([3], [3], 'need-attention');
assign([3, 4], [4, 5], 'loyal');
assign([4], [1], 'promising');
assign([5], [1], 'new');
assign([4, 5], [2, 3], 'potential-loyalist');
assign([5], [4, 5], 'champions');

describe('the standard 10-segment R/F map', () => {
  it('has 25 expected cells', () => {
    expect(Object.keys(expectedCells)).toHaveLength(25);
  });
  for (let r = 1; r <= 5; r++) {
    for (let f = 1; f <= 5; f++) {
      it(`R${r} F${f} → ${expectedCells[`${r}${f}`]} (for every M)`, () => {
        for (let m = 1; m <= 5; m++) expect(rfmSegmentOf({ recency: r, frequency: f, monetary: m }, standardRfmSegmentMap)).toBe(expectedCells[`${r}${f}`]);
      });
    }
  }
  it('partitions the grid: every cell covered, every rule reachable, each cell matched by exactly one rule', () => {
    const report = checkRfmSegmentMap(standardRfmSegmentMap);
    expect(report).toEqual({ uncovered: [], unreachable: [], cells: 125 });
    for (let r = 1; r <= 5; r++) {
      for (let f = 1; f <= 5; f++) {
        const matches = standardRfmSegmentMap.filter((rule) => r >= rule.recency[0] && r <= rule.recency[1] && f >= rule.frequency[0] && f <= rule.frequency[1]);
        expect(matches).toHaveLength(1);
      }
    }
  });
});

describe('user-defined segment maps', () => {
  it('accepts a sound map and applies it first-match-wins', () => {
    const map = defineRfmSegmentMap([
      { segment: 'vip', recency: [4, 5], frequency: [4, 5], monetary: [4, 5] },
      { segment: 'active', recency: [3, 5] },
      { segment: 'lapsed', recency: [1, 2] },
    ]);
    expect(rfmSegmentOf({ recency: 5, frequency: 5, monetary: 5 }, map)).toBe('vip');
    expect(rfmSegmentOf({ recency: 5, frequency: 5, monetary: 3 }, map)).toBe('active');
    expect(rfmSegmentOf({ recency: 2, frequency: 5, monetary: 5 }, map)).toBe('lapsed');
  });

  it('rejects maps with uncovered cells, unreachable rules or bad ranges, naming each problem', () => {
    expect(() => defineRfmSegmentMap([{ segment: 'recent', recency: [3, 5] }])).toThrow(/No rule covers R1 F1 M1/);
    expect(() => defineRfmSegmentMap([{ segment: 'all' }, { segment: 'never', recency: [5, 5] }])).toThrow(/'never' is never assigned/);
    expect(() => defineRfmSegmentMap([{ segment: 'x', recency: [0, 6] }])).toThrow(/\[0\]\.recency/);
  });

  it('finds the four dead segments of the common 11-segment R/F/M table (first match wins)', () => {
    // The widely copied table of "RFM segments" (score ranges on R, F, M).
    const eleven = [
      { segment: 'champions', recency: [4, 5], frequency: [4, 5], monetary: [4, 5] },
      { segment: 'loyal', recency: [2, 5], frequency: [3, 5], monetary: [3, 5] },
      { segment: 'potential-loyalist', recency: [3, 5], frequency: [1, 3], monetary: [1, 3] },
      { segment: 'new', recency: [4, 5], frequency: [1, 1], monetary: [1, 1] },
      { segment: 'promising', recency: [3, 4], frequency: [1, 1], monetary: [1, 1] },
      { segment: 'need-attention', recency: [2, 3], frequency: [2, 3], monetary: [2, 3] },
      { segment: 'about-to-sleep', recency: [2, 3], frequency: [1, 2], monetary: [1, 2] },
      { segment: 'at-risk', recency: [1, 2], frequency: [2, 5], monetary: [2, 5] },
      { segment: 'cant-lose', recency: [1, 1], frequency: [4, 5], monetary: [4, 5] },
      { segment: 'hibernating', recency: [1, 2], frequency: [1, 2], monetary: [1, 2] },
      { segment: 'lost', recency: [1, 1], frequency: [1, 1], monetary: [1, 1] },
    ] as const;
    const report = checkRfmSegmentMap(eleven);
    expect(report.unreachable.map((rule) => rule.segment).sort()).toEqual(['cant-lose', 'lost', 'new', 'promising']);
    expect(report.uncovered.length).toBeGreaterThan(0);
  });
});

describe('rfmScores', () => {
  it('gives quintiles of equal size on distinct values, recency reversed', () => {
    const customers = Array.from({ length: 10 }, (_, i) => ({ customerId: i, recency: i, frequency: i, monetary: i * 10 }));
    const scores = rfmScores(customers);
    expect(scores.map((s) => s.recency)).toEqual([5, 5, 4, 4, 3, 3, 2, 2, 1, 1]);
    expect(scores.map((s) => s.frequency)).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    expect(scores.map((s) => s.monetary)).toEqual([1, 1, 2, 2, 3, 3, 4, 4, 5, 5]);
    expect(scores[0]).toMatchObject({ customerId: 0, code: '511', segment: 'new' });
  });

  it('gives equal values equal scores, at the lowest level the tie reaches', () => {
    const scores = rfmScores([1, 1, 1, 1, 1, 1, 2, 3, 4, 5].map((frequency) => ({ recency: 0, frequency, monetary: 0 })));
    expect(scores.map((s) => s.frequency)).toEqual([1, 1, 1, 1, 1, 1, 4, 4, 5, 5]);
    expect(new Set(scores.map((s) => s.recency))).toEqual(new Set([1]));
  });

  it('treats money equal to the cent as tied', () => {
    const scores = rfmScores([{ recency: 0, frequency: 1, monetary: 0.1 + 0.2 }, { recency: 0, frequency: 1, monetary: 0.3 }, { recency: 0, frequency: 1, monetary: 0.31 }], { bins: 3 });
    expect(scores.map((s) => s.monetary)).toEqual([1, 1, 3]);
  });

  it('is independent of input order and ties are equal (property)', () => {
    const customer = fc.record({ recency: fc.integer({ min: 0, max: 20 }), frequency: fc.integer({ min: 1, max: 8 }), monetary: fc.integer({ min: 0, max: 50 }) });
    fc.assert(
      fc.property(fc.array(customer, { minLength: 1, maxLength: 80 }), fc.integer({ min: 2, max: 10 }), (customers, bins) => {
        const indexed = customers.map((c, i) => ({ ...c, customerId: i }));
        const scores = rfmScores(indexed, { bins });
        const reversed = new Map(rfmScores([...indexed].reverse(), { bins }).map((s) => [s.customerId, s]));
        scores.forEach((score, i) => {
          expect(reversed.get(i)).toEqual(score);
          expect(score.recency).toBeGreaterThanOrEqual(1);
          expect(score.recency).toBeLessThanOrEqual(bins);
        });
        for (let i = 0; i < indexed.length; i++) {
          for (let j = 0; j < indexed.length; j++) {
            if (indexed[i]!.frequency === indexed[j]!.frequency) expect(scores[i]!.frequency).toBe(scores[j]!.frequency);
            if (indexed[i]!.frequency < indexed[j]!.frequency) expect(scores[i]!.frequency).toBeLessThanOrEqual(scores[j]!.frequency);
            if (indexed[i]!.recency < indexed[j]!.recency) expect(scores[i]!.recency).toBeGreaterThanOrEqual(scores[j]!.recency);
          }
        }
      }),
    );
  });

  it('agrees with the column path and rejects non-finite input with its position', () => {
    const summaries = summarizeTransactions(readCdnowSample(), { calibrationEnd: '1997-09-30' });
    const inputs = summaries.map(rfmInputOf);
    const scores = rfmScores(inputs);
    const columns = rfmScoreColumns({ recency: inputs.map((i) => i.recency), frequency: inputs.map((i) => i.frequency), monetary: inputs.map((i) => i.monetary) });
    scores.forEach((score, i) => {
      expect([columns.recency[i], columns.frequency[i], columns.monetary[i]]).toEqual([score.recency, score.frequency, score.monetary]);
      expect(columns.segmentNames[columns.segment[i]!]).toBe(score.segment);
    });
    const segments = new Set(scores.map((s) => s.segment));
    expect(segments.has(undefined)).toBe(false);
    expect(() => rfmScores([{ recency: 1, frequency: Number.NaN, monetary: 1 }])).toThrow(/\[0\]\.frequency/);
  });

  it('leaves segments undefined for other bin counts unless a map is given', () => {
    expect(rfmScores([{ recency: 1, frequency: 1, monetary: 1 }], { bins: 4 })[0]?.segment).toBeUndefined();
    expect(rfmScores([{ recency: 1, frequency: 1, monetary: 1 }], { bins: 4, segments: [{ segment: 'everyone' }] })[0]?.segment).toBe('everyone');
  });
});
