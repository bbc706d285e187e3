/**
 * Elementary functions built from IEEE 754 basic operations only. `+ − × ÷` are
 * correctly rounded everywhere, but `Math.pow`, `Math.exp` and `**` with a fractional
 * exponent are not specified to the last bit and differ between JavaScript engines (and
 * between versions of one engine): Chromium and Node were seen to disagree in the last
 * digit of decayed engagement scores. Scoring promises the same output in every runtime,
 * so it computes these itself. Internal to the scoring area.
 */

const ln2 = 0.6931471805599453;
const bits = new DataView(new ArrayBuffer(8));

/** 2ⁿ for an integer n in [−1022, 1023], built from its bit pattern. */
function powerOfTwo(n: number): number {
  bits.setUint32(0, (n + 1023) << 20);
  bits.setUint32(4, 0);
  return bits.getFloat64(0);
}

/** 2^x, the same bits in every runtime (relative error below 2⁻⁵⁰). */
export function exp2(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x >= 1024) return Number.POSITIVE_INFINITY;
  if (x < -1075) return 0;
  const whole = Math.floor(x);
  // x − ⌊x⌋ is exact in binary floating point, and y = f·ln 2 < 0.694.
  const y = (x - whole) * ln2;
  // Taylor series of eʸ: the 18th term is below 10⁻¹⁸, far under half an ulp of the sum.
  let term = 1;
  let sum = 1;
  for (let k = 1; k <= 18; k++) {
    term = (term * y) / k;
    sum += term;
  }
  // Scale in two exact steps so that subnormal results are reached without overflow.
  if (whole < -1022) return sum * powerOfTwo(-1022) * powerOfTwo(whole + 1022);
  if (whole > 1023) return sum * powerOfTwo(1023) * 2;
  return sum * powerOfTwo(whole);
}

/** 10ⁿ for a small non-negative integer n, exact (by repeated multiplication) up to 10²². */
export function powerOfTen(n: number): number {
  let value = 1;
  for (let k = 0; k < n; k++) value *= 10;
  return value;
}
