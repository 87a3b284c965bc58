// The CLI's kernel settings: --threads and ATTN_THREADS / ATTN_KERNELS, the messages for bad values, and
// the same numbers from the fast kernels as from the reference ops through the real command.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kernelSettings } from '../../src/cli/kernels.js';
import { attn } from '../support/cli.js';

test('kernel settings: --threads is taken out of the arguments; the environment gives defaults', () => {
  assert.deepEqual(kernelSettings(['trace', 'x', '--threads', '3', '--verbose'], {}), { argv: ['trace', 'x', '--verbose'], options: { threads: 3, kernels: 'auto' } });
  assert.deepEqual(kernelSettings(['--threads=1', 'x'], { ATTN_THREADS: '4' }), { argv: ['x'], options: { threads: 1, kernels: 'auto' } });
  assert.deepEqual(kernelSettings(['x'], { ATTN_THREADS: '4', ATTN_KERNELS: 'reference' }), { argv: ['x'], options: { threads: 4, kernels: 'reference' } });
  assert.deepEqual(kernelSettings(['x', '--', '--threads', '2'], {}), { argv: ['x', '--', '--threads', '2'], options: { kernels: 'auto' } });
  assert.match((kernelSettings(['--threads', 'two'], {}) as { error: string }).error, /--threads takes a whole number/);
  assert.match((kernelSettings([], { ATTN_THREADS: '0' }) as { error: string }).error, /ATTN_THREADS takes a whole number/);
  assert.match((kernelSettings([], { ATTN_KERNELS: 'gpu' }) as { error: string }).error, /ATTN_KERNELS must be one of auto, relaxed, simd, reference/);
});

test('attn: fast kernels by default, --threads and ATTN_KERNELS=reference honoured, same numbers', () => {
  const text = 'The bank of the river';
  const fast = attn(['trace', text, '--hooks', 'pattern,z', '--threads', '2', '--verbose']);
  assert.equal(fast.code, 0, fast.err);
  assert.match(fast.err, /kernels wasm-(relaxed|simd), 2 threads/);
  const ref = attn(['trace', text, '--hooks', 'pattern,z', '--verbose'], { env: { ATTN_KERNELS: 'reference' } });
  assert.equal(ref.code, 0, ref.err);
  assert.match(ref.err, /kernels reference/);
  const numbers = (s: string) => [...s.matchAll(/-?\d+\.\d+(?:e-?\d+)?/g)].map((m) => Number(m[0]));
  const a = numbers(fast.out), b = numbers(ref.out);
  assert.equal(a.length, b.length);
  assert.ok(a.length > 50);
  a.forEach((x, i) => assert.ok(Math.abs(x - b[i]) <= 1e-5, `value ${i}: ${x} vs ${b[i]}`));
  const bad = attn(['trace', text, '--threads', '0']);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /^attn: --threads takes a whole number/);
});
