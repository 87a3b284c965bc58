// The seeded PRNG (pinned output, so runs stay reproducible across versions), GPT-2 initialisation
// statistics, gradient clipping, AdamW's decay rule, and the trainer's reproducibility with dropout.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../src/models/config.js';
import { Rng } from '../../src/train/rng.js';
import { gpt2ConfigJson, initGpt2Params, mapParams, namedParams, zerosLike } from '../../src/train/params.js';
import { AdamW, clipGradNorm, gradNorm, learningRate } from '../../src/train/optim.js';
import { Gpt2Trainer } from '../../src/train/trainer.js';

test('Rng: xoshiro128** seeded by splitmix32 gives pinned values (checked against a Python transcription)', () => {
  const r = new Rng(1);
  assert.deepEqual([r.nextU32(), r.nextU32(), r.nextU32(), r.nextU32()], [2442144158, 3238099751, 3819917871, 2104621829]);
  assert.equal(r.uniform(), 0.4705824180198359);
  assert.equal(r.normal(), -0.48234353789969875);
  assert.equal(r.normal(), 0.7987883527462104);
  const n = new Rng(2);
  let s = 0, s2 = 0;
  for (let i = 0; i < 20000; i++) {
    const x = n.normal();
    s += x;
    s2 += x * x;
  }
  assert.ok(Math.abs(s / 20000) < 0.03 && Math.abs(s2 / 20000 - 1) < 0.03, 'normal() has mean 0 and variance 1');
});

const cfg = parseConfig(gpt2ConfigJson({ vocabSize: 500, nPositions: 64, nEmbd: 64, nLayer: 4, nHead: 4 }));

function std(d: Float32Array): number {
  let s = 0;
  for (const x of d) s += x * x;
  return Math.sqrt(s / d.length);
}

test('GPT-2 init: N(0, 0.02²) weights, residual projections scaled by 1/√(2L), zero biases, unit LayerNorms; seeded', () => {
  const p = initGpt2Params(cfg, new Rng(10));
  const resid = 0.02 / Math.sqrt(2 * cfg.nLayers);
  for (const { name, tensor } of namedParams(p)) {
    if (/ln[12]\.w$|lnF\.w$/.test(name)) assert.ok(tensor.data.every((x) => x === 1), name);
    else if (name.endsWith('.b')) assert.ok(tensor.data.every((x) => x === 0), name);
    else {
      const want = /attn\.o\.w$|mlp\.down\.w$/.test(name) ? resid : 0.02;
      assert.ok(Math.abs(std(tensor.data) / want - 1) < 0.06, `${name}: std ${std(tensor.data)} vs ${want}`);
    }
  }
  const again = initGpt2Params(cfg, new Rng(10)), other = initGpt2Params(cfg, new Rng(11));
  namedParams(p).forEach((x, i) => assert.deepEqual(x.tensor.data, namedParams(again)[i].tensor.data, x.name));
  assert.notDeepEqual(p.wte.data, other.wte.data);
});

test('clipGradNorm scales to the ceiling only when the norm exceeds it, and returns the norm before', () => {
  const g = mapParams(initGpt2Params(cfg, new Rng(3)), (t) => t.clone());
  const n0 = gradNorm(g);
  assert.equal(clipGradNorm(g, n0 * 2), n0);
  assert.equal(gradNorm(g), n0, 'below the ceiling nothing changes');
  assert.equal(clipGradNorm(g, 1), n0);
  assert.ok(Math.abs(gradNorm(g) - n0 / (n0 + 1e-6)) < 1e-6);
  assert.equal(clipGradNorm(g, Infinity), gradNorm(g));
});

test('AdamW: with zero gradients only linear weight matrices shrink, by exactly (1 − lr·wd)', () => {
  const p = initGpt2Params(cfg, new Rng(4));
  for (const { tensor } of namedParams(p)) tensor.data.fill(0.5);
  const opt = new AdamW(p, { weightDecay: 0.1 });
  opt.step(p, zerosLike(p), 0.01);
  for (const { name, tensor, decay } of namedParams(p)) {
    const want = decay ? Math.fround(0.5 * (1 - 0.01 * 0.1)) : 0.5;
    assert.ok(tensor.data.every((x) => x === want), `${name}: ${tensor.data[0]} (decay ${decay})`);
    assert.equal(decay, /attn\.[qkvo]\.w$|mlp\.(up|down)\.w$/.test(name), `${name}: decay rule`);
  }
});

test('learningRate: no warm-up starts at the peak; cosine decreases monotonically to the floor', () => {
  const s = { lr: 1, minLr: 0.1, totalSteps: 10 };
  assert.equal(learningRate(s, 0), 1);
  let prev = 2;
  for (let i = 0; i <= 12; i++) {
    const lr = learningRate(s, i);
    assert.ok(lr <= prev && lr >= 0.1, `step ${i}: ${lr}`);
    prev = lr;
  }
  assert.equal(learningRate(s, 10), 0.1);
  assert.equal(learningRate({ lr: 1, totalSteps: 5 }, 5), 0.1, 'minLr defaults to lr/10');
});

test('training with dropout is reproducible bit for bit from the seed, and the seed matters', () => {
  const small = parseConfig(gpt2ConfigJson({ vocabSize: 20, nPositions: 8, nEmbd: 16, nLayer: 1, nHead: 2 }));
  const rng = new Rng(8);
  const ids = Int32Array.from({ length: 16 }, () => rng.nextU32() % 20);
  const batch = { B: 2, T: 8, ids, targets: ids.map((x) => (x + 1) % 20) };
  const run = (seed: number) => {
    const p = initGpt2Params(small, new Rng(1));
    const tr = new Gpt2Trainer(small, p, { schedule: { lr: 1e-2, totalSteps: 5 }, dropout: 0.3, seed });
    const losses = [0, 1, 2, 3].map(() => tr.trainStep(batch).loss);
    return { losses, wte: p.wte.data };
  };
  const a = run(1), b = run(1), c = run(2);
  assert.deepEqual(a, b);
  assert.notDeepEqual(a.losses.slice(1), c.losses.slice(1));
});
