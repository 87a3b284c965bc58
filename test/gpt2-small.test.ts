// A GPT-2-small-shaped model (12 layers, width 768, 12 heads, vocab 50257, random weights) runs end to end
// with every hook captured, in bounded memory, and its hooks are consistent with each other.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildModel } from '../src/models/build.js';
import { MapSource } from '../src/models/checkpoint.js';
import { runWithCache } from '../src/interpret/run.js';
import { gpt2Config, randomGpt2Weights } from './support/random-gpt2.js';

test('GPT-2 small shape: T=64 forward with all hooks', () => {
  const rss0 = process.memoryUsage().rss;
  const cfg = gpt2Config({ nLayer: 12, nEmbd: 768, nHead: 12, vocab: 50257, nPositions: 1024 });
  const model = buildModel(cfg, new MapSource(randomGpt2Weights(cfg, 7)));
  const ids = Array.from({ length: 64 }, (_, t) => (t * 7919) % 50257);
  const { output, cache } = runWithCache(model, { ids }, { hooks: 'all' });
  assert.deepEqual(output.logits!.shape, [64, 50257]);
  assert.ok(output.logits!.data.every(Number.isFinite), 'logits are finite');
  assert.equal(cache.size, 2 + 12 * 16 + 1);
  for (let l = 0; l < 12; l++) {
    const p = cache.pattern(l);
    assert.deepEqual(p.shape, [12, 64, 64]);
    for (let h = 0; h < 12; h += 5) for (let t = 0; t < 64; t += 9) {
      let sum = 0;
      for (let s = 0; s < 64; s++) {
        const w = p.at(h, t, s);
        if (s > t) assert.equal(w, 0, 'no attention to the future');
        sum += w;
      }
      assert.ok(Math.abs(sum - 1) < 1e-5, `layer ${l} head ${h} row ${t} sums to ${sum}`);
    }
  }
  // z[t, h, :] = Σ_s pattern[h, t, s] · v[s, h, :], recomputed from the hooks of layer 11
  const p = cache.pattern(11), v = cache.get('blocks.11.attn.hook_v'), z = cache.get('blocks.11.attn.hook_z');
  for (const [t, h, d] of [[0, 0, 0], [63, 11, 63], [30, 5, 17]]) {
    let acc = 0;
    for (let s = 0; s < 64; s++) acc += p.at(h, t, s) * v.at(s, h, d);
    assert.ok(Math.abs(acc - z.at(t, h, d)) < 1e-5, `z[${t},${h},${d}]`);
  }
  const grownMiB = (process.memoryUsage().rss - rss0) / 2 ** 20;
  // weights 124M floats ≈ 475 MiB (+ the checkpoint copies being transposed), activations ≈ 60 MiB
  assert.ok(grownMiB < 2048, `memory grew by ${grownMiB.toFixed(0)} MiB`);
});
