// The hacker level: the story step by step with this run's numbers, for one layer, head and query token:
// the vector, its query, the keys, the dot products, the scaling and masking, the softmax, the weighted sum
// of values, and the output projection back into the residual stream.

import type { ExplainContext } from '../interpret/context.js';
import { viewFacts } from './facts.js';
import { entropy, norm, num, pct, plural, q, vec, w4 } from './numbers.js';
import { labelOf, readView } from './reading.js';
import { chartBlocks, followText, headBlocks } from './setup.js';
import { headTrace, itemOfToken, slice, type HeadTrace } from './trace.js';
import type { Block, Explanation, Section } from './types.js';

/** At most this many token rows per table; beyond it, the highest-weighted ones (in order) and a summary row. */
const MAX_ROWS = 16;

const text = (t: string): Block => ({ kind: 'text', text: t });

/** Token indices a table shows: the visible ones, or the heaviest MAX_ROWS − 1 of them. */
function tableTokens(tr: HeadTrace): { shown: number[]; hidden: number[] } {
  const visible = tr.weights.map((_, s) => s).filter((s) => !tr.masked[s]);
  if (visible.length <= MAX_ROWS) return { shown: visible, hidden: [] };
  const keep = new Set([...visible].sort((a, b) => tr.weights[b] - tr.weights[a]).slice(0, MAX_ROWS - 1).concat(tr.t));
  return { shown: visible.filter((s) => keep.has(s)), hidden: visible.filter((s) => !keep.has(s)) };
}

function setup(ctx: ExplainContext, tr: HeadTrace): Section {
  const m = ctx.view.model;
  const toks = ctx.tokens.map((t) => t.text).join(' | ');
  const marks = ctx.config.arch === 'gpt2' && ctx.tokens.some((t) => t.text.startsWith('Ġ'))
    ? ' (Ġ marks a token that begins with a space)'
    : ctx.tokens.some((t) => t.text.startsWith('##')) ? ' (## marks a piece that continues the previous token’s word)' : '';
  return {
    title: 'What we follow',
    blocks: [
      text(`${m.name} is ${m.arch === 'gpt2' ? 'a GPT-2-style (causal) model' : 'a BERT-style (bidirectional) model'} with ${m.layers} layers of ${m.heads} heads; each token is a vector of C = ${tr.C} numbers, and each head works in d_k = ${tr.D} dimensions (C / H = ${tr.C} / ${tr.H}). The sentence is ${tr.T} tokens: ${toks}${marks}.`),
      ...followText(ctx, readView(ctx), tr).map(text),
    ],
  };
}

function vectorSteps(ctx: ExplainContext, tr: HeadTrace): Section[] {
  const src = ctx.config.arch === 'gpt2'
    ? 'the residual stream after LayerNorm ln_1 (GPT-2 normalizes before attention)'
    : ctx.layer === 0 ? 'the token’s embedding after BERT’s embedding LayerNorm' : `the output of layer ${ctx.layer - 1} (BERT normalizes after each sublayer)`;
  const W = slice(ctx.W_Q, tr.head);
  const b = ctx.b_Q.at(tr.head, 0);
  const term = (c: number) => `${par(tr.x[c])}×${par(W[c * tr.D])}`;
  const tok = q(ctx.tokens[tr.t].text);
  const { shown, hidden } = tableTokens(tr);
  const later = tr.masked.filter(Boolean).length;
  const K = Math.min(6, tr.D);
  return [
    {
      title: '1. The vector attention reads',
      blocks: [
        text(`Attention does not read the word itself but a list of ${tr.C} numbers for token ${tok}: ${src}. The first ${Math.min(6, tr.C)}:`),
        { kind: 'math', tex: `x_{${tr.t}} = ${texVec(tr.x)} \\in \\mathbb{R}^{${tr.C}},\\quad \\lVert x \\rVert = ${num(norm(tr.x))}`, plain: `x = ${vec(tr.x)}   (${tr.C} numbers, length ${num(norm(tr.x))})` },
      ],
    },
    {
      title: '2. Its query: what this token is looking for',
      blocks: [
        text(`Head ${tr.head} multiplies x by its own ${tr.C}×${tr.D} matrix W_Q and adds a bias: ${tr.C} numbers in, ${tr.D} out. Each entry of q is one long sum; the first, spelled out: q[0] = ${term(0)} + ${term(1)} + … (${tr.C} products) + ${par(b)} = ${num(tr.q[0])}.`),
        { kind: 'math', tex: `q = x\\,W_Q^{(${tr.head})} + b_Q^{(${tr.head})} = ${texVec(tr.q)}`, plain: `q = x·W_Q + b_Q = ${vec(tr.q)}   (${tr.D} numbers)` },
      ],
    },
    {
      title: '3. Every token’s key: what it offers',
      blocks: [
        text(`Every token gets a key the same way, with a different matrix: k = x·W_K + b_K. The query will be compared with each key.${later ? ` The ${plural(later, 'later token')} have keys too, but ${tok} is not allowed to use them, so they are left out below.` : ''}`),
        {
          kind: 'table',
          caption: `Keys of head ${tr.head}, first ${K} of ${tr.D} numbers`,
          columns: ['token', 'word', ...Array.from({ length: K }, (_, d) => `k[${d}]`)],
          rows: shown.map((s) => [ctx.tokens[s].text, wordOf(ctx, s), ...tr.keys[s].slice(0, K).map((x) => num(x))]),
        },
        ...(hidden.length ? [text(`(${plural(hidden.length, 'token')} with the smallest weights are not listed.)`)] : []),
      ],
    },
  ];
}

function wordOf(ctx: ExplainContext, s: number): string {
  const i = itemOfToken(ctx, s);
  return i >= 0 ? labelOf(ctx, i) : '';
}

function texVec(xs: number[], n = 6): string {
  const shown = xs.slice(0, n).map((x) => num(x)).join(', ');
  return `[${shown}${xs.length > n ? ', \\dots' : ''}]`;
}

function scoreSteps(ctx: ExplainContext, tr: HeadTrace): Section[] {
  const top = tr.maxToken;
  const sqrt = Math.sqrt(tr.D);
  const inv = ctx.config.scaleByInverseLayer ? ` and by the layer number plus one (${tr.layer + 1}), an option this model uses` : '';
  const divisor = 1 / tr.scale;
  const div = `÷ ${num(divisor, divisor === Math.round(divisor) ? 0 : 3)}`;
  const tok = (s: number) => q(ctx.tokens[s].text);
  const prod = (d: number) => `${par(tr.q[d])}×${par(tr.keys[top][d])}`;
  const { shown, hidden } = tableTokens(tr);
  const masked = tr.masked.map((m, s) => (m ? s : -1)).filter((s) => s >= 0);
  const rows = shown.map((s) => {
    const base = [ctx.tokens[s].text, wordOf(ctx, s), num(tr.dot[s]), num(tr.dot[s] * tr.scale)];
    return [...base, ...(tr.causal ? [num(tr.scores[s])] : []), w4(tr.exps[s]), w4(tr.weights[s])];
  });
  for (const s of masked.slice(0, 3)) rows.push([ctx.tokens[s].text, wordOf(ctx, s), num(tr.dot[s]), num(tr.dot[s] * tr.scale), '−∞', w4(0), w4(tr.weights[s])]);
  if (masked.length > 3) rows.push(['…', `${masked.length - 3} more masked`, '', '', '−∞', w4(0), w4(0)]);
  const unscaled = softmaxMax(tr.dot, tr.masked);
  const scaledTop = tr.weights[top];
  const effect = unscaled - scaledTop > 0.05
    ? `Without that division the top weight would be ${w4(unscaled)} instead of ${w4(scaledTop)}: the scaling keeps the softmax from locking onto one token too early.`
    : `Here the scores are small enough that skipping the division would change little (top weight ${w4(unscaled)} instead of ${w4(scaledTop)}); with wider heads the dot products grow, and it matters more.`;
  const bits = entropy(tr.weights) / Math.LN2;
  const visible = tr.masked.filter((m) => !m).length;
  const who = top === tr.t ? ' (the token itself)' : top === tr.t - 1 ? ' (the token right before it)' : ctx.tokens[top].special ? ' (a special token, not a word)' : '';
  const conc = scaledTop >= 0.6 ? `The result is focused: ${tok(top)}${who} alone takes ${pct(scaledTop)}.`
    : scaledTop < 1.5 / visible ? `The result is spread out: no token gets much more than an even share (${pct(1 / visible)}).`
    : `The result leans towards ${tok(top)}${who} (${pct(scaledTop)}) without settling on it.`;
  const specials = tr.weights.map((_, s) => s).filter((s) => ctx.tokens[s].special && !tr.masked[s]);
  const spW = specials.reduce((a, s) => a + tr.weights[s], 0);
  const spNames = specials.map((s) => ctx.tokens[s].text).join(' and ');
  const spText = !specials.length ? ''
    : spW >= 0.2 ? ` ${spNames} take ${pct(spW)} together: they stand for no word, and heads often use them as a place to put attention that nothing else needs.`
    : ` The special tokens ${spNames} get little here (${pct(spW)} together).`;
  return [
    {
      title: '4. Query · key: one score per token',
      blocks: [
        text(`The dot product multiplies q and k entry by entry and adds up the ${tr.D} products: large when they point the same way. For ${tok(top)}: q·k = ${prod(0)} + ${prod(1)} + … = ${num(tr.dot[top])}. Each dot product is then divided by √d_k = √${tr.D} = ${num(sqrt, sqrt === Math.round(sqrt) ? 0 : 3)}${inv}, which gives the score. ${effect}`),
        ...(tr.causal ? [text(masked.length
          ? `This model is causal: a token may only look at itself and earlier tokens, so the scores of the ${plural(masked.length, 'later token')} are replaced by −∞ (“masked”), whatever their q·k was.`
          : `This model is causal, so later tokens would be masked (score −∞), but ${tok(tr.t)} is the last token: nothing is masked.`)] : []),
        {
          kind: 'table',
          caption: `Head ${tr.head}, query ${tok(tr.t)}: scores, exponentials and weights`,
          columns: ['token', 'word', 'q·k', `q·k ${div}`, ...(tr.causal ? ['score'] : []), 'exp(score − max)', 'weight'],
          rows,
        },
        ...(hidden.length ? [text(`(${plural(hidden.length, 'token')} with the smallest weights are not listed; they share ${w4(hidden.reduce((a, s) => a + tr.weights[s], 0))}.)`)] : []),
      ],
    },
    {
      title: '5. Softmax: from scores to weights',
      blocks: [
        text(`Softmax turns the scores into positive weights that add up to 1: raise e to each score, then divide by the total. Subtracting the largest score first (${num(tr.maxScore)}, for ${tok(tr.maxToken)}) does not change the result but keeps the exponentials from overflowing.${masked.length ? ` exp(−∞) = 0, so masked tokens get weight exactly 0.` : ''}`),
        sumBlock(tr),
        ...divisions(ctx, tr),
        text(`${conc} The entropy of these weights is ${num(bits, 2)} bits, against ${num(Math.log2(visible), 2)} for an even split over the ${visible} tokens it can see.${spText}`),
      ],
    },
  ];
}

function softmaxMax(dot: number[], masked: boolean[]): number {
  const vis = dot.filter((_, s) => !masked[s]);
  const m = Math.max(...vis);
  const e = vis.map((d) => Math.exp(d - m));
  return Math.max(...e) / e.reduce((a, b) => a + b, 0);
}

function sumBlock(tr: HeadTrace): Block {
  const terms = tr.exps.map((e, s) => ({ e, s })).filter(({ s }) => !tr.masked[s]);
  const shown = terms.slice(0, 8).map(({ e }) => w4(e));
  const more = terms.length > 8 ? ` + … (${terms.length} terms)` : '';
  return {
    kind: 'math',
    tex: `\\sum_s e^{\\,\\mathrm{score}_s - \\max} = ${shown.join(' + ')}${more ? ' + \\dots' : ''} = ${w4(tr.sumExp)}`,
    plain: `sum of exps = ${shown.join(' + ')}${more} = ${w4(tr.sumExp)}`,
  };
}

function divisions(ctx: ExplainContext, tr: HeadTrace): Block[] {
  const top = tr.weights.map((_, s) => s).filter((s) => !tr.masked[s]).sort((a, b) => tr.weights[b] - tr.weights[a]).slice(0, 3);
  const tex = top.map((s) => `\\mathrm{weight}(\\text{${texText(ctx.tokens[s].text)}}) &= \\frac{${w4(tr.exps[s])}}{${w4(tr.sumExp)}} = ${w4(tr.softmax[s])}`);
  const plain = top.map((s) => `weight(${ctx.tokens[s].text}) = ${w4(tr.exps[s])} / ${w4(tr.sumExp)} = ${w4(tr.softmax[s])}`);
  return [{ kind: 'math', tex: `\\begin{aligned} ${tex.join(' \\\\ ')} \\end{aligned}`, plain: plain.join('\n') }];
}

/** Text safe inside \text{…}. */
export function texText(s: string): string {
  return s.replace(/[\\{}$&#^_%~]/g, (c) => (c === '\\' ? '\\textbackslash{}' : c === '~' ? '\\textasciitilde{}' : c === '^' ? '\\textasciicircum{}' : `\\${c}`));
}

function mixSteps(ctx: ExplainContext, tr: HeadTrace): Section[] {
  const K = Math.min(4, tr.D);
  const { shown } = tableTokens(tr);
  const total = tr.termNorms.reduce((a, b) => a + b, 0);
  const byWeight = shown.slice().sort((a, b) => tr.weights[b] - tr.weights[a]);
  const byTerm = shown.slice().sort((a, b) => tr.termNorms[b] - tr.termNorms[a]);
  const tok = (s: number) => q(ctx.tokens[s].text);
  const lead = byTerm[0];
  const dom = tr.termNorms[lead] / total;
  const domText = dom >= 0.5
    ? `${tok(lead)}'s term dominates: ${pct(dom)} of the total length of the terms, so z is mostly ${tok(lead)}'s value vector, scaled.`
    : `No single term dominates: the largest, ${tok(lead)}'s, is ${pct(dom)} of the total length of the terms, so z is a blend.`;
  const mismatch = byWeight[0] !== byTerm[0]
    ? ` Note that ${tok(byWeight[0])} has the largest weight but ${tok(lead)} contributes the longest vector, because its value vector is longer: the weight alone does not say how much a token moves the result.`
    : '';
  const nPre = norm(tr.residPre), nOut = norm(tr.attnOut), nHead = norm(tr.headOut);
  const ratio = nOut / nPre;
  const size = ratio < 0.2 ? 'a small nudge' : ratio < 0.6 ? 'a sizeable change' : 'a change as big as the vector itself';
  const cos = dotp(tr.residPre, tr.residMid) / (nPre * norm(tr.residMid));
  const angle = (Math.acos(Math.max(-1, Math.min(1, cos))) * 180) / Math.PI;
  const residText = ctx.config.arch === 'gpt2'
    ? `GPT-2 adds it straight onto the residual stream: resid_mid = resid_pre + attn_out. Here ‖resid_pre‖ = ${num(nPre)} and ‖attn_out‖ = ${num(nOut)} (${pct(ratio)} of it): ${size}, turning the vector by ${num(angle, 1)}°. The MLP comes next, and then the next layer reads the result.`
    : `BERT adds it to the stream and then normalizes the sum (post-LN): LayerNorm(resid_pre + attn_out). Here ‖resid_pre‖ = ${num(nPre)} and ‖attn_out‖ = ${num(nOut)} (${pct(ratio)} of it): ${size}, turning the vector by ${num(angle, 1)}° before the normalization.`;
  return [
    {
      title: '6. Mixing the values',
      blocks: [
        text(`Each token also has a value vector, v = x·W_V + b_V: what it hands over if attended to (the key decides how much; the value is what). The head's output for ${tok(tr.t)} is the weighted sum z = Σ weight × v.`),
        {
          kind: 'table',
          caption: `Values of head ${tr.head} (first ${K} of ${tr.D} numbers) and each term's length ‖weight × v‖`,
          columns: ['token', 'weight', ...Array.from({ length: K }, (_, d) => `v[${d}]`), '‖weight×v‖'],
          rows: shown.map((s) => [ctx.tokens[s].text, w4(tr.weights[s]), ...tr.values[s].slice(0, K).map((x) => num(x)), num(tr.termNorms[s])]),
        },
        { kind: 'math', tex: `z = \\sum_s a_s v_s = ${texVec(tr.z)}`, plain: `z = ${vec(tr.z)}   (${tr.D} numbers)` },
        text(domText + mismatch),
      ],
    },
    {
      title: '7. Back into the stream',
      blocks: [
        text(`z has ${tr.D} numbers. The ${tr.H} heads' z vectors are laid side by side (${tr.H} × ${tr.D} = ${tr.C} numbers) and multiplied by the output matrix W_O (${tr.C}×${tr.C}), plus a bias: that is attn_out, the attention layer's output for this token, the same width as the stream. Head ${tr.head}'s own share, z·W_O[${tr.head}], has length ${num(nHead)}; the whole attn_out has length ${num(nOut)}.`),
        text(residText),
        {
          kind: 'math',
          tex: `\\underbrace{${texVec(tr.residPre, 4)}}_{\\text{resid\\_pre}} + \\underbrace{${texVec(tr.attnOut, 4)}}_{\\text{attn\\_out}} = \\underbrace{${texVec(tr.residMid, 4)}}_{\\text{resid\\_mid}}`,
          plain: `resid_pre ${vec(tr.residPre, 4)}\n+ attn_out ${vec(tr.attnOut, 4)}\n= resid_mid ${vec(tr.residMid, 4)}`,
        },
      ],
    },
  ];
}

/** A factor in a spelled-out product: negatives in parentheses. */
const par = (x: number) => (x < 0 ? `(${num(x)})` : num(x));

const dotp = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i], 0);

export function hacker(ctx: ExplainContext): Explanation {
  const r = readView(ctx);
  const tr = headTrace(ctx);
  const tokText = ctx.tokens[tr.t].text;
  const sections: Section[] = [
    setup(ctx, tr),
    ...vectorSteps(ctx, tr),
    ...scoreSteps(ctx, tr),
    ...mixSteps(ctx, tr),
    { title: 'From tokens to the chart', blocks: chartBlocks(ctx, r, tr) },
    { title: `Head ${ctx.head} among the heads of layer ${ctx.layer}`, blocks: headBlocks(ctx, r) },
  ].filter((s) => s.blocks.length > 0);
  return {
    level: 'hacker',
    title: `How ${q(r.word)} gathers context: layer ${ctx.layer}, head ${ctx.head}, step by step`,
    sections,
    facts: {
      ...viewFacts(ctx, r),
      dK: tr.D,
      scale: tr.scale,
      queryToken: tr.t,
      queryTokenText: tokText,
      topToken: tr.maxToken,
      topTokenText: ctx.tokens[tr.maxToken].text,
      topTokenDot: tr.dot[tr.maxToken],
      topTokenScore: tr.scores[tr.maxToken],
      topTokenWeight: tr.weights[tr.maxToken],
      maxScore: tr.maxScore,
      sumExp: tr.sumExp,
      maskedCount: tr.masked.filter(Boolean).length,
      x: tr.x,
      q: tr.q,
      dots: tr.dot,
      scores: tr.scores,
      exps: tr.exps,
      weights: tr.weights,
      z: tr.z,
      residPreNorm: norm(tr.residPre),
      attnOutNorm: norm(tr.attnOut),
      headOutNorm: norm(tr.headOut),
      tokenCount: tr.T,
    },
  };
}
