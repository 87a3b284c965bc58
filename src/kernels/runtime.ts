// One loaded build of the WebAssembly kernels: its memory and allocator, its thread pool, and the ops it
// runs (operands are copied into wasm memory, results copied out into fresh tensors). Weights are packed
// into the GEMM panel layout once and kept in wasm memory (see PackedCache).

import { Tensor } from '../engine/tensor.js';
import type { AttentionArgs, AttentionResult, GeluKind } from '../engine/registry.js';
import { KERNEL_NAMES, type KernelName } from './control.js';
import { WasmHeap } from './heap.js';
import { PackedCache } from './packed.js';
import { ThreadPool } from './pool.js';
import { ATTENTION_ROWS, JOB_ATTENTION, runJob } from './jobs.js';

export type Variant = 'relaxed' | 'simd';

type Exports = Record<KernelName, (...args: number[]) => number | void> & {
  attentionScratchBytes(D: number, S: number): number;
};

const MAX_BYTES = 2 ** 32 - 2 ** 16; // a 32-bit memory's last page stays unused
const PARALLEL_WORK = 1 << 20; // smaller jobs (≈ multiply-adds) run on the calling thread alone

/** A temporary block of wasm memory, released by Scope.close. */
class Scope {
  private blocks: Array<[number, number]> = [];
  constructor(private readonly heap: WasmHeap) {}
  alloc(bytes: number): number {
    const p = this.heap.alloc(bytes);
    this.blocks.push([p, bytes]);
    return p;
  }
  close(): void {
    for (const [p, b] of this.blocks.reverse()) this.heap.release(p, b);
    this.blocks = [];
  }
}

export class KernelRuntime {
  readonly heap: WasmHeap;
  private readonly counter: number;
  private readonly packed: PackedCache;

  private constructor(
    readonly variant: Variant,
    readonly shared: boolean,
    private readonly exports: Exports,
    memory: WebAssembly.Memory,
    private pool: ThreadPool,
    private readonly minParallelWork: number,
  ) {
    this.heap = new WasmHeap(memory, 64, MAX_BYTES);
    this.counter = this.heap.alloc(64);
    this.packed = new PackedCache(this.heap, (b, N, K, P) => this.job('pack', [b, N, K, P], N * K));
  }

  /** Instantiates `binary`; threads > 1 needs shared memory (a binary built with --sharedMemory). */
  static async create(variant: Variant, binary: Uint8Array<ArrayBuffer>, shared: boolean, threads: number, minParallelWork = PARALLEL_WORK): Promise<KernelRuntime> {
    const memory = new WebAssembly.Memory({ initial: 256, maximum: 65536, shared } as WebAssembly.MemoryDescriptor);
    const module = await WebAssembly.compile(binary);
    const instance = await WebAssembly.instantiate(module, { env: { memory } });
    const exports = instance.exports as unknown as Exports;
    for (const n of KERNEL_NAMES) if (typeof exports[n] !== 'function') throw new Error(`the kernels lack ${n}`);
    const pool = await ThreadPool.start(exports, shared ? threads : 1, module, memory);
    return new KernelRuntime(variant, shared, exports, memory, pool, minParallelWork);
  }

  get threads(): number {
    return this.pool.threads;
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  /** Runs a kernel: on every thread when it is worth it (work ≥ minParallelWork), else on this one. */
  private job(name: KernelName, args: number[], work: number): void {
    this.heap.i32[this.counter >> 2] = 0;
    if (work >= this.minParallelWork) this.pool.run(name, [...args, this.counter]);
    else this.exports[name](...args, this.counter, 0);
  }

  private put(scope: Scope, data: Float32Array): number {
    const p = scope.alloc(data.length * 4);
    this.heap.f32.set(data, p >> 2);
    return p;
  }

  /** [M, N] out of a result stored with rows padded to N8 values. */
  private takeRows(C: number, M: number, N: number, N8: number): Tensor {
    if (N8 === N) return new Tensor(this.take(C, M * N), [M, N]);
    const out = new Float32Array(M * N);
    const f = this.heap.f32;
    for (let m = 0; m < M; m++) out.set(f.subarray((C >> 2) + m * N8, (C >> 2) + m * N8 + N), m * N);
    return new Tensor(out, [M, N]);
  }

  private take(p: number, n: number): Float32Array {
    return this.heap.f32.slice(p >> 2, (p >> 2) + n);
  }

  /** Drops the packed copy of `data` (changed in place). */
  forget(data: Float32Array): void {
    this.packed.forget(data);
  }

  /** a [M, K] · bᵀ (+ bias) with b [N, K] → [M, N] */
  matmulT(a: Tensor, b: Tensor, bias?: Tensor): Tensor {
    const [M, K] = a.shape;
    const N = b.shape[0];
    const N8 = Math.ceil(N / 8) * 8;
    const s = new Scope(this.heap);
    try {
      const P = this.packed.panels(b.data, N, K, s);
      const bp = this.packed.bias(bias?.data, N8, s);
      const A = this.put(s, a.data);
      const C = s.alloc(M * N8 * 4);
      this.job('gemm', [A, M, K, P, bp, N, C], M * N * K);
      return this.takeRows(C, M, N, N8);
    } finally {
      s.close();
    }
  }

  /** a [M, K] · b [K, N] → [M, N]: b packed straight from its rows (no transpose, never cached). */
  matmul(a: Tensor, b: Tensor): Tensor {
    return this.gemmPackedKN(a, a.shape[0], a.shape[1], b);
  }

  /**
   * aᵀ · b with a [K, M], b [K, N] → [M, N]. One operand is transposed inside wasm memory and the other
   * packed from its rows: a (then C comes out as it is), or, when that moves fewer values, b (then the
   * [N, M] result is transposed back; the LM head's weight gradient, M = V, is the case that matters).
   * Either way each output is the same sum over k in the same order.
   */
  matmulTN(a: Tensor, b: Tensor): Tensor {
    const [K, M] = a.shape;
    const N = b.shape[1];
    if (N * K + M * N >= M * K) return this.gemmPackedKN(a, M, K, b, true);
    return this.gemmPackedKN(b, N, K, a, true, true); // (bᵀ·a)ᵀ: [N, M] computed, [M, N] returned
  }

  /**
   * A [M, K] (or Aᵀ stored [K, M] with transposeA) · B with B [K, N] → [M, N]; with transposeC the
   * result comes back transposed, as [N, M].
   */
  private gemmPackedKN(a: Tensor, M: number, K: number, b: Tensor, transposeA = false, transposeC = false): Tensor {
    const N = b.shape[1];
    const N8 = Math.ceil(N / 8) * 8;
    const s = new Scope(this.heap);
    try {
      const B = this.put(s, b.data);
      const P = s.alloc(N8 * K * 4);
      this.job('packKN', [B, K, N, P], N * K);
      const bp = this.packed.bias(undefined, N8, s);
      let A = this.put(s, a.data);
      if (transposeA) {
        const AT = s.alloc(M * K * 4);
        this.job('transpose', [A, K, M, AT], M * K * 4);
        A = AT;
      }
      const C = s.alloc(M * N8 * 4);
      this.job('gemm', [A, M, K, P, bp, N, C], M * N * K);
      if (transposeC) {
        const CT = s.alloc(N8 * M * 4);
        this.job('transpose', [C, M, N8, CT], M * N8 * 4); // [N8, M]; rows past N are padding
        return new Tensor(this.take(CT, N * M), [N, M]);
      }
      return this.takeRows(C, M, N, N8);
    } finally {
      s.close();
    }
  }

  /** For bench/: a GEMM of this shape on operands already in wasm memory (no copies), run by each call. */
  gemmInPlace(M: number, K: number, N: number): () => void {
    const N8 = Math.ceil(N / 8) * 8;
    const A = this.heap.alloc(M * K * 4), P = this.heap.alloc(N8 * K * 4), bias = this.heap.alloc(N8 * 4), C = this.heap.alloc(M * N8 * 4);
    this.heap.f32.fill(0.5, A >> 2, (A >> 2) + M * K);
    this.heap.f32.fill(0.25, P >> 2, (P >> 2) + N8 * K + N8);
    return () => this.job('gemm', [A, M, K, P, bias, N, C], M * N * K);
  }

  layerNorm(x: Tensor, w: Tensor, b: Tensor, eps: number): Tensor {
    const C = x.shape[x.rank - 1];
    return this.rowwise(x, (s, X, Y) => this.job('layerNorm', [X, x.size / C, C, this.put(s, w.data), this.put(s, b.data), eps, Y], x.size * 8));
  }

  softmax(x: Tensor): Tensor {
    const S = x.shape[x.rank - 1];
    return this.rowwise(x, (_, X, Y) => this.job('softmax', [X, S === 0 ? 0 : x.size / S, S, Y], x.size * 16));
  }

  gelu(x: Tensor, kind: GeluKind): Tensor {
    return this.rowwise(x, (_, X, Y) => this.job('gelu', [X, x.size, kind === 'tanh' ? 1 : 0, Y], x.size * 32));
  }

  /** Fused softmax cross-entropy (see OpTable.crossEntropy); per-row losses summed here in row order. */
  crossEntropy(logits: Tensor, targets: Int32Array, invCount: number): { lossSum: number; dlogits: Tensor } {
    const [N, V] = logits.shape;
    const s = new Scope(this.heap);
    try {
      const X = this.put(s, logits.data);
      const Tg = s.alloc(N * 4);
      this.heap.i32.set(targets, Tg >> 2);
      const L = s.alloc(N * 16);
      const Y = s.alloc(N * V * 4);
      this.job('crossEntropy', [X, N, V, Tg, invCount, Y, L], N * V * 16);
      const losses = new Float64Array(this.heap.memory.buffer, L, 2 * N); // per row: Σe^(x − max), max − x[y]
      let lossSum = 0;
      for (let n = 0; n < N; n++) if (targets[n] >= 0) lossSum += Math.log(losses[2 * n]) + losses[2 * n + 1];
      return { lossSum, dlogits: new Tensor(this.take(Y, N * V), [N, V]) };
    } finally {
      s.close();
    }
  }

  geluBackward(x: Tensor, dy: Tensor, kind: GeluKind): Tensor {
    return this.rowwise(x, (s, X, Y) => this.job('geluBackward', [X, this.put(s, dy.data), x.size, kind === 'tanh' ? 1 : 0, Y], x.size * 40));
  }

  private rowwise(x: Tensor, run: (s: Scope, X: number, Y: number) => void): Tensor {
    const s = new Scope(this.heap);
    try {
      const X = this.put(s, x.data);
      const Y = s.alloc(x.size * 4);
      run(s, X, Y);
      return new Tensor(this.take(Y, x.size), x.shape);
    } finally {
      s.close();
    }
  }

  /** Fused attention (see OpTable.attention); needs D a multiple of 4 and distinct rows. */
  attention(q: Tensor, k: Tensor, v: Tensor, opt: AttentionArgs): AttentionResult {
    const [T, C] = q.shape;
    const S = k.shape[0];
    const H = opt.heads, D = C / H;
    const rows = opt.rows ?? [];
    const R = rows.length;
    // the pattern is written by every thread: shared memory when there are several
    const pattern = opt.rows ? new Float32Array(this.threads > 1 ? new SharedArrayBuffer(H * R * S * 4) : new ArrayBuffer(H * R * S * 4)) : undefined;
    const s = new Scope(this.heap);
    try {
      const Q = this.put(s, q.data), K = this.put(s, k.data), V = this.put(s, v.data);
      const Z = s.alloc(T * C * 4);
      const KT = s.alloc(H * Math.ceil(S / 8) * 8 * D * 4);
      const stride = this.exports.attentionScratchBytes(D, S);
      const scratch = s.alloc(stride * this.threads);
      const slot = R > 0 ? s.alloc(T * 4) : 0;
      const pat = R > 0 ? s.alloc(ATTENTION_ROWS * S * 4 * this.threads) : 0;
      if (R > 0) {
        const i32 = this.heap.i32;
        i32.fill(-1, slot >> 2, (slot >> 2) + T);
        rows.forEach((t, i) => (i32[(slot >> 2) + t] = i));
      }
      this.job('packKeys', [K, C, S, H, D, KT], S * H * D);
      const work = H * T * (opt.causal ? Math.min(S, T) / 2 : S) * D * 2;
      const args = [Q, KT, V, Z, C, T, S, H, D, opt.scale, opt.causal ? 1 : 0, slot, pat, scratch, stride];
      this.heap.i32[this.counter >> 2] = 0;
      if (work >= this.minParallelWork) this.pool.run('attentionTask', [...args, this.counter], JOB_ATTENTION, pattern, R);
      else runJob(JOB_ATTENTION, this.exports.attentionTask, [...args, this.counter], 0, this.heap.memory, pattern, R);
      return { z: new Tensor(this.take(Z, T * C), [T, C]), pattern: pattern && new Tensor(pattern, [H, R, S]) };
    } finally {
      s.close();
    }
  }
}
