import * as z from 'zod/mini';
import { ValidationError, type ValidationIssue } from '../core/errors/validation-error';

/**
 * A survey answer (a survey-response touchpoint): which measure and the score given.
 * `nps`: 0–10 ("how likely are you to recommend…"); `csat`: 1–5; `ces`: 1–7 (CES 2.0,
 * agreement with "the company made it easy to handle my issue").
 *
 * @example
 * ```ts
 * import { SurveyResponse } from 'guanxi/scoring';
 * import { validate } from 'guanxi';
 *
 * const answer = validate(SurveyResponse, { metric: 'nps', score: 9, customerId: 'c1', at: '2026-03-01T10:00:00Z' });
 * ```
 */
export const SurveyResponse = z.object({
  metric: z.enum(['nps', 'csat', 'ces']),
  score: z.number(),
  customerId: z.optional(z.union([z.string(), z.number()])),
  at: z.optional(z.union([z.string(), z.number(), z.date()])),
});
/** A survey answer (see the `SurveyResponse` schema). *
 * @example
 * ```ts
 * import type { SurveyResponse } from 'guanxi/scoring';
 *
 * const answer: SurveyResponse = { metric: 'csat', score: 4 };
 * ```
 */
export type SurveyResponse = z.infer<typeof SurveyResponse>;

/**
 * Net Promoter Score with its counts.
 *
 * @example
 * ```ts
 * import type { NpsResult } from 'guanxi/scoring';
 *
 * const nps: NpsResult = { score: 20, promoters: 4, passives: 4, detractors: 2, responses: 10 };
 * ```
 */
export interface NpsResult {
  /** % promoters − % detractors (−100 … 100); `undefined` without responses. */
  readonly score: number | undefined;
  /** Scores 9–10. */
  readonly promoters: number;
  /** Scores 7–8. */
  readonly passives: number;
  /** Scores 0–6. */
  readonly detractors: number;
  readonly responses: number;
}

/**
 * Customer satisfaction (CSAT) with its counts.
 *
 * @example
 * ```ts
 * import type { CsatResult } from 'guanxi/scoring';
 *
 * const csat: CsatResult = { score: 75, satisfied: 3, responses: 4 };
 * ```
 */
export interface CsatResult {
  /** % of responses scoring 4 or 5 (0 … 100); `undefined` without responses. */
  readonly score: number | undefined;
  readonly satisfied: number;
  readonly responses: number;
}

/**
 * Customer effort score (CES 2.0) with its count.
 *
 * @example
 * ```ts
 * import type { CesResult } from 'guanxi/scoring';
 *
 * const ces: CesResult = { score: 5.5, responses: 2 };
 * ```
 */
export interface CesResult {
  /** Mean agreement, 1 … 7 (higher = easier); `undefined` without responses. */
  readonly score: number | undefined;
  readonly responses: number;
}

/**
 * NPS, CSAT and CES computed together from survey responses.
 *
 * @example
 * ```ts
 * import type { SatisfactionScores } from 'guanxi/scoring';
 *
 * const none: SatisfactionScores = {
 *   nps: { score: undefined, promoters: 0, passives: 0, detractors: 0, responses: 0 },
 *   csat: { score: undefined, satisfied: 0, responses: 0 },
 *   ces: { score: undefined, responses: 0 },
 * };
 * ```
 */
export interface SatisfactionScores {
  readonly nps: NpsResult;
  readonly csat: CsatResult;
  readonly ces: CesResult;
}

const scales = { nps: [0, 10], csat: [1, 5], ces: [1, 7] } as const;

/**
 * Computes NPS (% promoters 9–10 − % detractors 0–6), CSAT (% of 4–5 on 1–5) and CES 2.0
 * (mean of 1–7) from survey responses, with counts. Scores must be integers on their
 * scale; a `ValidationError` names every bad response (`[index, field]`).
 *
 * @example
 * ```ts
 * import { satisfactionScores } from 'guanxi/scoring';
 *
 * const scores = satisfactionScores([
 *   { metric: 'nps', score: 10 },
 *   { metric: 'nps', score: 9 },
 *   { metric: 'nps', score: 7 },
 *   { metric: 'nps', score: 3 },
 *   { metric: 'csat', score: 5 },
 *   { metric: 'csat', score: 2 },
 *   { metric: 'ces', score: 6 },
 * ]);
 * console.log(scores.nps.score, scores.csat.score, scores.ces.score); // 25 50 6
 * ```
 */
export function satisfactionScores(responses: Iterable<SurveyResponse>): SatisfactionScores {
  const issues: ValidationIssue[] = [];
  let promoters = 0;
  let passives = 0;
  let detractors = 0;
  let satisfied = 0;
  let csatResponses = 0;
  let effortSum = 0;
  let cesResponses = 0;
  let index = 0;
  for (const response of responses) {
    const metric = (response as Partial<SurveyResponse>).metric;
    const score = (response as Partial<SurveyResponse>).score;
    if (metric !== 'nps' && metric !== 'csat' && metric !== 'ces') {
      issues.push({ path: [index, 'metric'], code: 'invalid_metric', message: `Metric must be 'nps', 'csat' or 'ces'` });
    } else if (typeof score !== 'number' || !Number.isInteger(score) || score < scales[metric][0] || score > scales[metric][1]) {
      issues.push({ path: [index, 'score'], code: 'out_of_scale', message: `A ${metric.toUpperCase()} score must be an integer from ${scales[metric][0]} to ${scales[metric][1]}` });
    } else if (metric === 'nps') {
      if (score >= 9) promoters++;
      else if (score >= 7) passives++;
      else detractors++;
    } else if (metric === 'csat') {
      csatResponses++;
      if (score >= 4) satisfied++;
    } else {
      cesResponses++;
      effortSum += score;
    }
    index++;
  }
  if (issues.length > 0) throw new ValidationError(issues.slice(0, 20), 'survey responses');
  const npsResponses = promoters + passives + detractors;
  return {
    nps: { score: npsResponses === 0 ? undefined : ((promoters - detractors) * 100) / npsResponses, promoters, passives, detractors, responses: npsResponses },
    csat: { score: csatResponses === 0 ? undefined : (satisfied * 100) / csatResponses, satisfied, responses: csatResponses },
    ces: { score: cesResponses === 0 ? undefined : effortSum / cesResponses, responses: cesResponses },
  };
}

/**
 * The shape of a survey-response touchpoint that `surveyResponsesOf()` reads — the
 * tracking area's touchpoint record (`type: 'survey-response'`, answer in `properties`),
 * described structurally so that scoring does not depend on tracking.
 *
 * @example
 * ```ts
 * import type { SurveyTouchpoint } from 'guanxi/scoring';
 *
 * const answer: SurveyTouchpoint = { type: 'survey-response', occurredAt: '2026-03-02T09:30:00.000Z', properties: { survey: 'nps', score: 9 } };
 * ```
 */
export interface SurveyTouchpoint {
  readonly type: string;
  readonly occurredAt?: string;
  readonly customerId?: string | number;
  /** `survey` (or `metric`): `'nps' | 'csat' | 'ces'`; `score`: the answer. */
  readonly properties?: Readonly<Record<string, unknown>>;
}

/**
 * Survey responses from touchpoints: keeps those of type `survey-response` whose
 * properties name a measure (`survey` or `metric`: nps, csat, ces) and carry a numeric
 * `score`; other touchpoints are skipped. Scales are checked by `satisfactionScores()`.
 *
 * @example
 * ```ts
 * import { satisfactionScores, surveyResponsesOf } from 'guanxi/scoring';
 *
 * const scores = satisfactionScores(surveyResponsesOf([
 *   { type: 'survey-response', occurredAt: '2026-03-02T09:30:00.000Z', properties: { survey: 'nps', score: 10 } },
 *   { type: 'survey-response', occurredAt: '2026-03-02T10:00:00.000Z', properties: { survey: 'nps', score: 4 } },
 *   { type: 'visit', occurredAt: '2026-03-02T10:05:00.000Z' },
 * ]));
 * console.log(scores.nps); // { score: 0, promoters: 1, passives: 0, detractors: 1, responses: 2 }
 * ```
 */
export function surveyResponsesOf(touchpoints: Iterable<SurveyTouchpoint>): SurveyResponse[] {
  const responses: SurveyResponse[] = [];
  for (const touchpoint of touchpoints) {
    if (touchpoint.type !== 'survey-response' || touchpoint.properties === undefined) continue;
    const metric = touchpoint.properties.survey ?? touchpoint.properties.metric;
    const score = touchpoint.properties.score;
    if ((metric !== 'nps' && metric !== 'csat' && metric !== 'ces') || typeof score !== 'number') continue;
    responses.push({
      metric,
      score,
      ...(touchpoint.customerId === undefined ? {} : { customerId: touchpoint.customerId }),
      ...(touchpoint.occurredAt === undefined ? {} : { at: touchpoint.occurredAt }),
    });
  }
  return responses;
}
