// attn's training core for GPT-2: parameters and their init/export, the batched forward and its
// hand-written backward, cross-entropy, AdamW, clipping, the LR schedule, a seeded PRNG, and a Trainer.

export { Rng } from './rng.js';
export {
  namedParams, mapParams, zerosLike, cloneParams, gpt2ConfigJson, initGpt2Params, paramsFromCheckpoint, exportGpt2,
  checkTrainable, type Gpt2Params, type NamedParam, type Gpt2Size,
} from './params.js';
export {
  accumulate, transpose, linearBackward, layerNormBackward, geluBackward, embeddingBackward, dropoutMask, applyMask,
} from './grad-ops.js';
export { attentionForward, attentionBackward, type AttentionCache, type AttentionShape } from './attention-grad.js';
export { crossEntropy, IGNORE_INDEX, type CrossEntropyResult } from './loss.js';
export {
  gpt2Forward, gpt2Backward, lossAndGrads, makeBatch, dropoutRates, type TokenBatch, type DropoutRates, type ForwardOptions,
  type Gpt2Cache, type LossAndGrads,
} from './gpt2.js';
export { AdamW, clipGradNorm, gradNorm, learningRate, type AdamWOptions, type Schedule } from './optim.js';
export { Gpt2Trainer, type TrainOptions, type StepResult } from './trainer.js';
export { saveGpt2Folder, type SaveOptions } from './save.js';
export { readDocuments, splitDocuments, encodeDocuments, BatchSampler, evalBatches, windowCount } from './data.js';
export { runTraining, heldOutLoss, type RunOptions, type RunResult, type TrainEvent } from './loop.js';
export { saveCheckpoint, readCheckpoint, settingsMismatch, TRAIN_STATE_FORMAT, type TrainSettings, type TrainState } from './checkpoint.js';
