// Training works end to end: a tiny GPT-2 memorises a repeated sequence in a few dozen AdamW steps
// (seeded, so the numbers are the same on every run; the bounds below are properties, not timings).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../src/models/config.js';
import { Rng } from '../../src/train/rng.js';
import { gpt2ConfigJson, initGpt2Params } from '../../src/train/params.js';
import { makeBatch } from '../../src/train/gpt2.js';
import { Gpt2Trainer } from '../../src/train/trainer.js';

test('a tiny GPT-2 overfits a repeated sequence: loss from ≈ ln V to near 0 in 40 steps', (t) => {
  const V = 16;
  const cfg = parseConfig(gpt2ConfigJson({ vocabSize: V, nPositions: 16, nEmbd: 32, nLayer: 2, nHead: 2 }));
  const p = initGpt2Params(cfg, new Rng(2024));
  // a pattern of period 7 over 17 tokens: predicting it needs position or context, not just the token
  const seq = Array.from({ length: 17 }, (_, i) => [3, 1, 4, 1, 5, 9, 2][i % 7]);
  const rows = [0, 1, 2, 3].map((o) => seq.slice(0, 16).map((_, i) => seq[(i + o) % 7]));
  const batch = makeBatch(rows, rows.map((r, b) => r.map((_, i) => seq[(i + b + 1) % 7])));
  const trainer = new Gpt2Trainer(cfg, p, { schedule: { lr: 2e-2, warmupSteps: 5, totalSteps: 40 }, weightDecay: 0.01 });
  const first = trainer.evalLoss(batch);
  const losses: number[] = [];
  for (let i = 0; i < 40; i++) losses.push(trainer.trainStep(batch).loss);
  const last = trainer.evalLoss(batch);
  t.diagnostic(`eval loss ${first.toFixed(3)} → ${last.toFixed(4)}; training losses ${losses.filter((_, i) => i % 8 === 0).map((l) => l.toFixed(3)).join(', ')}`);
  assert.ok(Math.abs(first - Math.log(V)) < 0.1, `starts near uniform (ln V = ${Math.log(V)})`);
  assert.ok(last < 0.05, `memorised: final loss ${last}`);
  assert.ok(losses[39] < losses[0] / 10);
});
