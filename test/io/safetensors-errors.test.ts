// Tests that every malformed safetensors header is refused at open with a CheckpointError naming the
// file and the problem, and that unreadable paths give a FileError.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SafetensorsFile } from '../../src/io/safetensors.js';
import { CheckpointError, FileError } from '../../src/errors.js';
import { buildFile, put, tempDir } from './helpers.js';

const dir = tempDir();
let counter = 0;

/** Opens the given bytes as a file and expects a CheckpointError whose message matches every pattern. */
function rejects(bytes: Uint8Array, ...patterns: RegExp[]): void {
  const path = put(dir, `bad-${counter++}.safetensors`, bytes);
  assert.throws(
    () => SafetensorsFile.open(path),
    (e: Error) => {
      assert.ok(e instanceof CheckpointError, `expected CheckpointError, got ${e.name}: ${e.message}`);
      assert.ok(e.message.includes(path), `message should name the file: ${e.message}`);
      for (const p of patterns) assert.match(e.message, p);
      return true;
    },
  );
}

const entry = (dtype: string, shape: unknown, offsets: unknown) => JSON.stringify({ dtype, shape, data_offsets: offsets });
const zeros = (n: number) => new Uint8Array(n);

describe('bad safetensors headers', () => {
  it('an empty file', () => rejects(new Uint8Array(0), /0 bytes long/, /8-byte header length/));
  it('a file shorter than the length prefix', () => rejects(new Uint8Array(5), /5 bytes long/));
  it('a header length beyond the file', () => rejects(buildFile('{}', zeros(0), 1000n), /header length of 1000 bytes/, /only 2 bytes/));
  it('an absurd header length (2^63)', () => rejects(buildFile('{}', zeros(0), 1n << 63n), /header length of 9223372036854775808/));
  it('a header length of zero', () => rejects(buildFile('', zeros(4)), /too short/));
  it('a header that is not JSON', () => rejects(buildFile('{"a": nope}'), /not valid JSON/, /"\{\\"a\\": nope\}"/));
  it('a header that is not UTF-8', () => rejects(buildFile('{}').map((b, i) => (i === 9 ? 0xff : b)), /UTF-8/));
  it('a header that is a JSON array', () => rejects(buildFile('[1, 2]'), /must be a JSON object/, /an array/));
  it('a header that is a JSON string', () => rejects(buildFile('"hello"'), /must be a JSON object/, /string "hello"/));
  it('a header that is null', () => rejects(buildFile('null'), /must be a JSON object/, /null/));
  it('a tensor entry that is not an object', () => rejects(buildFile('{"w": 3}'), /tensor "w"/, /\{dtype, shape, data_offsets\}/));

  it('an unknown dtype, naming the tensor and listing the known ones', () =>
    rejects(buildFile(`{"h.0.w":${entry('F12', [2], [0, 4])}}`, zeros(4)), /tensor "h.0.w"/, /"F12"/, /Known dtypes: .*BF16.*F32/, /Convert/));

  it('a missing dtype', () => rejects(buildFile(`{"w":{"shape":[1],"data_offsets":[0,4]}}`, zeros(4)), /dtype undefined/));
  it('a negative dimension', () => rejects(buildFile(`{"w":${entry('F32', [-1, 2], [0, 8])}}`, zeros(8)), /tensor "w"/, /shape \[-1,2\]/, /non-negative integers/));
  it('a fractional dimension', () => rejects(buildFile(`{"w":${entry('F32', [1.5], [0, 4])}}`, zeros(4)), /shape \[1.5\]/));
  it('a shape that is not a list', () => rejects(buildFile(`{"w":${entry('F32', '3', [0, 12])}}`, zeros(12)), /shape "3"/));
  it('offsets that are not a pair', () => rejects(buildFile(`{"w":${entry('F32', [1], [0])}}`, zeros(4)), /data_offsets \[0\]/, /\[begin, end\]/));
  it('negative offsets', () => rejects(buildFile(`{"w":${entry('F32', [1], [-4, 0])}}`, zeros(4)), /data_offsets \[-4,0\]/));
  it('begin after end', () => rejects(buildFile(`{"w":${entry('F32', [0], [8, 4])}}`, zeros(8)), /begin is after end/));
  it('offsets past the data section', () =>
    rejects(buildFile(`{"w":${entry('F32', [4], [0, 16])}}`, zeros(12)), /tensor "w"/, /\[0, 16\]/, /past the end of the data section \(12 bytes\)/));
  it('a size that does not match shape × dtype', () =>
    rejects(buildFile(`{"w":${entry('F16', [2, 3], [0, 24])}}`, zeros(24)), /tensor "w"/, /24 bytes/, /6 × 2 = 12 bytes/));
  it('overlapping tensors', () =>
    rejects(
      buildFile(`{"a":${entry('F32', [4], [0, 16])},"b":${entry('F32', [2], [8, 16])}}`, zeros(16)),
      /"a" \(bytes \[0, 16\]\)/,
      /"b" \(bytes \[8, 16\]\)/,
      /overlap/,
    ));
  it('metadata that is not an object', () => rejects(buildFile('{"__metadata__":[1]}'), /__metadata__/));
  it('metadata with a non-string value', () => rejects(buildFile('{"__metadata__":{"step":3}}'), /"step"/, /must be a string/));
  it('says what to do', () => rejects(new Uint8Array(3), /download or save it again/));
});

describe('unreadable paths', () => {
  it('a missing file gives FileError', () => {
    const p = join(dir, 'nope.safetensors');
    assert.throws(() => SafetensorsFile.open(p), (e: Error) => e instanceof FileError && e.message.includes(p) && /does not exist/.test(e.message));
  });
  it('a folder gives FileError', () => {
    const sub = join(dir, 'folder.safetensors');
    fs.mkdirSync(sub);
    assert.throws(() => SafetensorsFile.open(sub), (e: Error) => e instanceof FileError && /is a folder/.test(e.message));
  });
  it('accepts the smallest valid file, "{}" with no tensors', () => {
    const f = SafetensorsFile.open(put(dir, 'empty.safetensors', buildFile('{}')));
    assert.deepEqual(f.names(), []);
    f.close();
  });
});
