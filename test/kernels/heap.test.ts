// The allocator over the kernels' WebAssembly memory: aligned blocks, reuse of freed space, coalescing,
// growth in pages, and a clear error past the limit.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OutOfWasmMemory, WasmHeap } from '../../src/kernels/heap.js';

const PAGE = 65536;

test('heap: blocks are 64-byte aligned, disjoint, and freed space is reused', () => {
  const heap = new WasmHeap(new WebAssembly.Memory({ initial: 1, maximum: 100 }), 64, 100 * PAGE);
  const a = heap.alloc(10), b = heap.alloc(100), c = heap.alloc(1);
  for (const p of [a, b, c]) assert.equal(p % 64, 0);
  assert.ok(a >= 64 && b >= a + 64 && c >= b + 128, 'disjoint, after the reserved bytes');
  heap.release(b, 100);
  assert.equal(heap.alloc(128), b, 'first fit reuses the hole');
  heap.release(a, 10);
  heap.release(b, 128); // a and b coalesce into one 192-byte hole
  assert.equal(heap.alloc(192), a);
});

test('heap: releasing the top block gives it back, so the heap does not creep', () => {
  const heap = new WasmHeap(new WebAssembly.Memory({ initial: 1, maximum: 100 }), 0, 100 * PAGE);
  const base = heap.usedBytes;
  for (let i = 0; i < 100; i++) {
    const x = heap.alloc(1000), y = heap.alloc(5000);
    heap.release(y, 5000);
    heap.release(x, 1000);
  }
  assert.equal(heap.usedBytes, base);
  assert.equal(heap.alloc(1), 0);
});

test('heap: grows the memory in pages when needed, and refreshes its views', () => {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 100 });
  const heap = new WasmHeap(memory, 0, 100 * PAGE);
  const p = heap.alloc(3 * PAGE);
  assert.ok(memory.buffer.byteLength >= p + 3 * PAGE);
  heap.f32[(p >> 2) + 3 * PAGE / 4 - 1] = 42;
  assert.equal(new Float32Array(memory.buffer)[(p >> 2) + 3 * PAGE / 4 - 1], 42);
  assert.throws(() => heap.alloc(200 * PAGE), OutOfWasmMemory);
});
