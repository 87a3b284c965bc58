// The ops the models call. Each checks its operands' shapes at the border, then dispatches through the
// registry to the preferred backend (the reference ops in ./reference/ unless a faster one is loaded).

import { ShapeError } from '../errors.js';
import { kernel, type AttentionArgs, type AttentionResult, type GeluKind } from './registry.js';
import { Tensor, assertShape } from './tensor.js';
import './reference/index.js';

/** x [M, K] · wᵀ (+ b) with w [N, K] (PyTorch Linear layout), b [N] → [M, N] */
export function linear(x: Tensor, w: Tensor, b?: Tensor): Tensor {
  assertShape(x, ['M', 'K'], 'linear input');
  assertShape(w, [null, x.shape[1]], 'linear weight');
  if (b) assertShape(b, [w.shape[0]], 'linear bias');
  return kernel('matmulT')(x, w, b);
}

/** a [M, K] · bᵀ with b [N, K] → [M, N] (e.g. q · kᵀ for one head) */
export function matmulT(a: Tensor, b: Tensor): Tensor {
  return linear(a, b);
}

/** a [M, K] · b [K, N] → [M, N] */
export function matmul(a: Tensor, b: Tensor): Tensor {
  assertShape(a, ['M', 'K'], 'matmul left operand');
  assertShape(b, [a.shape[1], null], 'matmul right operand');
  return kernel('matmul')(a, b);
}

/** aᵀ · b with a [K, M], b [K, N] → [M, N] (e.g. the weight gradient dyᵀ·x, summed over rows) */
export function matmulTN(a: Tensor, b: Tensor): Tensor {
  assertShape(a, ['K', 'M'], 'matmulTN left operand');
  assertShape(b, [a.shape[0], null], 'matmulTN right operand');
  return kernel('matmulTN')(a, b);
}

/**
 * Fused softmax cross-entropy (training): logits [N, V], targets [N] (−1 leaves a row out) → dlogits
 * [N, V] = (softmax − onehot(target))·invCount and the loss summed over the counted rows.
 */
export function crossEntropy(logits: Tensor, targets: Int32Array, invCount: number): { lossSum: number; dlogits: Tensor } {
  assertShape(logits, [targets.length, null], 'crossEntropy logits');
  return kernel('crossEntropy')(logits, targets, invCount);
}

/** dx = GELU'(x)·dy (training), x and dy the same shape → same shape */
export function geluBackward(x: Tensor, dy: Tensor, kind: GeluKind): Tensor {
  if (x.size !== dy.size) throw new ShapeError(`geluBackward: x has ${x.size} values, dy ${dy.size}`);
  return kernel('geluBackward')(x, dy, kind);
}

/** x [R, C] → [C, R] */
export function transpose2d(x: Tensor): Tensor {
  assertShape(x, [null, null], 'transpose2d');
  const [R, C] = x.shape;
  const out = new Float32Array(x.size);
  const X = x.data;
  for (let r = 0; r < R; r++) for (let c = 0; c < C; c++) out[c * R + r] = X[r * C + c];
  return new Tensor(out, [C, R]);
}

export function add(a: Tensor, b: Tensor): Tensor {
  if (a.shape.length !== b.shape.length || a.shape.some((d, i) => d !== b.shape[i])) {
    throw new ShapeError(`add: shapes [${a.shape.join(', ')}] and [${b.shape.join(', ')}] differ`);
  }
  return kernel('add')(a, b);
}

export function scale(a: Tensor, s: number): Tensor {
  return kernel('scale')(a, s);
}

/** LayerNorm over the last dimension; weight and bias [C]. Same shape as x. */
export function layerNorm(x: Tensor, weight: Tensor, bias: Tensor, eps: number): Tensor {
  const C = x.shape[x.rank - 1];
  assertShape(weight, [C], 'layerNorm weight');
  assertShape(bias, [C], 'layerNorm bias');
  return kernel('layerNorm')(x, weight, bias, eps);
}

export function gelu(x: Tensor, kind: GeluKind): Tensor {
  return kernel('gelu')(x, kind);
}

/** softmax over the last dimension; -Infinity entries get weight 0. Same shape as x. */
export function softmax(x: Tensor): Tensor {
  return kernel('softmax')(x);
}

/** table [V, C], ids (each in [0, V)) → [T, C] */
export function embedding(table: Tensor, ids: ArrayLike<number>): Tensor {
  assertShape(table, [null, null], 'embedding table');
  const V = table.shape[0];
  for (let t = 0; t < ids.length; t++) {
    const id = ids[t];
    if (!Number.isInteger(id) || id < 0 || id >= V) {
      throw new ShapeError(`embedding: id ${id} at position ${t} is outside the table's ${V} rows`);
    }
  }
  return kernel('embedding')(table, ids);
}

/** scores [H, T, S] → copy with future keys set to -Infinity */
export function causalMask(scores: Tensor): Tensor {
  assertShape(scores, [null, null, null], 'causalMask scores');
  return kernel('causalMask')(scores);
}

/** x [T, H·D] → [H, T, D]: split the width into heads and put heads first. */
export function splitHeads(x: Tensor, H: number): Tensor {
  assertShape(x, [null, null], 'splitHeads input');
  const [T, C] = x.shape;
  if (C % H !== 0) throw new ShapeError(`splitHeads: width ${C} is not divisible by ${H} heads`);
  const D = C / H;
  const out = new Float32Array(x.size);
  const X = x.data;
  for (let t = 0; t < T; t++) for (let h = 0; h < H; h++) out.set(X.subarray(t * C + h * D, t * C + h * D + D), (h * T + t) * D);
  return new Tensor(out, [H, T, D]);
}

/** x [H, T, D] → [T, H·D]: the inverse of splitHeads (concatenate heads). */
export function mergeHeads(x: Tensor): Tensor {
  assertShape(x, [null, null, null], 'mergeHeads input');
  const [H, T, D] = x.shape;
  const out = new Float32Array(x.size);
  const X = x.data;
  for (let h = 0; h < H; h++) for (let t = 0; t < T; t++) out.set(X.subarray((h * T + t) * D, (h * T + t + 1) * D), t * H * D + h * D);
  return new Tensor(out, [T, H * D]);
}

/**
 * Fused multi-head attention: q [T, H·D], k, v [S, H·D] → z [T, H·D] and, for the query positions in
 * opt.rows, pattern [H, R, S] = softmax(mask(scale · q·kᵀ)) — the same numbers as the unfused ops, without
 * an [H, T, S] buffer when few rows are asked for.
 */
export function attention(q: Tensor, k: Tensor, v: Tensor, opt: AttentionArgs): AttentionResult {
  assertShape(q, ['T', 'C'], 'attention q');
  assertShape(k, ['S', q.shape[1]], 'attention k');
  assertShape(v, [k.shape[0], q.shape[1]], 'attention v');
  const [T, C] = q.shape;
  if (!Number.isInteger(opt.heads) || opt.heads < 1 || C % opt.heads !== 0) {
    throw new ShapeError(`attention: width ${C} is not divisible by ${opt.heads} heads`);
  }
  if (opt.rows) {
    const seen = new Set<number>();
    for (const t of opt.rows) {
      if (!Number.isInteger(t) || t < 0 || t >= T) throw new ShapeError(`attention: row ${t} is outside the ${T} query positions`);
      if (seen.has(t)) throw new ShapeError(`attention: row ${t} is asked for twice`);
      seen.add(t);
    }
  }
  return kernel('attention')(q, k, v, opt);
}
