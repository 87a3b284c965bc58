// Matrix multiply C = A·Bᵀ + bias for attn's [out, in] weights. B is packed once into panels of 8 output
// columns ([N8/8][K][8]) so the 4×8 register-blocked micro-kernel streams it contiguously (GotoBLAS /
// BLIS style, Goto & van de Geijn 2008); A [M, K] stays row-major. Threads take tasks (a chunk of rows
// × a chunk of panels) from a shared atomic counter, so a busy core does less of the work.

import { madd } from './simd';

const PANEL_CHUNK: i32 = 8; // panels (64 columns) per task
const ROW_CHUNK: i32 = 256; // rows of A per task: 256 rows × K stays in L2 for K ≤ 2048

/** Packs panels [p0, p1) of B [N, K] (row-major) into P: P[p][k][j] = B[p·8 + j][k], zero past N. */
export function packPanels(B: usize, N: i32, K: i32, P: usize, p0: i32, p1: i32): void {
  for (let p = p0; p < p1; p++) {
    const dst = P + <usize>p * K * 32;
    for (let j = 0; j < 8; j++) {
      const n = p * 8 + j;
      const d = dst + <usize>j * 4;
      if (n < N) {
        const src = B + <usize>n * K * 4;
        for (let k = 0; k < K; k++) store<f32>(d + <usize>k * 32, load<f32>(src + <usize>k * 4));
      } else {
        for (let k = 0; k < K; k++) store<f32>(d + <usize>k * 32, 0);
      }
    }
  }
}

/** Threaded packing: tasks of 16 panels taken from the counter. */
export function pack(B: usize, N: i32, K: i32, P: usize, counter: usize): void {
  const np = (N + 7) >> 3;
  const nt = (np + 15) >> 4;
  for (let t = atomic.add<i32>(counter, 1); t < nt; t = atomic.add<i32>(counter, 1)) {
    packPanels(B, N, K, P, t * 16, min(np, t * 16 + 16));
  }
}

// 4 rows × 8 columns, accumulators start at the bias.
function micro4(a: usize, lda: usize, b: usize, K: i32, bias: usize, c: usize, ldc: usize): void {
  const bi0 = v128.load(bias), bi1 = v128.load(bias, 16);
  let c00 = bi0, c01 = bi1, c10 = bi0, c11 = bi1, c20 = bi0, c21 = bi1, c30 = bi0, c31 = bi1;
  const a1 = a + lda, a2 = a1 + lda, a3 = a2 + lda;
  for (let k: usize = 0, kb = <usize>K * 4; k < kb; k += 4) {
    const b0 = v128.load(b), b1 = v128.load(b, 16);
    let x = v128.load32_splat(a + k);
    c00 = madd(x, b0, c00); c01 = madd(x, b1, c01);
    x = v128.load32_splat(a1 + k);
    c10 = madd(x, b0, c10); c11 = madd(x, b1, c11);
    x = v128.load32_splat(a2 + k);
    c20 = madd(x, b0, c20); c21 = madd(x, b1, c21);
    x = v128.load32_splat(a3 + k);
    c30 = madd(x, b0, c30); c31 = madd(x, b1, c31);
    b += 32;
  }
  v128.store(c, c00); v128.store(c, c01, 16); c += ldc;
  v128.store(c, c10); v128.store(c, c11, 16); c += ldc;
  v128.store(c, c20); v128.store(c, c21, 16); c += ldc;
  v128.store(c, c30); v128.store(c, c31, 16);
}

// 1 row × 8 columns, for the last M mod 4 rows.
function micro1(a: usize, b: usize, K: i32, bias: usize, c: usize): void {
  let c0 = v128.load(bias), c1 = v128.load(bias, 16);
  for (let k: usize = 0, kb = <usize>K * 4; k < kb; k += 4) {
    const x = v128.load32_splat(a + k);
    c0 = madd(x, v128.load(b), c0); c1 = madd(x, v128.load(b, 16), c1);
    b += 32;
  }
  v128.store(c, c0); v128.store(c, c1, 16);
}

/**
 * C [M, N8] = A [M, K] · Bᵀ + bias, with B packed by `pack` (N8 = N rounded up to 8; the caller reads
 * the first N columns of each row). bias points at N8 floats (zeros when the layer has none).
 */
export function gemm(A: usize, M: i32, K: i32, P: usize, bias: usize, N: i32, C: usize, counter: usize): void {
  const np = (N + 7) >> 3;
  const ncn = (np + PANEL_CHUNK - 1) / PANEL_CHUNK;
  const ncm = (M + ROW_CHUNK - 1) / ROW_CHUNK;
  const lda = <usize>K * 4, ldc = <usize>np * 32;
  const total = ncn * ncm;
  for (let t = atomic.add<i32>(counter, 1); t < total; t = atomic.add<i32>(counter, 1)) {
    const m0 = (t / ncn) * ROW_CHUNK, m1 = min(M, m0 + ROW_CHUNK);
    const p0 = (t % ncn) * PANEL_CHUNK, p1 = min(np, p0 + PANEL_CHUNK);
    for (let p = p0; p < p1; p++) {
      const b = P + <usize>p * K * 32, bi = bias + <usize>p * 32, col = <usize>p * 32;
      let m = m0;
      for (; m + 4 <= m1; m += 4) micro4(A + <usize>m * lda, lda, b, K, bi, C + <usize>m * ldc + col, ldc);
      for (; m < m1; m++) micro1(A + <usize>m * lda, b, K, bi, C + <usize>m * ldc + col);
    }
  }
}

/**
 * Packs panels of B given as [K, N] row-major (the un-transposed right operand of a·b) into the same
 * layout as `pack`: P[p][k][j] = B[k][p·8 + j], zero past N. Each panel row is a contiguous 8-float strip
 * of B, so a product with a transposed operand needs no transpose of it. Tasks of 16 panels.
 */
export function packKN(B: usize, K: i32, N: i32, P: usize, counter: usize): void {
  const np = (N + 7) >> 3;
  const nt = (np + 15) >> 4;
  const ldb = <usize>N * 4;
  for (let t = atomic.add<i32>(counter, 1); t < nt; t = atomic.add<i32>(counter, 1)) {
    const p1 = min(np, t * 16 + 16);
    for (let p = t * 16; p < p1; p++) {
      let dst = P + <usize>p * K * 32;
      const n0 = p * 8, w = min(8, N - n0);
      let src = B + <usize>n0 * 4;
      if (w === 8) {
        for (let k = 0; k < K; k++) {
          v128.store(dst, v128.load(src)); v128.store(dst, v128.load(src, 16), 16);
          dst += 32; src += ldb;
        }
      } else {
        for (let k = 0; k < K; k++) {
          for (let j = 0; j < 8; j++) store<f32>(dst + <usize>j * 4, j < w ? load<f32>(src + <usize>j * 4) : 0);
          dst += 32; src += ldb;
        }
      }
    }
  }
}

/**
 * out [C, R] = Xᵀ for X [R, C], in tasks of 8 rows of X: 4×4 blocks transposed in registers, so the
 * 8 read streams stay in L1 and each output row receives 32 contiguous bytes per block pair. Used for
 * the operand of aᵀ·b that the GEMM reads by rows.
 */
export function transpose(X: usize, R: i32, C: i32, out: usize, counter: usize): void {
  const nt = (R + 7) >> 3;
  const ldx = <usize>C * 4, ldo = <usize>R * 4;
  for (let t = atomic.add<i32>(counter, 1); t < nt; t = atomic.add<i32>(counter, 1)) {
    const r0 = t * 8, r1 = min(R, r0 + 8);
    let c = 0;
    if (r1 - r0 === 8) {
      for (; c + 4 <= C; c += 4) {
        for (let h = 0; h < 8; h += 4) {
          const x = X + <usize>(r0 + h) * ldx + <usize>c * 4;
          const a0 = v128.load(x), a1 = v128.load(x + ldx), a2 = v128.load(x + 2 * ldx), a3 = v128.load(x + 3 * ldx);
          const t0 = v128.shuffle<f32>(a0, a1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(a0, a1, 2, 6, 3, 7);
          const t2 = v128.shuffle<f32>(a2, a3, 0, 4, 1, 5), t3 = v128.shuffle<f32>(a2, a3, 2, 6, 3, 7);
          const o = out + <usize>c * ldo + <usize>(r0 + h) * 4;
          v128.store(o, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
          v128.store(o + ldo, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7));
          v128.store(o + 2 * ldo, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
          v128.store(o + 3 * ldo, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7));
        }
      }
    }
    for (; c < C; c++) for (let r = r0; r < r1; r++) store<f32>(out + <usize>c * ldo + <usize>r * 4, load<f32>(X + <usize>r * ldx + <usize>c * 4));
  }
}
