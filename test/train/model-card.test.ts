// The model card's measures (scripts/model-card/): the bigram baseline is a proper distribution that
// learns from counts, and the leave-one-out nearest-centroid probe scores separable data perfectly and
// context-free data at chance, never seeing the sentence it classifies.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BigramModel } from '../../scripts/model-card/bigram.js';
import { nearestCentroidLoo } from '../../scripts/model-card/probe.js';
import { Rng } from '../../src/train/rng.js';

test('bigram baseline: each P(· | prev) sums to 1, follows the counts, and scores seen text better than unseen', () => {
  const V = 6;
  const tokens = Int32Array.from([0, 1, 2, 0, 1, 2, 0, 1, 3, 0, 1, 2]);
  const m = new BigramModel(tokens, V);
  for (let prev = 0; prev < V; prev++) {
    let sum = 0;
    for (let next = 0; next < V; next++) sum += m.prob(prev, next);
    assert.ok(Math.abs(sum - 1) < 1e-12, `P(· | ${prev}) sums to ${sum}`);
  }
  assert.ok(m.prob(0, 1) > 0.5, '0 is always followed by 1');
  assert.ok(m.prob(1, 2) > m.prob(1, 3) && m.prob(1, 3) > m.prob(1, 5), '2 more often than 3, 3 more than never-seen 5');
  assert.ok(m.prob(5, 0) > 0, 'an unseen context backs off to the unigram');
  assert.ok(m.loss(Int32Array.from([0, 1, 2, 0])) < m.loss(Int32Array.from([2, 5, 4, 3])));
});

test('probe: separable senses → 100%; vectors that ignore the sense → no better than chance; leave-one-out', () => {
  const rng = new Rng(1);
  const items = Array.from({ length: 40 }, (_, i) => ({ sense: i % 4 === 0 ? 'river' : 'finance', sentence: `s${i}` }));
  const noise = () => Float32Array.from({ length: 8 }, () => rng.normal());
  const separable = items.map((it) => {
    const v = noise();
    v[0] += it.sense === 'river' ? 6 : -6;
    return v;
  });
  const good = nearestCentroidLoo('h', items, separable);
  assert.equal(good.accuracy, 1);
  assert.deepEqual(good.perSense, { finance: { correct: 30, total: 30 }, river: { correct: 10, total: 10 } });
  const blind = nearestCentroidLoo('h', items, items.map(() => noise()));
  assert.ok(blind.balancedAccuracy < 0.75, `noise scores ${blind.balancedAccuracy}`);
  // one sentence per sense apart from a shared point: leaving it out must matter (no peeking at itself)
  const twoEach = [{ sense: 'a', sentence: '1' }, { sense: 'a', sentence: '2' }, { sense: 'b', sentence: '3' }, { sense: 'b', sentence: '4' }];
  const flipped = nearestCentroidLoo('h', twoEach, [Float32Array.of(1, 0), Float32Array.of(-1, 0), Float32Array.of(0, 1), Float32Array.of(0, -1)]);
  assert.equal(flipped.accuracy, 0, 'each vector is nearer the other sense once it is left out of its own centroid');
});
