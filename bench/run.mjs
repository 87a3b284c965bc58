// attn's benchmark (`npm run bench`, after the build): attn's fast kernels beside PyTorch and
// onnxruntime-node, measured in the same run, one process per system and thread count. Prints a table of
// ratios (attn ÷ peer: below 1 means attn is faster) and writes bench/results.json. A missing peer is
// named and only its columns are skipped. The peers live outside attn's own install: onnxruntime-node goes
// to bench/node_modules, PyTorch is the system's (/usr/bin/python3). Not a test: it asserts nothing.
//   node bench/run.mjs [--quick]     --quick: fewer shapes, shorter budgets (a smoke run)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { printTable } from './table.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const quick = process.argv.includes('--quick');
const cache = join(here, 'node_modules', '.cache', 'attn-bench');
mkdirSync(cache, { recursive: true });

const PYTHON = process.env.ATTN_BENCH_PYTHON ?? '/usr/bin/python3';
const OPENBLAS_OMP = '/usr/lib/x86_64-linux-gnu/openblas-openmp';
const THREADS = [1, 2];
const plan = quick
  ? { gemm: [768, 768, 3072], attention: [64, 1024].flatMap((T) => [{ T, causal: false }, { T, causal: true }]), gpt2: [64], rows: [8192], budget_s: 0.5 }
  : { gemm: [768, 768, 3072], attention: [64, 256, 1024, 4096].flatMap((T) => [{ T, causal: false }, { T, causal: true }]), gpt2: [64, 512], rows: [1024, 2048, 4096, 8192], budget_s: 1.5 };

function log(msg) {
  process.stderr.write(`bench: ${msg}\n`);
}

/** Runs a command that prints one JSON object; returns it, or { error } with the reason. */
function runJson(cmd, args, env = {}) {
  const r = spawnSync(cmd, args, { cwd: root, encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 1 << 26 });
  if (r.error) return { error: r.error.message };
  if (r.status !== 0) return { error: `${cmd} exited with ${r.status}: ${(r.stderr || '').trim().split('\n').slice(-3).join(' | ')}` };
  try {
    return JSON.parse(r.stdout.trim().split('\n').pop());
  } catch {
    return { error: `no JSON from ${cmd}: ${r.stdout.slice(-200)}` };
  }
}

function writePlan(threads, parts) {
  const file = join(cache, `plan-${threads}.json`);
  writeFileSync(file, JSON.stringify({ threads, budget_s: plan.budget_s, ...parts }));
  return file;
}

// PyTorch: the system's Python with OpenMP OpenBLAS, thread counts set explicitly
const torchEnv = (n) => ({
  ...(existsSync(OPENBLAS_OMP) ? { LD_LIBRARY_PATH: OPENBLAS_OMP } : {}),
  OMP_NUM_THREADS: String(n), OPENBLAS_NUM_THREADS: String(n), MKL_NUM_THREADS: String(n),
});
const peers = { pytorch: { available: false }, onnxruntime: { available: false } };
const probe = spawnSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8', env: { ...process.env, ...torchEnv(1) } });
if (probe.status === 0) {
  peers.pytorch = { available: true, version: probe.stdout.trim(), python: PYTHON, blas: existsSync(OPENBLAS_OMP) ? 'OpenBLAS (OpenMP)' : 'default (install libopenblas0-openmp for OpenMP OpenBLAS)' };
} else peers.pytorch.reason = `no PyTorch at ${PYTHON} (${(probe.stderr || probe.error?.message || '').trim().split('\n').pop()})`;

// onnxruntime-node: installed into bench/node_modules on first use, never into attn's own dependencies
const script = join(here, 'peers', 'torch_bench.py');
const onnxDir = join(cache, 'onnx');
if (!existsSync(join(here, 'node_modules', 'onnxruntime-node'))) {
  log('installing onnxruntime-node into bench/node_modules …');
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const r = spawnSync(npm, ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: here, stdio: 'inherit', env: { ...process.env, ONNXRUNTIME_NODE_INSTALL: 'skip' } });
  if (r.status !== 0) peers.onnxruntime.reason = 'npm install of onnxruntime-node in bench/ failed (offline?)';
}
if (!peers.onnxruntime.reason && !peers.pytorch.available) peers.onnxruntime.reason = 'its models are exported by PyTorch (torch.onnx.export), which is missing';
if (!peers.onnxruntime.reason) {
  const stamp = join(onnxDir, 'stamp');
  const digest = createHash('sha256').update(readFileSync(script)).digest('hex').slice(0, 16);
  if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== digest) {
    log('exporting the peer models to ONNX (torch.onnx.export) …');
    const r = runJson(PYTHON, [script, 'export', onnxDir], torchEnv(2));
    if (r.error) peers.onnxruntime.reason = `ONNX export failed: ${r.error}`;
    else writeFileSync(stamp, digest);
  }
  if (!peers.onnxruntime.reason) peers.onnxruntime = { available: true };
}
for (const [name, p] of Object.entries(peers)) if (!p.available) log(`peer ${name} is missing: ${p.reason}; its columns are skipped`);

const load0 = loadavg();
const started = new Date();
const raw = { attn: {}, pytorch: {}, onnxruntime: {} };
for (const n of THREADS) {
  // attention core at 2 threads only (the target's setting); GEMM and GPT-2 at every thread count
  const parts = { gemm: plan.gemm, gpt2: plan.gpt2, attention: n === 2 ? plan.attention : [] };
  const file = writePlan(n, parts);
  log(`attn, ${n} thread${n > 1 ? 's' : ''} …`);
  raw.attn[n] = runJson(process.execPath, ['--expose-gc', join(root, 'dist', 'bench', 'attn-bench.js'), file]);
  if (peers.pytorch.available) {
    log(`PyTorch, ${n} thread${n > 1 ? 's' : ''} …`);
    raw.pytorch[n] = runJson(PYTHON, [script, 'measure', file], torchEnv(n));
  }
  if (peers.onnxruntime.available) {
    log(`onnxruntime-node, ${n} thread${n > 1 ? 's' : ''} …`);
    const r = runJson(process.execPath, ['--expose-gc', join(here, 'peers', 'ort_bench.mjs'), file, onnxDir]);
    if (r.version) peers.onnxruntime.version = r.version;
    raw.onnxruntime[n] = r;
  }
}
const rows = [];
for (const T of plan.rows) {
  log(`attn, one row at T = ${T} …`);
  rows.push(runJson(process.execPath, [join(root, 'dist', 'bench', 'attn-bench.js'), 'row', String(T)]));
}

const results = {
  date: started.toISOString(),
  machine: { cpu: cpus()[0]?.model, cores: cpus().length, memory_gib: +(totalmem() / 2 ** 30).toFixed(1), node: process.version, load_before: load0, load_after: loadavg() },
  note: 'ratios are attn ÷ peer of times measured in this run (below 1: attn is faster); GEMM also as GFLOP/s',
  peers,
  raw,
  rows,
};
const table = printTable(results);
results.table = table;
writeFileSync(join(here, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(`${table}\nwritten: bench/results.json\n`);
