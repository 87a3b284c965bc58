// Each way the fast kernels can load, forced: relaxed SIMD, standard SIMD, the reference ops (asked for,
// or because the engine lacks SIMD or the kernels are not built), one thread without shared memory, and
// Node 20 without the run-time V8 flag for relaxed SIMD (in a child process: V8 flags are per process).

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import * as ops from '../../src/engine/ops.js';
import { referenceOps } from '../../src/engine/reference/index.js';
import { backendOrder, kernelBackend } from '../../src/engine/registry.js';
import { kernelsInfo, useFastKernels, useReferenceKernels, type FastKernelOptions } from '../../src/kernels/index.js';
import { REPO_ROOT } from '../support/paths.js';
import { assertClose, randomTensor } from './helpers.js';

const a = randomTensor([9, 33], 1), b = randomTensor([21, 33], 2), bias = randomTensor([21], 3);
const q = randomTensor([6, 32], 4), k = randomTensor([6, 32], 5), v = randomTensor([6, 32], 6);
const args = { heads: 4, scale: 0.35, causal: true, rows: [5, 0] };

/** The ops give the reference's numbers, whoever serves them. */
function checkOps(label: string): void {
  assertClose(ops.linear(a, b, bias), referenceOps.matmulT(a, b, bias), 1e-4, `${label}: linear`);
  const got = ops.attention(q, k, v, args), want = referenceOps.attention(q, k, v, args);
  assertClose(got.z, want.z, 1e-6, `${label}: attention z`);
  assertClose(got.pattern!, want.pattern!, 1e-6, `${label}: attention pattern`);
}

const cases: Array<[string, FastKernelOptions, string, number]> = [
  ['relaxed SIMD asked for', { kernels: 'relaxed', threads: 2 }, 'wasm-relaxed', 2],
  ['standard SIMD asked for', { kernels: 'simd', threads: 2 }, 'wasm-simd', 2],
  ['reference asked for', { kernels: 'reference' }, 'reference', 1],
  ['auto without relaxed SIMD → standard SIMD', { assume: { relaxedSimd: false }, threads: 2 }, 'wasm-simd', 2],
  ['relaxed asked for, engine without it → standard SIMD', { kernels: 'relaxed', assume: { relaxedSimd: false }, threads: 1 }, 'wasm-simd', 1],
  ['auto without SIMD → reference', { assume: { simd: false, relaxedSimd: false } }, 'reference', 1],
  ['two threads without shared memory → one thread, private memory', { assume: { sharedMemory: false }, threads: 2 }, 'wasm-relaxed', 1],
  ['two threads without workers (browser) → one thread', { assume: { workers: false }, threads: 2 }, 'wasm-relaxed', 1],
];

for (const [label, options, backend, threads] of cases) {
  test(`fallback: ${label}`, async () => {
    const info = await useFastKernels({ ...options, minParallelWork: 0 });
    assert.equal(info.backend, backend, info.notes.join('; '));
    assert.equal(info.threads, threads);
    assert.deepEqual(kernelsInfo(), info);
    assert.equal(kernelBackend('matmulT'), backend === 'reference' ? 'reference' : 'wasm');
    assert.equal(kernelBackend('add'), 'reference', 'ops without a fast kernel stay on the reference');
    if (backend === 'reference' || threads < (options.threads ?? 1)) assert.ok(info.notes.length > 0, 'says why');
    checkOps(label);
  });
}

test('fallback: a head width that is not a multiple of 4 goes to the reference op', async () => {
  await useFastKernels({ threads: 2, minParallelWork: 0 });
  const q6 = randomTensor([5, 18], 7), k6 = randomTensor([5, 18], 8), v6 = randomTensor([5, 18], 9);
  const o = { heads: 3, scale: 0.4, causal: false, rows: [1] };
  assertClose(ops.attention(q6, k6, v6, o).pattern!, referenceOps.attention(q6, k6, v6, o).pattern!, 0, 'D = 6');
});

test('fallback: useReferenceKernels puts the reference ops back', async () => {
  await useFastKernels({ threads: 2 });
  await useReferenceKernels();
  assert.deepEqual([...backendOrder()], ['reference']);
  assert.equal(kernelsInfo(), undefined);
  checkOps('reference again');
});

test('fallback: Node 20 without the run-time V8 flag uses standard SIMD (or relaxed where the engine ships it)', () => {
  const script = `
    const { useFastKernels } = await import(${JSON.stringify(join(REPO_ROOT, 'dist/src/kernels/index.js'))});
    const plain = WebAssembly.validate(new Uint8Array(${JSON.stringify([...relaxedProbe()])}));
    const info = await useFastKernels({ enableRelaxedFlag: false, threads: 1 });
    console.log(JSON.stringify({ backend: info.backend, plain }));`;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const { backend, plain } = JSON.parse(r.stdout) as { backend: string; plain: boolean };
  assert.equal(backend, plain ? 'wasm-relaxed' : 'wasm-simd');
});

/** A module with one f32x4.relaxed_madd: does this engine accept relaxed SIMD without flags? */
function relaxedProbe(): Uint8Array {
  return new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 15, 1, 13, 0, 65, 1, 253, 15, 65, 2, 253, 15, 253, 128, 2, 11]);
}
