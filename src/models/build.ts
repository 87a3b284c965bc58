// config.json + checkpoint tensors → a runnable Model of the right architecture.

import { parseConfig, type ModelConfig } from './config.js';
import type { TensorSource } from './checkpoint.js';
import type { Model } from './types.js';
import { convertGpt2 } from './gpt2/convert.js';
import { Gpt2Model } from './gpt2/model.js';
import { convertBert } from './bert/convert.js';
import { BertModel } from './bert/model.js';

export function buildModel(rawConfig: Record<string, unknown> | ModelConfig, weights: TensorSource, where?: string): Model {
  const cfg = 'arch' in rawConfig ? (rawConfig as ModelConfig) : parseConfig(rawConfig, where);
  switch (cfg.arch) {
    case 'gpt2':
      return new Gpt2Model(cfg, convertGpt2(weights, cfg));
    case 'bert':
      return new BertModel(cfg, convertBert(weights, cfg));
  }
}
