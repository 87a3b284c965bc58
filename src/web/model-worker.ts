// The server's side of the model thread: starts src/web/worker.ts, waits until the model is loaded, and
// hands it one job at a time from a queue. A job whose client has gone away is dropped before it starts;
// a crashed thread fails its jobs with a message and is started again for the next ones.

import { Worker } from 'node:worker_threads';
import { AttnError, CheckpointError, InputError } from '../errors.js';
import type { FastKernelOptions } from '../kernels/index.js';
import type { Job, JobError, JobOutput } from './jobs.js';
import type { ModelInfo } from './wire.js';

export interface WorkerStart {
  modelDir: string;
  notice: string | null;
  /** the fast kernels to use, as the CLI chooses them (ATTN_KERNELS, --threads); null: the reference ops */
  kernels: FastKernelOptions | null;
}

export type WorkerMessage =
  | { type: 'ready'; info: ModelInfo }
  | { type: 'failed'; error: JobError }
  | { type: 'done'; id: number; ok: true; output: JobOutput }
  | { type: 'done'; id: number; ok: false; error: JobError };

/** A job that failed: the HTTP status and message to answer with. */
export class JobFailure extends Error {
  constructor(readonly status: number, message: string, readonly detail?: string) {
    super(message);
  }
}

interface Pending {
  id: number;
  job: Job;
  resolve(o: JobOutput): void;
  reject(e: JobFailure): void;
  signal?: AbortSignal;
}

/** Jobs waiting beyond this many are refused (503) rather than queued. */
export const MAX_QUEUE = 32;

export class ModelWorker {
  private worker!: Worker;
  private queue: Pending[] = [];
  private current: Pending | null = null;
  private nextId = 1;
  private closing = false;
  private ready = false;

  private constructor(private readonly start: WorkerStart, public info: ModelInfo, private readonly log: (line: string) => void) {}

  /** Starts the thread and loads the model; rejects with the model's load error (a missing folder, a bad checkpoint). */
  static async start(start: WorkerStart, log: (line: string) => void = () => {}): Promise<ModelWorker> {
    const { worker, info } = await spawn(start);
    const mw = new ModelWorker(start, info, log);
    mw.attach(worker);
    return mw;
  }

  /** Jobs queued or running. */
  get load(): number {
    return this.queue.length + (this.current ? 1 : 0);
  }

  run(job: Job, signal?: AbortSignal): Promise<JobOutput> {
    if (this.closing) return Promise.reject(new JobFailure(503, 'the server is shutting down'));
    if (this.queue.length >= MAX_QUEUE) return Promise.reject(new JobFailure(503, `the model is busy with ${this.load} requests; try again in a moment`));
    return new Promise((resolve, reject) => {
      const p: Pending = { id: this.nextId++, job, resolve, reject, signal };
      signal?.addEventListener('abort', () => {
        const i = this.queue.indexOf(p);
        if (i >= 0) {
          this.queue.splice(i, 1);
          reject(new JobFailure(499, 'the request was cancelled'));
        }
      }, { once: true });
      this.queue.push(p);
      this.pump();
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    for (const p of this.queue.splice(0)) p.reject(new JobFailure(503, 'the server is shutting down'));
    this.current?.reject(new JobFailure(503, 'the server is shutting down'));
    this.current = null;
    await this.worker.terminate();
  }

  private pump(): void {
    if (!this.ready || this.current || this.closing) return;
    const p = this.queue.shift();
    if (!p) return;
    this.current = p;
    this.worker.postMessage({ id: p.id, job: p.job });
  }

  private attach(worker: Worker): void {
    this.worker = worker;
    this.ready = true;
    worker.on('message', (m: WorkerMessage) => {
      if (m.type !== 'done' || !this.current || m.id !== this.current.id) return;
      const p = this.current;
      this.current = null;
      if (m.ok) p.resolve(m.output);
      else p.reject(new JobFailure(m.error.status, m.error.message, m.error.stack));
      this.pump();
    });
    worker.on('error', (e) => this.log(`model thread error: ${e.message}`));
    worker.on('exit', (code) => {
      if (this.closing || this.worker !== worker) return;
      this.ready = false;
      const p = this.current;
      this.current = null;
      p?.reject(new JobFailure(500, `the model thread stopped (exit code ${code}) while working on this request; it is being restarted, try again`));
      this.log(`model thread stopped (exit code ${code}); restarting it`);
      spawn(this.start).then(
        ({ worker: w, info }) => {
          this.info = info;
          this.attach(w);
          this.pump();
        },
        (e: Error) => {
          this.log(`cannot restart the model thread: ${e.message}`);
          for (const q of this.queue.splice(0)) q.reject(new JobFailure(500, 'the model thread could not be restarted; restart attn serve'));
        },
      );
    });
  }
}

function spawn(start: WorkerStart): Promise<{ worker: Worker; info: ModelInfo }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./worker.js', import.meta.url), { workerData: start });
    // remove only our own listeners: Worker keeps internal ones (removeAllListeners would stop its messages)
    const off = () => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      worker.off('exit', onExit);
    };
    const fail = (e: AttnError) => {
      off();
      void worker.terminate();
      reject(e);
    };
    const onMessage = (m: WorkerMessage) => {
      if (m.type === 'ready') {
        off();
        resolve({ worker, info: m.info });
      } else if (m.type === 'failed') {
        fail(m.error.status === 400 ? new InputError(m.error.message) : new CheckpointError(m.error.message));
      }
    };
    const onError = (e: Error) => fail(new CheckpointError(`cannot load the model: ${e.message}`));
    const onExit = (code: number) => fail(new CheckpointError(`the model thread stopped while loading the model (exit code ${code})`));
    worker.on('message', onMessage);
    worker.on('error', onError);
    worker.on('exit', onExit);
  });
}
