// A word's vector at each depth of the model, and cosine similarity: how much a word's representation
// depends on its context (the compare command).

import type { Tensor } from '../engine/tensor.js';
import { queryRows } from '../interpret/words.js';
import type { ViewItem } from '../interpret/view.js';

/** The item's vector in a [T, C] activation, with the same rule as attention from a word. */
export function itemVector(acts: Tensor, item: ViewItem, causal: boolean): Float64Array {
  const C = acts.shape[1];
  const out = new Float64Array(C);
  for (const { token, weight } of queryRows(item, causal)) {
    for (let c = 0; c < C; c++) out[c] += acts.data[token * C + c] * weight;
  }
  return out;
}

export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}
