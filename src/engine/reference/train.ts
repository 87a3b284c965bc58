// Reference ops the training backward needs beyond the forward's: fused softmax cross-entropy and the
// GELU derivative. Plain TypeScript with float64 arithmetic; the fast kernels must match these.

import { Tensor } from '../tensor.js';
import type { GeluKind } from '../registry.js';
import { erfc } from './elementwise.js';

/**
 * logits [N, V], targets (N ids in [0, V), or −1 to leave a row out), invCount = 1/(rows counted) →
 * dlogits [N, V] = (softmax − onehot(target))·invCount (zeros in left-out rows) and the summed loss
 * Σ (log Σe^(x − max) + max − x[target]) over counted rows. One pass per row after its max: e^(x − max)
 * goes straight into dlogits while its float64 sum accumulates, then the row is scaled in place.
 */
export function crossEntropy(logits: Tensor, targets: Int32Array, invCount: number): { lossSum: number; dlogits: Tensor } {
  const [N, V] = logits.shape;
  const X = logits.data;
  const dlogits = new Float32Array(N * V);
  let total = 0;
  for (let n = 0; n < N; n++) {
    const y = targets[n];
    if (y < 0) continue; // its row of dlogits stays 0
    const o = n * V, end = o + V;
    let max = -Infinity;
    for (let i = o; i < end; i++) if (X[i] > max) max = X[i];
    let sum = 0;
    for (let i = o; i < end; i++) {
      const e = Math.exp(X[i] - max);
      dlogits[i] = e;
      sum += e;
    }
    total += Math.log(sum) + max - X[o + y];
    const k = invCount / sum;
    for (let i = o; i < end; i++) dlogits[i] *= k;
    dlogits[o + y] -= invCount;
  }
  return { lossSum: total, dlogits: new Tensor(dlogits, [N, V]) };
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/** Given the GELU's input x and dy (same shape): dx = gelu'(x)·dy. */
export function geluBackward(x: Tensor, dy: Tensor, kind: GeluKind): Tensor {
  const X = x.data, DY = dy.data;
  const dx = new Float32Array(x.size);
  if (kind === 'tanh') {
    // y = ½x(1 + tanh u), u = √(2/π)(x + 0.044715x³); y' = ½(1 + tanh u) + ½x(1 − tanh²u)·u'
    for (let i = 0; i < dx.length; i++) {
      const v = X[i];
      const th = Math.tanh(SQRT_2_OVER_PI * (v + 0.044715 * v * v * v));
      const du = SQRT_2_OVER_PI * (1 + 3 * 0.044715 * v * v);
      dx[i] = DY[i] * (0.5 * (1 + th) + 0.5 * v * (1 - th * th) * du);
    }
  } else {
    // y = x·Φ(x); y' = Φ(x) + x·φ(x), with Φ(x) = ½erfc(−x/√2) as in the forward
    for (let i = 0; i < dx.length; i++) {
      const v = X[i];
      dx[i] = DY[i] * (0.5 * erfc(-v * Math.SQRT1_2) + v * INV_SQRT_2PI * Math.exp(-0.5 * v * v));
    }
  }
  return new Tensor(dx, x.shape);
}
