// Row-wise and elementwise kernels: LayerNorm (Ba et al. 2016), softmax, GELU (Hendrycks & Gimpel 2016,
// exact erf form and GPT-2's tanh form) and, for training, its derivative and a fused softmax cross-entropy.
// Threads take tasks of rows (or of 4096 elements) from a counter.

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

// erfc(−x/√2) of 4 lanes, from the erfc fit of the reference (Numerical Recipes §6.2): the fit gives
// r = erfc(|x|/√2); erfc(−x/√2) is r for x ≤ 0 and 2 − r for x > 0.
// @ts-ignore: decorator
@inline function erfcNegHalf4(x: v128): v128 {
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
  return v128.bitselect(f32x4.sub(f32x4.splat(2), r), r, f32x4.gt(x, f32x4.splat(0)));
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
  return f32x4.mul(f32x4.mul(x, f32x4.splat(0.5)), erfcNegHalf4(x));
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

/**
 * Fused softmax cross-entropy for training, one row of V logits at a time: out = (softmax − onehot(y)) ·
 * invCount; losses[2r] = Σe^(x − max) (summed in float64) and losses[2r + 1] = max − x[y], so the row's
 * loss is log(losses[2r]) + losses[2r + 1] (the log is taken by the caller: Math.log here would bring
 * static tables into memory that the TypeScript heap owns). A row whose target is negative (ignored)
 * gets zeros and losses 1 and 0.
 */
export function crossEntropy(x: usize, R: i32, V: i32, targets: usize, invCount: f64, out: usize, losses: usize, counter: usize): void {
  const nt = (R + ROWS_PER_TASK - 1) / ROWS_PER_TASK;
  const v4 = V & ~3, rowb = <usize>V * 4;
  for (let t = atomic.add<i32>(counter, 1); t < nt; t = atomic.add<i32>(counter, 1)) {
    for (let r = t * ROWS_PER_TASK, r1 = min(R, r + ROWS_PER_TASK); r < r1; r++) {
      const xr = x + <usize>r * rowb, orow = out + <usize>r * rowb;
      const y = load<i32>(targets + <usize>r * 4);
      if (y < 0) {
        memory.fill(orow, 0, rowb);
        store<f64>(losses + <usize>r * 16, 1);
        store<f64>(losses + <usize>r * 16 + 8, 0);
        continue;
      }
      let mv = f32x4.splat(-Infinity);
      let c = 0;
      for (; c < v4; c += 4) mv = f32x4.pmax(mv, v128.load(xr + <usize>c * 4));
      let m = hmax(mv);
      for (; c < V; c++) m = max(m, load<f32>(xr + <usize>c * 4));
      mv = f32x4.splat(m);
      let s01 = f64x2.splat(0), s23 = f64x2.splat(0);
      for (c = 0; c < v4; c += 4) {
        const e = exp4(f32x4.sub(v128.load(xr + <usize>c * 4), mv));
        v128.store(orow + <usize>c * 4, e);
        s01 = f64x2.add(s01, f64x2.promote_low_f32x4(e));
        s23 = f64x2.add(s23, f64x2.promote_low_f32x4(v128.shuffle<f32>(e, e, 2, 3, 0, 1)));
      }
      const sv = f64x2.add(s01, s23);
      let sum = f64x2.extract_lane(sv, 0) + f64x2.extract_lane(sv, 1);
      for (; c < V; c++) {
        const e = exp1(load<f32>(xr + <usize>c * 4) - m);
        store<f32>(orow + <usize>c * 4, e);
        sum += <f64>e;
      }
      store<f64>(losses + <usize>r * 16, sum);
      store<f64>(losses + <usize>r * 16 + 8, <f64>m - <f64>load<f32>(xr + <usize>y * 4));
      const k = <f32>(invCount / sum);
      const kv = f32x4.splat(k);
      for (c = 0; c < v4; c += 4) v128.store(orow + <usize>c * 4, f32x4.mul(v128.load(orow + <usize>c * 4), kv));
      for (; c < V; c++) store<f32>(orow + <usize>c * 4, load<f32>(orow + <usize>c * 4) * k);
      const py = orow + <usize>y * 4;
      store<f32>(py, load<f32>(py) - <f32>invCount);
    }
  }
}

// d GELU(x)/dx of 4 lanes. erf form: Φ(x) + x·φ(x) with Φ(x) = ½erfc(−x/√2) (the forward's fit);
// tanh form: with s = σ(2u) = ½(1 + tanh u): s + 2x·s(1 − s)·u', u' = √(2/π)(1 + 3·0.044715x²).
// @ts-ignore: decorator
@inline function geluGrad4(x: v128, tanhForm: bool): v128 {
  const x2 = f32x4.mul(x, x);
  if (tanhForm) {
    const u2 = f32x4.mul(madd(f32x4.mul(x2, x), f32x4.splat(0.044715), x), f32x4.splat(-1.5957691216057308)); // −2u
    const s = f32x4.div(f32x4.splat(1), f32x4.add(f32x4.splat(1), exp4(u2)));
    const du = f32x4.mul(madd(x2, f32x4.splat(3 * 0.044715), f32x4.splat(1)), f32x4.splat(0.7978845608028654));
    const g = f32x4.mul(f32x4.mul(f32x4.mul(s, f32x4.sub(f32x4.splat(1), s)), du), f32x4.add(x, x));
    return f32x4.add(s, g);
  }
  const e = erfcNegHalf4(x);
  const pdf = f32x4.mul(exp4(f32x4.mul(x2, f32x4.splat(-0.5))), f32x4.splat(0.3989422804014327)); // φ(x)
  return madd(x, pdf, f32x4.mul(e, f32x4.splat(0.5)));
}

/** dx = GELU'(x)·dy over n values (the backward of `gelu`). */
export function geluBackward(x: usize, dy: usize, n: i32, tanhForm: bool, out: usize, counter: usize): void {
  const nt = (n + ELEMS_PER_TASK - 1) / ELEMS_PER_TASK;
  for (let t = atomic.add<i32>(counter, 1); t < nt; t = atomic.add<i32>(counter, 1)) {
    const i0 = t * ELEMS_PER_TASK, i1 = min(n, i0 + ELEMS_PER_TASK);
    let i = i0;
    for (; i + 4 <= i1; i += 4) {
      const o = <usize>i * 4;
      v128.store(out + o, f32x4.mul(geluGrad4(v128.load(x + o), tanhForm), v128.load(dy + o)));
    }
    for (; i < i1; i++) {
      const g = geluGrad4(f32x4.splat(load<f32>(x + <usize>i * 4)), tanhForm);
      store<f32>(out + <usize>i * 4, f32x4.extract_lane(g, 0) * load<f32>(dy + <usize>i * 4));
    }
  }
}
