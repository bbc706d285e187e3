import * as z from 'zod/mini';

const positive = (): z.ZodMiniNumber<number> => z.number().check(z.positive());

/**
 * Parameters of the BG/NBD model (Fader, Hardie & Lee 2005): purchase rates λ ~ Gamma(r, α)
 * (shape r, rate α per unit of model time) and drop-out probabilities p ~ Beta(a, b).
 * All four are positive finite numbers.
 *
 * @example
 * ```ts
 * import { BgNbdParameters } from 'guanxi/scoring';
 *
 * // The published CDNOW fit, in weeks.
 * const params: BgNbdParameters = { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 };
 * BgNbdParameters.parse(params);
 * ```
 */
export const BgNbdParameters = z.object({ r: positive(), alpha: positive(), a: positive(), b: positive() });
export type BgNbdParameters = z.infer<typeof BgNbdParameters>;

/**
 * Parameters of the MBG/NBD model (Batislam, Denizel & Filiztekin 2007): as BG/NBD, but
 * a customer may also drop out right after the first purchase.
 *
 * @example
 * ```ts
 * import type { MbgNbdParameters } from 'guanxi/scoring';
 *
 * const params: MbgNbdParameters = { r: 0.525, alpha: 6.183, a: 0.891, b: 1.614 };
 * ```
 */
export const MbgNbdParameters = z.object({ r: positive(), alpha: positive(), a: positive(), b: positive() });
export type MbgNbdParameters = z.infer<typeof MbgNbdParameters>;

/**
 * Parameters of the Pareto/NBD model (Schmittlein, Morrison & Colombo 1987): purchase
 * rates λ ~ Gamma(r, α) and drop-out rates μ ~ Gamma(s, β), rates per unit of model time.
 *
 * @example
 * ```ts
 * import type { ParetoNbdParameters } from 'guanxi/scoring';
 *
 * const params: ParetoNbdParameters = { r: 0.553, alpha: 10.578, s: 0.606, beta: 11.669 };
 * ```
 */
export const ParetoNbdParameters = z.object({ r: positive(), alpha: positive(), s: positive(), beta: positive() });
export type ParetoNbdParameters = z.infer<typeof ParetoNbdParameters>;

/**
 * Parameters of the Gamma-Gamma spend model (Fader, Hardie & Lee 2005, JMR; Colombo &
 * Jiang 1999): transaction values ~ Gamma(p, ν) with ν ~ Gamma(q, γ).
 *
 * @example
 * ```ts
 * import type { GammaGammaParameters } from 'guanxi/scoring';
 *
 * const params: GammaGammaParameters = { p: 6.25, q: 3.74, gamma: 15.44 };
 * ```
 */
export const GammaGammaParameters = z.object({ p: positive(), q: positive(), gamma: positive() });
export type GammaGammaParameters = z.infer<typeof GammaGammaParameters>;
