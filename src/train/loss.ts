// Next-token cross-entropy, the language-modelling loss: the mean over counted positions of
// −log softmax(logits)[target], with PyTorch's F.cross_entropy semantics (targets equal to ignoreIndex
// are left out of both the sum and the count). Computed in float64 from the float32 logits.

import { Tensor, assertShape } from '../engine/tensor.js';
import { InputError } from '../errors.js';

/** PyTorch's default ignore_index. */
export const IGNORE_INDEX = -100;

export interface CrossEntropyResult {
  /** mean loss over the counted positions */ loss: number;
  /** how many positions counted */ count: number;
  /** [N, V] gradient of `loss` with respect to the logits: (softmax − onehot(target)) / count */ dlogits: Tensor;
}

/** logits [N, V], targets (N ids in [0, V) or ignoreIndex). */
export function crossEntropy(logits: Tensor, targets: ArrayLike<number>, ignoreIndex = IGNORE_INDEX): CrossEntropyResult {
  assertShape(logits, [targets.length, null], 'crossEntropy logits');
  const [N, V] = logits.shape;
  const X = logits.data;
  let count = 0;
  for (let n = 0; n < N; n++) {
    const y = targets[n];
    if (y === ignoreIndex) continue;
    if (!Number.isInteger(y) || y < 0 || y >= V) throw new InputError(`target ${y} at position ${n} is outside the vocabulary of ${V} tokens`);
    count++;
  }
  if (count === 0) throw new InputError('every target is the ignore index; the batch has nothing to learn from');
  const dlogits = new Float32Array(N * V);
  const e = new Float64Array(V);
  let total = 0;
  for (let n = 0; n < N; n++) {
    const y = targets[n];
    if (y === ignoreIndex) continue; // its row of dlogits stays 0
    const o = n * V;
    let max = -Infinity;
    for (let v = 0; v < V; v++) if (X[o + v] > max) max = X[o + v];
    let sum = 0;
    for (let v = 0; v < V; v++) sum += (e[v] = Math.exp(X[o + v] - max));
    total += Math.log(sum) + max - X[o + y];
    for (let v = 0; v < V; v++) dlogits[o + v] = (e[v] / sum - (v === y ? 1 : 0)) / count;
  }
  return { loss: total / count, count, dlogits: new Tensor(dlogits, [N, V]) };
}
