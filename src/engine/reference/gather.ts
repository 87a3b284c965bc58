// Reference ops that pick or hide entries: embedding lookup and the causal mask.

import { Tensor } from '../tensor.js';

export function embedding(table: Tensor, ids: ArrayLike<number>): Tensor {
  const C = table.shape[1];
  const out = new Float32Array(ids.length * C);
  for (let t = 0; t < ids.length; t++) out.set(table.data.subarray(ids[t] * C, (ids[t] + 1) * C), t * C);
  return new Tensor(out, [ids.length, C]);
}

/** scores [H, T, S]: key s is hidden from query t when s > t + (S − T) (queries are the last T keys). */
export function causalMask(scores: Tensor): Tensor {
  const [H, T, S] = scores.shape;
  const out = scores.data.slice();
  const offset = S - T;
  for (let h = 0; h < H; h++) {
    for (let t = 0; t < T; t++) {
      const row = (h * T + t) * S;
      for (let s = t + offset + 1; s < S; s++) out[row + s] = -Infinity;
    }
  }
  return new Tensor(out, scores.shape);
}
