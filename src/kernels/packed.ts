// Weights in the GEMM panel layout, kept in wasm memory across calls. A matrix is packed for keeps the
// second time the same Float32Array is multiplied (weights come back every forward pass; one-off
// operands, like a head's keys, never do), and released when that array is garbage-collected.
// A weight changed in place must be announced with dataChanged (engine/registry.ts), as AdamW does.

import type { WasmHeap } from './heap.js';

interface Block {
  ptr: number;
  bytes: number;
  rows: number;
  cols: number;
}

interface TempScope {
  alloc(bytes: number): number;
}

export class PackedCache {
  private readonly seen = new WeakSet<Float32Array>();
  private readonly panelsOf = new WeakMap<Float32Array, Block>();
  private readonly biasOf = new WeakMap<Float32Array, Block>();
  private readonly finalizer: FinalizationRegistry<Block>;
  private zeros: Block = { ptr: 0, bytes: 0, rows: 0, cols: 0 };

  constructor(private readonly heap: WasmHeap, private readonly pack: (B: number, N: number, K: number, P: number) => void) {
    this.finalizer = new FinalizationRegistry((b) => heap.release(b.ptr, b.bytes));
  }

  /** Byte offset of b [N, K] packed into panels [N8/8][K][8]. */
  panels(b: Float32Array, N: number, K: number, scope: TempScope): number {
    const hit = this.panelsOf.get(b);
    if (hit && hit.rows === N && hit.cols === K) return hit.ptr;
    const bytes = Math.ceil(N / 8) * 8 * K * 4;
    const keep = this.remember(b);
    const P = keep ? this.heap.alloc(bytes) : scope.alloc(bytes);
    const raw = scope.alloc(b.length * 4);
    this.heap.f32.set(b, raw >> 2);
    this.pack(raw, N, K, P);
    if (keep) this.keep(this.panelsOf, b, { ptr: P, bytes, rows: N, cols: K });
    return P;
  }

  /** Byte offset of the bias padded with zeros to N8 values (all zeros when there is no bias). */
  bias(bias: Float32Array | undefined, N8: number, scope: TempScope): number {
    if (!bias) {
      if (this.zeros.bytes < N8 * 4) {
        if (this.zeros.bytes) this.heap.release(this.zeros.ptr, this.zeros.bytes);
        this.zeros = { ptr: this.heap.alloc(N8 * 4), bytes: N8 * 4, rows: 1, cols: N8 };
        this.heap.f32.fill(0, this.zeros.ptr >> 2, (this.zeros.ptr >> 2) + N8);
      }
      return this.zeros.ptr;
    }
    const hit = this.biasOf.get(bias);
    if (hit && hit.cols === N8) return hit.ptr;
    const keep = this.remember(bias);
    const p = keep ? this.heap.alloc(N8 * 4) : scope.alloc(N8 * 4);
    const f = this.heap.f32;
    f.set(bias, p >> 2);
    f.fill(0, (p >> 2) + bias.length, (p >> 2) + N8);
    if (keep) this.keep(this.biasOf, bias, { ptr: p, bytes: N8 * 4, rows: 1, cols: N8 });
    return p;
  }

  /** Drops what is kept for `a` (it was changed in place); it is packed afresh at its next use. */
  forget(a: Float32Array): void {
    for (const map of [this.panelsOf, this.biasOf]) {
      const old = map.get(a);
      if (!old) continue;
      this.finalizer.unregister(old);
      this.heap.release(old.ptr, old.bytes);
      map.delete(a);
    }
  }

  // true the second time an array is seen
  private remember(a: Float32Array): boolean {
    if (this.seen.has(a)) return true;
    this.seen.add(a);
    return false;
  }

  private keep(map: WeakMap<Float32Array, Block>, a: Float32Array, block: Block): void {
    const old = map.get(a);
    if (old) {
      this.finalizer.unregister(old);
      this.heap.release(old.ptr, old.bytes);
    }
    map.set(a, block);
    this.finalizer.register(a, block, block);
  }
}
