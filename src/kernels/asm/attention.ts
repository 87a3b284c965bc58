// Fused multi-head attention for one sequence: z = softmax(mask(scale·q·kᵀ))·v without an [H, T, S]
// buffer. Online softmax over key tiles of 64 (Milakov & Gimelshein 2018; FlashAttention, Dao et al. 2022):
// a task is 16 query rows of one head, processed as four 4-row micro-blocks that share each key tile from
// L1; key tiles past the causal limit are skipped. For the query rows the caller asks for, each tile's
// weights are written straight into that row of a per-thread buffer and rescaled in place at the end (the
// tile's running max is kept), so a requested row costs O(S) memory; the caller copies the task's rows out
// right after it, while they are in cache (src/kernels/jobs.ts).

import { exp1, exp4, hmax, hsum, madd } from './simd';

const BK: i32 = 64; // keys per tile: a tile of packed keys and of values (2 × 16 KiB at D = 64) stays in L1
const QR: i32 = 16; // query rows per task, in micro-blocks of 4 that each reuse the tile from L1

/** Bytes of per-thread scratch `attention` needs for head width D and S keys. */
export function attentionScratchBytes(D: i32, S: i32): i32 {
  const ntiles = (S + BK - 1) / BK;
  return (QR * D + 4 * BK + 5 * QR + QR * ntiles) * 4 + 64;
}

/** Packs keys k [S, C] (heads side by side, row stride C floats) into kt [H][S8/8][D][8]: 8 keys side by
 * side for each d (zero past S). */
export function packKeys(k: usize, C: i32, S: i32, H: i32, D: i32, kt: usize, counter: usize): void {
  const np = (S + 7) >> 3;
  for (let t = atomic.add<i32>(counter, 1); t < H * np; t = atomic.add<i32>(counter, 1)) {
    const h = t / np, p = t % np;
    const dst = kt + (<usize>(h * np + p) * D) * 32;
    for (let j = 0; j < 8; j++) {
      const s = p * 8 + j;
      if (s < S) {
        const src = k + (<usize>s * C + h * D) * 4;
        for (let d = 0; d < D; d++) store<f32>(dst + (<usize>d * 8 + j) * 4, load<f32>(src + <usize>d * 4));
      } else {
        for (let d = 0; d < D; d++) store<f32>(dst + (<usize>d * 8 + j) * 4, 0);
      }
    }
  }
}

// Scores of 4 query rows against 8 packed keys, times `scale`, into sc (row stride BK floats).
function scores8(q0: usize, q1: usize, q2: usize, q3: usize, b: usize, D: i32, scale: v128, sc: usize): void {
  let c00 = f32x4.splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  for (let d: usize = 0, db = <usize>D * 4; d < db; d += 4) {
    const b0 = v128.load(b), b1 = v128.load(b, 16);
    let x = v128.load32_splat(q0 + d);
    c00 = madd(x, b0, c00); c01 = madd(x, b1, c01);
    x = v128.load32_splat(q1 + d);
    c10 = madd(x, b0, c10); c11 = madd(x, b1, c11);
    x = v128.load32_splat(q2 + d);
    c20 = madd(x, b0, c20); c21 = madd(x, b1, c21);
    x = v128.load32_splat(q3 + d);
    c30 = madd(x, b0, c30); c31 = madd(x, b1, c31);
    b += 32;
  }
  const rs: usize = BK * 4;
  v128.store(sc, f32x4.mul(c00, scale)); v128.store(sc, f32x4.mul(c01, scale), 16);
  v128.store(sc + rs, f32x4.mul(c10, scale)); v128.store(sc + rs, f32x4.mul(c11, scale), 16);
  v128.store(sc + 2 * rs, f32x4.mul(c20, scale)); v128.store(sc + 2 * rs, f32x4.mul(c21, scale), 16);
  v128.store(sc + 3 * rs, f32x4.mul(c30, scale)); v128.store(sc + 3 * rs, f32x4.mul(c31, scale), 16);
}

// acc[r][d0..d0+8) = acc·alpha_r + Σ_j p[r][j]·v[j][d0..d0+8) for the 4 rows (acc row stride D floats).
function pv8(acc: usize, D: i32, alpha: usize, sc: usize, vb: usize, ldv: usize, jn: i32): void {
  const ab: usize = <usize>D * 4, rs: usize = BK * 4;
  let a00 = f32x4.mul(v128.load(acc), v128.load32_splat(alpha)), a01 = f32x4.mul(v128.load(acc, 16), v128.load32_splat(alpha));
  let a10 = f32x4.mul(v128.load(acc + ab), v128.load32_splat(alpha, 4)), a11 = f32x4.mul(v128.load(acc + ab, 16), v128.load32_splat(alpha, 4));
  let a20 = f32x4.mul(v128.load(acc + 2 * ab), v128.load32_splat(alpha, 8)), a21 = f32x4.mul(v128.load(acc + 2 * ab, 16), v128.load32_splat(alpha, 8));
  let a30 = f32x4.mul(v128.load(acc + 3 * ab), v128.load32_splat(alpha, 12)), a31 = f32x4.mul(v128.load(acc + 3 * ab, 16), v128.load32_splat(alpha, 12));
  for (let j: usize = 0, je = <usize>jn * 4; j < je; j += 4) {
    const v0 = v128.load(vb), v1 = v128.load(vb, 16);
    let p = v128.load32_splat(sc + j);
    a00 = madd(p, v0, a00); a01 = madd(p, v1, a01);
    p = v128.load32_splat(sc + rs + j);
    a10 = madd(p, v0, a10); a11 = madd(p, v1, a11);
    p = v128.load32_splat(sc + 2 * rs + j);
    a20 = madd(p, v0, a20); a21 = madd(p, v1, a21);
    p = v128.load32_splat(sc + 3 * rs + j);
    a30 = madd(p, v0, a30); a31 = madd(p, v1, a31);
    vb += ldv;
  }
  v128.store(acc, a00); v128.store(acc, a01, 16);
  v128.store(acc + ab, a10); v128.store(acc + ab, a11, 16);
  v128.store(acc + 2 * ab, a20); v128.store(acc + 2 * ab, a21, 16);
  v128.store(acc + 3 * ab, a30); v128.store(acc + 3 * ab, a31, 16);
}

// The same for a 4-wide slice of d (head widths that are not a multiple of 8).
function pv4(acc: usize, D: i32, alpha: usize, sc: usize, vb: usize, ldv: usize, jn: i32): void {
  const ab: usize = <usize>D * 4, rs: usize = BK * 4;
  let a0 = f32x4.mul(v128.load(acc), v128.load32_splat(alpha));
  let a1 = f32x4.mul(v128.load(acc + ab), v128.load32_splat(alpha, 4));
  let a2 = f32x4.mul(v128.load(acc + 2 * ab), v128.load32_splat(alpha, 8));
  let a3 = f32x4.mul(v128.load(acc + 3 * ab), v128.load32_splat(alpha, 12));
  for (let j: usize = 0, je = <usize>jn * 4; j < je; j += 4) {
    const v0 = v128.load(vb);
    a0 = madd(v128.load32_splat(sc + j), v0, a0);
    a1 = madd(v128.load32_splat(sc + rs + j), v0, a1);
    a2 = madd(v128.load32_splat(sc + 2 * rs + j), v0, a2);
    a3 = madd(v128.load32_splat(sc + 3 * rs + j), v0, a3);
    vb += ldv;
  }
  v128.store(acc, a0); v128.store(acc + ab, a1); v128.store(acc + 2 * ab, a2); v128.store(acc + 3 * ab, a3);
}

// Online-softmax step for one row's tile of jn scores (in place → weights): updates the row's alpha (the
// factor its accumulator must shrink by) and l (running sum). Returns the new running max.
function softmaxTile(sc: usize, jn: i32, mOld: f32, alphaP: usize, lP: usize): f32 {
  const j4 = jn & ~3;
  let mv = f32x4.splat(-Infinity);
  let j = 0;
  for (; j < j4; j += 4) mv = f32x4.pmax(mv, v128.load(sc + <usize>j * 4));
  let m = max(hmax(mv), mOld);
  for (; j < jn; j++) m = max(m, load<f32>(sc + <usize>j * 4));
  if (m == -Infinity) {
    memory.fill(sc, 0, <usize>jn * 4);
    store<f32>(alphaP, 1); // nothing accumulated yet
    return m;
  }
  const mm = f32x4.splat(m);
  let sv = f32x4.splat(0);
  for (j = 0; j < j4; j += 4) {
    const e = exp4(f32x4.sub(v128.load(sc + <usize>j * 4), mm));
    v128.store(sc + <usize>j * 4, e);
    sv = f32x4.add(sv, e);
  }
  let sum = hsum(sv);
  for (; j < jn; j++) {
    const e = exp1(load<f32>(sc + <usize>j * 4) - m);
    store<f32>(sc + <usize>j * 4, e);
    sum += e;
  }
  const alpha = exp1(mOld - m); // 0 when mOld is -Infinity
  store<f32>(alphaP, alpha);
  store<f32>(lP, load<f32>(lP) * alpha + sum);
  return m;
}

/**
 * One task of z [T, H·D] = attention of q [T, H·D] over keys kt (packed by packKeys) and values
 * v [S, H·D]; q, v and z rows are C floats apart. Causal: query t sees keys s ≤ t + S − T.
 * A task is (head, 16 query rows), taken from `counter`; returns its index, or −1 when none is left. rowSlot (0 = none) marks the queries whose pattern row is
 * wanted (≥ 0): those rows of the task are left in this thread's pattern buffer
 * pat + tid·16·S floats ([16][S]; entries past the row's causal limit are not written) for the caller to
 * take. Scratch: scratch + tid·stride.
 */
export function attentionTask(
  q: usize, kt: usize, v: usize, z: usize, C: i32, T: i32, S: i32, H: i32, D: i32, scale: f32, causal: bool,
  rowSlot: usize, pat: usize, scratch: usize, stride: i32, counter: usize, tid: i32,
): i32 {
  const nqb = (T + QR - 1) / QR;
  const t = atomic.add<i32>(counter, 1);
  if (t >= nqb * H) return -1;
  const ldr = <usize>C * 4, np = (S + 7) >> 3, ntiles = (S + BK - 1) / BK, off = S - T;
  const base = scratch + <usize>tid * stride;
  // per row of the task: alpha, l, m (f32), visible keys, wanted (i32); then acc [QR][D], sc [4][BK]
  const alphaRow = base, lRow = alphaRow + QR * 4, mRow = lRow + QR * 4, kEndRow = mRow + QR * 4, slotRow = kEndRow + QR * 4;
  const acc = slotRow + QR * 4, sc = acc + <usize>QR * D * 4, tmax = sc + <usize>4 * BK * 4;
  const patBase = pat + <usize>tid * QR * S * 4;
  const vs = f32x4.splat(scale);
  // head-major, so a thread's next task usually reads the same head's keys and values (from L2); within a
  // head the latest rows come first: they have the most keys, and the light ones balance the end
  const h = t / nqb, t0 = (nqb - 1 - t % nqb) * QR, nr = min(QR, T - t0);
  for (let r = 0; r < QR; r++) {
    const tr = t0 + min(r, nr - 1); // rows past T repeat the last row and are not stored
    store<i32>(kEndRow + <usize>r * 4, causal ? min(S, max(0, tr + off + 1)) : S);
    store<i32>(slotRow + <usize>r * 4, r < nr && rowSlot != 0 ? load<i32>(rowSlot + <usize>tr * 4) : -1);
    store<f32>(mRow + <usize>r * 4, -Infinity);
    store<f32>(lRow + <usize>r * 4, 0);
  }
  memory.fill(acc, 0, <usize>QR * D * 4);
  const kEnd = load<i32>(kEndRow + <usize>(QR - 1) * 4);
  for (let j0 = 0, tile = 0; j0 < kEnd; j0 += BK, tile++) {
    const vb = v + (<usize>j0 * C + h * D) * 4;
    for (let mb = 0; mb < QR; mb += 4) {
      if (mb >= nr) break;
      const kMin = load<i32>(kEndRow + <usize>mb * 4), kMax = load<i32>(kEndRow + <usize>(mb + 3) * 4);
      if (j0 >= kMax) continue; // every key of this tile is hidden from these 4 rows
      const jn = min(BK, kMax - j0);
      const q0 = q + (<usize>(t0 + mb) * C + h * D) * 4;
      const q1 = mb + 1 < nr ? q0 + ldr : q0, q2 = mb + 2 < nr ? q0 + 2 * ldr : q1, q3 = mb + 3 < nr ? q0 + 3 * ldr : q2;
      for (let pp = 0; pp < jn; pp += 8) {
        scores8(q0, q1, q2, q3, kt + (<usize>(h * np + ((j0 + pp) >> 3)) * D) * 32, D, vs, sc + <usize>pp * 4);
      }
      if (j0 + jn > kMin) {
        // this tile crosses some row's causal limit: hide the keys past it
        for (let r = 0; r < 4; r++) {
          const row = sc + <usize>(r * BK) * 4;
          for (let j = max(0, load<i32>(kEndRow + <usize>(mb + r) * 4) - j0); j < jn; j++) store<f32>(row + <usize>j * 4, -Infinity);
        }
      }
      for (let r = 0; r < 4; r++) {
        const row = sc + <usize>(r * BK) * 4, rr = <usize>(mb + r) * 4;
        const m = softmaxTile(row, jn, load<f32>(mRow + rr), alphaRow + rr, lRow + rr);
        store<f32>(mRow + rr, m);
        if (load<i32>(slotRow + rr) >= 0) {
          memory.copy(patBase + (<usize>(mb + r) * S + j0) * 4, row, <usize>jn * 4);
          store<f32>(tmax + <usize>((mb + r) * ntiles + tile) * 4, m);
        }
      }
      const am = acc + <usize>(mb * D) * 4, alm = alphaRow + <usize>mb * 4;
      let d = 0;
      for (; d + 8 <= D; d += 8) pv8(am + <usize>d * 4, D, alm, sc, vb + <usize>d * 4, ldr, jn);
      for (; d < D; d += 4) pv4(am + <usize>d * 4, D, alm, sc, vb + <usize>d * 4, ldr, jn);
    }
  }
  for (let r = 0; r < nr; r++) finishRow(r, t0 + r, h, acc, lRow, mRow, kEndRow, slotRow, tmax, ntiles, z, C, D, patBase + <usize>r * S * 4, S);
  return t;
}

// z = acc / l for row r (query t); when the row was asked for, rescale its pattern row in place (each
// tile's weights were relative to the running max at that tile). Keys past kEnd are left to the caller,
// whose output starts zeroed.
function finishRow(
  r: i32, t: i32, h: i32, acc: usize, lRow: usize, mRow: usize, kEndRow: usize, slotRow: usize, tmax: usize, ntiles: i32,
  z: usize, C: i32, D: i32, prow: usize, S: i32,
): void {
  const l = load<f32>(lRow + <usize>r * 4), m = load<f32>(mRow + <usize>r * 4);
  const inv: f32 = l > 0 ? <f32>1 / l : 0;
  const iv = f32x4.splat(inv);
  const ar = acc + <usize>(r * D) * 4, zr = z + (<usize>t * C + h * D) * 4;
  for (let d = 0; d < D; d += 4) v128.store(zr + <usize>d * 4, f32x4.mul(v128.load(ar + <usize>d * 4), iv));
  const slot = load<i32>(slotRow + <usize>r * 4);
  if (slot < 0) return;
  const kEnd = load<i32>(kEndRow + <usize>r * 4);
  for (let j0 = 0, tile = 0; j0 < kEnd; j0 += BK, tile++) {
    const f: f32 = l > 0 ? exp1(load<f32>(tmax + <usize>(r * ntiles + tile) * 4) - m) * inv : 0;
    const fv = f32x4.splat(f);
    const jn = min(BK, kEnd - j0);
    const p = prow + <usize>j0 * 4;
    let j = 0;
    for (; j + 4 <= jn; j += 4) v128.store(p + <usize>j * 4, f32x4.mul(v128.load(p + <usize>j * 4), fv));
    for (; j < jn; j++) store<f32>(p + <usize>j * 4, load<f32>(p + <usize>j * 4) * f);
  }
}
