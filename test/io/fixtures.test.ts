// Opens every checkpoint under test/fixtures/models/ (written by Python, see scripts/reference/) and
// checks that names, shapes and dtypes read back sensibly. Fails when the fixtures are missing.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isFloatDType } from '../../src/io/dtypes.js';
import type { Tensor } from '../../src/engine/tensor.js';
import { openModelFolder } from '../../src/io/hf-folder.js';
import { SafetensorsFile, type TensorInfo } from '../../src/io/safetensors.js';
import { FIXTURES } from '../support/paths.js';

// ATTN_FIXTURE_MODELS points the test at another folder (to try it on checkpoints before committing them).
const MODELS = process.env.ATTN_FIXTURE_MODELS ?? join(FIXTURES, 'models');

/** Folders under MODELS (any depth) holding config.json, and loose .safetensors files outside such folders. */
function discover(dir: string, folders: string[] = [], files: string[] = []): { folders: string[]; files: string[] } {
  if (!fs.existsSync(dir)) return { folders, files };
  const entries = fs.readdirSync(dir, { withFileTypes: true });
  if (entries.some((e) => e.isFile() && e.name === 'config.json')) folders.push(dir);
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) discover(p, folders, files);
    else if (e.name.endsWith('.safetensors') && !folders.includes(dir)) files.push(p);
  }
  return { folders, files };
}

/** Every float tensor reads back with its header's shape and finite values; other dtypes give their bytes. */
interface Readable {
  names(): string[];
  info(name: string): TensorInfo;
  tensor(name: string): Tensor;
  rawBytes(name: string): Uint8Array;
}

function checkStore(w: Readable, where: string): void {
  const names = w.names();
  assert.ok(names.length > 0, `${where} holds no tensors`);
  for (const name of names) {
    const info = w.info(name);
    assert.ok(info.shape.every((d) => Number.isInteger(d) && d >= 0), `${where}: ${name} shape [${info.shape}]`);
    if (!isFloatDType(info.dtype)) {
      assert.equal(w.rawBytes(name).length, info.byteLength);
      continue;
    }
    const t = w.tensor(name);
    assert.deepEqual(t.shape, info.shape, `${where}: ${name}`);
    // Weights are finite; masks (e.g. GPT-2's attn.bias buffer) may hold ±Inf but never NaN.
    for (const v of t.data) assert.ok(!Number.isNaN(v), `${where}: ${name} holds NaN`);
  }
}

const { folders, files } = discover(MODELS);

describe('Python-written fixture checkpoints', () => {
  if (folders.length === 0 && files.length === 0) {
    it('fixture checkpoints exist', () => assert.fail(`no fixture checkpoints under ${MODELS}: regenerate them with scripts/reference/make_fixtures.sh`));
    return;
  }
  for (const dir of folders) {
    it(`model folder ${dir.slice(MODELS.length + 1)}`, () => {
      const m = openModelFolder(dir);
      try {
        assert.equal(typeof m.config, 'object');
        checkStore(m.weights, dir);
        // A dtype named in config.json (torch_dtype / dtype) should be the dtype of the stored floats.
        const declared = String(m.config.torch_dtype ?? m.config.dtype ?? '');
        const expected = { float32: 'F32', float16: 'F16', bfloat16: 'BF16' }[declared];
        if (expected) {
          const floats = m.weights.names().map((n) => m.weights.info(n).dtype).filter((d) => isFloatDType(d));
          assert.ok(floats.includes(expected as never), `${dir}: config says ${declared}, tensors are ${[...new Set(floats)]}`);
        }
      } finally {
        m.weights.close();
      }
    });
  }
  for (const file of files) {
    it(`safetensors file ${file.slice(MODELS.length + 1)}`, () => {
      const f = SafetensorsFile.open(file);
      try {
        checkStore(f, file);
      } finally {
        f.close();
      }
    });
  }
});
