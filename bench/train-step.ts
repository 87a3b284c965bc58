// Training throughput (tokens/s) of attn's GPT-2 trainer for a small config, beside PyTorch 1.13 on the
// CPU (scripts/reference/train_step.py --bench) in the same run. Prints figures; asserts nothing.
// Run: npm run -s build:ts && node dist/bench/train-step.js [--steps 3] [--batch 8] [--seq 128]
//      [--embd 128] [--layers 4] [--heads 4] [--vocab 4096] [--threads N] [--fast] [--no-torch]

import { spawnSync } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../src/models/config.js';
import { Rng } from '../src/train/rng.js';
import { gpt2ConfigJson, initGpt2Params, namedParams } from '../src/train/params.js';
import { Gpt2Trainer } from '../src/train/trainer.js';
import { REPO_ROOT } from '../test/support/paths.js';

const argv = process.argv.slice(2);
const num = (flag: string, fallback: number): number => {
  const i = argv.indexOf(flag);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const o = {
  C: num('--embd', 128), L: num('--layers', 4), H: num('--heads', 4), T: num('--seq', 128),
  B: num('--batch', 8), V: num('--vocab', 4096), steps: num('--steps', 3), threads: num('--threads', availableParallelism()),
};

const cfg = parseConfig(gpt2ConfigJson({ vocabSize: o.V, nPositions: o.T, nEmbd: o.C, nLayer: o.L, nHead: o.H }));
const nParams = namedParams(initGpt2Params(cfg, new Rng(0))).reduce((a, p) => a + p.tensor.size, 0);
console.log(`GPT-2 training step: C=${o.C} L=${o.L} H=${o.H} T=${o.T} B=${o.B} V=${o.V} (${(nParams / 1e6).toFixed(2)}M parameters), ` +
  `AdamW + clipping, no dropout; median of ${o.steps} steps after 1 warm-up step; ${availableParallelism()} cores`);

/** Median seconds per training step of attn's trainer with whatever kernels are registered now. */
function timeAttn(): number {
  const rng = new Rng(1);
  const p = initGpt2Params(cfg, rng);
  const ids = Int32Array.from({ length: o.B * (o.T + 1) }, () => rng.nextU32() % o.V);
  const inputs = new Int32Array(o.B * o.T), targets = new Int32Array(o.B * o.T);
  for (let b = 0; b < o.B; b++) {
    inputs.set(ids.subarray(b * (o.T + 1), b * (o.T + 1) + o.T), b * o.T);
    targets.set(ids.subarray(b * (o.T + 1) + 1, (b + 1) * (o.T + 1)), b * o.T);
  }
  const trainer = new Gpt2Trainer(cfg, p, { schedule: { lr: 1e-3, warmupSteps: 0, totalSteps: 1000 } });
  const batch = { B: o.B, T: o.T, ids: inputs, targets };
  const times: number[] = [];
  for (let s = 0; s <= o.steps; s++) {
    const t0 = performance.now();
    trainer.trainStep(batch);
    if (s > 0) times.push((performance.now() - t0) / 1000);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

function report(what: string, secs: number): number {
  const tps = (o.B * o.T) / secs;
  console.log(`${what.padEnd(44)} ${(secs * 1000).toFixed(0).padStart(7)} ms/step  ${tps.toFixed(0).padStart(8)} tokens/s`);
  return tps;
}

const attnRef = report('attn, reference TypeScript ops (1 thread)', timeAttn());
/** tokens/s with the fast kernels, by thread count */
const attnFast = new Map<number, number>();
if (argv.includes('--fast')) {
  try {
    // the WebAssembly kernels are optional here: the bench must run on a tree without them
    const path = '../src/kernels/index.js';
    const k = (await import(path)) as { useFastKernels(o: { threads: number }): Promise<{ backend: string; threads: number }> };
    for (const threads of [...new Set([1, o.threads])]) {
      const info = await k.useFastKernels({ threads });
      attnFast.set(threads, report(`attn, ${info.backend} kernels (${info.threads} thread${info.threads > 1 ? 's' : ''})`, timeAttn()));
    }
  } catch (e) {
    console.log(`attn, fast kernels: not available (${(e as Error).message})`);
  }
}

if (!argv.includes('--no-torch')) {
  const script = join(REPO_ROOT, 'scripts', 'reference', 'train_step.py');
  for (const threads of [...new Set([1, o.threads])]) {
    const args = [script, '--bench', o.C, o.L, o.H, o.T, o.B, o.V, o.steps, threads].map(String);
    const r = spawnSync(process.env.PYTHON ?? '/usr/bin/python3', args, { encoding: 'utf8' });
    if (r.status !== 0) {
      console.log(`PyTorch: could not run (${(r.stderr || r.error?.message || '').trim().split('\n').pop()})`);
      break;
    }
    const res = JSON.parse(r.stdout.trim().split('\n').pop()!) as { ms_per_step: number; tokens_per_s: number; torch: string };
    const tps = report(`PyTorch ${res.torch} CPU, float32 (${threads} thread${threads > 1 ? 's' : ''})`, res.ms_per_step / 1000);
    const fast = attnFast.get(threads);
    const vs = [`reference ops ${(attnRef / tps).toFixed(2)}×`, fast ? `fast kernels ${(fast / tps).toFixed(2)}× (target ≥ 0.5×)` : ''].filter(Boolean).join(', ');
    console.log(`${''.padEnd(44)} attn ÷ PyTorch, ${threads} thread${threads > 1 ? 's' : ''}: ${vs}`);
  }
}
