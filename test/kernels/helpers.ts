// Shared by the kernel tests: seeded random tensors and the largest difference between two tensors.

import assert from 'node:assert/strict';
import { Tensor } from '../../src/engine/tensor.js';

/** xorshift32 uniform values in [-scale, scale), reproducible from the seed */
export function randomTensor(shape: number[], seed: number, scale = 1): Tensor {
  let s = seed >>> 0 || 1;
  const n = shape.reduce((a, b) => a * b, 1);
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    a[i] = (s / 2 ** 32 - 0.5) * 2 * scale;
  }
  return new Tensor(a, shape);
}

/** Largest |a − b|; non-finite entries (-Infinity in masked scores) must be equal. */
export function maxDiff(got: Tensor, want: Tensor, what: string): number {
  assert.deepEqual([...got.shape], [...want.shape], `${what}: shape`);
  let worst = 0;
  for (let i = 0; i < want.size; i++) {
    const a = got.data[i], b = want.data[i];
    if (!Number.isFinite(a) || !Number.isFinite(b)) assert.equal(a, b, `${what}[${i}]`);
    else worst = Math.max(worst, Math.abs(a - b));
  }
  return worst;
}

export function assertClose(got: Tensor, want: Tensor, tol: number, what: string): void {
  const d = maxDiff(got, want, what);
  assert.ok(d <= tol, `${what}: max |fast − reference| = ${d.toExponential(2)} > ${tol}`);
}

export function assertSameBits(a: Tensor, b: Tensor, what: string): void {
  assert.deepEqual([...a.shape], [...b.shape], `${what}: shape`);
  const x = new Uint32Array(a.data.buffer, a.data.byteOffset, a.size);
  const y = new Uint32Array(b.data.buffer, b.data.byteOffset, b.size);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) assert.fail(`${what}[${i}]: ${a.data[i]} vs ${b.data[i]} (not the same bits)`);
}
