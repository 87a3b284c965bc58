// Next-token cross-entropy, the language-modelling loss: the mean over counted positions of
// −log softmax(logits)[target], with PyTorch's F.cross_entropy semantics (targets equal to ignoreIndex
// are left out of both the sum and the count). The fused softmax/loss/gradient pass is the engine op
// ops.crossEntropy (reference: float64 arithmetic; the fast kernel sums the exponentials in float64).

import { assertShape, type Tensor } from '../engine/tensor.js';
import * as ops from '../engine/ops.js';
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
  let count = 0;
  for (let n = 0; n < N; n++) {
    const y = targets[n];
    if (y === ignoreIndex) continue;
    if (!Number.isInteger(y) || y < 0 || y >= V) throw new InputError(`target ${y} at position ${n} is outside the vocabulary of ${V} tokens`);
    count++;
  }
  if (count === 0) throw new InputError('every target is the ignore index; the batch has nothing to learn from');
  // the op takes −1 for a left-out row
  const t = new Int32Array(N);
  for (let n = 0; n < N; n++) t[n] = targets[n] === ignoreIndex ? -1 : targets[n];
  const { lossSum, dlogits } = ops.crossEntropy(logits, t, 1 / count);
  return { loss: lossSum / count, count, dlogits };
}
