// Training data: documents from text files (and clear errors for files that are not text), the token
// stream with end-of-text markers, and the seeded batch sampler that a resumed run can replay.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AttnError } from '../../src/errors.js';
import { Tokenizer } from '../../src/tokenize/tokenizer.js';
import { BatchSampler, encodeDocuments, evalBatches, readDocuments, splitDocuments } from '../../src/train/data.js';
import { GPT2 } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'attn-data-'));
const file = (name: string, content: string | Uint8Array) => {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
};

test('documents are separated by blank lines (also with spaces, CRLF and a BOM); single newlines stay', () => {
  assert.deepEqual(splitDocuments('\uFEFFOne line.\nSame doc.\r\n\r\nSecond.\n \t\n\n\nThird.\n'), ['One line.\nSame doc.', 'Second.', 'Third.']);
  assert.deepEqual(splitDocuments('\n\n  \n'), []);
});

test('files that cannot be trained on give one clear error each', () => {
  const cases: [string, RegExp][] = [
    [file('empty.txt', '  \n\n \n'), /is empty \(no text to train on\)/],
    [file('binary.bin', new Uint8Array([0x50, 0x4b, 0x03, 0x04, 0, 0, 1, 2])), /binary file.*NUL bytes/],
    [file('latin1.txt', new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x0a])), /is not UTF-8 text.*iconv/],
    [join(dir, 'missing.txt'), /does not exist/],
    [dir, /is a folder/],
  ];
  for (const [path, pattern] of cases) {
    assert.throws(() => readDocuments(path), (e: unknown) => e instanceof AttnError && pattern.test(e.message), path);
  }
});

test('each document is followed by the end-of-text id; ids equal the tokenizer\'s own', () => {
  const tk = Tokenizer.fromFolder(GPT2);
  const eot = tk.tokenToId('<|endoftext|>')!;
  const docs = ['He sat on the bank.', 'The bank lent money.'];
  const ids = encodeDocuments(tk, docs, eot);
  assert.deepEqual([...ids], [...tk.encodeIds(docs[0]), eot, ...tk.encodeIds(docs[1]), eot]);
  assert.deepEqual(tk.encodeIds(docs[0]), tk.encode(docs[0]).ids, 'the fast path gives the same ids as encode()');
});

test('the sampler covers every window once per epoch, targets are inputs shifted by one, and batch(step) is replayable', () => {
  const tokens = Int32Array.from({ length: 1 + 10 * 8 }, (_, i) => i);
  const a = new BatchSampler(tokens, 8, 3, 7);
  assert.equal(a.windows, 10);
  const starts: number[] = [];
  for (let step = 0; step < 10; step++) {
    const b = a.batch(step);
    for (let r = 0; r < b.B; r++) {
      const ids = Array.from(b.ids).slice(r * 8, r * 8 + 8), tg = Array.from(b.targets!).slice(r * 8, r * 8 + 8);
      assert.deepEqual(tg, ids.map((x) => x + 1));
      assert.equal(ids[0] % 8, 0, 'windows start on multiples of T');
      starts.push(ids[0]);
    }
  }
  // 30 windows drawn = 3 epochs of 10: each epoch a permutation of all windows
  for (let e = 0; e < 3; e++) assert.deepEqual(starts.slice(e * 10, e * 10 + 10).sort((x, y) => x - y), Array.from({ length: 10 }, (_, i) => i * 8));
  assert.notDeepEqual(starts.slice(0, 10), starts.slice(10, 20), 'a fresh order each epoch');
  const again = new BatchSampler(tokens, 8, 3, 7);
  assert.deepEqual(Array.from(again.batch(7).ids), Array.from(a.batch(7).ids), 'a new sampler (a resumed run) draws the same batch for the same step');
  assert.notDeepEqual(Array.from(new BatchSampler(tokens, 8, 3, 8).batch(0).ids), Array.from(a.batch(0).ids), 'another seed, another order');
  assert.equal(a.epochsAfter(5), 1.5);
  assert.throws(() => new BatchSampler(Int32Array.of(1, 2, 3), 8, 1, 0), /fewer than one window/);
});

test('held-out batches: every window in order, or a few spread over the whole text', () => {
  const tokens = Int32Array.from({ length: 1 + 5 * 4 }, (_, i) => i);
  const bs = evalBatches(tokens, 4, 2);
  assert.deepEqual(bs.map((b) => b.B), [2, 2, 1]);
  assert.deepEqual(Array.from(bs[2].ids), [16, 17, 18, 19]);
  assert.deepEqual(Array.from(bs[2].targets!), [17, 18, 19, 20]);
  const long = Int32Array.from({ length: 1 + 100 * 4 }, (_, i) => i);
  const few = evalBatches(long, 4, 2, 4);
  assert.deepEqual(few.map((b) => Array.from(b.ids).filter((_, i) => i % 4 === 0)), [[0, 100], [200, 300]], 'windows 0, 25, 50, 75 of 100');
});
