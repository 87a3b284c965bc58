// How one thread runs its share of a job, the same on the main thread and in the workers: a plain call
// (the kernel takes tasks from the shared counter itself), or the fused-attention loop, which after each
// task copies the task's wanted pattern rows from the thread's wasm buffer into the output while they are
// still in cache, so the pattern is written to its final place once, by all threads together.

export const JOB_CALL = 0;
export const JOB_ATTENTION = 1;

/** Query rows per attention task: QR in asm/attention.ts. */
export const ATTENTION_ROWS = 16;

type Kernel = (...args: number[]) => number | void;

/**
 * attentionTask's arguments: [q, kt, v, z, C, T, S, H, D, scale, causal, rowSlot, pat, scratch, stride,
 * counter]; the thread index goes last. dest [H, R, S] receives row slot i of head h at (h·R + i)·S.
 */
export function runJob(kind: number, fn: Kernel, args: ArrayLike<number>, tid: number, memory: WebAssembly.Memory, dest?: Float32Array, R = 0): void {
  const a = [...Array.from(args), tid];
  if (kind === JOB_CALL) {
    fn(...a);
    return;
  }
  const T = a[5], S = a[6], causal = a[10] !== 0, rowSlot = a[11] >> 2;
  const nqb = Math.ceil(T / ATTENTION_ROWS);
  const base = (a[12] >> 2) + tid * ATTENTION_ROWS * S;
  let f32: Float32Array | undefined, i32: Int32Array | undefined;
  for (let t = fn(...a) as number; t >= 0; t = fn(...a) as number) {
    if (!dest) continue;
    f32 ??= new Float32Array(memory.buffer);
    i32 ??= new Int32Array(memory.buffer);
    const h = Math.floor(t / nqb), t0 = (nqb - 1 - (t % nqb)) * ATTENTION_ROWS, nr = Math.min(ATTENTION_ROWS, T - t0);
    for (let r = 0; r < nr; r++) {
      const slot = i32[rowSlot + t0 + r];
      // dest is fresh (zero-filled) memory: the keys a causal row cannot see need no copying
      const seen = causal ? Math.min(S, Math.max(0, t0 + r + S - T + 1)) : S;
      if (slot >= 0) dest.set(f32.subarray(base + r * S, base + r * S + seen), (h * R + slot) * S);
    }
  }
}
