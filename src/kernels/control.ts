// The layout of the control block the main thread and the kernel workers share (a SharedArrayBuffer):
// a generation counter the workers sleep on (Atomics.wait: no spinning while idle), the count of workers
// still busy, and the kernel to run with its arguments.

export const GEN = 0; // bumped once per job; workers wait for it to change
export const PENDING = 1; // workers that have not finished the current job
export const FN = 2; // index of the kernel in KERNEL_NAMES
export const ARGC = 3;
export const ERRORS = 4; // jobs a worker failed (the message goes to its stderr)
export const STOP = 5; // 1: workers leave their loop
export const KIND = 6; // how each thread runs the kernel: JOB_CALL or JOB_ATTENTION (see jobs.ts)
export const EXTRA = 7; // JOB_ATTENTION: pattern rows R, and whether an output buffer was posted (R ≥ 0)
export const ARGS_BYTE_OFFSET = 64;
export const MAX_ARGS = 32;
export const CONTROL_BYTES = ARGS_BYTE_OFFSET + 8 * MAX_ARGS;

/** The wasm exports a job may name, in a fixed order shared by both sides. */
export const KERNEL_NAMES = ['gemm', 'pack', 'layerNorm', 'softmax', 'gelu', 'packKeys', 'attentionTask', 'packKN', 'transpose', 'crossEntropy', 'geluBackward'] as const;
export type KernelName = (typeof KERNEL_NAMES)[number];

/** What a worker receives at start-up (structured-cloned by worker_threads). */
export interface WorkerInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  tid: number;
  /** receives each job's pattern output (a SharedArrayBuffer) */
  port: import('node:worker_threads').MessagePort;
}
