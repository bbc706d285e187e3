import { ValidationError } from '../core/errors/validation-error';

/**
 * An ordered ladder of customer tiers, lowest first (a bank's seven-star scale, a shop's
 * bronze–silver–gold). The profile model accepts only tiers of its ladder.
 *
 * @example
 * ```ts
 * import { defineProfileTierLadder, type ProfileTierLadder } from 'guanxi/profile';
 *
 * const ladder: ProfileTierLadder = defineProfileTierLadder(['bronze', 'silver', 'gold']);
 * ```
 */
export interface ProfileTierLadder {
  /** Tier names, lowest first. */
  readonly tiers: readonly string[];
  /** Position of a tier (0 = lowest), or -1 when it is not on the ladder. */
  rank(tier: string): number;
  /** Whether `tier` is on the ladder. */
  has(tier: string): boolean;
  /** Negative, zero or positive as `a` is below, equal to or above `b`. Unknown tiers sort lowest. */
  compare(a: string, b: string): number;
}

/**
 * Builds a tier ladder from tier names, lowest first. Steps with a `tier` name (such as
 * the score thresholds of `guanxi/scoring`'s ladders) are accepted too, so one ladder
 * definition serves scoring and the profile model.
 *
 * @throws ValidationError when the ladder is empty, a name is blank or repeated.
 *
 * @example
 * ```ts
 * import { defineProfileTierLadder } from 'guanxi/profile';
 *
 * const stars = defineProfileTierLadder(['1-star', '2-star', '3-star', '4-star', '5-star', '6-star', '7-star']);
 * console.log(stars.compare('7-star', '3-star') > 0); // true
 * ```
 */
export function defineProfileTierLadder(steps: readonly (string | { readonly tier: string })[]): ProfileTierLadder {
  const tiers = steps.map((step) => (typeof step === 'object' && step !== null ? step.tier : step));
  const ranks = new Map<string, number>();
  const issues: { path: (string | number)[]; code: string; message: string }[] = [];
  if (tiers.length === 0) issues.push({ path: [], code: 'empty_ladder', message: 'A tier ladder needs at least one tier' });
  tiers.forEach((tier, index) => {
    if (typeof tier !== 'string' || tier.trim() === '') issues.push({ path: [index], code: 'invalid_tier', message: 'Tier names are non-empty strings' });
    else if (ranks.has(tier)) issues.push({ path: [index], code: 'duplicate_tier', message: `Tier "${tier}" appears twice` });
    else ranks.set(tier, index);
  });
  if (issues.length > 0) throw new ValidationError(issues, 'tier ladder');
  const frozen = Object.freeze([...tiers]);
  const rank = (tier: string): number => ranks.get(tier) ?? -1;
  return Object.freeze({
    tiers: frozen,
    rank,
    has: (tier: string) => ranks.has(tier),
    compare: (a: string, b: string) => rank(a) - rank(b),
  });
}
