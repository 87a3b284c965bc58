// Checkpoints: a run stopped and resumed ends with exactly the weights, optimiser state and history of
// the run that was never stopped; a resume with other settings or other data is refused.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openModelFolder } from '../../src/io/hf-folder.js';
import { gpt2ConfigJson, namedParams } from '../../src/train/params.js';
import { readCheckpoint, type TrainSettings } from '../../src/train/checkpoint.js';
import { runTraining, type RunOptions } from '../../src/train/loop.js';

const V = 40;
const tokens = Int32Array.from({ length: 2000 }, (_, i) => (i * 7 + (i >> 3)) % (V - 1));
const heldout = Int32Array.from({ length: 300 }, (_, i) => (i * 5 + 3) % (V - 1));
const settings: TrainSettings = {
  config: gpt2ConfigJson({ vocabSize: V, nPositions: 16, nEmbd: 16, nLayer: 2, nHead: 2, dropout: 0.1 }),
  batch: 4, context: 16, steps: 12, lr: 1e-2, minLr: 1e-3, warmup: 2, weightDecay: 0.1, clip: 1, dropout: 0.1, seed: 3,
};
const base = (out: string, over: Partial<RunOptions> = {}): RunOptions => ({
  out, settings, tokenizerJson: '{"stand-in":"tokenizer"}', train: tokens, heldout, evalEvery: 4, evalWindows: 8, saveEvery: 5,
  dtype: 'F32', resume: false, ...over,
});

test('stop after 5 steps + resume = one uninterrupted run, bit for bit (dropout on)', async () => {
  const straight = await runTraining(base(mkdtempSync(join(tmpdir(), 'attn-run-'))));
  const out = mkdtempSync(join(tmpdir(), 'attn-run-'));
  let steps = 0;
  const first = await runTraining(base(out, { onEvent: (e) => void (e.kind === 'step' && steps++), stopRequested: () => steps >= 5 }));
  assert.equal(first.stopped, true);
  assert.equal(first.trainer.step, 5);
  assert.equal(readCheckpoint(out).state.step, 5, 'the stop saved a checkpoint');
  const resumed = await runTraining(base(out, { resume: true }));
  assert.equal(resumed.stopped, false);
  assert.equal(resumed.trainer.step, 12);
  const a = namedParams(straight.trainer.params), b = namedParams(resumed.trainer.params);
  a.forEach((p, i) => assert.deepEqual(b[i].tensor.data, p.tensor.data, p.name));
  assert.deepEqual(namedParams(resumed.trainer.optimizer.v)[3].tensor.data, namedParams(straight.trainer.optimizer.v)[3].tensor.data);
  assert.deepEqual(resumed.state.history, straight.state.history);
  assert.deepEqual(readdirSync(out).sort(), ['config.json', 'model.safetensors', 'tokenizer.json', 'training']);
  const folder = openModelFolder(out);
  assert.equal(folder.config.n_embd, 16);
  assert.deepEqual(folder.weights.tensor('wte.weight').data, straight.trainer.params.wte.data, 'model.safetensors holds the final weights');
  folder.weights.close();
});

test('a resume with other settings or other data is refused, and leaves the checkpoint alone', async () => {
  const out = mkdtempSync(join(tmpdir(), 'attn-run-'));
  let steps = 0;
  await runTraining(base(out, { onEvent: (e) => void (e.kind === 'step' && steps++), stopRequested: () => steps >= 2 }));
  const other = { ...settings, config: gpt2ConfigJson({ vocabSize: V, nPositions: 16, nEmbd: 32, nLayer: 2, nHead: 2, dropout: 0.1 }) };
  await assert.rejects(runTraining(base(out, { resume: true, settings: other })), /cannot resume .*settings differ: n_embd \(saved 16, asked 32\)/);
  await assert.rejects(runTraining(base(out, { resume: true, settings: { ...settings, lr: 0.5 } })), /cannot resume .*settings differ: lr \(saved 0\.01, asked 0\.5\)\./);
  await assert.rejects(runTraining(base(out, { resume: true, train: tokens.slice(1) })), /cannot resume .*training text differs/);
  await assert.rejects(runTraining(base(out, { resume: true, tokenizerJson: '{}' })), /cannot resume .*tokenizer\.json changed/);
  await assert.rejects(runTraining(base(mkdtempSync(join(tmpdir(), 'attn-run-')), { resume: true })), /has no training state/);
  assert.equal(readCheckpoint(out).state.step, 2);
});
