// Reference matmul in plain TypeScript: C = A·Bᵀ (+ bias) with B stored row-major as [N, K], so both
// operands stream contiguous rows. Register-blocked 4×4 (16 accumulators) and tiled over N so a tile of
// B stays in cache while every row block of A passes over it. Accumulates in float64.

import { Tensor } from '../tensor.js';

const TILE_N = 64;

/** a [M, K], b [N, K], bias [N] → [M, N] */
export function matmulT(a: Tensor, b: Tensor, bias?: Tensor): Tensor {
  const [M, K] = a.shape;
  const N = b.shape[0];
  const A = a.data;
  const B = b.data;
  const out = new Float32Array(M * N);
  for (let n0 = 0; n0 < N; n0 += TILE_N) {
    const n1 = Math.min(N, n0 + TILE_N);
    let m = 0;
    for (; m + 4 <= M; m += 4) {
      let n = n0;
      for (; n + 4 <= n1; n += 4) block4x4(A, B, out, m, n, K, N);
      for (; n < n1; n++) for (let i = 0; i < 4; i++) out[(m + i) * N + n] = dot(A, (m + i) * K, B, n * K, K);
    }
    for (; m < M; m++) for (let n = n0; n < n1; n++) out[m * N + n] = dot(A, m * K, B, n * K, K);
  }
  if (bias) {
    const bv = bias.data;
    for (let m = 0; m < M; m++) for (let n = 0; n < N; n++) out[m * N + n] += bv[n];
  }
  return new Tensor(out, [M, N]);
}

/** a [M, K] · b [K, N] → [M, N]: matmulT against bᵀ. */
export function matmul(a: Tensor, b: Tensor): Tensor {
  return matmulT(a, transposeTiled(b));
}

/** aᵀ · b with a [K, M], b [K, N] → [M, N] (a weight gradient dyᵀ·x): matmulT of the transposes. */
export function matmulTN(a: Tensor, b: Tensor): Tensor {
  return matmulT(transposeTiled(a), transposeTiled(b));
}

/**
 * x [R, C] → [C, R], in 32×32 tiles so that both the reads and the writes stay in cache (a plain strided
 * loop is several times slower on the [B·T, V] logits gradient).
 */
export function transposeTiled(x: Tensor): Tensor {
  const [R, C] = x.shape;
  const X = x.data;
  const out = new Float32Array(R * C);
  const TILE = 32;
  for (let r0 = 0; r0 < R; r0 += TILE) {
    const r1 = Math.min(R, r0 + TILE);
    for (let c0 = 0; c0 < C; c0 += TILE) {
      const c1 = Math.min(C, c0 + TILE);
      for (let c = c0; c < c1; c++) {
        const o = c * R; // the write runs along a row of the output; the reads step down a tile column
        for (let r = r0, i = r0 * C + c; r < r1; r++, i += C) out[o + r] = X[i];
      }
    }
  }
  return new Tensor(out, [C, R]);
}

function dot(A: Float32Array, ao: number, B: Float32Array, bo: number, K: number): number {
  let s = 0;
  for (let k = 0; k < K; k++) s += A[ao + k] * B[bo + k];
  return s;
}

function block4x4(A: Float32Array, B: Float32Array, C: Float32Array, m: number, n: number, K: number, N: number): void {
  const a0 = m * K, a1 = a0 + K, a2 = a1 + K, a3 = a2 + K;
  const b0 = n * K, b1 = b0 + K, b2 = b1 + K, b3 = b2 + K;
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let k = 0; k < K; k++) {
    const x0 = A[a0 + k], x1 = A[a1 + k], x2 = A[a2 + k], x3 = A[a3 + k];
    const y0 = B[b0 + k], y1 = B[b1 + k], y2 = B[b2 + k], y3 = B[b3 + k];
    c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
    c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
    c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3;
    c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3;
  }
  let o = m * N + n;
  C[o] = c00; C[o + 1] = c01; C[o + 2] = c02; C[o + 3] = c03; o += N;
  C[o] = c10; C[o + 1] = c11; C[o + 2] = c12; C[o + 3] = c13; o += N;
  C[o] = c20; C[o + 1] = c21; C[o + 2] = c22; C[o + 3] = c23; o += N;
  C[o] = c30; C[o + 1] = c31; C[o + 2] = c32; C[o + 3] = c33;
}
