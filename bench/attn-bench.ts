// attn's side of the benchmark (bench/run.mjs runs it once per thread count, in a fresh process):
//   node dist/bench/attn-bench.js PLAN.json   → JSON figures on stdout
//   node dist/bench/attn-bench.js row T       → one query row's pattern at length T: time and peak RSS
// The same shapes as the peers in bench/peers/: GEMM, attention core with probabilities, GPT-2 small.

import { readFileSync } from 'node:fs';
import * as ops from '../src/engine/ops.js';
import { Tensor } from '../src/engine/tensor.js';
import { gemmKernelOnly, useFastKernels, wasmMemoryBytes } from '../src/kernels/index.js';
import { buildModel } from '../src/models/build.js';
import { MapSource } from '../src/models/checkpoint.js';
import { runWithCache } from '../src/interpret/run.js';
import { gpt2Config, randomGpt2Weights } from '../test/support/random-gpt2.js';

interface Plan {
  threads: number;
  budget_s?: number;
  gemm?: [number, number, number];
  attention?: Array<{ T: number; causal: boolean }>;
  gpt2?: number[];
}

const [H, D] = [12, 64];

function random(n: number, seed: number): Float32Array {
  let s = seed >>> 0 || 1;
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    a[i] = s / 2 ** 31 - 1;
  }
  return a;
}

// run.mjs starts this with --expose-gc: after calls that return over 100 MiB, the last result is collected
// and the event loop turns (untimed) so the memory is really given back, as PyTorch frees a dropped tensor
// at once; otherwise dead patterns pile up between collections. onnxruntime's side does the same.
const collect = (globalThis as { gc?: () => void }).gc ?? (() => {});
const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

/** Median and min of repeated calls after one warm-up, within a time budget (as the peers measure). */
async function measure(fn: () => unknown, budgetS: number, minReps = 3, maxReps = 30, big = false) {
  fn();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < minReps || (times.length < maxReps && performance.now() - start < budgetS * 1000)) {
    if (big) {
      collect();
      await settle();
    }
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  const sorted = [...times].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median_ms: median, min_ms: sorted[0], reps: times.length };
}

async function run(plan: Plan) {
  const info = await useFastKernels({ threads: plan.threads });
  const budget = plan.budget_s ?? 1.5;
  const results: unknown[] = [];
  if (plan.gemm) {
    const [M, K, N] = plan.gemm;
    const a = new Tensor(random(M * K, 1), [M, K]), w = new Tensor(random(N * K, 2), [N, K]); // weight [out, in]
    const r = await measure(() => ops.linear(a, w), budget);
    const kernel = await measure(gemmKernelOnly(M, K, N)!, budget);
    results.push({ kind: 'gemm', shape: [M, K, N], ...r, gflops: (2 * M * K * N) / r.median_ms / 1e6, kernel_gflops: (2 * M * K * N) / kernel.median_ms / 1e6 });
  }
  for (const { T, causal } of plan.attention ?? []) {
    const C = H * D;
    const q = new Tensor(random(T * C, 3), [T, C]), k = new Tensor(random(T * C, 4), [T, C]), v = new Tensor(random(T * C, 5), [T, C]);
    const rows = Array.from({ length: T }, (_, t) => t);
    const r = await measure(() => ops.attention(q, k, v, { heads: H, scale: 1 / Math.sqrt(D), causal, rows }), budget, 2, 30, H * T * T * 4 > 100 * 2 ** 20);
    results.push({ kind: 'attention', T, causal, ...r });
  }
  if (plan.gpt2?.length) {
    const cfg = gpt2Config({ nLayer: 12, nEmbd: 768, nHead: H, vocab: 50257, nPositions: 1024 });
    const model = buildModel(cfg, new MapSource(randomGpt2Weights(cfg, 7)));
    for (const T of plan.gpt2) {
      const ids = Array.from({ length: T }, (_, t) => (t * 7919) % 50257);
      runWithCache(model, { ids }, { hooks: 'pattern' }); // the first run packs the weights
      const r = await measure(() => runWithCache(model, { ids }, { hooks: 'pattern' }), budget, 2, 30, 12 * H * T * T * 4 > 100 * 2 ** 20);
      results.push({ kind: 'gpt2', T, ...r });
    }
  }
  return { peer: 'attn', backend: info.backend, threads: info.threads, notes: info.notes, results };
}

/** One query row (the last) of a T-token attention core, 12 heads of 64: memory must stay O(T). */
async function row(T: number) {
  const info = await useFastKernels({});
  const C = H * D;
  const q = new Tensor(random(T * C, 3), [T, C]), k = new Tensor(random(T * C, 4), [T, C]), v = new Tensor(random(T * C, 5), [T, C]);
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  const { pattern } = ops.attention(q, k, v, { heads: H, scale: 1 / Math.sqrt(D), causal: true, rows: [T - 1] });
  const ms = performance.now() - t0;
  return {
    kind: 'row', T, backend: info.backend, threads: info.threads, ms, pattern_shape: pattern!.shape,
    peak_rss_mib: process.resourceUsage().maxRSS / 1024, rss_before_mib: rssBefore / 2 ** 20, wasm_mib: wasmMemoryBytes() / 2 ** 20,
    inputs_mib: (3 * T * C * 4) / 2 ** 20, full_pattern_mib: (H * T * T * 4) / 2 ** 20,
  };
}

const [mode, arg] = process.argv.slice(2);
const out = mode === 'row' ? await row(Number(arg)) : await run(JSON.parse(readFileSync(mode, 'utf8')) as Plan);
process.stdout.write(`${JSON.stringify(out)}\n`);
