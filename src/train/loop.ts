// The training loop behind `attn train`: seeded init (or a resumed checkpoint), batches from the
// sampler, one Gpt2Trainer update per step, held-out evaluation and checkpoints at fixed intervals, and
// a clean stop between steps when asked (Ctrl-C). Events report progress; the CLI draws them.

import { InputError } from '../errors.js';
import type { WritableDType } from '../io/dtypes.js';
import { parseConfig } from '../models/config.js';
import { readCheckpoint, saveCheckpoint, settingsMismatch, sha256, TRAIN_STATE_FORMAT, type TrainSettings, type TrainState } from './checkpoint.js';
import { BatchSampler, evalBatches } from './data.js';
import type { TokenBatch } from './gpt2.js';
import { countParams, initGpt2Params } from './params.js';
import { Rng } from './rng.js';
import { Gpt2Trainer } from './trainer.js';

export interface RunOptions {
  /** the output folder (created by the caller; the CLI checks --force / --resume) */
  out: string;
  settings: TrainSettings;
  tokenizerJson: string;
  /** training token stream (documents separated by the end-of-text id) */
  train: Int32Array;
  /** held-out token stream, or null for none */
  heldout: Int32Array | null;
  /** evaluate every this many steps (and at the start and the end) */
  evalEvery: number;
  /** at most this many held-out windows per evaluation */
  evalWindows: number;
  /** checkpoint every this many steps (and at the end, and on a stop) */
  saveEvery: number;
  /** stored type of model.safetensors (the training state is always F32) */
  dtype: WritableDType;
  /** continue from out/training/state.safetensors */
  resume: boolean;
  onEvent?: (e: TrainEvent) => void;
  /** polled between steps; true stops the run after saving a checkpoint */
  stopRequested?: () => boolean;
}

export type TrainEvent =
  | { kind: 'start'; step: number; steps: number; parameters: number; windows: number }
  | { kind: 'step'; step: number; steps: number; loss: number; lr: number; gradNorm: number; seconds: number; tokens: number; epoch: number }
  | { kind: 'eval'; step: number; loss: number }
  | { kind: 'save'; step: number };

export interface RunResult {
  state: TrainState;
  trainer: Gpt2Trainer;
  /** true when the run stopped early on request */
  stopped: boolean;
}

/** Mean cross-entropy (nats per token) of the trainer's model over `batches`, in eval mode. */
export function heldOutLoss(trainer: Gpt2Trainer, batches: readonly TokenBatch[]): number {
  let sum = 0, n = 0;
  for (const b of batches) {
    sum += trainer.evalLoss(b) * b.B * b.T;
    n += b.B * b.T;
  }
  return sum / n;
}

export async function runTraining(o: RunOptions): Promise<RunResult> {
  const s = o.settings;
  const cfg = parseConfig(s.config);
  const trainer = new Gpt2Trainer(cfg, initGpt2Params(cfg, new Rng(s.seed)), {
    schedule: { lr: s.lr, minLr: s.minLr, warmupSteps: s.warmup, totalSteps: s.steps },
    weightDecay: s.weightDecay, clipNorm: s.clip, dropout: s.dropout, seed: s.seed + 1,
  });
  const trainSha256 = sha256(o.train), tokenizerSha256 = sha256(o.tokenizerJson);
  let state: TrainState = {
    format: TRAIN_STATE_FORMAT, settings: s, step: 0, trainSha256, tokenizerSha256, rng: trainer.rng.state(), seconds: 0,
    history: { train: [], heldout: [] },
  };
  if (o.resume) {
    const saved = readCheckpoint(o.out);
    const diff = settingsMismatch(saved.state.settings, s);
    if (diff) throw new InputError(`cannot resume ${o.out}: ${diff}. Resume with the settings it was started with, or start a new run with --force`);
    if (saved.state.tokenizerSha256 !== tokenizerSha256) throw new InputError(`cannot resume ${o.out}: its tokenizer.json changed since the run started`);
    if (saved.state.trainSha256 !== trainSha256) {
      throw new InputError(`cannot resume ${o.out}: the training text differs from the run's (other files, or edited files); give the same files in the same order`);
    }
    saved.restore(trainer);
    state = { ...saved.state, settings: s };
  }

  const sampler = new BatchSampler(o.train, s.context, s.batch, s.seed);
  const evalSet = o.heldout ? evalBatches(o.heldout, s.context, s.batch, o.evalWindows) : [];
  const nParams = countParams(trainer.params);
  const emit = (e: TrainEvent) => o.onEvent?.(e);
  emit({ kind: 'start', step: trainer.step, steps: s.steps, parameters: nParams, windows: sampler.windows });

  const evaluate = () => {
    if (evalSet.length === 0) return;
    const loss = heldOutLoss(trainer, evalSet);
    state.history.heldout.push([trainer.step, loss]);
    emit({ kind: 'eval', step: trainer.step, loss });
  };
  const save = () => {
    state.step = trainer.step;
    saveCheckpoint(o.out, trainer, state, o.tokenizerJson, o.dtype);
    emit({ kind: 'save', step: trainer.step });
  };

  if (trainer.step === 0 && state.history.heldout.length === 0) evaluate();
  let stopped = false;
  while (trainer.step < s.steps) {
    if (o.stopRequested?.()) {
      stopped = true;
      break;
    }
    const t0 = performance.now();
    const r = trainer.trainStep(sampler.batch(trainer.step));
    const dt = (performance.now() - t0) / 1000;
    if (!Number.isFinite(r.loss)) {
      throw new InputError(`the loss became ${r.loss} at step ${r.step + 1}: training diverged; lower --lr (now ${s.lr}) and start again with --force`);
    }
    state.seconds += dt;
    state.history.train.push([trainer.step, r.loss]);
    emit({
      kind: 'step', step: trainer.step, steps: s.steps, loss: r.loss, lr: r.lr, gradNorm: r.gradNorm, seconds: dt,
      tokens: s.batch * s.context, epoch: sampler.epochsAfter(trainer.step),
    });
    if (trainer.step % o.evalEvery === 0 || trainer.step === s.steps) evaluate();
    if (trainer.step % o.saveEvery === 0 && trainer.step < s.steps) save();
    // let signal handlers (Ctrl-C) run between steps
    await new Promise((resolve) => setImmediate(resolve));
  }
  save();
  return { state, trainer, stopped };
}
