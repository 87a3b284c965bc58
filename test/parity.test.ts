// Parity with the independent PyTorch reference (scripts/reference/): for every fixture model and case,
// the logits (or last hidden state), every hook and every per-head parameter match to the case's stated
// tolerance (1e-4 absolute, fp32). F16/BF16/sharded/legacy-named checkpoints are separate fixtures.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SafetensorsFile } from '../src/io/safetensors.js';
import { openModelFolder } from '../src/io/hf-folder.js';
import { buildModel } from '../src/models/build.js';
import { runWithCache } from '../src/interpret/run.js';
import { Tokenizer } from '../src/tokenize/tokenizer.js';
import type { Tensor } from '../src/engine/tensor.js';
import { FIXTURES, referenceCases, referenceModelDir } from './support/paths.js';

const REF = join(FIXTURES, 'reference');

interface CaseMeta {
  text: string | null;
  input_ids: number[];
  token_type_ids: number[];
  tolerance: number;
  /** false: the file holds only the output and the patterns (long cases of variant folders, for size) */
  complete: boolean;
  /** false: a complete file without the per-head weights W_Q, b_Q, … (the built-in model's, for size) */
  weights?: boolean;
}

/** Largest |a - b| over all entries; -Infinity must meet -Infinity exactly. */
export function maxAbsDiff(name: string, got: Tensor, want: Tensor): number {
  assert.deepEqual([...got.shape], [...want.shape], `${name}: shape`);
  let worst = 0;
  for (let i = 0; i < want.size; i++) {
    const a = got.data[i], b = want.data[i];
    if (!Number.isFinite(b) || !Number.isFinite(a)) {
      assert.equal(a, b, `${name}[${i}]: ${a} vs ${b}`);
      continue;
    }
    worst = Math.max(worst, Math.abs(a - b));
  }
  return worst;
}

const variants = existsSync(REF) ? readdirSync(REF).sort() : [];

test('reference fixtures exist for GPT-2 and BERT in F32, F16, BF16 and sharded form', () => {
  for (const v of ['gpt2-tiny', 'gpt2-tiny-base', 'gpt2-tiny-f16', 'gpt2-tiny-bf16', 'gpt2-tiny-sharded', 'bert-tiny', 'bert-tiny-base', 'bert-tiny-legacy']) {
    assert.ok(variants.includes(v), `missing fixture ${v}: regenerate with scripts/reference/make_fixtures.sh`);
  }
});

for (const variant of variants) {
  test(`parity with PyTorch: ${variant}`, () => {
    const dir = referenceModelDir(variant);
    const folder = openModelFolder(dir);
    const model = buildModel(folder.config, folder.weights);
    folder.weights.close();
    const tokenizer = Tokenizer.fromFolder(dir);
    const cases = referenceCases(variant);
    assert.ok(cases.length > 0, 'no cases');
    for (const file of cases) {
      const meta = JSON.parse(readFileSync(join(REF, variant, file), 'utf8')) as CaseMeta;
      const name = `${variant}/${file.replace(/\.json$/, '')}`;
      if (meta.text !== null) {
        const enc = tokenizer.encode(meta.text);
        assert.deepEqual(enc.ids, meta.input_ids, `${name}: tokenizer ids`);
      }
      const { output, cache } = runWithCache(model, { ids: meta.input_ids, typeIds: meta.token_type_ids }, { hooks: 'all,W_Q,W_K,W_V,W_O,b_Q,b_K,b_V,b_O' });
      const expected = SafetensorsFile.open(join(REF, variant, file.replace(/\.json$/, '.safetensors')));
      try {
        let compared = 0;
        for (const key of expected.names()) {
          const want = expected.tensor(key);
          const got = key === 'logits' ? output.logits : key === 'last_hidden_state' ? output.lastHidden : cache.get(key);
          assert.ok(got, `${name}: attn has no ${key}`);
          const d = maxAbsDiff(`${name} ${key}`, got, want);
          assert.ok(d <= meta.tolerance, `${name} ${key}: max |attn − torch| = ${d.toExponential(2)} > ${meta.tolerance}`);
          compared++;
        }
        // every hook attn produced must have been checked: nothing escapes the comparison
        const isWeight = (key: string) => /\.(W|b)_[QKVO]$/.test(key);
        if (meta.complete) {
          for (const key of cache.names()) {
            if (meta.weights === false && isWeight(key)) continue;
            assert.ok(expected.names().includes(key), `${name}: the reference lacks ${key}`);
          }
        }
        assert.ok(expected.names().includes(output.kind === 'hidden' ? 'last_hidden_state' : 'logits'), `${name}: reference output present`);
        assert.ok(compared >= (meta.complete ? 40 : 1 + model.config.nLayers), `${name}: only ${compared} tensors compared`);
      } finally {
        expected.close();
      }
    }
  });
}
