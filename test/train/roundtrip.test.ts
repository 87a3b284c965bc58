// Trained weights leave the trainer as a Hugging Face GPT-2 checkpoint and come back as an inference
// model: export → buildModel → forward gives the training forward's eval-mode logits bit for bit, in
// memory and through a safetensors file; the names are exactly GPT-2's.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SafetensorsFile, writeSafetensors } from '../../src/io/safetensors.js';
import { openModelFolder } from '../../src/io/hf-folder.js';
import { buildModel } from '../../src/models/build.js';
import { MapSource } from '../../src/models/checkpoint.js';
import { parseConfig } from '../../src/models/config.js';
import type { Model } from '../../src/models/types.js';
import { Rng } from '../../src/train/rng.js';
import { exportGpt2, gpt2ConfigJson, initGpt2Params, namedParams, paramsFromCheckpoint, type Gpt2Params } from '../../src/train/params.js';
import { gpt2Forward, type TokenBatch } from '../../src/train/gpt2.js';
import { Gpt2Trainer } from '../../src/train/trainer.js';
import { saveGpt2Folder } from '../../src/train/save.js';
import { FIXTURES } from '../support/paths.js';

const raw = gpt2ConfigJson({ vocabSize: 40, nPositions: 16, nEmbd: 24, nLayer: 2, nHead: 3 });
const cfg = parseConfig(raw);

/** A model a few steps into training (with dropout), so no tensor is at its initial value. */
function trained(): { params: Gpt2Params; batch: TokenBatch } {
  const rng = new Rng(5);
  const params = initGpt2Params(cfg, rng);
  const B = 3, T = 12;
  const ids = Int32Array.from({ length: B * T }, () => rng.nextU32() % 40);
  const targets = Int32Array.from({ length: B * T }, () => rng.nextU32() % 40);
  const batch = { B, T, ids, targets };
  const trainer = new Gpt2Trainer(cfg, params, { schedule: { lr: 1e-2, totalSteps: 10 }, dropout: 0.1, seed: 1 });
  for (let i = 0; i < 3; i++) trainer.trainStep(batch);
  return { params, batch };
}

/** Largest |model logits − training logits| over the batch's sequences, run one at a time. */
function compare(model: Model, params: Gpt2Params, batch: TokenBatch): number {
  const { logits } = gpt2Forward(params, cfg, batch); // eval mode: [B·T, V]
  const V = cfg.vocabSize;
  let worst = 0;
  for (let b = 0; b < batch.B; b++) {
    const ids = Array.from(batch.ids).slice(b * batch.T, (b + 1) * batch.T);
    const got = model.forward({ ids }).logits!;
    for (let i = 0; i < got.size; i++) worst = Math.max(worst, Math.abs(got.data[i] - logits.data[b * batch.T * V + i]));
  }
  return worst;
}

test('export → buildModel(MapSource) runs the trained weights: the training forward\'s logits, bit for bit', () => {
  const { params, batch } = trained();
  const model = buildModel(raw, new MapSource(exportGpt2(params)));
  assert.deepEqual(model.ignoredTensors, []);
  const worst = compare(model, params, batch);
  // the same ops in the same order (ops.attention included): the same bits, not merely close ones
  assert.equal(worst, 0, `max |Δ logits| ${worst}`);
});

test('saveGpt2Folder / writeSafetensors make folders openModelFolder loads (GPT2Model and GPT2LMHeadModel names)', (t) => {
  const { params, batch } = trained();
  const dir = mkdtempSync(join(tmpdir(), 'attn-train-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const base = join(dir, 'base');
  saveGpt2Folder(base, params, raw);
  assert.throws(() => saveGpt2Folder(base, params, raw), /already exists/);
  saveGpt2Folder(base, params, raw, { overwrite: true });
  const lm = join(dir, 'lm'); // by hand, with the transformer. prefix
  mkdirSync(lm);
  writeFileSync(join(lm, 'config.json'), JSON.stringify(raw, null, 2));
  writeSafetensors(join(lm, 'model.safetensors'), Object.fromEntries(exportGpt2(params, 'transformer.')), { metadata: { format: 'pt' } });
  for (const sub of [base, lm]) {
    const folder = openModelFolder(sub);
    const model = buildModel(folder.config, folder.weights);
    folder.weights.close();
    assert.equal(compare(model, params, batch), 0, sub);
  }
});

test('exported names are exactly Hugging Face GPT-2 names, and loading them back is lossless', () => {
  const { params } = trained();
  const ref = SafetensorsFile.open(join(FIXTURES, 'train', 'gpt2-step', 'model.safetensors')); // written by PyTorch's side
  const refNames = ref.names().sort();
  ref.close();
  const small = initGpt2Params(parseConfig(gpt2ConfigJson({ vocabSize: 64, nPositions: 32, nEmbd: 32, nLayer: 2, nHead: 2 })), new Rng(0));
  assert.deepEqual([...exportGpt2(small).keys()].sort(), refNames);
  const back = paramsFromCheckpoint(new MapSource(exportGpt2(params)), cfg);
  namedParams(back).forEach((x, i) => assert.deepEqual(x.tensor.data, namedParams(params)[i].tensor.data, x.name));
});

test('a stored lm_head.weight equal to wte counts as tied; a different one is refused', () => {
  const { params } = trained();
  const m = exportGpt2(params, 'transformer.');
  m.set('lm_head.weight', params.wte.clone());
  assert.deepEqual(paramsFromCheckpoint(new MapSource(m), cfg).wte.data, params.wte.data);
  const other = params.wte.clone();
  other.data[0] += 1;
  m.set('lm_head.weight', other);
  assert.throws(() => paramsFromCheckpoint(new MapSource(m), cfg), /differs from wte/);
});
