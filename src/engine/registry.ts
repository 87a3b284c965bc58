// The op registry: every op the models use is looked up here by name, so a faster backend (WASM SIMD,
// threads: src/kernels/) can replace the plain-TypeScript reference without touching the models.
// Modelled on tfjs-core's KernelConfig {kernelName, backendName, kernelFunc}.

import type { Tensor } from './tensor.js';

export type GeluKind = 'exact' | 'tanh';

/** Options of the fused attention op. */
export interface AttentionArgs {
  /** H: q, k, v hold H heads of width D side by side */
  heads: number;
  /** multiplies q·k (usually 1/√D) */
  scale: number;
  /** hide key s from query t when s > t + S − T */
  causal: boolean;
  /** query positions (distinct, each in [0, T)) whose pattern rows to return, in this order; none when absent */
  rows?: readonly number[];
}

export interface AttentionResult {
  /** [T, H·D] weighted sums of values, heads side by side */
  z: Tensor;
  /** [H, R, S] softmax(mask(scale · q·kᵀ)) for the requested rows; absent when none were asked for */
  pattern?: Tensor;
}

/** The signature of every op a backend may provide. Shapes are checked by the wrappers in ops.ts. */
export interface OpTable {
  /** a [M, K] · bᵀ where b is [N, K] → [M, N]; adds bias [N] when given. */
  matmulT(a: Tensor, b: Tensor, bias?: Tensor): Tensor;
  /** a [M, K] · b [K, N] → [M, N] (b read as it is stored, not transposed first). */
  matmul(a: Tensor, b: Tensor): Tensor;
  /** aᵀ · b with a [K, M], b [K, N] → [M, N]: the weight gradient dyᵀ·x of a linear layer, no transposes. */
  matmulTN(a: Tensor, b: Tensor): Tensor;
  /** elementwise a + b, same shape. */
  add(a: Tensor, b: Tensor): Tensor;
  /** elementwise a · s. */
  scale(a: Tensor, s: number): Tensor;
  /** LayerNorm over the last dimension of x [R, C] with weight, bias [C]. */
  layerNorm(x: Tensor, weight: Tensor, bias: Tensor, eps: number): Tensor;
  /** GELU, exact (erf) or the tanh approximation. */
  gelu(x: Tensor, kind: GeluKind): Tensor;
  /** softmax over the last dimension; -Infinity entries get weight 0. */
  softmax(x: Tensor): Tensor;
  /** rows of table [V, C] for ids → [T, C]. */
  embedding(table: Tensor, ids: ArrayLike<number>): Tensor;
  /** copy of scores [H, T, S] with entry (t, s) set to -Infinity where key s is after query t (s > t + S - T). */
  causalMask(scores: Tensor): Tensor;
  /**
   * Fused multi-head attention: q [T, H·D], k, v [S, H·D] → z [T, H·D] plus the requested pattern rows
   * [H, R, S]; equal to softmax(causalMask(scale(q·kᵀ)))·v per head, without materialising [H, T, S].
   */
  attention(q: Tensor, k: Tensor, v: Tensor, opt: AttentionArgs): AttentionResult;
  /**
   * Training: fused softmax cross-entropy of logits [N, V] against targets (−1 leaves a row out) →
   * dlogits [N, V] = (softmax − onehot)·invCount and the loss summed over the counted rows.
   */
  crossEntropy(logits: Tensor, targets: Int32Array, invCount: number): { lossSum: number; dlogits: Tensor };
  /** Training: dx = GELU'(x)·dy, same shape as x. */
  geluBackward(x: Tensor, dy: Tensor, kind: GeluKind): Tensor;
}

export type OpName = keyof OpTable;

export interface KernelConfig<K extends OpName = OpName> {
  kernelName: K;
  backendName: string;
  kernelFunc: OpTable[K];
}

const kernels = new Map<string, Map<OpName, OpTable[OpName]>>();
/** Backends in order of preference; the reference backend is always last. */
let order: string[] = ['reference'];

export function registerKernel<K extends OpName>(config: KernelConfig<K>): void {
  let table = kernels.get(config.backendName);
  if (!table) kernels.set(config.backendName, (table = new Map()));
  table.set(config.kernelName, config.kernelFunc as OpTable[OpName]);
}

/** Chooses which backends to use, most preferred first; 'reference' is appended if absent. */
export function setBackendOrder(names: string[]): void {
  order = names.includes('reference') ? [...names] : [...names, 'reference'];
}

export function backendOrder(): readonly string[] {
  return order;
}

/** The implementation of `name` from the most preferred backend that has one. */
export function kernel<K extends OpName>(name: K): OpTable[K] {
  for (const backend of order) {
    const fn = kernels.get(backend)?.get(name);
    if (fn) return fn as OpTable[K];
  }
  throw new Error(`no kernel registered for op '${name}' (backends tried: ${order.join(', ')})`);
}

/** Which backend currently serves `name` (for tests and benchmarks). */
export function kernelBackend(name: OpName): string | undefined {
  return order.find((b) => kernels.get(b)?.has(name));
}

const changeListeners: Array<(data: Float32Array) => void> = [];

/**
 * Says that `data` (a tensor's values, e.g. a weight) was changed in place, so that a backend which keeps
 * a derived copy of it (the fast kernels' packed weights) drops that copy. The optimiser calls it after
 * each update; anyone else who writes into a weight they have already multiplied with must too.
 */
export function dataChanged(data: Float32Array): void {
  for (const f of changeListeners) f(data);
}

/** Registers a listener for dataChanged (backends that cache derived forms of operands). */
export function onDataChanged(listener: (data: Float32Array) => void): void {
  changeListeners.push(listener);
}
