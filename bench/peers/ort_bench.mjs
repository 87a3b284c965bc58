// onnxruntime-node peer for attn's benchmark: runs the models torch_bench.py exported (the same model as
// the PyTorch peer) on the CPU execution provider, with the thread count from the plan.
//   node bench/peers/ort_bench.mjs PLAN.json ONNX_DIR   → JSON figures on stdout
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', 'package.json'));
const ort = require('onnxruntime-node');
const [planFile, dir] = process.argv.slice(2);
const plan = JSON.parse(readFileSync(planFile, 'utf8'));
const [H, D] = [12, 64];

function random(n, seed) {
  let s = seed >>> 0 || 1;
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    a[i] = s / 2 ** 31 - 1;
  }
  return a;
}

// run with --expose-gc, like attn's side: after calls returning over 100 MiB, dead outputs are collected
// and the event loop turns (untimed)
const collect = globalThis.gc ?? (() => {});
const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

// big: the call returns over 100 MiB (then the event loop turns before the next call, as on attn's side)
async function measure(fn, budgetS, minReps = 3, maxReps = 30, big = false) {
  await fn();
  const times = [];
  const start = performance.now();
  while (times.length < minReps || (times.length < maxReps && performance.now() - start < budgetS * 1000)) {
    if (big) {
      collect();
      await settle();
    }
    const t = performance.now();
    await fn();
    times.push(performance.now() - t);
  }
  const sorted = [...times].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return { median_ms: sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2, min_ms: sorted[0], reps: times.length };
}

const options = { executionProviders: ['cpu'], intraOpNumThreads: plan.threads, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' };
const session = (name) => ort.InferenceSession.create(join(dir, name), options);
const budget = plan.budget_s ?? 1.5;
const results = [];

if (plan.gemm) {
  const [M, K, N] = plan.gemm;
  const s = await session('gemm.onnx');
  const a = new ort.Tensor('float32', random(M * K, 1), [M, K]);
  const r = await measure(() => s.run({ a }), budget);
  results.push({ kind: 'gemm', shape: [M, K, N], ...r, gflops: (2 * M * K * N) / r.median_ms / 1e6 });
}
if (plan.attention?.length) {
  const plain = await session('attention.onnx'), masked = await session('attention-causal.onnx');
  for (const { T, causal } of plan.attention) {
    const feeds = Object.fromEntries(['q', 'k', 'v'].map((n, i) => [n, new ort.Tensor('float32', random(H * T * D, 3 + i), [H, T, D])]));
    if (causal) {
      const m = new Float32Array(T * T);
      for (let t = 0; t < T; t++) m.fill(-Infinity, t * T + t + 1, (t + 1) * T);
      feeds.mask = new ort.Tensor('float32', m, [T, T]);
    }
    const r = await measure(() => (causal ? masked : plain).run(feeds), budget, 2, 30, H * T * T * 4 > 100 * 2 ** 20);
    results.push({ kind: 'attention', T, causal, ...r });
  }
}
if (plan.gpt2?.length) {
  const s = await session('gpt2.onnx');
  for (const T of plan.gpt2) {
    const ids = new ort.Tensor('int64', BigInt64Array.from({ length: T }, (_, t) => BigInt((t * 7919) % 50257)), [T]);
    const r = await measure(() => s.run({ ids }), budget, 2, 30, 12 * H * T * T * 4 > 100 * 2 ** 20);
    results.push({ kind: 'gpt2', T, ...r });
  }
}
const version = require('onnxruntime-node/package.json').version;
process.stdout.write(`${JSON.stringify({ peer: 'onnxruntime', version, threads: plan.threads, results })}\n`);
