// Times a GPT-2-small-shaped forward pass (random weights) with every pattern captured, on the fast kernels
// (ATTN_KERNELS=reference for the plain ops, ATTN_THREADS for the thread count). Prints figures; asserts
// nothing. Run: npm run build && node dist/bench/gpt2-small.js [T...]  (add --cpu-prof for a profile)

import { buildModel } from '../src/models/build.js';
import { MapSource } from '../src/models/checkpoint.js';
import { runWithCache } from '../src/interpret/run.js';
import { useFastKernels } from '../src/kernels/index.js';
import { gpt2Config, randomGpt2Weights } from '../test/support/random-gpt2.js';

const kernels = (process.env.ATTN_KERNELS ?? 'auto') as 'auto' | 'relaxed' | 'simd' | 'reference';
const info = await useFastKernels({ kernels, threads: process.env.ATTN_THREADS ? Number(process.env.ATTN_THREADS) : undefined });
console.log(`kernels: ${info.backend}, ${info.threads} thread${info.threads === 1 ? '' : 's'}`);

const lengths = process.argv.slice(2).map(Number).filter((n) => n > 0);
const cfg = gpt2Config({ nLayer: 12, nEmbd: 768, nHead: 12, vocab: 50257, nPositions: 1024 });
const t0 = performance.now();
const model = buildModel(cfg, new MapSource(randomGpt2Weights(cfg, 7)));
console.log(`build (random weights + convert): ${((performance.now() - t0) / 1000).toFixed(2)} s`);
for (const T of lengths.length ? lengths : [64]) {
  const ids = Array.from({ length: T }, (_, t) => (t * 7919) % 50257);
  runWithCache(model, { ids: ids.slice(0, 4) }, { hooks: 'pattern' }); // warm-up
  const times: number[] = [];
  for (let r = 0; r < 3; r++) {
    const s = performance.now();
    runWithCache(model, { ids }, { hooks: 'pattern' });
    times.push((performance.now() - s) / 1000);
  }
  times.sort((a, b) => a - b);
  const rss = process.memoryUsage().rss / 2 ** 20;
  console.log(`T=${T}: median ${times[1].toFixed(3)} s (min ${times[0].toFixed(3)} s) over 3 runs; RSS ${rss.toFixed(0)} MiB`);
}
