// Shared SIMD helpers for the AssemblyScript kernels: the multiply-add (relaxed FMA when the build
// enables relaxed SIMD, mul+add otherwise), horizontal reductions, and a vectorised exp.

/** a·b + c: one fused instruction in the relaxed build (f32x4.relaxed_madd), two otherwise. */
// @ts-ignore: decorator
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

// @ts-ignore: decorator
@inline export function hsum(v: v128): f32 {
  const s = f32x4.add(v, v128.shuffle<f32>(v, v, 2, 3, 0, 1));
  return f32x4.extract_lane(s, 0) + f32x4.extract_lane(s, 1);
}

// @ts-ignore: decorator
@inline export function hmax(v: v128): f32 {
  const s = f32x4.pmax(v, v128.shuffle<f32>(v, v, 2, 3, 0, 1));
  return max(f32x4.extract_lane(s, 0), f32x4.extract_lane(s, 1));
}

/**
 * e^x per lane (Cephes expf: range reduction by ln 2, degree-5 polynomial; about 1 ulp). Rounding to the
 * nearest integer and building 2^n both use the 1.5·2^23 trick (no float↔int conversions, which V8
 * lowers to several instructions). Inputs below -87.3 (including -Infinity, the masked scores) give
 * exactly 0, so masked keys get weight 0.
 */
// @ts-ignore: decorator
@inline export function exp4(x: v128): v128 {
  const lo = f32x4.splat(-87.33654);
  const magic = f32x4.splat(12582912.0); // 1.5·2^23: adding it rounds to an integer held in the mantissa
  const under = f32x4.lt(x, lo);
  const xc = f32x4.pmin(f32x4.pmax(x, lo), f32x4.splat(88.0));
  const t = madd(xc, f32x4.splat(1.44269504), magic);
  const n = f32x4.sub(t, magic);
  let r = madd(n, f32x4.splat(-0.693359375), xc);
  r = madd(n, f32x4.splat(2.12194440e-4), r);
  let p = f32x4.splat(1.9875691500e-4);
  p = madd(p, r, f32x4.splat(1.3981999507e-3));
  p = madd(p, r, f32x4.splat(8.3334519073e-3));
  p = madd(p, r, f32x4.splat(4.1665795894e-2));
  p = madd(p, r, f32x4.splat(1.6666665459e-1));
  p = madd(p, r, f32x4.splat(5.0000001201e-1));
  p = madd(p, f32x4.mul(r, r), f32x4.add(r, f32x4.splat(1)));
  // t's low mantissa bits hold n: (bits(t) + 127) << 23 is 2^n (the magic's own bits shift out)
  const pow2 = i32x4.shl(i32x4.add(t, i32x4.splat(127)), 23);
  return v128.andnot(f32x4.mul(p, pow2), under);
}

/** Scalar e^x with the same polynomial, for row tails. */
// @ts-ignore: decorator
@inline export function exp1(x: f32): f32 {
  return f32x4.extract_lane(exp4(f32x4.splat(x)), 0);
}
