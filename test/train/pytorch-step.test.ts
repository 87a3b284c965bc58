// Two full training steps checked against PyTorch 1.13 (scripts/reference/train_step.py: float64
// autograd, torch.optim.AdamW, clip_grad_norm_): same initial weights (test/fixtures/train/gpt2-step/),
// same batches. Compared: logits and loss, every gradient (before clipping), the gradient norm, every
// parameter after each update, the LR schedule and the weight-decay rule. Tolerances are stated below.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tensor } from '../../src/engine/tensor.js';
import { SafetensorsFile } from '../../src/io/safetensors.js';
import { parseConfig } from '../../src/models/config.js';
import { makeBatch, lossAndGrads } from '../../src/train/gpt2.js';
import { AdamW, clipGradNorm, learningRate, type Schedule } from '../../src/train/optim.js';
import { exportGpt2, mapParams, namedParams, paramsFromCheckpoint, type Gpt2Params } from '../../src/train/params.js';
import { Gpt2Trainer } from '../../src/train/trainer.js';
import { FIXTURES } from '../support/paths.js';

/** Logits, loss, gradients and updated parameters: |attn (float32) − PyTorch (float64)| ≤ 1e-5. */
const TOL = 1e-5;
/**
 * Below this reference |gradient| the sign of a float32 gradient is not meaningful (b_K's gradient is
 * exactly 0 in exact arithmetic: softmax ignores a shift shared by a row, so both sides hold rounding
 * noise), and Adam's first steps move by ±lr·sign(g). There the check is only |Δp| ≤ Σ lr + TOL.
 */
const NOISE_GRAD = 1e-7;

const DIR = join(FIXTURES, 'train', 'gpt2-step');
interface StepCase { ids: number[][]; targets: number[][]; loss: number; grad_norm: number; lr: number }
const kase = JSON.parse(readFileSync(join(DIR, 'case.json'), 'utf8')) as {
  clip_norm: number; adamw: { beta1: number; beta2: number; eps: number; weight_decay: number };
  schedule: { lr: number; min_lr: number; warmup_steps: number; total_steps: number };
  decay: string[]; steps: StepCase[]; schedule_table: [number, number][];
};
const cfg = parseConfig(JSON.parse(readFileSync(join(DIR, 'config.json'), 'utf8')) as Record<string, unknown>);
const expected = SafetensorsFile.open(join(DIR, 'expected.safetensors'));
const schedule: Schedule = { lr: kase.schedule.lr, minLr: kase.schedule.min_lr, warmupSteps: kase.schedule.warmup_steps, totalSteps: kase.schedule.total_steps };
const adamw = { beta1: kase.adamw.beta1, beta2: kase.adamw.beta2, eps: kase.adamw.eps, weightDecay: kase.adamw.weight_decay };
const batches = kase.steps.map((s) => makeBatch(s.ids, s.targets));

function load(): Gpt2Params {
  const f = SafetensorsFile.open(join(DIR, 'model.safetensors'));
  try {
    return paramsFromCheckpoint(f, cfg);
  } finally {
    f.close();
  }
}

function worstDiff(name: string, got: Tensor, want: Tensor): number {
  assert.deepEqual([...got.shape], [...want.shape], `${name}: shape`);
  let w = 0;
  for (let i = 0; i < got.size; i++) w = Math.max(w, Math.abs(got.data[i] - want.data[i]));
  return w;
}

test('two AdamW steps match PyTorch: loss, logits, gradients, clipping, updated parameters', (t) => {
  const p = load();
  const opt = new AdamW(p, adamw);
  const noisy = new Map<string, Uint8Array>(); // per HF name: 1 where the step-1 reference gradient is noise
  let worstGrad = 0, worstParam = 0;
  kase.steps.forEach((ref, s) => {
    const { loss, grads, logits } = lossAndGrads(p, cfg, batches[s]);
    assert.ok(Math.abs(loss - ref.loss) <= TOL, `step ${s + 1} loss ${loss} vs PyTorch ${ref.loss}`);
    if (s === 0) {
      const d = worstDiff('logits', logits, expected.tensor('logits1'));
      assert.ok(d <= TOL, `logits: max |Δ| ${d}`);
      for (const [name, g] of exportGpt2(grads)) {
        const want = expected.tensor(`grad1.${name}`);
        const dg = worstDiff(name, g, want);
        assert.ok(dg <= TOL, `gradient of ${name}: max |Δ| ${dg.toExponential(2)}`);
        worstGrad = Math.max(worstGrad, dg);
        noisy.set(name, Uint8Array.from(want.data, (x) => (Math.abs(x) < NOISE_GRAD ? 1 : 0)));
      }
    }
    const norm = clipGradNorm(grads, kase.clip_norm);
    assert.ok(Math.abs(norm - ref.grad_norm) <= TOL * ref.grad_norm, `step ${s + 1} gradient norm ${norm} vs ${ref.grad_norm}`);
    const lr = learningRate(schedule, s);
    assert.ok(Math.abs(lr - ref.lr) <= 1e-15, `step ${s + 1} lr ${lr} vs ${ref.lr}`);
    opt.step(p, grads, lr);
    const lrSum = kase.steps.slice(0, s + 1).reduce((a, r) => a + r.lr, 0);
    for (const [name, got] of exportGpt2(p)) {
      const want = expected.tensor(`step${s + 1}.${name}`), mask = noisy.get(name)!;
      for (let i = 0; i < got.size; i++) {
        const d = Math.abs(got.data[i] - want.data[i]);
        if (mask[i]) {
          assert.ok(d <= lrSum + TOL, `${name}[${i}] (noise gradient) after step ${s + 1}: |Δ| ${d}`);
        } else {
          assert.ok(d <= TOL, `${name}[${i}] after step ${s + 1}: ${got.data[i]} vs PyTorch ${want.data[i]}`);
          worstParam = Math.max(worstParam, d);
        }
      }
    }
  });
  const kinds = noiseKinds(noisy);
  t.diagnostic(`worst |Δ| gradients ${worstGrad.toExponential(2)}, parameters ${worstParam.toExponential(2)}; noise gradients: ${kinds.keyBias} key-bias entries, ${kinds.unusedPos} entries of unused wpe rows (exactly 0 on both sides), ${kinds.other} others`);
  assert.equal(kinds.other, 0, 'only the key bias and unused position rows should have (near-)zero gradients');
});

/** Where the noise-gradient elements lie: the K third of each c_attn.bias, wpe rows past T, elsewhere. */
function noiseKinds(noisy: Map<string, Uint8Array>): { keyBias: number; unusedPos: number; other: number } {
  const C = cfg.dModel;
  const n = { keyBias: 0, unusedPos: 0, other: 0 };
  for (const [name, m] of noisy) {
    for (let i = 0; i < m.length; i++) {
      if (!m[i]) continue;
      if (name.endsWith('attn.c_attn.bias') && i >= C && i < 2 * C) n.keyBias++;
      else if (name === 'wpe.weight' && Math.floor(i / C) >= batches[0].T) n.unusedPos++;
      else n.other++;
    }
  }
  return n;
}

test('Gpt2Trainer takes the same steps bit for bit as the pieces composed by hand', () => {
  const a = load(), b = load();
  const trainer = new Gpt2Trainer(cfg, a, { ...adamw, schedule, clipNorm: kase.clip_norm });
  const opt = new AdamW(b, adamw);
  batches.forEach((batch, s) => {
    const r = trainer.trainStep(batch);
    const { loss, grads } = lossAndGrads(b, cfg, batch);
    const norm = clipGradNorm(grads, kase.clip_norm);
    opt.step(b, grads, learningRate(schedule, s));
    assert.deepEqual(r, { step: s, loss, gradNorm: norm, lr: learningRate(schedule, s) });
  });
  namedParams(a).forEach((x, i) => assert.deepEqual(x.tensor.data, namedParams(b)[i].tensor.data, x.name));
});

test('the schedule matches the reference: warm-up, cosine decay, floor', () => {
  for (const [step, lr] of kase.schedule_table) assert.ok(Math.abs(learningRate(schedule, step) - lr) <= 1e-15, `step ${step}`);
  assert.equal(learningRate(schedule, 0), schedule.lr / 4);
  assert.equal(learningRate(schedule, 4), schedule.lr);
  assert.equal(learningRate(schedule, 999), schedule.minLr);
});

test('weight decay applies to exactly the linear weight matrices PyTorch decays', () => {
  const flags = mapParams(load(), (x) => x); // same structure; fill each tensor with its decay flag
  for (const { tensor, decay } of namedParams(flags)) tensor.data.fill(decay ? 1 : 0);
  const decayed = [...exportGpt2(flags)].filter(([, x]) => x.data.every((v) => v === 1)).map(([n]) => n).sort();
  const kept = [...exportGpt2(flags)].filter(([, x]) => x.data.every((v) => v === 0)).map(([n]) => n);
  assert.deepEqual(decayed, kase.decay);
  assert.equal(decayed.length + kept.length, exportGpt2(flags).size);
});
