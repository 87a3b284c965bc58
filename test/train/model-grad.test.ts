// The whole tiny GPT-2's gradients (every parameter tensor: embeddings, LayerNorms, Q/K/V/O, MLP, the
// tied head) against float64 central differences of the loss, with and without dropout. Tolerance:
// support/check.ts (|Δ| ≤ 5e-6 + 1e-4·|numeric|), on every element of small tensors and 16 seeded
// elements of larger ones.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../src/models/config.js';
import { Rng } from '../../src/train/rng.js';
import { gpt2ConfigJson, initGpt2Params, namedParams, zerosLike, type Gpt2Params } from '../../src/train/params.js';
import { gpt2Backward, gpt2Forward, lossAndGrads, type TokenBatch } from '../../src/train/gpt2.js';
import { crossEntropy } from '../../src/train/loss.js';
import { gpt2Loss64, masksOf, toF64 } from './support/f64.js';
import { checkGrad } from './support/check.js';

/** Weights far from init (peaked attention, LayerNorm gains ≠ 1, non-zero biases) so every path carries gradient. */
function scramble(p: Gpt2Params, rng: Rng): void {
  for (const { name, tensor } of namedParams(p)) {
    const d = tensor.data;
    const isNorm = /ln[12F]?\.|lnF/.test(name);
    const inDim = tensor.rank === 2 ? tensor.shape[1] : 1;
    const std = name === 'wte' || name === 'wpe' ? 0.5 : tensor.rank === 2 ? (/attn\.[qk]\.w/.test(name) ? 1.5 : 0.8) / Math.sqrt(inDim) : 0.1;
    for (let i = 0; i < d.length; i++) d[i] = (isNorm && name.endsWith('.w') ? 1 : 0) + std * rng.normal();
  }
}

function batchOf(rng: Rng, B: number, T: number, V: number, ignoreSome: boolean): TokenBatch {
  const ids = Int32Array.from({ length: B * T }, () => rng.nextU32() % V);
  const targets = Int32Array.from({ length: B * T }, (_, i) => (ignoreSome && i % 5 === 2 ? -100 : rng.nextU32() % V));
  return { B, T, ids, targets };
}

function sampleIndices(n: number, rng: Rng): number[] | undefined {
  if (n <= 48) return undefined;
  const s = new Set<number>();
  while (s.size < 16) s.add(rng.nextU32() % n);
  return [...s].sort((a, b) => a - b);
}

const variants = [
  { name: 'gelu_new, no dropout', raw: {}, dropout: 0, ignoreSome: false },
  { name: 'exact GELU, scale by 1/(l+1), dropout 0.2 everywhere, ignored targets', raw: { activation_function: 'gelu', scale_attn_by_inverse_layer_idx: true }, dropout: 0.2, ignoreSome: true },
];

for (const v of variants) {
  test(`whole-model gradients match finite differences (${v.name})`, (t) => {
    const cfg = parseConfig({ ...gpt2ConfigJson({ vocabSize: 24, nPositions: 12, nEmbd: 16, nLayer: 2, nHead: 2 }), ...v.raw });
    const rng = new Rng(42);
    const p = initGpt2Params(cfg, rng);
    scramble(p, rng);
    const batch = batchOf(rng, 2, 8, cfg.vocabSize, v.ignoreSome);
    const { logits, cache } = gpt2Forward(p, cfg, batch, { dropout: v.dropout, rng: v.dropout ? new Rng(7) : undefined });
    const { loss, dlogits } = crossEntropy(logits, batch.targets!);
    const grads = zerosLike(p);
    gpt2Backward(p, cfg, cache, dlogits, grads);

    const P64 = toF64(p);
    const masks = masksOf(cache);
    if (v.dropout) assert.ok(masks.emb && masks.blocks.every((b) => b.attnOut && b.mlpOut && b.attn.every((m) => m)), 'every dropout site drew a mask');
    const f = () => gpt2Loss64(P64, cfg, batch.ids, batch.targets!, batch.B, batch.T, masks);
    assert.ok(Math.abs(loss - f()) < 1e-5, `float32 loss ${loss} vs float64 ${f()}`);

    let worstAbs = 0, worstRatio = 0, checked = 0;
    const pick = new Rng(99);
    const gs = namedParams(grads);
    namedParams(p).forEach(({ name }, i) => {
      const arr = P64.get(name)!;
      const idx = sampleIndices(arr.length, pick);
      const r = checkGrad(name, gs[i].tensor.data, f, arr, idx);
      worstAbs = Math.max(worstAbs, r.worstAbs);
      worstRatio = Math.max(worstRatio, r.worstRatio);
      checked += idx?.length ?? arr.length;
    });
    t.diagnostic(`loss ${loss.toFixed(4)}; ${checked} coordinates over ${gs.length} tensors; worst |Δ| ${worstAbs.toExponential(2)}, worst Δ/allowance ${worstRatio.toFixed(3)}`);
  });
}

test('lossAndGrads equals forward + crossEntropy + backward, and eval mode ignores dropout rates', () => {
  const cfg = parseConfig(gpt2ConfigJson({ vocabSize: 24, nPositions: 12, nEmbd: 16, nLayer: 1, nHead: 2 }));
  const rng = new Rng(3);
  const p = initGpt2Params(cfg, rng);
  const batch = batchOf(rng, 2, 6, 24, false);
  const a = lossAndGrads(p, cfg, batch, { dropout: 0.5 }); // no rng: eval mode, nothing dropped
  const b = lossAndGrads(p, cfg, batch);
  assert.equal(a.loss, b.loss);
  assert.deepEqual(a.logits.data, b.logits.data);
  assert.ok(Math.abs(a.loss - Math.log(24)) < 0.05, 'GPT-2 init predicts nearly uniformly');
});
