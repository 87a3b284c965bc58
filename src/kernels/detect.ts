// What this JavaScript engine offers the kernels: WebAssembly SIMD, relaxed SIMD, shared memory, worker
// threads, cores. Feature tests validate the real kernel builds rather than guessing from versions.
// Node 20 ships relaxed SIMD behind --experimental-wasm-relaxed-simd; V8 accepts it at run time.

import type * as Binaries from './wasm-binaries.js';

export interface Features {
  simd: boolean;
  relaxedSimd: boolean;
  /** true when relaxed SIMD needed the V8 flag turned on at run time */
  relaxedFlagSet: boolean;
  sharedMemory: boolean;
  /** worker_threads (Node); the browser path runs on one thread */
  workers: boolean;
  cores: number;
  /** the built kernels (absent when scripts/build-wasm.mjs has not run) */
  binaries?: typeof Binaries;
}

const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';

export async function detectFeatures(enableRelaxedFlag: boolean): Promise<Features> {
  let binaries: typeof Binaries | undefined;
  try {
    binaries = await import('./wasm-binaries.js');
  } catch {
    binaries = undefined;
  }
  const valid = (b64: string | undefined) => b64 !== undefined && typeof WebAssembly === 'object' && WebAssembly.validate(bytes(b64));
  const simd = valid(binaries?.simd);
  let relaxedSimd = valid(binaries?.relaxed);
  let relaxedFlagSet = false;
  if (simd && !relaxedSimd && isNode && enableRelaxedFlag) {
    const v8 = await import('node:v8');
    v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
    relaxedSimd = valid(binaries?.relaxed);
    relaxedFlagSet = relaxedSimd;
  }
  let sharedMemory = false;
  try {
    sharedMemory = typeof SharedArrayBuffer === 'function' &&
      new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true } as WebAssembly.MemoryDescriptor).buffer instanceof SharedArrayBuffer;
  } catch {
    sharedMemory = false;
  }
  let cores = 1;
  if (isNode) cores = (await import('node:os')).availableParallelism();
  else if (typeof navigator !== 'undefined') cores = navigator.hardwareConcurrency || 1;
  return { simd, relaxedSimd, relaxedFlagSet, sharedMemory, workers: isNode, cores, binaries };
}

function bytes(b64: string): Uint8Array<ArrayBuffer> {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

export { bytes as decodeBase64 };
