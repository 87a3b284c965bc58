// Reference ops against hand-computed values and naive loops; the registry's dispatch and fallback.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Tensor } from './tensor.js';
import * as ops from './ops.js';
import { erfc } from './reference/elementwise.js';
import { kernelBackend, registerKernel, setBackendOrder } from './registry.js';
import { ShapeError } from '../errors.js';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
}
const rand = (shape: number[], r: () => number) => Tensor.from(Array.from({ length: shape.reduce((a, b) => a * b, 1) }, r), shape);
const close = (a: number, b: number, tol: number, what: string) => assert.ok(Math.abs(a - b) <= tol, `${what}: ${a} vs ${b}`);

test('linear matches a naive triple loop on odd shapes, with and without bias', () => {
  const r = rng(1);
  for (const [M, K, N] of [[1, 1, 1], [1, 7, 5], [5, 3, 9], [13, 17, 70], [4, 64, 4], [67, 33, 129]]) {
    const a = rand([M, K], r), w = rand([N, K], r), b = rand([N], r);
    const y = ops.linear(a, w, b);
    assert.deepEqual(y.shape, [M, N]);
    for (let m = 0; m < M; m++) for (let n = 0; n < N; n++) {
      let s = b.data[n];
      for (let k = 0; k < K; k++) s += a.data[m * K + k] * w.data[n * K + k];
      close(y.data[m * N + n], s, 1e-5, `[${M},${K},${N}] at ${m},${n}`);
    }
  }
});

test('matmul and transpose agree with linear', () => {
  const r = rng(2);
  const a = rand([6, 5], r), b = rand([5, 7], r);
  const y = ops.matmul(a, b);
  for (let m = 0; m < 6; m++) for (let n = 0; n < 7; n++) {
    let s = 0;
    for (let k = 0; k < 5; k++) s += a.at(m, k) * b.at(k, n);
    close(y.at(m, n), s, 1e-6, 'matmul');
  }
  assert.throws(() => ops.matmul(a, a), ShapeError);
});

test('layerNorm: hand-computed row', () => {
  const x = Tensor.from([1, 2, 3, 4], [1, 4]);
  const y = ops.layerNorm(x, Tensor.from([1, 1, 2, 1], [4]), Tensor.from([0, 0, 0, 1], [4]), 0);
  const sd = Math.sqrt(1.25);
  [-1.5 / sd, -0.5 / sd, (2 * 0.5) / sd, 1.5 / sd + 1].forEach((v, i) => close(y.data[i], v, 1e-6, `ln ${i}`));
});

test('softmax: rows sum to 1, -Infinity gets 0, fully masked rows are 0, large values are stable', () => {
  const y = ops.softmax(Tensor.from([0, Math.log(3), -Infinity, 1000, 1000, -Infinity, -Infinity, -Infinity, -Infinity], [3, 3]));
  close(y.data[0], 0.25, 1e-7, 'p0');
  close(y.data[1], 0.75, 1e-7, 'p1');
  assert.equal(y.data[2], 0);
  close(y.data[3], 0.5, 1e-7, 'stable');
  assert.deepEqual([...y.data.subarray(6)], [0, 0, 0]);
});

test('gelu: exact and tanh forms at known points', () => {
  const y = ops.gelu(Tensor.from([-3, -1, 0, 1, 2.5], [5]), 'exact');
  // 0.5·x·(1+erf(x/√2)), values from Python math.erf
  [-0.004049694, -0.158655254, 0, 0.841344746, 2.484475837].forEach((v, i) => close(y.data[i], v, 2e-7, `gelu ${i}`));
  const t = ops.gelu(Tensor.from([1, -2], [2]), 'tanh');
  close(t.data[0], 0.841191990608276, 1e-7, 'tanh 1');
  close(t.data[1], -0.045402305, 1e-7, 'tanh -2');
});

test('erfc: known values', () => {
  close(erfc(0), 1, 1e-7, 'erfc 0');
  close(erfc(0.5), 0.4795001221869535, 1e-7, 'erfc 0.5');
  close(erfc(-1), 1.8427007929497148, 1e-7, 'erfc -1');
  close(erfc(3), 2.209049699858544e-5, 1e-11, 'erfc 3');
});

test('causalMask hides future keys, including when S > T', () => {
  const s = ops.causalMask(Tensor.zeros([1, 3, 3]));
  assert.deepEqual([...s.data], [0, -Infinity, -Infinity, 0, 0, -Infinity, 0, 0, 0]);
  const s2 = ops.causalMask(Tensor.zeros([1, 1, 3]));
  assert.deepEqual([...s2.data], [0, 0, 0]);
});

test('embedding picks rows and rejects out-of-range ids', () => {
  const table = Tensor.from([0, 1, 10, 11, 20, 21], [3, 2]);
  assert.deepEqual([...ops.embedding(table, [2, 0]).data], [20, 21, 0, 1]);
  assert.throws(() => ops.embedding(table, [3]), /outside the table's 3 rows/);
});

test('splitHeads and mergeHeads are inverses', () => {
  const x = rand([5, 12], rng(3));
  const h = ops.splitHeads(x, 3);
  assert.deepEqual(h.shape, [3, 5, 4]);
  assert.equal(h.at(2, 1, 3), x.at(1, 11));
  assert.deepEqual([...ops.mergeHeads(h).data], [...x.data]);
});

test('registry: a preferred backend replaces an op and others fall back to reference', () => {
  let calls = 0;
  registerKernel({ kernelName: 'scale', backendName: 'test-double', kernelFunc: (a, s) => { calls++; return new Tensor(a.data.map((v) => v * s * 2), a.shape); } });
  setBackendOrder(['test-double']);
  try {
    assert.equal(kernelBackend('scale'), 'test-double');
    assert.equal(kernelBackend('add'), 'reference');
    assert.deepEqual([...ops.scale(Tensor.from([1], [1]), 3).data], [6]);
    assert.equal(calls, 1);
  } finally {
    setBackendOrder(['reference']);
  }
  assert.deepEqual([...ops.scale(Tensor.from([1], [1]), 3).data], [3]);
});

test('Tensor checks its shape', () => {
  assert.throws(() => new Tensor(new Float32Array(3), [2, 2]), /has 3 values but shape \[2, 2\] needs 4/);
  assert.throws(() => Tensor.zeros([2, -1]), ShapeError);
});
