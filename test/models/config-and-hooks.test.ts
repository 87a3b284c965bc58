// config.json parsing errors, hook selection, and hooks that replace activations (interventions).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { parseConfig } from '../../src/models/config.js';
import { selectHooks } from '../../src/interpret/select.js';
import { runWithCache } from '../../src/interpret/run.js';
import { openModelFolder } from '../../src/io/hf-folder.js';
import { buildModel } from '../../src/models/build.js';
import { Tensor } from '../../src/engine/tensor.js';
import { CheckpointError, InputError, UnsupportedError } from '../../src/errors.js';
import { FIXTURES } from '../support/paths.js';

const gpt2 = { model_type: 'gpt2', n_layer: 2, n_head: 4, n_embd: 64, n_positions: 64, vocab_size: 528 };

test('parseConfig reads GPT-2 and BERT fields and names what is wrong', () => {
  const c = parseConfig(gpt2);
  assert.equal(c.dHead, 16);
  assert.equal(c.dMlp, 256);
  assert.equal(c.gelu, 'tanh');
  assert.equal(c.causal, true);
  assert.throws(() => parseConfig({ ...gpt2, model_type: undefined }), /no "model_type".*gpt2, bert/);
  assert.throws(() => parseConfig({ ...gpt2, model_type: 'llama' }), (e: unknown) => e instanceof UnsupportedError && /"llama" is not supported; attn runs gpt2, bert/.test(e.message));
  assert.throws(() => parseConfig({ ...gpt2, n_head: 5 }), (e: unknown) => e instanceof CheckpointError && /64 is not divisible by 5 heads/.test(e.message));
  assert.throws(() => parseConfig({ ...gpt2, n_layer: '2' }), /"n_layer" must be a positive integer, got "2"/);
  assert.throws(() => parseConfig({ ...gpt2, activation_function: 'swish' }), /activation_function "swish" is not supported/);
  const bert = parseConfig({ model_type: 'bert', hidden_size: 64, num_attention_heads: 4, num_hidden_layers: 2, intermediate_size: 256, max_position_embeddings: 64, vocab_size: 169 });
  assert.equal(bert.gelu, 'exact');
  assert.equal(bert.lnEps, 1e-12);
  assert.equal(bert.causal, false);
  assert.throws(() => parseConfig({ ...gpt2, model_type: 'bert', position_embedding_type: 'relative_key' }), /relative_key/);
});

test('hook selection: short names, full names, globs, all, and errors', () => {
  const c = parseConfig(gpt2);
  assert.deepEqual([...selectHooks(c, 'pattern')], ['blocks.0.attn.hook_pattern', 'blocks.1.attn.hook_pattern']);
  assert.deepEqual([...selectHooks(c, 'blocks.1.attn.hook_q, ln_final')], ['blocks.1.attn.hook_q', 'ln_final.hook_normalized']);
  assert.equal(selectHooks(c, 'blocks.0.*').size, 16 + 8);
  assert.equal(selectHooks(c, 'all').size, 2 + 2 * 16 + 1);
  assert.deepEqual([...selectHooks(c, 'W_Q')], ['blocks.0.attn.W_Q', 'blocks.1.attn.W_Q']);
  assert.throws(() => selectHooks(c, 'pattern,patern'), (e: unknown) => e instanceof InputError && /"patern"/.test(e.message));
  assert.throws(() => selectHooks(c, 'blocks.7.*'), /no hook matches "blocks\.7\.\*"/);
});

test('a hook can replace an activation, and must keep its shape', () => {
  const folder = openModelFolder(join(FIXTURES, 'models', 'gpt2-tiny'));
  const model = buildModel(folder.config, folder.weights);
  folder.weights.close();
  const ids = [333, 348, 302, 258, 277, 309, 270];
  const base = model.forward({ ids });
  // Uniform attention over the visible prefix in layer 0 changes the output.
  const uniform = model.forward({ ids }, (name, v) => {
    if (name !== 'blocks.0.attn.hook_pattern') return;
    const [H, T, S] = v.shape;
    const out = new Float32Array(v.size);
    for (let h = 0; h < H; h++) for (let t = 0; t < T; t++) for (let s = 0; s <= t; s++) out[(h * T + t) * S + s] = 1 / (t + 1);
    return new Tensor(out, v.shape);
  });
  const diff = Math.max(...base.logits!.data.map((x, i) => Math.abs(x - uniform.logits!.data[i])));
  assert.ok(diff > 1e-3, `intervention changed the logits by ${diff}`);
  // The cache then shows the replaced pattern downstream.
  const { cache } = runWithCache(model, { ids }, { hooks: 'pattern' });
  assert.deepEqual(cache.pattern(0).shape, [4, 7, 7]);
  assert.throws(() => model.forward({ ids }, (name) => (name === 'hook_embed' ? Tensor.zeros([1, 1]) : undefined)), /returned shape \[1, 1\], expected \[7, 64\]/);
  assert.throws(() => model.forward({ ids: [] }), (e: unknown) => e instanceof InputError && /no tokens/.test(e.message));
  assert.throws(() => model.forward({ ids: [999] }), /id 999 at position 0 is outside the table's 528 rows/);
});
