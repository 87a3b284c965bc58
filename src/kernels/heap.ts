// A small first-fit allocator over the kernels' WebAssembly memory (the wasm side has no allocator of its
// own: every kernel takes byte offsets). Blocks are 64-byte aligned (cache lines, aligned v128 loads);
// freed blocks coalesce with their neighbours; the memory grows in whole pages when nothing fits.

const ALIGN = 64;
const PAGE = 65536;

export class OutOfWasmMemory extends Error {}

export class WasmHeap {
  /** free blocks [start, size], sorted by start, never adjacent */
  private free: Array<[number, number]> = [];
  private top: number;
  private view?: { buffer: ArrayBufferLike; f32: Float32Array; i32: Int32Array };

  /** `base`: bytes at the start of memory reserved for the caller (control words). */
  constructor(readonly memory: WebAssembly.Memory, base: number, private readonly maxBytes: number) {
    this.top = roundUp(base, ALIGN);
  }

  /** A 64-byte-aligned block of `bytes` bytes (contents undefined); throws OutOfWasmMemory. */
  alloc(bytes: number): number {
    const size = roundUp(Math.max(bytes, 1), ALIGN);
    for (let i = 0; i < this.free.length; i++) {
      const [start, len] = this.free[i];
      if (len < size) continue;
      if (len === size) this.free.splice(i, 1);
      else this.free[i] = [start + size, len - size];
      return start;
    }
    const start = this.top;
    const end = start + size;
    if (end > this.maxBytes) throw new OutOfWasmMemory(`the kernels need ${mib(end)} of WebAssembly memory (limit ${mib(this.maxBytes)})`);
    const have = this.memory.buffer.byteLength;
    if (end > have) {
      // grow by at least a quarter of what is there, so a run of allocations grows rarely
      const want = Math.min(this.maxBytes, Math.max(end, have + (have >> 2)));
      this.memory.grow(Math.ceil((want - have) / PAGE));
    }
    this.top = end;
    return start;
  }

  /** Returns a block to the heap; `bytes` must be what was asked of alloc. */
  release(ptr: number, bytes: number): void {
    const size = roundUp(Math.max(bytes, 1), ALIGN);
    let i = 0;
    while (i < this.free.length && this.free[i][0] < ptr) i++;
    let start = ptr, len = size;
    const prev = this.free[i - 1];
    if (prev && prev[0] + prev[1] === start) {
      start = prev[0];
      len += prev[1];
      this.free.splice(--i, 1);
    }
    const next = this.free[i];
    if (next && start + len === next[0]) {
      len += next[1];
      this.free.splice(i, 1);
    }
    if (start + len === this.top) this.top = start; // give the tail back to the bump pointer
    else this.free.splice(i, 0, [start, len]);
  }

  /** Float32 view of the whole memory (refreshed after growth). */
  get f32(): Float32Array {
    return this.views().f32;
  }

  get i32(): Int32Array {
    return this.views().i32;
  }

  /** Bytes in use below the bump pointer, free blocks excluded (for tests and reports). */
  get usedBytes(): number {
    return this.top - this.free.reduce((s, [, len]) => s + len, 0);
  }

  private views(): { f32: Float32Array; i32: Int32Array } {
    const buffer = this.memory.buffer;
    if (this.view?.buffer !== buffer) this.view = { buffer, f32: new Float32Array(buffer), i32: new Int32Array(buffer) };
    return this.view;
  }
}

function roundUp(n: number, m: number): number {
  return Math.ceil(n / m) * m;
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(0)} MiB`;
}
