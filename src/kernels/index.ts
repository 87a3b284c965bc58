// Fast kernels for attn's ops: WebAssembly SIMD (relaxed SIMD where the engine has it) and worker threads,
// registered over the plain-TypeScript reference ops (src/engine/reference/) through the op registry.
// Activate with `await useFastKernels({ threads })`; the CLI does so at start-up (ATTN_KERNELS,
// ATTN_THREADS). Each load falls back a step when the engine lacks a feature: relaxed SIMD → standard SIMD
// → the reference ops; shared memory missing (browser without cross-origin isolation) → one thread.

import { onDataChanged, registerKernel, setBackendOrder, type OpName, type OpTable } from '../engine/registry.js';
import { referenceOps } from '../engine/reference/index.js';
import { decodeBase64, detectFeatures, type Features } from './detect.js';
import { KernelRuntime, type Variant } from './runtime.js';

export const BACKEND = 'wasm';

export interface FastKernelOptions {
  /** threads in all, the caller's included (default: every core); 1 runs on the caller's thread only */
  threads?: number;
  /** which build: 'auto' (default) the best the engine supports, or force 'relaxed' / 'simd' / 'reference' */
  kernels?: 'auto' | Variant | 'reference';
  /** Node 20 only: turn on V8's --experimental-wasm-relaxed-simd at run time when needed (default true) */
  enableRelaxedFlag?: boolean;
  /** jobs with less work than this (≈ multiply-adds) run on the caller's thread alone (default 2^20; tests use 0) */
  minParallelWork?: number;
  /** pretend the engine lacks features, to exercise the fallbacks (tests) */
  assume?: Partial<Pick<Features, 'simd' | 'relaxedSimd' | 'sharedMemory' | 'workers'>>;
}

export interface KernelsInfo {
  /** what serves the ops now */
  backend: 'wasm-relaxed' | 'wasm-simd' | 'reference';
  threads: number;
  /** why a faster choice was not taken (empty when none was refused) */
  notes: string[];
  features: Features;
}

let active: KernelRuntime | undefined;
let info: KernelsInfo | undefined;
// a weight updated in place (the optimiser) must not be multiplied in its old packed form
onDataChanged((data) => active?.forget(data));

/** Loads the fastest kernels this engine runs and makes the registry prefer them. Safe to call again. */
export async function useFastKernels(options: FastKernelOptions = {}): Promise<KernelsInfo> {
  await useReferenceKernels();
  const want = options.kernels ?? 'auto';
  const features = { ...(await detectFeatures(options.enableRelaxedFlag ?? true)), ...options.assume };
  const notes: string[] = [];
  if (want === 'reference') return (info = { backend: 'reference', threads: 1, notes: ['reference kernels requested'], features });
  let variant: Variant | undefined;
  if (want !== 'simd' && features.relaxedSimd) variant = 'relaxed';
  else if (features.simd) variant = 'simd';
  if (want === 'relaxed' && variant !== 'relaxed') notes.push('relaxed SIMD is not available in this engine');
  if (!variant || !features.binaries) {
    notes.push(features.binaries ? 'WebAssembly SIMD is not available in this engine' : 'the kernels are not built (npm run build:wasm)');
    return (info = { backend: 'reference', threads: 1, notes, features });
  }
  let threads = Math.max(1, Math.floor(options.threads ?? features.cores));
  if (threads > 1 && !(features.sharedMemory && features.workers)) {
    notes.push(features.sharedMemory ? 'no worker threads in this environment: one thread' : 'no shared memory (SharedArrayBuffer): one thread');
    threads = 1;
  }
  const shared = threads > 1;
  const b64 = features.binaries[`${variant}${shared ? 'Shared' : ''}` as keyof typeof features.binaries];
  try {
    active = await KernelRuntime.create(variant, decodeBase64(b64), shared, threads, options.minParallelWork);
  } catch (e) {
    notes.push(`the ${variant} kernels failed to load (${e instanceof Error ? e.message : String(e)})`);
    return (info = { backend: 'reference', threads: 1, notes, features });
  }
  registerAll(active);
  setBackendOrder([BACKEND, 'reference']);
  return (info = { backend: `wasm-${variant}`, threads: active.threads, notes, features });
}

/** Back to the plain-TypeScript ops; stops the worker threads. */
export async function useReferenceKernels(): Promise<void> {
  setBackendOrder(['reference']);
  const rt = active;
  active = undefined;
  info = undefined;
  await rt?.close();
}

/** Bytes of WebAssembly memory the fast kernels hold now (0 without them): it grows, never shrinks. */
export function wasmMemoryBytes(): number {
  return active ? active.heap.memory.buffer.byteLength : 0;
}

/** For bench/: the GEMM kernel alone on operands resident in wasm memory (the op adds copies in and out). */
export function gemmKernelOnly(M: number, K: number, N: number): (() => void) | undefined {
  return active?.gemmInPlace(M, K, N);
}

/** What serves the ops now (undefined before useFastKernels). */
export function kernelsInfo(): KernelsInfo | undefined {
  return info;
}

function registerAll(rt: KernelRuntime): void {
  const fast: Partial<OpTable> = {
    matmulT: (a, b, bias) => rt.matmulT(a, b, bias),
    matmul: (a, b) => rt.matmul(a, b),
    matmulTN: (a, b) => rt.matmulTN(a, b),
    layerNorm: (x, w, b, eps) => rt.layerNorm(x, w, b, eps),
    gelu: (x, kind) => rt.gelu(x, kind),
    softmax: (x) => rt.softmax(x),
    crossEntropy: (logits, targets, invCount) => rt.crossEntropy(logits, targets, invCount),
    geluBackward: (x, dy, kind) => rt.geluBackward(x, dy, kind),
    attention: (q, k, v, opt) => {
      const D = q.shape[1] / opt.heads;
      // the kernel works on 4-wide slices of a head and fills one pattern row per query
      if (D % 4 !== 0 || (opt.rows && new Set(opt.rows).size !== opt.rows.length)) return referenceOps.attention(q, k, v, opt);
      return rt.attention(q, k, v, opt);
    },
  };
  for (const name of Object.keys(fast) as OpName[]) {
    registerKernel({ kernelName: name, backendName: BACKEND, kernelFunc: fast[name] as OpTable[typeof name] });
  }
}
