// Runs a kernel on every thread: the main thread plus (in Node) worker_threads over the same shared
// WebAssembly memory. Kernels split their work into tasks taken from an atomic counter, so the threads
// balance themselves; idle workers sleep in Atomics.wait. Without workers (browser, threads = 1) the main
// thread runs the whole job.

import { ARGC, ARGS_BYTE_OFFSET, CONTROL_BYTES, ERRORS, EXTRA, FN, GEN, KERNEL_NAMES, KIND, MAX_ARGS, PENDING, STOP, type KernelName, type WorkerInit } from './control.js';
import { JOB_CALL, runJob } from './jobs.js';

type Exports = Record<KernelName, (...args: number[]) => number | void>;

interface WorkerHandle {
  terminate(): Promise<number>;
  unref(): void;
}

interface Port {
  postMessage(value: unknown): void;
  close(): void;
}

export class ThreadPool {
  private readonly ctrl: Int32Array;
  private readonly args: Float64Array;

  private constructor(
    private readonly exports: Exports,
    private readonly memory: WebAssembly.Memory,
    private readonly workers: WorkerHandle[],
    private readonly ports: Port[],
    control: SharedArrayBuffer | undefined,
  ) {
    this.ctrl = control ? new Int32Array(control) : new Int32Array(8);
    this.args = control ? new Float64Array(control, ARGS_BYTE_OFFSET) : new Float64Array(MAX_ARGS);
  }

  /** A pool of `threads` threads in all (the caller's thread included); 1 means no workers. */
  static async start(exports: Exports, threads: number, module: WebAssembly.Module, memory: WebAssembly.Memory): Promise<ThreadPool> {
    if (threads <= 1) return new ThreadPool(exports, memory, [], [], undefined);
    const { Worker, MessageChannel } = await import('node:worker_threads');
    const control = new SharedArrayBuffer(CONTROL_BYTES);
    const url = new URL('./worker.js', import.meta.url);
    const workers: WorkerHandle[] = [];
    const ports: Port[] = [];
    const online: Array<Promise<void>> = [];
    for (let tid = 1; tid < threads; tid++) {
      const { port1, port2 } = new MessageChannel();
      const init: WorkerInit = { module, memory, control, tid, port: port2 };
      const w = new Worker(url, { workerData: init, transferList: [port2] });
      online.push(new Promise((resolve, reject) => {
        w.once('online', () => resolve());
        w.once('error', reject);
      }));
      workers.push(w);
      port1.unref();
      ports.push(port1);
    }
    await Promise.all(online);
    for (const w of workers) w.unref(); // an idle pool never keeps the process alive
    return new ThreadPool(exports, memory, workers, ports, control);
  }

  get threads(): number {
    return this.workers.length + 1;
  }

  /**
   * Runs `name` on every thread (see jobs.ts for `kind`) and returns when all have finished. `dest`
   * (JOB_ATTENTION with R pattern rows) must be backed by a SharedArrayBuffer when there are workers.
   */
  run(name: KernelName, args: number[], kind = JOB_CALL, dest?: Float32Array, R = 0): void {
    const fn = this.exports[name];
    if (this.workers.length === 0) {
      runJob(kind, fn, args, 0, this.memory, dest, R);
      return;
    }
    const ctrl = this.ctrl;
    ctrl[FN] = KERNEL_NAMES.indexOf(name);
    ctrl[ARGC] = args.length;
    ctrl[KIND] = kind;
    ctrl[EXTRA] = dest ? R : 0;
    this.args.set(args);
    if (dest) for (const p of this.ports) p.postMessage(dest.buffer);
    Atomics.store(ctrl, PENDING, this.workers.length);
    Atomics.add(ctrl, GEN, 1);
    Atomics.notify(ctrl, GEN);
    let failure: unknown;
    try {
      runJob(kind, fn, args, 0, this.memory, dest, R);
    } catch (e) {
      failure = e; // still wait: the workers are using the same memory
    }
    // the workers usually finish with us: look for a few microseconds before sleeping
    for (let spin = 0; spin < 2000 && Atomics.load(ctrl, PENDING) !== 0; spin++);
    for (let p = Atomics.load(ctrl, PENDING); p !== 0; p = Atomics.load(ctrl, PENDING)) Atomics.wait(ctrl, PENDING, p);
    if (failure) throw failure;
    if (Atomics.load(ctrl, ERRORS) !== 0) {
      Atomics.store(ctrl, ERRORS, 0);
      throw new Error(`a kernel worker failed while running ${name} (its message is on stderr)`);
    }
  }

  async close(): Promise<void> {
    if (this.workers.length === 0) return;
    Atomics.store(this.ctrl, STOP, 1);
    Atomics.add(this.ctrl, GEN, 1);
    Atomics.notify(this.ctrl, GEN);
    for (const p of this.ports) p.close();
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}
