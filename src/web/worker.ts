// The model's thread: loads the model once, then answers jobs one at a time (src/web/jobs.ts), so the
// server's event loop never waits on a forward pass, a chart or a PNG.

import { parentPort, workerData } from 'node:worker_threads';
import { loadTransformer, type Transformer } from '../interpret/load.js';
import { useFastKernels } from '../kernels/index.js';
import { jobError, modelInfo, runJob, type Job } from './jobs.js';
import type { WorkerMessage, WorkerStart } from './model-worker.js';

const port = parentPort;
if (!port) throw new Error('src/web/worker.ts runs as a worker thread (started by src/web/model-worker.ts)');
const start = workerData as WorkerStart;
const send = (m: WorkerMessage) => port.postMessage(m);

let tf: Transformer;
try {
  // the same kernels as the CLI, so the page shows the CLI's numbers to the last bit
  if (start.kernels) await useFastKernels(start.kernels);
  tf = await loadTransformer(start.modelDir);
  send({ type: 'ready', info: modelInfo(tf, start.notice) });
} catch (e) {
  send({ type: 'failed', error: jobError(e) });
  process.exit(0);
}

port.on('message', (m: { id: number; job: Job }) => {
  try {
    send({ type: 'done', id: m.id, ok: true, output: runJob(tf, m.job) });
  } catch (e) {
    send({ type: 'done', id: m.id, ok: false, error: jobError(e) });
  }
});
