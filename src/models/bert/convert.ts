// BERT checkpoint (Hugging Face names) → attn's layout. Handled here:
// - BertForMaskedLM prefixes the body with "bert."; BertModel does not.
// - Original Google checkpoints name LayerNorm parameters gamma/beta instead of weight/bias.
// - cls.predictions.decoder.weight is tied to the word embeddings and usually absent; the decoder's
//   bias is cls.predictions.bias (or cls.predictions.decoder.bias).
// - pooler, the next-sentence head and the position_ids buffer are not used by attn: listed as ignored.

import type { Tensor } from '../../engine/tensor.js';
import { CheckpointReader, type TensorSource } from '../checkpoint.js';
import type { ModelConfig } from '../config.js';
import type { AttentionWeights, Linear, MlpWeights, Norm } from '../types.js';

export interface BertBlock {
  attn: AttentionWeights;
  /** LayerNorm after attention + residual */ ln1: Norm;
  mlp: MlpWeights;
  /** LayerNorm after MLP + residual */ ln2: Norm;
}

export interface BertMlmHead {
  transform: Linear;
  norm: Norm;
  /** [V, C] */ decoder: Tensor;
  /** [V] */ bias: Tensor;
}

export interface BertWeights {
  /** [V, C] */ wordEmb: Tensor;
  /** [P, C] */ posEmb: Tensor;
  /** [typeVocab, C] */ typeEmb: Tensor;
  embNorm: Norm;
  blocks: BertBlock[];
  mlm?: BertMlmHead;
  ignored: string[];
}

export function convertBert(src: TensorSource, cfg: ModelConfig): BertWeights {
  const ck = new CheckpointReader(src, 'BERT', 'embeddings.word_embeddings.weight', ['bert.']);
  const { dModel: C, dMlp: F, vocabSize: V, nPositions: P } = cfg;
  const norm = (p: string, absolute = false): Norm => {
    const legacy = !ck.has(`${p}.weight`, absolute) && ck.has(`${p}.gamma`, absolute);
    return {
      w: ck.get(`${p}.${legacy ? 'gamma' : 'weight'}`, [C], absolute),
      b: ck.get(`${p}.${legacy ? 'beta' : 'bias'}`, [C], absolute),
    };
  };
  const linear = (p: string, inDim: number, outDim: number, absolute = false): Linear => ({
    w: ck.get(`${p}.weight`, [outDim, inDim], absolute),
    b: ck.get(`${p}.bias`, [outDim], absolute),
  });

  const blocks: BertBlock[] = [];
  for (let l = 0; l < cfg.nLayers; l++) {
    const p = `encoder.layer.${l}`;
    blocks.push({
      attn: {
        q: linear(`${p}.attention.self.query`, C, C),
        k: linear(`${p}.attention.self.key`, C, C),
        v: linear(`${p}.attention.self.value`, C, C),
        o: linear(`${p}.attention.output.dense`, C, C),
      },
      ln1: norm(`${p}.attention.output.LayerNorm`),
      mlp: { up: linear(`${p}.intermediate.dense`, C, F), down: linear(`${p}.output.dense`, F, C) },
      ln2: norm(`${p}.output.LayerNorm`),
    });
  }
  const wordEmb = ck.get('embeddings.word_embeddings.weight', [V, C], false, `vocab_size ${V} × hidden_size ${C}`);
  const weights: BertWeights = {
    wordEmb,
    posEmb: ck.get('embeddings.position_embeddings.weight', [P, C]),
    typeEmb: ck.get('embeddings.token_type_embeddings.weight', [cfg.typeVocabSize, C]),
    embNorm: norm('embeddings.LayerNorm'),
    blocks,
    ignored: [],
  };
  if (ck.has('cls.predictions.transform.dense.weight', true)) {
    const biasName = ck.has('cls.predictions.bias', true) ? 'cls.predictions.bias' : 'cls.predictions.decoder.bias';
    weights.mlm = {
      transform: linear('cls.predictions.transform.dense', C, C, true),
      norm: norm('cls.predictions.transform.LayerNorm', true),
      decoder: ck.has('cls.predictions.decoder.weight', true) ? ck.get('cls.predictions.decoder.weight', [V, C], true) : wordEmb,
      bias: ck.get(biasName, [V], true),
    };
    ck.skip(['cls.predictions.decoder.bias']); // a second name for the same tied bias
  }
  weights.ignored = ck.unused();
  return weights;
}
