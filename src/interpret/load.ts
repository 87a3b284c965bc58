// A model folder → everything needed to go from text to activations: config, model, tokenizer.

import { basename, resolve } from 'node:path';
import { CheckpointError, FileError } from '../errors.js';
import { openModelFolder } from '../io/hf-folder.js';
import { buildModel } from '../models/build.js';
import { parseConfig, type ModelConfig } from '../models/config.js';
import type { Model } from '../models/types.js';
import { Tokenizer } from '../tokenize/tokenizer.js';

export interface Transformer {
  /** the folder's name, or config.json's "_name_or_path" */
  name: string;
  dir: string;
  config: ModelConfig;
  model: Model;
  tokenizer: Tokenizer;
}

export async function loadTransformer(dir: string): Promise<Transformer> {
  const folder = openModelFolder(resolve(dir));
  try {
    const config = parseConfig(folder.config, `${folder.dir}/config.json`);
    if (!folder.tokenizerPath) {
      throw new FileError(`${folder.dir} has no tokenizer.json; attn needs the model's tokenizer.json beside config.json (save it with tokenizer.save_pretrained)`);
    }
    const tokenizer = Tokenizer.fromFolder(folder.dir);
    if (tokenizer.vocabSize > config.vocabSize) {
      throw new CheckpointError(
        `${folder.dir}: tokenizer.json has ${tokenizer.vocabSize} tokens but the model's vocab_size is ${config.vocabSize}; the tokenizer belongs to another model`,
      );
    }
    const model = buildModel(config, folder.weights);
    const named = folder.config._name_or_path;
    return { name: typeof named === 'string' && named ? named : basename(folder.dir), dir: folder.dir, config, model, tokenizer };
  } finally {
    folder.weights.close();
  }
}
