// A float64 GPT-2 written independently of src/train (plain loops over Float64Array), used as the
// function that finite differences differentiate: in float64, central differences with h = 1e-5 are
// accurate to about 1e-9, far below the float32 gradients' own error, so the comparison tests the
// backward and not the rounding. Dropout masks are passed in (taken from the float32 forward's cache).

import { erfc } from '../../../src/engine/reference/elementwise.js';
import type { ModelConfig } from '../../../src/models/config.js';
import { namedParams, type Gpt2Params } from '../../../src/train/params.js';
import type { Gpt2Cache } from '../../../src/train/gpt2.js';

export type Mask = Float32Array | null;

/** x [N, K] · wᵀ [O, K] (+ b [O]) → [N, O] */
export function linear64(x: Float64Array, N: number, K: number, w: Float64Array, O: number, b?: Float64Array): Float64Array {
  const y = new Float64Array(N * O);
  for (let n = 0; n < N; n++)
    for (let o = 0; o < O; o++) {
      let s = b ? b[o] : 0;
      for (let k = 0; k < K; k++) s += x[n * K + k] * w[o * K + k];
      y[n * O + o] = s;
    }
  return y;
}

export function layerNorm64(x: Float64Array, C: number, w: Float64Array, b: Float64Array, eps: number): Float64Array {
  const y = new Float64Array(x.length);
  for (let o = 0; o < x.length; o += C) {
    let mean = 0, v = 0;
    for (let c = 0; c < C; c++) mean += x[o + c] / C;
    for (let c = 0; c < C; c++) v += (x[o + c] - mean) ** 2 / C;
    for (let c = 0; c < C; c++) y[o + c] = ((x[o + c] - mean) / Math.sqrt(v + eps)) * w[c] + b[c];
  }
  return y;
}

export function gelu64(x: Float64Array, kind: 'tanh' | 'exact'): Float64Array {
  return x.map((v) => (kind === 'tanh' ? 0.5 * v * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (v + 0.044715 * v ** 3))) : 0.5 * v * erfc(-v / Math.SQRT2)));
}

export function applyMask64(x: Float64Array, m: Mask): Float64Array {
  return m ? x.map((v, i) => v * m[i]) : x;
}

/** q, k, v [B·T, H·D] → z [B·T, H·D], causal, pattern dropout masks per sequence ([H, T, S] each). */
export function attention64(q: Float64Array, k: Float64Array, v: Float64Array, B: number, T: number, H: number, scale: number, masks?: Mask[]): Float64Array {
  const C = q.length / (B * T), D = C / H;
  const z = new Float64Array(q.length);
  for (let b = 0; b < B; b++)
    for (let h = 0; h < H; h++)
      for (let t = 0; t < T; t++) {
        const w = new Float64Array(t + 1);
        let max = -Infinity;
        for (let s = 0; s <= t; s++) {
          let d = 0;
          for (let j = 0; j < D; j++) d += q[(b * T + t) * C + h * D + j] * k[(b * T + s) * C + h * D + j];
          w[s] = d * scale;
          max = Math.max(max, w[s]);
        }
        let sum = 0;
        for (let s = 0; s <= t; s++) sum += (w[s] = Math.exp(w[s] - max));
        const m = masks?.[b];
        for (let s = 0; s <= t; s++) {
          const p = (w[s] / sum) * (m ? m[(h * T + t) * T + s] : 1);
          for (let j = 0; j < D; j++) z[(b * T + t) * C + h * D + j] += p * v[(b * T + s) * C + h * D + j];
        }
      }
  return z;
}

/** mean over counted rows of −log softmax(logits)[target] */
export function crossEntropy64(logits: Float64Array, V: number, targets: ArrayLike<number>, ignore = -100): number {
  let total = 0, count = 0;
  for (let n = 0; n < targets.length; n++) {
    if (targets[n] === ignore) continue;
    let max = -Infinity, sum = 0;
    for (let v = 0; v < V; v++) max = Math.max(max, logits[n * V + v]);
    for (let v = 0; v < V; v++) sum += Math.exp(logits[n * V + v] - max);
    total += Math.log(sum) + max - logits[n * V + targets[n]];
    count++;
  }
  return total / count;
}

/** The parameters as float64 arrays under namedParams' names (the arrays finite differences perturb). */
export function toF64(p: Gpt2Params): Map<string, Float64Array> {
  return new Map(namedParams(p).map(({ name, tensor }) => [name, Float64Array.from(tensor.data)]));
}

/** The dropout masks one float32 forward drew, in the form gpt2Loss64 takes. */
export function masksOf(cache: Gpt2Cache) {
  return { emb: cache.embMask, blocks: cache.blocks.map((b) => ({ attn: b.attn.mask, attnOut: b.attnMask, mlpOut: b.mlpMask })) };
}

/** The batch's mean next-token loss in float64. */
export function gpt2Loss64(
  P: Map<string, Float64Array>, cfg: ModelConfig, ids: ArrayLike<number>, targets: ArrayLike<number>, B: number, T: number,
  masks?: ReturnType<typeof masksOf>,
): number {
  const g = (n: string) => P.get(n)!;
  const C = cfg.dModel, F = cfg.dMlp, V = cfg.vocabSize, N = B * T;
  let x: Float64Array = new Float64Array(N * C);
  for (let n = 0; n < N; n++) for (let c = 0; c < C; c++) x[n * C + c] = g('wte')[ids[n] * C + c] + g('wpe')[(n % T) * C + c];
  x = applyMask64(x, masks?.emb ?? null);
  for (let l = 0; l < cfg.nLayers; l++) {
    const p = (n: string) => g(`blocks.${l}.${n}`);
    const mk = masks?.blocks[l];
    const a = layerNorm64(x, C, p('ln1.w'), p('ln1.b'), cfg.lnEps);
    const q = linear64(a, N, C, p('attn.q.w'), C, p('attn.q.b'));
    const k = linear64(a, N, C, p('attn.k.w'), C, p('attn.k.b'));
    const v = linear64(a, N, C, p('attn.v.w'), C, p('attn.v.b'));
    const scale = 1 / Math.sqrt(cfg.dHead) / (cfg.scaleByInverseLayer ? l + 1 : 1);
    const z = attention64(q, k, v, B, T, cfg.nHeads, scale, mk?.attn);
    const o = applyMask64(linear64(z, N, C, p('attn.o.w'), C, p('attn.o.b')), mk?.attnOut ?? null);
    const mid = x.map((val, i) => val + o[i]);
    const m = layerNorm64(mid, C, p('ln2.w'), p('ln2.b'), cfg.lnEps);
    const post = gelu64(linear64(m, N, C, p('mlp.up.w'), F, p('mlp.up.b')), cfg.gelu);
    const down = applyMask64(linear64(post, N, F, p('mlp.down.w'), C, p('mlp.down.b')), mk?.mlpOut ?? null);
    x = mid.map((val, i) => val + down[i]);
  }
  const final = layerNorm64(x, C, g('lnF.w'), g('lnF.b'), cfg.lnEps);
  return crossEntropy64(linear64(final, N, C, g('wte'), V), V, targets);
}

/** Central difference of f with respect to arr[i], step h; arr is restored. */
export function centralDiff(f: () => number, arr: Float64Array, i: number, h = 1e-5): number {
  const x0 = arr[i];
  arr[i] = x0 + h;
  const up = f();
  arr[i] = x0 - h;
  const down = f();
  arr[i] = x0;
  return (up - down) / (2 * h);
}
