// Every fast kernel against the reference op it replaces, on random shapes (odd sizes, one row, T = 1), in
// each build (relaxed and standard SIMD) with one thread and with two; and threads give the same bits as
// one thread (each output element is computed whole by one thread, whichever takes its task).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ops from '../../src/engine/ops.js';
import { referenceOps } from '../../src/engine/reference/index.js';
import { kernelBackend } from '../../src/engine/registry.js';
import { Tensor } from '../../src/engine/tensor.js';
import { useFastKernels, useReferenceKernels, type FastKernelOptions } from '../../src/kernels/index.js';
import { assertClose, assertSameBits, randomTensor } from './helpers.js';
import { parseConfig } from '../../src/models/config.js';
import { gpt2ConfigJson, initGpt2Params } from '../../src/train/params.js';
import { Gpt2Trainer } from '../../src/train/trainer.js';
import { Rng } from '../../src/train/rng.js';

// [M, K, N]: edge sizes, then a few seeded odd ones, and one of GPT-2's
const GEMM_SHAPES = [[1, 1, 1], [1, 7, 1], [3, 5, 7], [4, 8, 8], [5, 3, 9], [13, 17, 9], [1, 64, 50], [37, 70, 300], [64, 768, 96], [300, 70, 13], [256, 96, 64]];
// [T, S, H, D, causal]
const ATTENTION_SHAPES: Array<[number, number, number, number, boolean]> = [
  [1, 1, 1, 4, true], [1, 1, 2, 8, false], [5, 5, 2, 8, true], [17, 17, 3, 12, true], [33, 100, 2, 16, true],
  [33, 100, 2, 16, false], [70, 70, 4, 64, true], [129, 129, 2, 64, false], [20, 7, 1, 4, true],
];

/** Runs every op once on fixed inputs; the results, by name, for comparing configurations. */
function runAll(): Map<string, Tensor> {
  const out = new Map<string, Tensor>();
  GEMM_SHAPES.forEach(([M, K, N], i) => {
    const a = randomTensor([M, K], 10 + i), b = randomTensor([N, K], 20 + i), bias = randomTensor([N], 30 + i);
    out.set(`linear ${M}×${K}×${N}`, ops.linear(a, b, bias));
    out.set(`linear ${M}×${K}×${N} again (packed weight)`, ops.linear(a, b, bias));
    out.set(`matmulT ${M}×${K}×${N} (no bias)`, ops.matmulT(a, b));
    const bKN = randomTensor([K, N], 70 + i), aKM = randomTensor([K, M], 80 + i);
    out.set(`matmul ${M}×${K}×${N}`, ops.matmul(a, bKN));
    out.set(`matmulTN ${M}×${K}×${N}`, ops.matmulTN(aKM, bKN));
  });
  for (const [R, C] of [[1, 1], [3, 7], [2, 768], [9, 5], [64, 96]]) {
    const x = randomTensor([R, C], R * 100 + C, 3);
    x.data[0] += 1000; // a large mean: LayerNorm must not lose the variance
    out.set(`layerNorm ${R}×${C}`, ops.layerNorm(x, randomTensor([C], 1), randomTensor([C], 2), 1e-5));
    out.set(`gelu tanh ${R}×${C}`, ops.gelu(x, 'tanh'));
    out.set(`gelu exact ${R}×${C}`, ops.gelu(x, 'exact'));
    out.set(`softmax ${R}×${C}`, ops.softmax(x));
    const masked = ops.causalMask(x.reshape([1, R, C])); // rows with -Infinity; with C < R some rows keep all keys
    out.set(`softmax masked ${R}×${C}`, ops.softmax(masked));
  }
  for (const [R, V] of [[1, 1], [3, 7], [5, 64], [9, 301]]) {
    const logits = randomTensor([R, V], R * 7 + V, 4);
    const targets = Int32Array.from({ length: R }, (_, r) => (r === 1 ? -1 : (r * 31 + 5) % V)); // row 1 left out
    const ce = ops.crossEntropy(logits, targets, 1 / (R > 1 ? R - 1 : 1));
    out.set(`crossEntropy ${R}×${V} dlogits`, ce.dlogits);
    out.set(`crossEntropy ${R}×${V} loss`, new Tensor(Float32Array.of(ce.lossSum), [1]));
    const x = randomTensor([R, V], R + V, 3), dy = randomTensor([R, V], R + V + 1);
    out.set(`geluBackward tanh ${R}×${V}`, ops.geluBackward(x, dy, 'tanh'));
    out.set(`geluBackward exact ${R}×${V}`, ops.geluBackward(x, dy, 'exact'));
  }
  const allMasked = randomTensor([2, 6], 5);
  allMasked.data.fill(-Infinity, 0, 6);
  out.set('softmax of an all-masked row', ops.softmax(allMasked));
  ATTENTION_SHAPES.forEach(([T, S, H, D, causal], i) => {
    const C = H * D;
    const q = randomTensor([T, C], 40 + i, 2), k = randomTensor([S, C], 50 + i, 2), v = randomTensor([S, C], 60 + i);
    const all = Array.from({ length: T }, (_, t) => T - 1 - t); // every row, in reverse order
    const r = ops.attention(q, k, v, { heads: H, scale: 1 / Math.sqrt(D), causal, rows: all });
    out.set(`attention ${T}/${S}×${H}×${D}${causal ? ' causal' : ''} z`, r.z);
    out.set(`attention ${T}/${S}×${H}×${D}${causal ? ' causal' : ''} pattern`, r.pattern!);
    const some = ops.attention(q, k, v, { heads: H, scale: 1 / Math.sqrt(D), causal, rows: T > 2 ? [T - 1, 0, 2] : [0] });
    out.set(`attention ${T}/${S}×${H}×${D}${causal ? ' causal' : ''} some rows`, some.pattern!);
    out.set(`attention ${T}/${S}×${H}×${D}${causal ? ' causal' : ''} z without rows`, ops.attention(q, k, v, { heads: H, scale: 1 / Math.sqrt(D), causal }).z);
  });
  return out;
}

function tolerance(name: string): number {
  const m = /^(?:linear|matmulT|matmul|matmulTN) \d+×(\d+)×/.exec(name);
  if (m) return 3e-6 * Math.max(8, Number(m[1])); // float32 sums of K products vs the float64 reference
  if (name.startsWith('layerNorm')) return 2e-5;
  if (name.startsWith('crossEntropy') || name.startsWith('geluBackward')) return 1e-5;
  return 2e-6;
}

await useReferenceKernels();
const reference = runAll();

const CONFIGS: Array<[string, FastKernelOptions]> = [
  ['relaxed SIMD, 1 thread', { kernels: 'relaxed', threads: 1 }],
  ['relaxed SIMD, 2 threads', { kernels: 'relaxed', threads: 2, minParallelWork: 0 }],
  ['standard SIMD, 1 thread', { kernels: 'simd', threads: 1 }],
  ['standard SIMD, 2 threads', { kernels: 'simd', threads: 2, minParallelWork: 0 }],
];

const results = new Map<string, Map<string, Tensor>>();
for (const [label, options] of CONFIGS) {
  test(`fast kernels match the reference ops: ${label}`, async () => {
    const info = await useFastKernels(options);
    assert.equal(info.backend, `wasm-${options.kernels}`, info.notes.join('; '));
    assert.equal(info.threads, options.threads);
    for (const op of ['matmulT', 'matmul', 'matmulTN', 'layerNorm', 'gelu', 'softmax', 'attention', 'crossEntropy', 'geluBackward'] as const) assert.equal(kernelBackend(op), 'wasm');
    const fast = runAll();
    results.set(label, fast);
    for (const [name, want] of reference) assertClose(fast.get(name)!, want, tolerance(name), `${label}: ${name}`);
  });
}

test('two threads give the same bits as one thread, in both builds', () => {
  for (const build of ['relaxed', 'standard']) {
    const one = results.get(`${build} SIMD, 1 thread`)!, two = results.get(`${build} SIMD, 2 threads`)!;
    assert.ok(one && two, 'the configurations above ran');
    for (const [name, t] of one) assertSameBits(two.get(name)!, t, `${build}: ${name}`);
  }
});

test('training with the fast kernels follows the reference: updated weights are repacked, not reused stale', async () => {
  const cfg = parseConfig(gpt2ConfigJson({ vocabSize: 64, nPositions: 16, nEmbd: 32, nLayer: 2, nHead: 2 }));
  const losses = async (fast: boolean): Promise<number[]> => {
    if (fast) await useFastKernels({ threads: 2, minParallelWork: 0 });
    else await useReferenceKernels();
    const rng = new Rng(3);
    const p = initGpt2Params(cfg, rng);
    const ids = Int32Array.from({ length: 2 * 16 }, () => rng.nextU32() % 64);
    const targets = Int32Array.from({ length: 2 * 16 }, () => rng.nextU32() % 64);
    const trainer = new Gpt2Trainer(cfg, p, { schedule: { lr: 1e-2, totalSteps: 100 } });
    const batch = { B: 2, T: 16, ids, targets };
    const out = Array.from({ length: 5 }, () => trainer.trainStep(batch).loss);
    return [...out, trainer.evalLoss(batch)];
  };
  const want = await losses(false), got = await losses(true);
  got.forEach((l, i) => assert.ok(Math.abs(l - want[i]) < 1e-4, `step ${i}: loss ${l} with the fast kernels, ${want[i]} with the reference`));
});

test('back to the reference ops', async () => {
  await useReferenceKernels();
  assert.equal(kernelBackend('matmulT'), 'reference');
  assertSameBits(runAll().get('linear 13×17×9')!, reference.get('linear 13×17×9')!, 'reference again');
});
