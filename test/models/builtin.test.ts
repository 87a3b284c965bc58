// The built-in model (models/default, trained by `npm run train:default`): it is every command's default,
// it loads as a GPT-2 with its own tokenizer, its card's figures are this model's (the seed sentence's
// attention recomputed here equals metrics.json), and it has learned English: it prefers real
// continuations to shuffled ones. PyTorch parity for it is in test/parity.test.ts (reference/default).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { explain } from '../../src/api/explain.js';
import { BUILTIN_MODEL_DIR, chooseModel } from '../../src/cli/model-arg.js';
import { loadTransformer } from '../../src/interpret/load.js';
import { SEED } from '../support/cli.js';

const metricsPath = join(BUILTIN_MODEL_DIR, 'metrics.json');

test('models/default is shipped, under 25 MB, with its card, and is the default model', () => {
  for (const f of ['config.json', 'model.safetensors', 'tokenizer.json', 'MODEL_CARD.md', 'loss-curves.svg', 'metrics.json']) {
    assert.ok(existsSync(join(BUILTIN_MODEL_DIR, f)), `models/default/${f} is missing: run npm run train:default`);
  }
  const bytes = ['config.json', 'model.safetensors', 'tokenizer.json'].reduce((a, f) => a + statSync(join(BUILTIN_MODEL_DIR, f)).size, 0);
  assert.ok(bytes < 25 * 2 ** 20, `${bytes} bytes`);
  const choice = chooseModel(undefined);
  assert.equal(choice.path, BUILTIN_MODEL_DIR);
  assert.equal(choice.notice, undefined);
});

test('the card describes this model: config, and the seed sentence\'s attention per layer and head', async () => {
  const tf = await loadTransformer(BUILTIN_MODEL_DIR);
  const m = JSON.parse(readFileSync(metricsPath, 'utf8'));
  assert.equal(tf.config.nLayers, m.settings.config.n_layer);
  assert.equal(tf.config.dModel, m.settings.config.n_embd);
  assert.equal(tf.tokenizer.vocabSize, tf.config.vocabSize);
  const v = explain(tf, SEED, { word: 'bank' }).view;
  assert.deepEqual(v.items.map((i) => i.label), m.seed.words);
  v.grid.forEach((heads, l) => heads.forEach((row, h) => row.forEach((w, j) => {
    assert.ok(Math.abs(w - m.seed.grid[l][h][j]) < 1e-5, `layer ${l} head ${h} word ${j}: ${w} vs card ${m.seed.grid[l][h][j]}`);
  })));
  const card = readFileSync(join(BUILTIN_MODEL_DIR, 'MODEL_CARD.md'), 'utf8');
  assert.ok(card.includes(m.heldout.perplexity.toFixed(1)) && card.includes(m.heldout.bigramPerplexity.toFixed(1)), 'the card quotes the measured perplexities');
  assert.ok(m.heldout.perplexity < m.heldout.bigramPerplexity, 'the model beats the bigram baseline');
});

test('it has learned English: real sentences are more likely than the same words shuffled', async () => {
  const tf = await loadTransformer(BUILTIN_MODEL_DIR);
  const pairs = [
    ['The President of the United States spoke to the Congress.', 'Congress the States to President spoke of United the The.'],
    ['He sat on the bank of the river and watched the water.', 'Water bank watched of and the the river sat on he the.'],
    ['She deposited the money in her account at the bank.', 'Bank the money her at deposited account in the she.'],
  ];
  for (const [real, shuffled] of pairs) {
    const nll = (text: string) => {
      const ids = tf.tokenizer.encodeIds(text);
      const logits = tf.model.forward({ ids }).logits!;
      const V = tf.config.vocabSize;
      let sum = 0;
      for (let t = 0; t + 1 < ids.length; t++) {
        const row = logits.data.subarray(t * V, (t + 1) * V);
        let max = -Infinity;
        for (const x of row) max = Math.max(max, x);
        let z = 0;
        for (const x of row) z += Math.exp(x - max);
        sum -= row[ids[t + 1]] - max - Math.log(z);
      }
      return sum / (ids.length - 1);
    };
    const a = nll(real), b = nll(shuffled);
    assert.ok(a < b - 0.5, `"${real}": ${a.toFixed(2)} nats/token vs shuffled ${b.toFixed(2)}`);
  }
});
