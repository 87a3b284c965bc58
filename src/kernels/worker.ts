// A kernel worker thread (Node worker_threads): instantiates the same WebAssembly module over the shared
// memory, then sleeps on the control block until the main thread posts a job, runs its share, reports back.

import { receiveMessageOnPort, workerData } from 'node:worker_threads';
import { ARGC, ARGS_BYTE_OFFSET, ERRORS, EXTRA, FN, GEN, KERNEL_NAMES, KIND, PENDING, STOP, type WorkerInit } from './control.js';
import { runJob } from './jobs.js';

const init = workerData as WorkerInit;
const ctrl = new Int32Array(init.control);
const args = new Float64Array(init.control, ARGS_BYTE_OFFSET);
let fns: Array<(...args: number[]) => number | void> = [];
let broken: unknown;
try {
  const instance = new WebAssembly.Instance(init.module, { env: { memory: init.memory } });
  fns = KERNEL_NAMES.map((n) => instance.exports[n] as (...args: number[]) => number | void);
} catch (e) {
  broken = e; // keep answering jobs (as failed) so the main thread never waits for us forever
}

// Start from generation 0, not from what GEN holds now: a job posted before this thread got here must
// still be seen as new.
let gen = 0;
for (;;) {
  Atomics.wait(ctrl, GEN, gen);
  const g = Atomics.load(ctrl, GEN);
  if (g === gen) continue;
  gen = g;
  if (Atomics.load(ctrl, STOP)) break;
  try {
    if (broken) throw broken;
    const R = ctrl[EXTRA];
    // the main thread posted the output before waking us, so it is already in the port's queue
    const sab = R > 0 ? (receiveMessageOnPort(init.port)?.message as SharedArrayBuffer | undefined) : undefined;
    if (R > 0 && !sab) throw new Error('the output buffer of this job did not arrive');
    runJob(ctrl[KIND], fns[ctrl[FN]], args.subarray(0, ctrl[ARGC]), init.tid, init.memory, sab && new Float32Array(sab), R);
  } catch (e) {
    Atomics.add(ctrl, ERRORS, 1);
    process.stderr.write(`attn kernel worker ${init.tid}: ${e instanceof Error ? e.stack : String(e)}\n`);
  }
  if (Atomics.sub(ctrl, PENDING, 1) === 1) Atomics.notify(ctrl, PENDING);
}
