// The fused attention path in the models: it gives the same hooks as the unfused path (bit for bit with
// the reference ops, within float32 rounding with the fast kernels), restricts patterns to the rows asked
// for, follows interventions, matches the PyTorch fixtures with the fast kernels, and keeps memory O(T)
// when one row of a long input is asked for.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ops from '../../src/engine/ops.js';
import { Tensor } from '../../src/engine/tensor.js';
import { SafetensorsFile } from '../../src/io/safetensors.js';
import { openModelFolder } from '../../src/io/hf-folder.js';
import { buildModel } from '../../src/models/build.js';
import type { PlannedHook } from '../../src/models/attention.js';
import type { Model } from '../../src/models/types.js';
import { runWithCache } from '../../src/interpret/run.js';
import { useFastKernels, useReferenceKernels, wasmMemoryBytes } from '../../src/kernels/index.js';
import { FIXTURES, referenceCases, referenceModelDir } from '../support/paths.js';
import { assertClose, assertSameBits, maxDiff, randomTensor } from './helpers.js';

const MODELS = join(FIXTURES, 'models');
const load = (name: string): Model => {
  const folder = openModelFolder(join(MODELS, name));
  const model = buildModel(folder.config, folder.weights);
  folder.weights.close();
  return model;
};
const gpt2 = load('gpt2-tiny'), bert = load('bert-tiny');
const ids = [5, 17, 150, 2, 99, 41, 7, 160, 12, 3, 88];
const ATTENTION_HOOKS = ['pattern', 'z', 'attn_out'];

test('reference: the fused op gives the same bits as scale → causalMask → softmax → pattern·v', async () => {
  await useReferenceKernels();
  const [T, H, D] = [9, 3, 8];
  const q = randomTensor([T, H * D], 1, 2), k = randomTensor([T, H * D], 2, 2), v = randomTensor([T, H * D], 3);
  const fused = ops.attention(q, k, v, { heads: H, scale: 0.3, causal: true, rows: Array.from({ length: T }, (_, t) => t) });
  const qh = ops.splitHeads(q, H), kh = ops.splitHeads(k, H), vh = ops.splitHeads(v, H);
  const dots = new Float32Array(H * T * T);
  for (let h = 0; h < H; h++) dots.set(ops.matmulT(qh.row(h), kh.row(h)).data, h * T * T);
  const pattern = ops.softmax(ops.causalMask(ops.scale(new Tensor(dots, [H, T, T]), 0.3)));
  const zh = new Float32Array(H * T * D);
  for (let h = 0; h < H; h++) zh.set(ops.matmulT(pattern.row(h), ops.transpose2d(vh.row(h))).data, h * T * D);
  assertSameBits(fused.pattern!, pattern, 'pattern');
  assertSameBits(fused.z, ops.mergeHeads(new Tensor(zh, [H, T, D])), 'z');
});

for (const kernels of ['reference', 'fast'] as const) {
  test(`${kernels}: runWithCache gives the same attention hooks whether or not it can fuse`, async () => {
    if (kernels === 'fast') await useFastKernels({ threads: 2, minParallelWork: 0 });
    else await useReferenceKernels();
    for (const model of [gpt2, bert]) {
      const unfused = runWithCache(model, { ids }, { hooks: 'all' }).cache; // asks for dot and attn_scores
      const fused = runWithCache(model, { ids }, { hooks: ATTENTION_HOOKS }).cache;
      for (const name of fused.names()) {
        if (kernels === 'reference') assertSameBits(fused.get(name), unfused.get(name), name);
        else assertClose(fused.get(name), unfused.get(name), 1e-5, name);
      }
      assert.equal(fused.size, ATTENTION_HOOKS.length * model.config.nLayers);
    }
  });

  test(`${kernels}: rows keep only those query positions of every [H, T, S] hook`, async () => {
    if (kernels === 'fast') await useFastKernels({ threads: 2, minParallelWork: 0 });
    else await useReferenceKernels();
    const full = runWithCache(gpt2, { ids }, { hooks: 'all' }).cache;
    const rows = [10, 0, 4];
    for (const hooks of ['pattern', 'all']) {
      const some = runWithCache(gpt2, { ids }, { hooks, rows }).cache;
      for (const name of some.names().filter((n) => /hook_(pattern|dot|attn_scores)$/.test(n))) {
        const [H, T, S] = full.get(name).shape;
        assert.deepEqual([...some.get(name).shape], [H, rows.length, S], name);
        for (let h = 0; h < H; h++) rows.forEach((t, i) => {
          const want = new Tensor(full.get(name).data.slice((h * T + t) * S, (h * T + t + 1) * S), [S]);
          const got = new Tensor(some.get(name).data.slice((h * rows.length + i) * S, (h * rows.length + i + 1) * S), [S]);
          assertClose(got, want, kernels === 'reference' ? 0 : 1e-6, `${hooks}: ${name} head ${h} row ${t}`);
        });
      }
    }
    assert.throws(() => runWithCache(gpt2, { ids }, { hooks: 'pattern', rows: [ids.length] }), /not a token position/);
    assert.throws(() => runWithCache(gpt2, { ids }, { hooks: 'pattern', rows: [1, 1] }), /twice/);
  });

  test(`${kernels}: replacing the pattern on the fused path changes z as on the unfused path`, async () => {
    if (kernels === 'fast') await useFastKernels({ threads: 2, minParallelWork: 0 });
    else await useReferenceKernels();
    const uniform = (value: Tensor) => {
      const [H, T, S] = value.shape;
      const out = new Float32Array(value.size);
      for (let h = 0; h < H; h++) for (let t = 0; t < T; t++) out.fill(1 / (t + 1), (h * T + t) * S, (h * T + t) * S + t + 1);
      return new Tensor(out, value.shape);
    };
    const target = 'blocks.1.attn.hook_pattern', zName = 'blocks.1.attn.hook_z';
    const capture = (planned: boolean) => {
      let z: Tensor | undefined;
      const hook: PlannedHook = (name, value) => {
        if (name === zName) z = value;
        return name === target ? uniform(value) : undefined;
      };
      if (planned) hook.plan = { wants: (name) => name === target || name === zName };
      gpt2.forward({ ids }, hook);
      return z!;
    };
    const fused = capture(true), unfused = capture(false);
    assertClose(fused, unfused, kernels === 'reference' ? 0 : 1e-6, 'z after the intervention');
    assert.ok(maxDiff(fused, runWithCache(gpt2, { ids }, { hooks: 'z' }).cache.get(zName), 'z') > 1e-3, 'the intervention changed z');
  });
}

test('fast: parity with the PyTorch fixtures (1e-4), fused and unfused', async () => {
  await useFastKernels({ threads: 2, minParallelWork: 0 });
  const REF = join(FIXTURES, 'reference');
  let compared = 0;
  for (const variant of readdirSync(REF).sort()) {
    const folder = openModelFolder(referenceModelDir(variant));
    const model = buildModel(folder.config, folder.weights);
    folder.weights.close();
    for (const file of referenceCases(variant)) {
      const meta = JSON.parse(readFileSync(join(REF, variant, file), 'utf8')) as { input_ids: number[]; token_type_ids: number[]; tolerance: number };
      const expected = SafetensorsFile.open(join(REF, variant, file.replace(/\.json$/, '.safetensors')));
      try {
        for (const hooks of ['all', 'pattern']) {
          const { output, cache } = runWithCache(model, { ids: meta.input_ids, typeIds: meta.token_type_ids }, { hooks });
          for (const key of expected.names()) {
            const got = key === 'logits' ? output.logits : key === 'last_hidden_state' ? output.lastHidden : cache.has(key) ? cache.get(key) : undefined;
            if (!got) continue;
            assertClose(got, expected.tensor(key), meta.tolerance, `${variant}/${file} (${hooks}) ${key}`);
            compared++;
          }
        }
      } finally {
        expected.close();
      }
    }
  }
  assert.ok(compared > 300, `only ${compared} tensors compared`);
});

test('fast: one row of a 2048-token input needs O(T) memory, not H·T²', async () => {
  await useFastKernels({ threads: 2 });
  const [T, H, D] = [2048, 4, 16];
  const q = randomTensor([T, H * D], 7), k = randomTensor([T, H * D], 8), v = randomTensor([T, H * D], 9);
  const before = wasmMemoryBytes();
  const { pattern } = ops.attention(q, k, v, { heads: H, scale: 0.25, causal: true, rows: [T - 1] });
  const grown = wasmMemoryBytes() - before;
  assert.deepEqual([...pattern!.shape], [H, 1, T]);
  // q, k, v, z, packed keys: 5·T·H·D floats (2.5 MiB); the full pattern would be H·T² floats (64 MiB)
  assert.ok(grown < 16 * 2 ** 20, `wasm memory grew by ${(grown / 2 ** 20).toFixed(1)} MiB`);
  const want = ops.attention(q, k, v, { heads: H, scale: 0.25, causal: true, rows: [T - 1] });
  await useReferenceKernels();
  assertClose(pattern!, ops.attention(q, k, v, { heads: H, scale: 0.25, causal: true, rows: [T - 1] }).pattern!, 1e-6, 'row T−1');
  assertSameBits(pattern!, want.pattern!, 'the same call twice');
});
