// Each op's backward (src/train/grad-ops.ts, attention-grad.ts, loss.ts) against float64 central
// differences of an independent float64 forward (support/f64.ts), and each float32 forward against that
// float64 forward. Tolerance: support/check.ts (|Δ| ≤ 5e-6 + 1e-4·|numeric|).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Tensor } from '../../src/engine/tensor.js';
import * as ops from '../../src/engine/ops.js';
import { Rng } from '../../src/train/rng.js';
import { applyMask, dropoutMask, embeddingBackward, geluBackward, layerNormBackward, linearBackward } from '../../src/train/grad-ops.js';
import { attentionBackward, attentionForward } from '../../src/train/attention-grad.js';
import { crossEntropy } from '../../src/train/loss.js';
import { applyMask64, attention64, crossEntropy64, gelu64, layerNorm64, linear64 } from './support/f64.js';
import { checkGrad as check, dotWith, f64, randn } from './support/check.js';

/** Worst |analytic − numeric| seen in the current test, reported as a diagnostic. */
let worst = 0;
const checkGrad = (...a: Parameters<typeof check>) => {
  const r = check(...a);
  worst = Math.max(worst, r.worstAbs);
  return r;
};
const report = (t: { diagnostic(s: string): void }) => {
  t.diagnostic(`worst |analytic − numeric| ${worst.toExponential(2)}`);
  worst = 0;
};

function maxDiff(a: Float32Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

test('linear: dx, dW, db', (t) => {
  const rng = new Rng(1);
  const [N, K, O] = [5, 7, 6];
  const x = randn([N, K], rng), w = randn([O, K], rng, 0.5), b = randn([O], rng), dy = randn([N, O], rng);
  const gw = Tensor.zeros([O, K]), gb = Tensor.zeros([O]);
  const dx = linearBackward(x, w, dy, gw, gb);
  const X = f64(x), W = f64(w), Bv = f64(b);
  const L = () => dotWith(dy, linear64(X, N, K, W, O, Bv));
  assert.ok(maxDiff(ops.linear(x, w, b).data, linear64(X, N, K, W, O, Bv)) < 1e-5);
  checkGrad('dx', dx.data, L, X);
  checkGrad('dW', gw.data, L, W);
  checkGrad('db', gb.data, L, Bv);
  report(t);
});

test('layerNorm: dx, dγ, dβ', (t) => {
  const rng = new Rng(2);
  const [N, C] = [4, 9];
  const x = randn([N, C], rng, 2, 0.7), w = randn([C], rng, 0.3, 1), b = randn([C], rng, 0.2), dy = randn([N, C], rng);
  const gw = Tensor.zeros([C]), gb = Tensor.zeros([C]);
  const dx = layerNormBackward(x, w, dy, 1e-5, gw, gb);
  const X = f64(x), W = f64(w), Bv = f64(b);
  const L = () => dotWith(dy, layerNorm64(X, C, W, Bv, 1e-5));
  assert.ok(maxDiff(ops.layerNorm(x, w, b, 1e-5).data, layerNorm64(X, C, W, Bv, 1e-5)) < 1e-5);
  checkGrad('dx', dx.data, L, X);
  checkGrad('dγ', gw.data, L, W);
  checkGrad('dβ', gb.data, L, Bv);
  report(t);
});

for (const kind of ['tanh', 'exact'] as const) {
  test(`GELU (${kind === 'tanh' ? 'tanh form, gelu_new' : 'exact, erf'}): dx over [−5, 5]`, (t) => {
    const x = Tensor.from(Array.from({ length: 41 }, (_, i) => -5 + i * 0.25 + 0.013), [41]);
    const dy = randn([41], new Rng(3));
    const dx = geluBackward(x, dy, kind);
    const X = f64(x);
    assert.ok(maxDiff(ops.gelu(x, kind).data, gelu64(X, kind)) < 1e-6);
    checkGrad('dx', dx.data, () => dotWith(dy, gelu64(X, kind)), X);
    report(t);
  });
}

test('embedding: repeated ids add up their rows', (t) => {
  const rng = new Rng(4);
  const table = randn([6, 5], rng), ids = [3, 1, 3, 0, 5, 3], dy = randn([ids.length, 5], rng);
  const g = Tensor.zeros([6, 5]);
  embeddingBackward(ids, dy, g);
  const Tb = f64(table);
  const L = () => dotWith(dy, Float64Array.from(ids.flatMap((id) => [...Tb.subarray(id * 5, id * 5 + 5)])));
  checkGrad('dTable', g.data, L, Tb);
  for (let c = 0; c < 5; c++) assert.equal(g.at(2, c), 0, 'a row no id picked gets no gradient');
  report(t);
});

for (const dropP of [0, 0.3]) {
  test(`causal multi-head attention: dq, dk, dv${dropP ? ' with pattern dropout' : ''}`, (t) => {
    const rng = new Rng(5);
    const [B, T, H, D] = [2, 5, 2, 3];
    const C = H * D, scale = 0.7;
    const q = randn([B * T, C], rng), k = randn([B * T, C], rng), v = randn([B * T, C], rng), dz = randn([B * T, C], rng);
    const { z, cache } = attentionForward(q, k, v, { B, T, H, scale }, dropP, dropP ? new Rng(6) : undefined);
    if (dropP) assert.ok(cache.mask.every((m) => m && m.some((x) => x === 0)), 'some pattern entries are dropped');
    const { dq, dk, dv } = attentionBackward(cache, dz);
    const Q = f64(q), K = f64(k), Vv = f64(v);
    const masks = cache.mask;
    assert.ok(maxDiff(z.data, attention64(Q, K, Vv, B, T, H, scale, masks)) < 1e-5);
    const L = () => dotWith(dz, attention64(Q, K, Vv, B, T, H, scale, masks));
    checkGrad('dq', dq.data, L, Q);
    checkGrad('dk', dk.data, L, K);
    checkGrad('dv', dv.data, L, Vv);
    report(t);
  });
}

test('cross-entropy: loss and dlogits, mean over counted positions, ignore index left out', (t) => {
  const rng = new Rng(7);
  const [N, V] = [6, 7];
  const logits = randn([N, V], rng, 3), targets = [2, -100, 0, 6, 6, 3];
  const { loss, count, dlogits } = crossEntropy(logits, targets);
  const X = f64(logits);
  assert.equal(count, 5);
  assert.ok(Math.abs(loss - crossEntropy64(X, V, targets)) < 1e-6);
  checkGrad('dlogits', dlogits.data, () => crossEntropy64(X, V, targets), X);
  for (let v = 0; v < V; v++) assert.equal(dlogits.at(1, v), 0, 'an ignored position gets no gradient');
  assert.throws(() => crossEntropy(logits, targets.map(() => -100)), /ignore index/);
  assert.throws(() => crossEntropy(logits, [7, 0, 0, 0, 0, 0]), /outside the vocabulary/);
  report(t);
});

test('dropout: seeded inverted mask, backward multiplies by the same mask, p = 0 is the identity', (t) => {
  const n = 20000, p = 0.25;
  const m = dropoutMask(n, p, new Rng(8))!;
  assert.deepEqual(m, dropoutMask(n, p, new Rng(8)), 'same seed, same mask');
  const dropped = m.filter((x) => x === 0).length / n;
  assert.ok(Math.abs(dropped - p) < 0.015, `dropped fraction ${dropped}`);
  assert.ok(m.every((x) => x === 0 || x === Math.fround(1 / (1 - p))));
  assert.equal(dropoutMask(n, 0, new Rng(8)), null);
  const x = randn([40], new Rng(9)), dy = randn([40], new Rng(10));
  const small = dropoutMask(40, 0.5, new Rng(11));
  const X = f64(x);
  checkGrad('dx', applyMask(dy, small).data, () => dotWith(dy, applyMask64(X, small)), X);
  assert.equal(applyMask(x, null), x);
  report(t);
});
