// What one attention layer costs for this input: FLOPs of the projections, of QKᵀ and of AV, and the
// memory of the H·T² score and pattern matrices, and how each grows with the number of tokens T.
// Convention: a multiply-add counts as 2 FLOPs; softmax and masking are left out (O(H·T²), small).

import { bytes, int, pct } from './numbers.js';
import type { Block } from './types.js';

export interface Cost {
  T: number;
  /** X W_Q, X W_K, X W_V and the output projection: 8·T·C² */
  projections: number;
  /** Q Kᵀ over all heads: 2·T²·C */
  scores: number;
  /** A V over all heads: 2·T²·C */
  mix: number;
  total: number;
  /** one layer's [H, T, T] pattern in float32 */
  patternBytes: number;
}

export function attentionCost(T: number, C: number, H: number): Cost {
  const projections = 8 * T * C * C;
  const scores = 2 * T * T * C;
  const mix = 2 * T * T * C;
  return { T, projections, scores, mix, total: projections + scores + mix, patternBytes: 4 * H * T * T };
}

export function costBlocks(T: number, C: number, H: number, L: number, causal: boolean, maxT: number): { blocks: Block[]; cost: Cost } {
  const c = attentionCost(T, C, H);
  const quad = (c.scores + c.mix) / c.total;
  const sizes = [...new Set([T, 2 * T, 4 * T, maxT].filter((t) => t >= T && t <= maxT))].sort((a, b) => a - b);
  const rows = sizes.map((t) => {
    const k = attentionCost(t, C, H);
    return [String(t) + (t === T ? ' (here)' : t === maxT ? ' (max)' : ''), int(k.projections), int(k.scores + k.mix), pct((k.scores + k.mix) / k.total), bytes(k.patternBytes)];
  });
  const cross = 2 * C;
  const blocks: Block[] = [
    {
      kind: 'math',
      tex: `\\underbrace{8\\,T C^2}_{W_Q,W_K,W_V,W_O} + \\underbrace{2\\,T^2 C}_{QK^\\top} + \\underbrace{2\\,T^2 C}_{AV} = ${int(c.projections)} + ${int(c.scores)} + ${int(c.mix)} = ${int(c.total)}\\ \\mathrm{FLOPs}`,
      plain: `8·T·C² (W_Q, W_K, W_V, W_O) + 2·T²·C (QKᵀ) + 2·T²·C (AV)\n= ${int(c.projections)} + ${int(c.scores)} + ${int(c.mix)} = ${int(c.total)} FLOPs   (T = ${T}, C = ${C})`,
    },
    {
      kind: 'text',
      text: `A multiply-add counts as 2 FLOPs; the softmax adds only about ${int(3 * H * T * T)} more (a few per score). The projections grow like T, the scores and the mixing like T², and the two are equal at T = 2C = ${cross}. ${T < cross ? `With T = ${T}, far below that, the quadratic part is only ${pct(quad)} of the work: the matrix multiplies with the weights dominate.` : `With T = ${T}, at or past that point, the quadratic part is already ${pct(quad)} of the work.`} The score and pattern matrices hold H·T² = ${int(H * T * T)} numbers each per layer (${bytes(c.patternBytes)} in float32; ${bytes(c.patternBytes * L)} for ${L === 2 ? 'both' : `all ${L}`} layers, as a cache of every pattern keeps them).${causal ? ` Causal masking throws away T(T−1)/2 = ${int((T * (T - 1)) / 2)} of the T² = ${int(T * T)} scores per head; a fused kernel could skip computing them, while this reference computes them all (they are in hook_dot) and masks them.` : ''}`,
    },
    {
      kind: 'table',
      caption: `One attention layer as the input grows, up to the ${maxT} tokens this model takes: doubling T doubles the projections and quadruples the T² part and the pattern memory`,
      columns: ['tokens T', 'projection FLOPs', 'QKᵀ + AV FLOPs', 'T² share', 'pattern memory'],
      rows,
    },
  ];
  return { blocks, cost: c };
}
