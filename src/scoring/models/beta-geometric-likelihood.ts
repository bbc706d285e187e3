import { digamma, lnGamma } from '../special/gamma-function';
import { logAddExp } from '../special/log-space';
import type { CompressedCustomers } from './customers';

/** Parameters shared by BG/NBD and MBG/NBD. */
interface BetaGeometricParameters {
  readonly r: number;
  readonly alpha: number;
  readonly a: number;
  readonly b: number;
}

/**
 * Total log-likelihood of the beta-geometric/NBD family and, when `gradient` is given,
 * its derivatives with respect to ln r, ln α, ln a, ln b.
 *
 * `shift` 0 is BG/NBD (Fader, Hardie & Lee 2005, eq. 6): drop-out is possible after each
 * repeat purchase, so
 *   ln L = ln Γ(r+x) − ln Γ(r) + r ln α + ln B(a, b+x) − ln B(a, b)
 *          + ln[(α+T)^−(r+x) + δ(x>0) a/(b+x−1) (α+tₓ)^−(r+x)].
 * `shift` 1 is MBG/NBD (Batislam, Denizel & Filiztekin 2007, eq. 5): drop-out is also
 * possible right after the first purchase, which replaces b + x by b + x + 1, a/(b+x−1)
 * by a/(b+x), and applies the second term for x = 0 too.
 *
 * Terms that depend on x only (gamma-function ratios and their digamma derivatives) are
 * computed once per distinct x, and ln(α + t) once per distinct time, so a row costs one
 * exponential and one logarithm.
 */
export function betaGeometricLogLikelihood(
  params: BetaGeometricParameters,
  data: CompressedCustomers,
  shift: 0 | 1,
  gradient?: Float64Array,
): number {
  const { r, alpha, a, b } = params;
  const distinct = data.distinctX.length;
  const perX = new Float64Array(distinct);
  const lnOdds = new Float64Array(distinct);
  const lnAlpha = Math.log(alpha);
  const lnA = Math.log(a);
  const constant = r * lnAlpha + lnGamma(a + b) - lnGamma(b) - lnGamma(r);
  const dR = gradient ? new Float64Array(distinct) : undefined;
  const dA = gradient ? new Float64Array(distinct) : undefined;
  const dB = gradient ? new Float64Array(distinct) : undefined;
  const psiR = gradient ? digamma(r) : 0;
  const psiAB = gradient ? digamma(a + b) : 0;
  const psiB = gradient ? digamma(b) : 0;
  const lnAlphaTime = new Float64Array(data.times.length);
  const invAlphaTime = gradient ? new Float64Array(data.times.length) : undefined;
  for (let k = 0; k < data.times.length; k++) {
    lnAlphaTime[k] = Math.log(alpha + (data.times[k] as number));
    if (invAlphaTime) invAlphaTime[k] = 1 / (alpha + (data.times[k] as number));
  }
  for (let k = 0; k < distinct; k++) {
    const x = data.distinctX[k] as number;
    perX[k] = lnGamma(r + x) + lnGamma(b + x + shift) - lnGamma(a + b + x + shift);
    // ln of the odds factor a/(b + x − 1 + shift); −∞ where the second term is absent.
    lnOdds[k] = x > 0 || shift === 1 ? lnA - Math.log(b + x - 1 + shift) : Number.NEGATIVE_INFINITY;
    if (dR && dA && dB) {
      const psiABX = digamma(a + b + x + shift);
      dR[k] = digamma(r + x) - psiR;
      dA[k] = psiAB - psiABX;
      dB[k] = psiAB - psiB + digamma(b + x + shift) - psiABX;
    }
  }
  let total = 0;
  let weightTotal = 0;
  let gR = 0;
  let gAlpha = 0;
  let gA = 0;
  let gB = 0;
  for (let i = 0; i < data.rows; i++) {
    const weight = data.weight[i] as number;
    if (weight === 0) continue;
    const k = data.xIndex[i] as number;
    const x = data.x[i] as number;
    const tIndex = data.TIndex[i] as number;
    const lnAlphaT = lnAlphaTime[tIndex] as number;
    const lnFirst = -(r + x) * lnAlphaT;
    const odds = lnOdds[k] as number;
    let row = perX[k] as number;
    if (odds === Number.NEGATIVE_INFINITY) {
      row += lnFirst;
      if (gradient) {
        gR -= weight * lnAlphaT;
        gAlpha -= weight * (r + x) * (invAlphaTime?.[tIndex] as number);
      }
    } else {
      const txIndex = data.txIndex[i] as number;
      const lnAlphaTx = lnAlphaTime[txIndex] as number;
      const lnSecond = odds - (r + x) * lnAlphaTx;
      const lnSum = logAddExp(lnFirst, lnSecond);
      row += lnSum;
      if (gradient) {
        // w₂ is the second term's share of the sum; ∂ ln(sum)/∂θ = w₁ ∂ln first + w₂ ∂ln second.
        const w2 = Math.exp(lnSecond - lnSum);
        const w1 = 1 - w2;
        gR -= weight * (w1 * lnAlphaT + w2 * lnAlphaTx);
        gAlpha -= weight * (r + x) * (w1 * (invAlphaTime?.[tIndex] as number) + w2 * (invAlphaTime?.[txIndex] as number));
        gA += weight * w2; // already ∂/∂ln a
        gB -= (weight * w2) / (b + x - 1 + shift);
      }
    }
    if (dR && dA && dB) {
      gR += weight * (dR[k] as number);
      gA += weight * a * (dA[k] as number);
      gB += weight * (dB[k] as number);
    }
    total += weight * row;
    weightTotal += weight;
  }
  total += weightTotal * constant;
  if (gradient) {
    // Chain rule to log-parameters: ∂/∂ln θ = θ ∂/∂θ.
    gradient[0] = r * (gR + weightTotal * lnAlpha);
    gradient[1] = alpha * gAlpha + weightTotal * r;
    gradient[2] = gA;
    gradient[3] = b * gB;
  }
  return total;
}
