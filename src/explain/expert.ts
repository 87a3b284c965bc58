// The expert level: the layer's equations with this run's shapes and truncated actual matrices (Vaswani et
// al. 2017), the residual arrangement (pre-LN GPT-2, post-LN BERT), what the chart aggregates (rollout:
// Abnar & Zuidema 2020), the cost for this input, and why attention weights are not by themselves an
// explanation (Jain & Wallace 2019; Wiegreffe & Pinter 2019; Kobayashi et al. 2020 on value norms).

import type { Tensor } from '../engine/tensor.js';
import type { ExplainContext } from '../interpret/context.js';
import { costBlocks } from './cost.js';
import { viewFacts } from './facts.js';
import { entropy, norm, num, pct, q, ranked, w4 } from './numbers.js';
import { labelOf, readView, type Reading } from './reading.js';
import { chartBlocks } from './setup.js';
import { headTrace, type HeadTrace } from './trace.js';
import type { Block, Explanation, Section } from './types.js';

/** Rows shown of a [T, ·] matrix: all when T ≤ 10, else the first 8. Columns of a D-wide matrix: 6. */
const rowsShown = (T: number) => (T <= 10 ? T : 8);
const DIMS = 6;

const text = (t: string): Block => ({ kind: 'text', text: t });

/** A [rows × cols] window of a tensor, read with `at(i, j)`; truncated when smaller than `shape`. */
function matrix(name: string, tex: string, shape: number[], rows: string[], cols: string[], at: (i: number, j: number) => number): Block {
  const values = rows.map((_, i) => cols.map((_, j) => at(i, j)));
  const truncated = rows.length < shape[0] || cols.length < shape[shape.length - 1];
  return { kind: 'matrix', name, tex, shape, rowLabels: rows, colLabels: cols, values, truncated };
}

function shapes(ctx: ExplainContext, tr: HeadTrace, r: Reading): Section {
  const { T, C, H, D } = tr;
  const h = tr.head;
  const cell = (dims: number[]) => `[${dims.join(', ')}]`;
  return {
    title: 'Shapes in this run',
    blocks: [
      text(`${ctx.view.model.name}: L = ${ctx.config.nLayers} layers, H = ${H} heads, model width C = ${C}, head width D = d_k = C/H = ${D}; this sentence is T = ${T} tokens (S = T keys, since this is self-attention). We follow layer ${tr.layer}, head ${h}${ctx.headReason === 'most-focused' ? ` (the chart shows ${r.selection}; head ${h} is the layer's most focused head for this token)` : ''}, query token ${tr.t} (${q(ctx.tokens[tr.t].text)}). Hook names below are under blocks.${tr.layer}.`),
      {
        kind: 'table',
        columns: ['tensor', 'shape', 'here', 'hook / parameter'],
        rows: [
          ['X (attention input)', '[T, C]', cell([T, C]), ctx.config.arch === 'gpt2' ? 'ln1.hook_normalized' : 'hook_resid_pre'],
          [`W_Q, W_K, W_V [${h}]`, '[C, D]', cell([C, D]), `attn.W_Q[${h}], W_K[${h}], W_V[${h}]`],
          [`Q, K, V (head ${h})`, '[T, D]', cell([T, D]), `attn.hook_q/k/v[:, ${h}]`],
          ['scores, A', '[H, T, S]', cell([H, T, T]), 'attn.hook_attn_scores, hook_pattern'],
          ['Z (all heads)', '[T, H, D]', cell([T, H, D]), 'attn.hook_z'],
          ['W_O', '[H·D, C]', cell([H * D, C]), 'attn.W_O'],
          ['MHA output', '[T, C]', cell([T, C]), 'hook_attn_out'],
        ],
      },
    ],
  };
}

function projections(ctx: ExplainContext, tr: HeadTrace): Section {
  const { T, C, D } = tr;
  const h = tr.head;
  const n = rowsShown(T);
  const rows = ctx.tokens.slice(0, n).map((t) => t.text);
  const dims = Array.from({ length: Math.min(DIMS, D) }, (_, d) => `d${d}`);
  const cdims = Array.from({ length: Math.min(DIMS, C) }, (_, d) => `c${d}`);
  const head = (t: Tensor) => (i: number, j: number) => t.at(i, h, j);
  return {
    title: 'Projections',
    blocks: [
      {
        kind: 'math',
        tex: `Q_h = X W_Q^{(h)} + \\mathbf{1} b_Q^{(h)\\top},\\quad K_h = X W_K^{(h)} + \\mathbf{1} b_K^{(h)\\top},\\quad V_h = X W_V^{(h)} + \\mathbf{1} b_V^{(h)\\top},\\qquad X \\in \\mathbb{R}^{${T}\\times ${C}},\\ W^{(h)} \\in \\mathbb{R}^{${C}\\times ${D}},\\ Q_h, K_h, V_h \\in \\mathbb{R}^{${T}\\times ${D}}`,
        plain: `Q_h = X·W_Q[h] + b_Q[h],  K_h = X·W_K[h] + b_K[h],  V_h = X·W_V[h] + b_V[h]\nX: ${T}×${C},  W[h]: ${C}×${D},  Q_h, K_h, V_h: ${T}×${D}   (h = ${h})`,
      },
      matrix('X: the input of attention', 'X', [T, C], rows, cdims, (i, j) => ctx.x.at(i, j)),
      matrix(`Q: queries of head ${h}`, `Q_{${h}}`, [T, D], rows, dims, head(ctx.q)),
      matrix(`K: keys of head ${h}`, `K_{${h}}`, [T, D], rows, dims, head(ctx.k)),
      matrix(`V: values of head ${h}`, `V_{${h}}`, [T, D], rows, dims, head(ctx.v)),
    ],
  };
}

function scores(ctx: ExplainContext, tr: HeadTrace, r: Reading): Section {
  const { T, D } = tr;
  const h = tr.head;
  const n = rowsShown(T);
  const labels = ctx.tokens.slice(0, n).map((t) => t.text);
  const inv = ctx.config.scaleByInverseLayer ? `(l+1)` : '';
  const mask = tr.causal
    ? { tex: `M_{ts} = \\begin{cases} 0 & s \\le t \\\\ -\\infty & s > t \\end{cases}`, plain: 'M[t, s] = 0 if s ≤ t, −∞ if s > t (causal)' }
    : { tex: `M = 0`, plain: 'M = 0 (bidirectional; one unpadded sentence, so no padding mask either)' };
  const row = tr.weights;
  const vis = row.filter((_, s) => !tr.masked[s]).length;
  const bits = entropy(row) / Math.LN2;
  return {
    title: 'Scores, mask and softmax',
    blocks: [
      {
        kind: 'math',
        tex: `A_h = \\mathrm{softmax}\\!\\left(\\frac{Q_h K_h^\\top}{\\sqrt{d_k}${inv ? `\\,${inv}` : ''}} + M\\right) \\in \\mathbb{R}^{${T}\\times ${T}},\\quad \\sqrt{d_k} = \\sqrt{${D}} = ${num(Math.sqrt(D), 3)}${inv ? `,\\ l+1 = ${tr.layer + 1}` : ''},\\quad ${mask.tex}`,
        plain: `A_h = softmax(Q_h·K_hᵀ / √d_k${inv ? ` / ${inv}` : ''} + M),  ${T}×${T},  √d_k = √${D} = ${num(Math.sqrt(D), 3)}${inv ? `, l+1 = ${tr.layer + 1}` : ''}\n${mask.plain}`,
      },
      matrix(`S: scaled, masked scores of head ${h}`, `S_{${h}} = Q_{${h}}K_{${h}}^\\top/\\sqrt{d_k} + M`, [T, T], labels, labels, (i, j) => ctx.scores.at(h, i, j)),
      matrix(`A: attention weights of head ${h} (rows sum to 1)`, `A_{${h}}`, [T, T], labels, labels, (i, j) => ctx.pattern.at(h, i, j)),
      text(`Row ${tr.t} (${q(ctx.tokens[tr.t].text)}${tr.t >= n ? ', below the rows shown' : ''}) is the one the chart is built from: its largest entry is A[${tr.t}, ${tr.maxToken}] = ${w4(row[tr.maxToken])} (${q(ctx.tokens[tr.maxToken].text)}), from the score ${num(tr.maxScore)}; Σ_s exp(S_ts − max) = ${num(tr.sumExp, 4)}. Its entropy is ${num(bits, 2)} bits of a possible log₂ ${vis} = ${num(Math.log2(vis), 2)}, i.e. about ${num(2 ** bits, 1)} tokens' worth of attention.${tr.causal && tr.masked.some(Boolean) ? ` The ${tr.masked.filter(Boolean).length} masked entries are exactly 0.` : ''}${sinkSentence(ctx, r)}`),
    ],
  };
}

/** A sentence on special tokens or the first position as a resting place, when the numbers show one. */
function sinkSentence(ctx: ExplainContext, r: Reading): string {
  const v = ctx.view;
  const each = r.specials.map((i) => `${labelOf(ctx, i)} gets ${w4(r.row[i])}`).join(' and ');
  if (r.specials.length && r.specialWeight >= 0.2) {
    return ` In the chart's row, ${each}: special tokens carry no content of their own, and trained models often use them as a no-op target (an “attention sink”), so this mass says little about the words.`;
  }
  if (r.specials.length && r.specialWeight >= 0.05) return ` In the chart's row, ${each} (${pct(r.specialWeight)} on special tokens).`;
  if (r.specials.length) return ` The special tokens (${r.specials.map((i) => labelOf(ctx, i)).join(', ')}) get only ${pct(r.specialWeight)} in the chart's row.`;
  const first = v.items.findIndex((it) => !it.special);
  if (v.model.causal && v.query - first >= 3 && r.row[first] >= 0.3) {
    return ` In the chart's row, the first word takes ${pct(r.row[first])}: causal models often park attention on position 0 when nothing else is needed, so a large weight there is not by itself a sign that ${q(labelOf(ctx, first))} matters.`;
  }
  return '';
}

function output(ctx: ExplainContext, tr: HeadTrace): Section {
  const { T, C, H, D } = tr;
  const h = tr.head;
  const n = rowsShown(T);
  const rows = ctx.tokens.slice(0, n).map((t) => t.text);
  const dims = Array.from({ length: Math.min(DIMS, D) }, (_, d) => `d${d}`);
  const gpt2 = ctx.config.arch === 'gpt2';
  const nPre = norm(tr.residPre), nOut = norm(tr.attnOut);
  return {
    title: 'Values, heads and the residual stream',
    blocks: [
      {
        kind: 'math',
        tex: `Z_h = A_h V_h \\in \\mathbb{R}^{${T}\\times ${D}},\\qquad \\mathrm{MHA}(X) = [Z_0 \\,|\\, \\cdots \\,|\\, Z_{${H - 1}}]\\, W_O + \\mathbf{1} b_O^\\top = \\sum_{h=0}^{${H - 1}} Z_h W_O^{(h)} + \\mathbf{1} b_O^\\top \\in \\mathbb{R}^{${T}\\times ${C}},\\quad W_O \\in \\mathbb{R}^{${H * D}\\times ${C}}`,
        plain: `Z_h = A_h·V_h  (${T}×${D});   MHA(X) = concat(Z_0 … Z_${H - 1})·W_O + b_O = Σ_h Z_h·W_O[h] + b_O  (${T}×${C}),  W_O: ${H * D}×${C}`,
      },
      matrix(`Z: weighted values of head ${h}`, `Z_{${h}}`, [T, D], rows, dims, (i, j) => ctx.z.at(i, h, j)),
      gpt2
        ? { kind: 'math', tex: `x = \\mathrm{LN}_1(h_{\\ell}),\\quad h_{\\ell}' = h_{\\ell} + \\mathrm{MHA}(x),\\quad h_{\\ell+1} = h_{\\ell}' + \\mathrm{MLP}(\\mathrm{LN}_2(h_{\\ell}'))`, plain: "pre-LN (GPT-2):  x = LN1(h),  h' = h + MHA(x),  h_next = h' + MLP(LN2(h'))" }
        : { kind: 'math', tex: `h_{\\ell}' = \\mathrm{LN}_1(h_{\\ell} + \\mathrm{MHA}(h_{\\ell})),\\quad h_{\\ell+1} = \\mathrm{LN}_2(h_{\\ell}' + \\mathrm{MLP}(h_{\\ell}'))`, plain: "post-LN (BERT):  h' = LN1(h + MHA(h)),  h_next = LN2(h' + MLP(h'))" },
      text(`For token ${tr.t}: ‖h‖ = ${num(nPre)}, ‖MHA(·)_t‖ = ${num(nOut)} (ratio ${num(nOut / nPre, 3)}), of which head ${h}'s term Z_h W_O^(h) has norm ${num(norm(tr.headOut))}. ${gpt2 ? 'In the pre-LN arrangement the sum is not renormalized: the residual stream keeps its scale, and each layer writes into it additively.' : 'In the post-LN arrangement the sum is renormalized at once, so what survives is the direction of h + MHA(h), not its length.'}`),
    ],
  };
}

function aggregation(ctx: ExplainContext, r: Reading, tr: HeadTrace): Section {
  const s = ctx.view.selection;
  const H = ctx.view.model.heads;
  const causal = ctx.config.causal;
  const defs: Record<typeof s.aggregate, { tex: string; plain: string }> = {
    head: { tex: `\\bar A = A_{${ctx.head}}`, plain: `chart = A_${ctx.head}` },
    mean: { tex: `\\bar A = \\frac{1}{${H}} \\sum_{h} A_h`, plain: `chart = (1/${H}) Σ_h A_h` },
    max: { tex: `\\bar A_{ts} = \\max_h (A_h)_{ts}`, plain: 'chart[t, s] = max over h of A_h[t, s] (rows no longer sum to 1)' },
    rollout: {
      tex: `R^{(${s.layer})} = \\hat A_{${s.layer}} \\cdots \\hat A_0,\\qquad \\hat A_\\ell = \\mathrm{rownorm}\\!\\left(\\tfrac12 \\cdot \\tfrac{1}{${H}}\\textstyle\\sum_h A_{\\ell,h} + \\tfrac12 I\\right)`,
      plain: `R = Â_${s.layer} ⋯ Â_0,  Â_l = rownorm(½·mean_h A_l,h + ½·I)   (Abnar & Zuidema 2020)`,
    },
  };
  const merge = causal
    ? { tex: `a_{w} = \\sum_{s \\in w} \\bar A_{t^*, s},\\quad t^* = \\text{last token of the query word}`, plain: 'a_w = Σ_{s ∈ w} chart[t*, s], t* = the query word\'s last token' }
    : { tex: `a_{w} = \\frac{1}{|q|}\\sum_{t \\in q} \\sum_{s \\in w} \\bar A_{t, s}`, plain: 'a_w = mean over the query word\'s tokens t of Σ_{s ∈ w} chart[t, s]' };
  const rowSum = r.row.reduce((a, b) => a + b, 0);
  const blocks: Block[] = [
    { kind: 'math', tex: `${defs[s.aggregate].tex},\\qquad ${merge.tex}`, plain: `${defs[s.aggregate].plain}\n${merge.plain}` },
    text(`${s.aggregate === 'rollout' ? 'Rollout (Abnar & Zuidema 2020) treats the residual connection as half of each layer’s mixing and multiplies the layers’ head-averaged patterns, a rough estimate of how much each input token flows into the query position by this depth. ' : ''}${s.aggregate === 'max' ? `The maximum over heads is a display device: this row sums to ${num(rowSum, 3)}, not 1. ` : ''}Over the ${ctx.view.items.length - r.blocked.length} items the query can see, the chart's row has entropy ${num(r.entropy / Math.LN2, 2)} bits (evenness ${num(r.evenness, 2)} of the maximum), the top two items hold ${pct(r.top2)}, the query itself ${pct(r.selfWeight / (rowSum || 1))}. Head ${ctx.head}'s row differs from the layer mean by a total variation of ${num(r.headVsMean, 3)}.`),
    ...chartBlocks(ctx, r, tr).filter((b) => b.kind !== 'text' || !b.text.startsWith('So the chart')),
  ];
  return { title: 'What the chart shows', blocks };
}

function caveat(ctx: ExplainContext, r: Reading, tr: HeadTrace): Section {
  const vis = tr.weights.map((_, s) => s).filter((s) => !tr.masked[s]);
  const byWeight = ranked(tr.weights, (s) => !tr.masked[s]);
  const byNorm = ranked(tr.termNorms, (s) => !tr.masked[s]);
  const tok = (s: number) => q(ctx.tokens[s].text);
  const agree = byWeight[0] === byNorm[0];
  const heads = ctx.config.nLayers * ctx.config.nHeads;
  const data = agree
    ? `In this head the largest weight, on ${tok(byWeight[0])}, also gives the largest term ‖a_s v_s‖ (${num(tr.termNorms[byNorm[0]])}), so here weight and contribution happen to agree.`
    : `This run shows why: the largest weight is on ${tok(byWeight[0])} (${w4(tr.weights[byWeight[0]])}), but the largest term ‖a_s v_s‖ comes from ${tok(byNorm[0])} (${num(tr.termNorms[byNorm[0]])} against ${num(tr.termNorms[byWeight[0]])}), whose value vector is longer; Kobayashi et al. (2020) make the same point about value norms.`;
  return {
    title: 'What attention weights do not tell you',
    blocks: [
      text(`Jain and Wallace (2019) showed that attention weights often disagree with gradient- and leave-one-out measures of which inputs matter, and that quite different attention distributions can leave a model's prediction unchanged. Wiegreffe and Pinter (2019) answered that this depends on the test: the weights are not arbitrary and can carry real information, but whether they explain a decision must be checked rather than assumed. Neither reading lets one head's row stand in for the reason behind an output.`),
      text(`${data} Beyond that, this row is one of ${heads} heads (${ctx.config.nLayers} layers × ${ctx.config.nHeads}), its output is mixed by W_O, the MLPs and later layers, and the whole attention output for this token is ${pct(norm(tr.attnOut) / norm(tr.residPre))} of the length of the residual stream it is added to. To test a claim such as “${r.word} relies on ${labelOf(ctx, r.topContext >= 0 ? r.topContext : r.top)} here”, intervene (ablate or patch that head, compare outputs) rather than read weights; over ${vis.length} visible tokens the weights show where information may flow, not that it mattered.`),
    ],
  };
}

export function expert(ctx: ExplainContext): Explanation {
  const r = readView(ctx);
  const tr = headTrace(ctx);
  const { blocks: costB, cost } = costBlocks(tr.T, tr.C, tr.H, ctx.config.nLayers, tr.causal, ctx.config.nPositions);
  return {
    level: 'expert',
    title: `Self-attention in layer ${ctx.layer} of ${ctx.view.model.name}, head ${ctx.head}, for ${q(r.word)}`,
    sections: [
      shapes(ctx, tr, r),
      projections(ctx, tr),
      scores(ctx, tr, r),
      output(ctx, tr),
      aggregation(ctx, r, tr),
      { title: `Cost for T = ${tr.T}`, blocks: costB },
      caveat(ctx, r, tr),
    ],
    facts: {
      ...viewFacts(ctx, r),
      T: tr.T, C: tr.C, H: tr.H, D: tr.D, dK: tr.D, L: ctx.config.nLayers,
      scale: tr.scale,
      queryToken: tr.t,
      topToken: tr.maxToken,
      topTokenWeight: tr.weights[tr.maxToken],
      maxScore: tr.maxScore,
      sumExp: tr.sumExp,
      headVsMean: r.headVsMean,
      flopsProjections: cost.projections,
      flopsScores: cost.scores,
      flopsMix: cost.mix,
      flopsTotal: cost.total,
      patternBytes: cost.patternBytes,
    },
  };
}
