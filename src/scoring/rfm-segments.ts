import { ValidationError, type ValidationIssue } from '../core/errors/validation-error';

/**
 * One rule of an RFM segment map: the segment a customer falls in when each of its
 * scores lies within the given inclusive ranges. A missing range matches every score.
 *
 * @example
 * ```ts
 * import type { RfmSegmentRule } from 'guanxi/scoring';
 *
 * // "R 4–5 and F 2–3" — the potential loyalists of the standard map.
 * const rule: RfmSegmentRule = { segment: 'potential-loyalist', recency: [4, 5], frequency: [2, 3] };
 * ```
 */
export interface RfmSegmentRule {
  /** The segment's name. */
  readonly segment: string;
  /** Inclusive range of recency scores. @default every score */
  readonly recency?: readonly [number, number];
  /** Inclusive range of frequency scores. @default every score */
  readonly frequency?: readonly [number, number];
  /** Inclusive range of monetary scores. @default every score */
  readonly monetary?: readonly [number, number];
}

/**
 * An RFM segment map: rules applied first-match-wins. A good map partitions every cell of
 * the score grid; `checkRfmSegmentMap()` reports cells no rule covers and rules that can
 * never match.
 *
 * @example
 * ```ts
 * import type { RfmSegmentMap } from 'guanxi/scoring';
 *
 * const twoWay: RfmSegmentMap = [
 *   { segment: 'recent', recency: [3, 5] },
 *   { segment: 'lapsed', recency: [1, 2] },
 * ];
 * ```
 */
export type RfmSegmentMap = readonly RfmSegmentRule[];

/**
 * The names of the standard 10-segment R/F map.
 *
 * @example
 * ```ts
 * import type { RfmSegmentName } from 'guanxi/scoring';
 *
 * const best: RfmSegmentName = 'champions';
 * ```
 */
export type RfmSegmentName =
  | 'champions'
  | 'loyal'
  | 'potential-loyalist'
  | 'new'
  | 'promising'
  | 'need-attention'
  | 'about-to-sleep'
  | 'at-risk'
  | 'cant-lose'
  | 'hibernating';

/**
 * The standard 10-segment map on recency and frequency quintiles. Unlike the widely
 * copied 11-segment R/F/M table (which, applied first-match-wins, never assigns four of
 * its segments), it partitions all 25 R/F cells exactly once:
 *
 * | R \ F | 1 | 2 | 3 | 4 | 5 |
 * | --- | --- | --- | --- | --- | --- |
 * | 5 | new | potential loyalist | potential loyalist | champions | champions |
 * | 4 | promising | potential loyalist | potential loyalist | loyal | loyal |
 * | 3 | about to sleep | about to sleep | need attention | loyal | loyal |
 * | 2 | hibernating | hibernating | at risk | at risk | can't lose |
 * | 1 | hibernating | hibernating | at risk | at risk | can't lose |
 *
 * @example
 * ```ts
 * import { rfmSegmentOf, standardRfmSegmentMap } from 'guanxi/scoring';
 *
 * console.log(rfmSegmentOf({ recency: 5, frequency: 4, monetary: 3 }, standardRfmSegmentMap)); // 'champions'
 * ```
 */
export const standardRfmSegmentMap: readonly (RfmSegmentRule & {
  readonly segment: RfmSegmentName;
  readonly recency: readonly [number, number];
  readonly frequency: readonly [number, number];
})[] = Object.freeze([
  { segment: 'hibernating', recency: [1, 2], frequency: [1, 2] },
  { segment: 'at-risk', recency: [1, 2], frequency: [3, 4] },
  { segment: 'cant-lose', recency: [1, 2], frequency: [5, 5] },
  { segment: 'about-to-sleep', recency: [3, 3], frequency: [1, 2] },
  { segment: 'need-attention', recency: [3, 3], frequency: [3, 3] },
  { segment: 'loyal', recency: [3, 4], frequency: [4, 5] },
  { segment: 'promising', recency: [4, 4], frequency: [1, 1] },
  { segment: 'new', recency: [5, 5], frequency: [1, 1] },
  { segment: 'potential-loyalist', recency: [4, 5], frequency: [2, 3] },
  { segment: 'champions', recency: [5, 5], frequency: [4, 5] },
] as const);

/**
 * RFM scores of one customer (each 1 … bins).
 *
 * @example
 * ```ts
 * import type { RfmCell } from 'guanxi/scoring';
 *
 * const cell: RfmCell = { recency: 5, frequency: 1, monetary: 2 };
 * ```
 */
export interface RfmCell {
  readonly recency: number;
  readonly frequency: number;
  readonly monetary: number;
}

function within(score: number, range: readonly [number, number] | undefined): boolean {
  return range === undefined || (score >= range[0] && score <= range[1]);
}

/**
 * The segment of a score cell under a map (first matching rule), or `undefined` when no
 * rule matches.
 *
 * @example
 * ```ts
 * import { rfmSegmentOf, standardRfmSegmentMap } from 'guanxi/scoring';
 *
 * console.log(rfmSegmentOf({ recency: 1, frequency: 5, monetary: 5 }, standardRfmSegmentMap)); // 'cant-lose'
 * ```
 */
export function rfmSegmentOf(cell: RfmCell, map: RfmSegmentMap = standardRfmSegmentMap): string | undefined {
  for (const rule of map) {
    if (within(cell.recency, rule.recency) && within(cell.frequency, rule.frequency) && within(cell.monetary, rule.monetary)) return rule.segment;
  }
  return undefined;
}

/**
 * What `checkRfmSegmentMap()` found: score cells no rule covers, and rules that never
 * match because earlier rules take all their cells.
 *
 * @example
 * ```ts
 * import type { RfmSegmentMapReport } from 'guanxi/scoring';
 *
 * const report: RfmSegmentMapReport = { uncovered: [], unreachable: [], cells: 125 };
 * ```
 */
export interface RfmSegmentMapReport {
  /** Cells (R, F, M) that no rule assigns. */
  readonly uncovered: readonly RfmCell[];
  /** Segments (by rule position and name) that are never assigned. */
  readonly unreachable: readonly { readonly index: number; readonly segment: string }[];
  /** Number of cells examined (bins³). */
  readonly cells: number;
}

/**
 * Checks a segment map against every cell of the bins × bins × bins score grid.
 *
 * @example
 * ```ts
 * import { checkRfmSegmentMap, standardRfmSegmentMap } from 'guanxi/scoring';
 *
 * const report = checkRfmSegmentMap(standardRfmSegmentMap, 5);
 * console.log(report.uncovered.length, report.unreachable.length); // 0 0
 * ```
 */
export function checkRfmSegmentMap(map: RfmSegmentMap, bins = 5): RfmSegmentMapReport {
  const uncovered: RfmCell[] = [];
  const used = new Array<boolean>(map.length).fill(false);
  for (let recency = 1; recency <= bins; recency++) {
    for (let frequency = 1; frequency <= bins; frequency++) {
      for (let monetary = 1; monetary <= bins; monetary++) {
        const cell = { recency, frequency, monetary };
        const index = map.findIndex((rule) => within(recency, rule.recency) && within(frequency, rule.frequency) && within(monetary, rule.monetary));
        if (index < 0) uncovered.push(cell);
        else used[index] = true;
      }
    }
  }
  const unreachable = map.flatMap((rule, index) => (used[index] ? [] : [{ index, segment: rule.segment }]));
  return { uncovered, unreachable, cells: bins * bins * bins };
}

/**
 * Validates a user-defined segment map: every range well-formed and within 1 … bins,
 * every cell covered and every rule reachable. Throws a `ValidationError` listing each
 * problem; returns the map unchanged when it is sound.
 *
 * @example
 * ```ts
 * import { defineRfmSegmentMap } from 'guanxi/scoring';
 *
 * const map = defineRfmSegmentMap([
 *   { segment: 'vip', recency: [4, 5], frequency: [4, 5], monetary: [4, 5] },
 *   { segment: 'active', recency: [3, 5] },
 *   { segment: 'lapsed', recency: [1, 2] },
 * ]);
 * ```
 */
export function defineRfmSegmentMap<const M extends RfmSegmentMap>(map: M, bins = 5): M {
  const issues: ValidationIssue[] = [];
  map.forEach((rule, index) => {
    if (typeof rule.segment !== 'string' || rule.segment === '') issues.push({ path: [index, 'segment'], code: 'invalid_segment', message: 'Segment name must be a non-empty string' });
    for (const field of ['recency', 'frequency', 'monetary'] as const) {
      const range = rule[field];
      if (range === undefined) continue;
      const [low, high] = range;
      if (!Number.isInteger(low) || !Number.isInteger(high) || low < 1 || high > bins || low > high) {
        issues.push({ path: [index, field], code: 'invalid_range', message: `Range must be [low, high] with 1 ≤ low ≤ high ≤ ${bins}` });
      }
    }
  });
  if (issues.length === 0) {
    const report = checkRfmSegmentMap(map, bins);
    for (const cell of report.uncovered.slice(0, 10)) {
      issues.push({ path: [], code: 'uncovered_cell', message: `No rule covers R${cell.recency} F${cell.frequency} M${cell.monetary}` });
    }
    if (report.uncovered.length > 10) issues.push({ path: [], code: 'uncovered_cell', message: `… and ${report.uncovered.length - 10} more uncovered cells` });
    for (const rule of report.unreachable) {
      issues.push({ path: [rule.index], code: 'unreachable_rule', message: `Segment '${rule.segment}' is never assigned: earlier rules take all its cells` });
    }
  }
  if (issues.length > 0) throw new ValidationError(issues, 'RFM segment map');
  return map;
}
