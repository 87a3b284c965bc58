// One object that trains a GPT-2: forward, loss, backward, clip, schedule, AdamW, in that order, with
// its own seeded dropout stream, so the same seed, weights and batches give the same bits every run.

import type { Tensor } from '../engine/tensor.js';
import { InputError } from '../errors.js';
import { buildModel } from '../models/build.js';
import { MapSource } from '../models/checkpoint.js';
import type { ModelConfig } from '../models/config.js';
import type { Model } from '../models/types.js';
import { crossEntropy, IGNORE_INDEX } from './loss.js';
import { gpt2Forward, lossAndGrads, type DropoutRates, type TokenBatch } from './gpt2.js';
import { AdamW, clipGradNorm, learningRate, type AdamWOptions, type Schedule } from './optim.js';
import { checkTrainable, exportGpt2, type Gpt2Params } from './params.js';
import { Rng } from './rng.js';

export interface TrainOptions extends AdamWOptions {
  schedule: Schedule;
  /** global gradient-norm ceiling (default 1.0; Infinity turns clipping off) */
  clipNorm?: number;
  /** dropout probabilities during training steps (default 0); evaluation never drops */
  dropout?: number | Partial<DropoutRates>;
  /** seed of the dropout stream (default 0) */
  seed?: number;
  /** targets equal to this are left out of the loss (default −100, as PyTorch) */
  ignoreIndex?: number;
}

export interface StepResult {
  /** 0-based index of the update just taken */ step: number;
  /** the batch's loss before the update */ loss: number;
  /** global gradient norm before clipping */ gradNorm: number;
  /** the learning rate the update used */ lr: number;
}

export class Gpt2Trainer {
  readonly optimizer: AdamW;
  /** updates taken so far */
  step = 0;
  /** the dropout stream (its state is saved with checkpoints) */
  readonly rng: Rng;

  /** Trains `params` in place. */
  constructor(readonly config: ModelConfig, readonly params: Gpt2Params, readonly options: TrainOptions) {
    checkTrainable(config);
    this.optimizer = new AdamW(params, options);
    this.rng = new Rng(options.seed ?? 0);
  }

  /** One update on `batch` (which must have targets). */
  trainStep(batch: TokenBatch): StepResult {
    const o = this.options;
    const { loss, grads } = lossAndGrads(this.params, this.config, batch, { dropout: o.dropout, rng: this.rng, ignoreIndex: o.ignoreIndex });
    const gradNorm = clipGradNorm(grads, o.clipNorm ?? 1.0);
    const lr = learningRate(o.schedule, this.step);
    this.optimizer.step(this.params, grads, lr);
    return { step: this.step++, loss, gradNorm, lr };
  }

  /** The loss on `batch` in eval mode (no dropout), without touching the weights. */
  evalLoss(batch: TokenBatch): number {
    if (!batch.targets) throw new InputError('evalLoss needs a batch with targets');
    const { logits } = gpt2Forward(this.params, this.config, batch);
    return crossEntropy(logits, batch.targets, this.options.ignoreIndex ?? IGNORE_INDEX).loss;
  }

  /** The current weights under Hugging Face GPT-2 names (copies). */
  exportWeights(prefix = ''): Map<string, Tensor> {
    return exportGpt2(this.params, prefix);
  }

  /** An inference Model (hooks, explanations) running a copy of the current weights. */
  toModel(): Model {
    return buildModel(this.config, new MapSource(this.exportWeights()));
  }
}
