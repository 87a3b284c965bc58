// Tests for writeSafetensors: byte-exact output (checked by hand and against files written by the
// safetensors crate), round trips in F32/F16/BF16, atomic writes and refusal to overwrite.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Tensor } from '../../src/engine/tensor.js';
import { CheckpointError, FileError, UnsupportedError } from '../../src/errors.js';
import { f16BitsToF32, f32ToF16Bits } from '../../src/io/dtypes.js';
import { SafetensorsFile, writeSafetensors } from '../../src/io/safetensors.js';
import { f32le, hex, tempDir } from './helpers.js';

const dir = tempDir();

function tensors(): Record<string, Tensor> {
  // inserted out of order on purpose: the writer sorts
  return { b: Tensor.from([0, 1, 2, 3, 4, 5], [2, 3]), a: Tensor.from([1.5, -2, 0.25, 3], [4]) };
}

describe('writeSafetensors output bytes', () => {
  it('lays out the header as the format says (checked by hand)', () => {
    const path = join(dir, 'hand.safetensors');
    writeSafetensors(path, tensors(), { metadata: { format: 'pt' } });
    const bytes = fs.readFileSync(path);
    const n = Number(bytes.readBigUInt64LE(0));
    assert.equal(n % 8, 0, 'header length is a multiple of 8');
    const text = bytes.subarray(8, 8 + n).toString('utf8');
    const json = '{"__metadata__":{"format":"pt"},"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},"b":{"dtype":"F32","shape":[2,3],"data_offsets":[16,40]}}';
    assert.equal(text, json.padEnd(n, ' '), 'compact JSON, sorted names, padded with spaces');
    assert.ok(n - json.length < 8);
    assert.deepEqual(new Uint8Array(bytes.subarray(8 + n)), f32le([1.5, -2, 0.25, 3, 0, 1, 2, 3, 4, 5]));
  });

  it('matches the bytes the safetensors crate (0.8.0, via safetensors.numpy.save) writes, F32 with metadata', () => {
    const golden = hex(
      '90000000000000007b225f5f6d657461646174615f5f223a7b22666f726d6174223a227074227d2c2261223a7b226474797065223a22463332222c2273' +
        '68617065223a5b345d2c22646174615f6f666673657473223a5b302c31365d7d2c2262223a7b226474797065223a22463332222c227368617065223a' +
        '5b322c335d2c22646174615f6f666673657473223a5b31362c34305d7d7d200000c03f000000c00000803e00004040000000000000803f0000004000' +
        '004040000080400000a040',
    );
    const path = join(dir, 'golden-f32.safetensors');
    writeSafetensors(path, tensors(), { metadata: { format: 'pt' } });
    assert.deepEqual(new Uint8Array(fs.readFileSync(path)), golden);
  });

  it('matches the crate byte for byte in F16, including numpy\'s round-to-nearest-even', () => {
    // numpy: x.astype(float16) for x below, then safetensors.numpy.save({'x': ..., 'y': ...})
    const golden = hex(
      '78000000000000007b2278223a7b226474797065223a22463136222c227368617065223a5b31325d2c22646174615f6f666673657473223a5b302c32' +
        '345d7d2c2279223a7b226474797065223a22463136222c227368617065223a5b322c325d2c22646174615f6f666673657473223a5b32342c33325d7d' +
        '7d20202020202020003c003c023cff7b007c000002000080007c00fc662e00000038004000c20064',
    );
    const x = [1, 1 + 2 ** -11, 1 + 3 * 2 ** -11, 65519, 65520, 2 ** -25, 3 * 2 ** -25, -0, Infinity, -Infinity, 0.1, 1e-10];
    const path = join(dir, 'golden-f16.safetensors');
    writeSafetensors(path, { y: Tensor.from([0.5, 2, -3, 1024], [2, 2]), x: Tensor.from(x, [12]) }, { dtype: 'F16' });
    assert.deepEqual(new Uint8Array(fs.readFileSync(path)), golden);
  });

  it('is deterministic: same tensors in any insertion order give the same bytes', () => {
    const p1 = join(dir, 'det1.safetensors');
    const p2 = join(dir, 'det2.safetensors');
    const t = tensors();
    writeSafetensors(p1, t, { metadata: { z: '1', a: '2' } });
    writeSafetensors(p2, { a: t.a, b: t.b }, { metadata: { a: '2', z: '1' } });
    assert.deepEqual(fs.readFileSync(p1), fs.readFileSync(p2));
  });
});

describe('round trips', () => {
  it('F32 keeps every value bit for bit (NaN, ±Inf, -0, subnormals)', () => {
    const values = Float32Array.from([0, -0, 1, -1.5, 3.4028234663852886e38, 1e-45, 1e-40, Infinity, -Infinity, NaN, Math.PI]);
    const path = join(dir, 'rt-f32.safetensors');
    writeSafetensors(path, { v: new Tensor(values, [11]), s: Tensor.from([42], []), e: Tensor.zeros([2, 0]) });
    const f = SafetensorsFile.open(path);
    try {
      assert.deepEqual(new Uint32Array(f.tensor('v').data.buffer), new Uint32Array(values.buffer));
      assert.deepEqual(f.tensor('s').shape, []);
      assert.equal(f.tensor('s').data[0], 42);
      assert.deepEqual(f.tensor('e').shape, [2, 0]);
      assert.deepEqual(f.metadata, {});
    } finally {
      f.close();
    }
  });

  it('F16 keeps representable values exact and rounds the rest to nearest even', () => {
    const exact = [0, -0, 1, -2, 0.5, 65504, 2 ** -14, 2 ** -24, 1023 * 2 ** -24, Infinity, -Infinity, 0.333251953125];
    const inexact = [0.1, 1 + 2 ** -11, 70000, 1e-10];
    const path = join(dir, 'rt-f16.safetensors');
    writeSafetensors(path, { w: Tensor.from([...exact, ...inexact, NaN], [17]) }, { dtype: 'F16' });
    const f = SafetensorsFile.open(path);
    try {
      assert.equal(f.info('w').dtype, 'F16');
      const got = [...f.tensor('w').data];
      assert.deepEqual(got.slice(0, exact.length), exact);
      assert.ok(Object.is(got[1], -0));
      assert.deepEqual(got.slice(exact.length, -1), [0.0999755859375, 1, Infinity, 0]);
      assert.deepEqual(got.slice(exact.length, -1), inexact.map((v) => f16BitsToF32(f32ToF16Bits(v))));
      assert.ok(Number.isNaN(got[got.length - 1]));
    } finally {
      f.close();
    }
  });

  it('BF16 keeps representable values exact and rounds the rest to nearest even', () => {
    const exact = [0, -0, 1, -1.5, 3.140625, 2 ** -133, 2 ** 127, Infinity, -Infinity];
    const path = join(dir, 'rt-bf16.safetensors');
    writeSafetensors(path, { w: Tensor.from([...exact, 0.1, 1 + 2 ** -8, NaN], [12]) }, { dtype: 'BF16' });
    const f = SafetensorsFile.open(path);
    try {
      assert.equal(f.info('w').byteLength, 24);
      const got = [...f.tensor('w').data];
      assert.deepEqual(got.slice(0, exact.length), exact);
      assert.deepEqual(got.slice(exact.length, -1), [0.10009765625, 1]);
      assert.ok(Number.isNaN(got[got.length - 1]));
    } finally {
      f.close();
    }
  });

  it('writes tensors that are views into a larger buffer', () => {
    const big = Tensor.from([9, 9, 1, 2, 3, 4, 9], [7]);
    const view = new Tensor(big.data.subarray(2, 6), [2, 2]);
    const path = join(dir, 'view.safetensors');
    writeSafetensors(path, { v: view });
    const f = SafetensorsFile.open(path);
    assert.deepEqual([...f.tensor('v').data], [1, 2, 3, 4]);
    f.close();
  });
});

describe('writing safely', () => {
  it('refuses to overwrite an existing file unless overwrite: true', () => {
    const path = join(dir, 'exists.safetensors');
    writeSafetensors(path, { a: Tensor.from([1], [1]) });
    const before = fs.readFileSync(path);
    assert.throws(
      () => writeSafetensors(path, { a: Tensor.from([2], [1]) }),
      (e: Error) => e instanceof FileError && e.message.includes(path) && /already exists/.test(e.message) && /overwrite: true/.test(e.message),
    );
    assert.deepEqual(fs.readFileSync(path), before, 'the existing file is untouched');
    writeSafetensors(path, { a: Tensor.from([2], [1]) }, { overwrite: true });
    const f = SafetensorsFile.open(path);
    assert.deepEqual([...f.tensor('a').data], [2]);
    f.close();
  });

  it('leaves no temporary files behind, on success or failure', () => {
    const sub = fs.mkdtempSync(join(dir, 'clean-'));
    writeSafetensors(join(sub, 'm.safetensors'), tensors());
    assert.throws(() => writeSafetensors(join(sub, 'm.safetensors'), tensors()), FileError);
    assert.deepEqual(fs.readdirSync(sub), ['m.safetensors']);
  });

  it('explains a missing folder, a folder in the way, a bad dtype and a bad name', () => {
    const missing = join(dir, 'no-such-folder', 'm.safetensors');
    assert.throws(() => writeSafetensors(missing, tensors()), (e: Error) => e instanceof FileError && /does not exist; create it first/.test(e.message));
    assert.throws(() => writeSafetensors(dir, tensors()), (e: Error) => e instanceof FileError && /is a folder/.test(e.message));
    assert.throws(
      () => writeSafetensors(join(dir, 'x.safetensors'), tensors(), { dtype: 'F64' as 'F32' }),
      (e: Error) => e instanceof UnsupportedError && /F32, F16, BF16/.test(e.message),
    );
    assert.throws(() => writeSafetensors(join(dir, 'y.safetensors'), { __metadata__: Tensor.from([1], [1]) }), CheckpointError);
    assert.ok(!fs.existsSync(join(dir, 'x.safetensors')) && !fs.existsSync(join(dir, 'y.safetensors')));
  });
});
