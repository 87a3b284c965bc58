// Tests for SafetensorsFile: a file built byte by byte in the test (not by attn's writer) reads back
// correctly, tensors are read lazily (only the requested bytes), and the API's edge cases.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { describe, it, mock } from 'node:test';
import { SafetensorsFile } from '../../src/io/safetensors.js';
import { CheckpointError, FileError, UnsupportedError } from '../../src/errors.js';
import { buildFile, concat, f32le, put, tempDir, u16le } from './helpers.js';

const dir = tempDir();

/** A hand-built file: F16 first (6 bytes) so the F32 tensor after it is not 4-byte aligned in the file. */
function handBuilt(): string {
  const data = concat(
    u16le([0x3c00, 0xc000, 0x7c00]), // "half" F16 [3]: 1, -2, Inf                        bytes 0..6
    f32le([1.5, -0, 3.25, 1e-40, -7, 0.1]), // "w" F32 [2, 3]                               bytes 6..30
    u16le([0x3f80, 0xbfc0]), // "bf" BF16 [2]: 1, -1.5                                       bytes 30..34
    new Uint8Array(new Float64Array([Math.PI]).buffer), // "d" F64 [] (scalar)               bytes 34..42
    new Uint8Array(new BigInt64Array([5n, -1n]).buffer), // "ids" I64 [1, 2]                 bytes 42..58
  );
  // Deliberately unpadded and in a non-sorted key order: readers must not depend on either.
  const header =
    '{"w":{"dtype":"F32","shape":[2,3],"data_offsets":[6,30]},' +
    '"half":{"dtype":"F16","shape":[3],"data_offsets":[0,6]},' +
    '"__metadata__":{"format":"pt","note":"hand-built"},' +
    '"bf":{"dtype":"BF16","shape":[2],"data_offsets":[30,34]},' +
    '"d":{"dtype":"F64","shape":[],"data_offsets":[34,42]},' +
    '"ids":{"dtype":"I64","shape":[1,2],"data_offsets":[42,58]},' +
    '"empty":{"dtype":"F32","shape":[0,4],"data_offsets":[58,58]}}';
  return put(dir, 'hand.safetensors', buildFile(header, data));
}

describe('SafetensorsFile on a hand-built file', () => {
  const path = handBuilt();

  it('lists names (sorted), metadata and infos', () => {
    const f = SafetensorsFile.open(path);
    try {
      assert.deepEqual(f.names(), ['bf', 'd', 'empty', 'half', 'ids', 'w']);
      assert.deepEqual(f.metadata, { format: 'pt', note: 'hand-built' });
      const w = f.info('w');
      assert.equal(w.dtype, 'F32');
      assert.deepEqual(w.shape, [2, 3]);
      assert.equal(w.byteLength, 24);
      assert.equal(w.numel, 6);
      assert.deepEqual(w.offsets, [6, 30]);
      assert.equal(f.info('d').numel, 1);
      assert.ok(f.has('ids') && !f.has('nope'));
    } finally {
      f.close();
    }
  });

  it('reads F32 (unaligned in the file), F16, BF16, F64 and empty tensors as float32', () => {
    const f = SafetensorsFile.open(path);
    try {
      const w = f.tensor('w');
      assert.deepEqual(w.shape, [2, 3]);
      assert.deepEqual([...w.data], [...Float32Array.from([1.5, -0, 3.25, 1e-40, -7, 0.1])]);
      assert.ok(Object.is(w.data[1], -0));
      assert.deepEqual([...f.tensor('half').data], [1, -2, Infinity]);
      assert.deepEqual([...f.tensor('bf').data], [1, -1.5]);
      const d = f.tensor('d');
      assert.deepEqual(d.shape, []);
      assert.equal(d.data[0], Math.fround(Math.PI));
      const e = f.tensor('empty');
      assert.deepEqual(e.shape, [0, 4]);
      assert.equal(e.data.length, 0);
    } finally {
      f.close();
    }
  });

  it('refuses integer tensors as numbers but gives their raw bytes', () => {
    const f = SafetensorsFile.open(path);
    try {
      assert.throws(
        () => f.tensor('ids'),
        (e: Error) => e instanceof UnsupportedError && /"ids"/.test(e.message) && /I64/.test(e.message) && /rawBytes/.test(e.message),
      );
      const raw = f.rawBytes('ids');
      assert.equal(raw.length, 16);
      assert.deepEqual([...new BigInt64Array(raw.slice().buffer)], [5n, -1n]);
    } finally {
      f.close();
    }
  });

  it('names similar tensors when one is missing', () => {
    const f = SafetensorsFile.open(path);
    try {
      assert.throws(
        () => f.tensor('h.0.w'),
        (e: Error) => e instanceof CheckpointError && e.message.includes('"h.0.w"') && e.message.includes(path) && /similar names: w/.test(e.message),
      );
    } finally {
      f.close();
    }
  });

  it('throws FileError after close, and close twice is harmless', () => {
    const f = SafetensorsFile.open(path);
    f.close();
    f.close();
    assert.throws(() => f.tensor('w'), (e: Error) => e instanceof FileError && /closed/.test(e.message));
  });
});

describe('lazy reads', () => {
  const N = 1 << 20; // 4 MiB of float32
  const header =
    '{"small":{"dtype":"F32","shape":[4],"data_offsets":[0,16]},' + `"big":{"dtype":"F32","shape":[${N}],"data_offsets":[16,${16 + 4 * N}]}}`;
  const big = new Float32Array(N).fill(7);
  const bytes = buildFile(header, concat(f32le([1, 2, 3, 4]), new Uint8Array(big.buffer)));

  it('reads the header at open and only the requested tensor after', () => {
    const path = put(dir, 'lazy.safetensors', bytes);
    const spy = mock.method(fs, 'readSync');
    try {
      const f = SafetensorsFile.open(path);
      const readBytes = () => spy.mock.calls.reduce((n, c) => n + (c.result as number), 0);
      assert.equal(readBytes(), 8 + header.length, 'open reads only the length prefix and the header');
      assert.deepEqual([...f.tensor('small').data], [1, 2, 3, 4]);
      assert.equal(readBytes(), 8 + header.length + 16, 'reading "small" reads its 16 bytes, not "big"');
      assert.equal(f.tensor('big').data[N - 1], 7);
      f.close();
    } finally {
      spy.mock.restore();
    }
  });

  it('still reads one tensor when another tensor\'s bytes are gone', () => {
    const path = put(dir, 'cut.safetensors', bytes);
    const f = SafetensorsFile.open(path);
    try {
      fs.truncateSync(path, 8 + header.length + 16 + 100); // cut "big" after the file was opened
      assert.deepEqual([...f.tensor('small').data], [1, 2, 3, 4]);
      assert.throws(
        () => f.tensor('big'),
        (e: Error) => e instanceof CheckpointError && /"big"/.test(e.message) && /truncated/.test(e.message) && e.message.includes(path),
      );
    } finally {
      f.close();
    }
  });
});
