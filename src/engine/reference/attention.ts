// Reference fused attention: z and chosen rows of the pattern, one query row at a time, so asking for a
// few rows of a long input needs O(S) memory per row, never [H, T, S]. Every number is computed exactly as
// the unfused ops compute it (dot in float64 → float32, × scale in float32, softmax as in rows.ts, then
// pattern · v in float64), so both paths give the same bits.

import { Tensor } from '../tensor.js';
import type { AttentionArgs, AttentionResult } from '../registry.js';

/** q [T, H·D], k, v [S, H·D] → z [T, H·D] and, for opt.rows, pattern [H, R, S] */
export function attention(q: Tensor, k: Tensor, v: Tensor, opt: AttentionArgs): AttentionResult {
  const [T, C] = q.shape;
  const S = k.shape[0];
  const H = opt.heads, D = C / H;
  const rows = opt.rows;
  const slot = new Int32Array(T).fill(-1);
  rows?.forEach((t, i) => (slot[t] = i));
  const R = rows?.length ?? 0;
  const pattern = rows ? new Float32Array(H * R * S) : undefined;
  const z = new Float32Array(T * C);
  const Q = q.data, K = k.data, V = v.data;
  const p = new Float32Array(S); // one row of scores, then of weights
  const offset = S - T;
  for (let h = 0; h < H; h++) {
    for (let t = 0; t < T; t++) {
      const qo = t * C + h * D;
      const visible = opt.causal ? Math.min(S, Math.max(0, t + offset + 1)) : S;
      let max = -Infinity;
      for (let s = 0; s < S; s++) {
        if (s >= visible) {
          p[s] = -Infinity;
          continue;
        }
        let dot = 0;
        const ko = s * C + h * D;
        for (let d = 0; d < D; d++) dot += Q[qo + d] * K[ko + d];
        p[s] = Math.fround(dot) * opt.scale;
        if (p[s] > max) max = p[s];
      }
      if (max === -Infinity) p.fill(0);
      else {
        let sum = 0;
        for (let s = 0; s < S; s++) {
          const e = Math.exp(p[s] - max);
          p[s] = e;
          sum += e; // the unrounded value, as the reference softmax sums
        }
        for (let s = 0; s < S; s++) p[s] /= sum;
      }
      for (let d = 0; d < D; d++) {
        let acc = 0;
        for (let s = 0; s < S; s++) acc += p[s] * V[s * C + h * D + d];
        z[qo + d] = acc;
      }
      if (pattern && slot[t] >= 0) pattern.set(p, (h * R + slot[t]) * S);
    }
  }
  return { z: new Tensor(z, [T, C]), pattern: pattern && new Tensor(pattern, [H, R, S]) };
}
