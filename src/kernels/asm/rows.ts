// Row-wise and elementwise kernels: LayerNorm (Ba et al. 2016), softmax, GELU (Hendrycks & Gimpel 2016,
// exact erf form and GPT-2's tanh form). Threads take tasks of rows (or of 4096 elements) from a counter.

import { exp4, exp1, hmax, hsum, madd } from './simd';

const ROWS_PER_TASK: i32 = 8;
const ELEMS_PER_TASK: i32 = 4096;

/** out[r] = (x[r] − mean) / √(var + eps) · w + b over rows of C values (two passes: stable for large means). */
export function layerNorm(x: usize, R: i32, C: i32, w: usize, b: usize, eps: f32, out: usize, counter: usize): void {
  const nt = (R + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
  const c4 = C & ~3, rowb = <usize>C * 4;
  for (let t = atomic.add<i32>(counter, 1); t < nt; t = atomic.add<i32>(counter, 1)) {
    for (let r = t * ROWS_PER_TASK, r1 = min(R, r + ROWS_PER_TASK); r < r1; r++) {
      const xr = x + <usize>r * rowb, orow = out + <usize>r * rowb;
      let s = f32x4.splat(0);
      let c = 0;
      for (; c < c4; c += 4) s = f32x4.add(s, v128.load(xr + <usize>c * 4));
      let sum = hsum(s);
      for (; c < C; c++) sum += load<f32>(xr + <usize>c * 4);
      const mean = sum / <f32>C;
      const mv = f32x4.splat(mean);
      s = f32x4.splat(0);
      for (c = 0; c < c4; c += 4) {
        const d = f32x4.sub(v128.load(xr + <usize>c * 4), mv);
        s = madd(d, d, s);
      }
      let ss = hsum(s);
      for (; c < C; c++) {
        const d = load<f32>(xr + <usize>c * 4) - mean;
        ss += d * d;
      }
      const inv = <f32>(1.0 / Math.sqrt(<f64>(ss / <f32>C) + <f64>eps));
      const iv = f32x4.splat(inv);
      for (c = 0; c < c4; c += 4) {
        const o = <usize>c * 4;
        const n = f32x4.mul(f32x4.sub(v128.load(xr + o), mv), iv);
        v128.store(orow + o, madd(n, v128.load(w + o), v128.load(b + o)));
      }
      for (; c < C; c++) {
        const o = <usize>c * 4;
        store<f32>(orow + o, (load<f32>(xr + o) - mean) * inv * load<f32>(w + o) + load<f32>(b + o));
      }
    }
  }
}

/** Softmax of each row of S values; a row that is all -Infinity becomes all zeros. */
export function softmax(x: usize, R: i32, S: i32, out: usize, counter: usize): void {
  const nt = (R + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
  const s4 = S & ~3, rowb = <usize>S * 4;
  for (let t = atomic.add<i32>(counter, 1); t < nt; t = atomic.add<i32>(counter, 1)) {
    for (let r = t * ROWS_PER_TASK, r1 = min(R, r + ROWS_PER_TASK); r < r1; r++) {
      const xr = x + <usize>r * rowb, orow = out + <usize>r * rowb;
      let mv = f32x4.splat(-Infinity);
      let c = 0;
      for (; c < s4; c += 4) mv = f32x4.pmax(mv, v128.load(xr + <usize>c * 4));
      let m = hmax(mv);
      for (; c < S; c++) m = max(m, load<f32>(xr + <usize>c * 4));
      if (m == -Infinity) {
        memory.fill(orow, 0, rowb);
        continue;
      }
      mv = f32x4.splat(m);
      let sv = f32x4.splat(0);
      for (c = 0; c < s4; c += 4) {
        const e = exp4(f32x4.sub(v128.load(xr + <usize>c * 4), mv));
        v128.store(orow + <usize>c * 4, e);
        sv = f32x4.add(sv, e);
      }
      let sum = hsum(sv);
      for (; c < S; c++) {
        const e = exp1(load<f32>(xr + <usize>c * 4) - m);
        store<f32>(orow + <usize>c * 4, e);
        sum += e;
      }
      const inv = f32x4.splat(<f32>1 / sum);
      for (c = 0; c < s4; c += 4) v128.store(orow + <usize>c * 4, f32x4.mul(v128.load(orow + <usize>c * 4), inv));
      for (; c < S; c++) store<f32>(orow + <usize>c * 4, load<f32>(orow + <usize>c * 4) / sum);
    }
  }
}

// GELU of 4 lanes. tanh form: 0.5·x·(1 + tanh(u)) = x / (1 + e^(−2u)), u = √(2/π)(x + 0.044715x³).
// erf form: 0.5·x·erfc(−x/√2) with the same erfc fit as the reference (Numerical Recipes §6.2).
// @ts-ignore: decorator
@inline function gelu4(x: v128, tanhForm: bool): v128 {
  if (tanhForm) {
    const x3 = f32x4.mul(f32x4.mul(x, x), x);
    const u = f32x4.mul(madd(x3, f32x4.splat(0.044715), x), f32x4.splat(-1.5957691216057308)); // −2·√(2/π)
    return f32x4.div(x, f32x4.add(f32x4.splat(1), exp4(u)));
  }
  const z = f32x4.mul(f32x4.abs(x), f32x4.splat(0.7071067811865476));
  const t = f32x4.div(f32x4.splat(1), madd(z, f32x4.splat(0.5), f32x4.splat(1)));
  let p = f32x4.splat(0.17087277);
  p = madd(p, t, f32x4.splat(-0.82215223));
  p = madd(p, t, f32x4.splat(1.48851587));
  p = madd(p, t, f32x4.splat(-1.13520398));
  p = madd(p, t, f32x4.splat(0.27886807));
  p = madd(p, t, f32x4.splat(-0.18628806));
  p = madd(p, t, f32x4.splat(0.09678418));
  p = madd(p, t, f32x4.splat(0.37409196));
  p = madd(p, t, f32x4.splat(1.00002368));
  p = madd(p, t, f32x4.splat(-1.26551223));
  const r = f32x4.mul(t, exp4(f32x4.sub(p, f32x4.mul(z, z))));
  // erfc(−x/√2) is r for x ≤ 0 and 2 − r for x > 0
  const e = v128.bitselect(f32x4.sub(f32x4.splat(2), r), r, f32x4.gt(x, f32x4.splat(0)));
  return f32x4.mul(f32x4.mul(x, f32x4.splat(0.5)), e);
}

/** out = GELU(x) over n values; tanhForm selects GPT-2's approximation. */
export function gelu(x: usize, n: i32, tanhForm: bool, out: usize, counter: usize): void {
  const nt = (n + ELEMS_PER_TASK - 1) / ELEMS_PER_TASK;
  for (let t = atomic.add<i32>(counter, 1); t < nt; t = atomic.add<i32>(counter, 1)) {
    const i0 = t * ELEMS_PER_TASK, i1 = min(n, i0 + ELEMS_PER_TASK);
    let i = i0;
    for (; i + 4 <= i1; i += 4) v128.store(out + <usize>i * 4, gelu4(v128.load(x + <usize>i * 4), tanhForm));
    for (; i < i1; i++) {
      const v = gelu4(f32x4.splat(load<f32>(x + <usize>i * 4)), tanhForm);
      store<f32>(out + <usize>i * 4, f32x4.extract_lane(v, 0));
    }
  }
}
