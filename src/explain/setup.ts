// Shared by the hacker and expert levels: which head and token the arithmetic follows and why, how the
// chart's word-level numbers come from the token rows, and how the narrated head compares with its layer.

import type { ExplainContext } from '../interpret/context.js';
import { queryRows } from '../interpret/words.js';
import { entropy, list, num, pct, q, ranked, w4 } from './numbers.js';
import { labelOf, type Reading } from './reading.js';
import type { HeadTrace } from './trace.js';
import type { Block } from './types.js';

const tok = (ctx: ExplainContext, s: number) => q(ctx.tokens[s].text);

/** Why this head and this token. */
export function followText(ctx: ExplainContext, r: Reading, tr: HeadTrace): string[] {
  const v = ctx.view, s = v.selection;
  const out: string[] = [];
  const best = tr.weights[tr.maxToken];
  const why = `the layer's most focused head for this token: its largest weight on a single token, ${w4(best)} on ${tok(ctx, tr.maxToken)}, is the highest among the ${v.model.heads} heads`;
  switch (s.aggregate) {
    case 'head':
      out.push(`The chart shows one head, head ${ctx.head} of layer ${ctx.layer}, so its arithmetic is exactly what we follow.`);
      break;
    case 'mean':
    case 'max':
      out.push(`The chart shows the ${s.aggregate === 'mean' ? 'mean' : 'element-wise maximum'} of the ${v.model.heads} heads of layer ${s.layer}. That combination has no arithmetic of its own to follow, so we follow one real head: head ${ctx.head}, ${why}.`);
      break;
    case 'rollout':
      out.push(`The chart shows attention rollout: head-averaged attention multiplied through layers 0 to ${s.layer}, with the residual connection counted in. Rollout is bookkeeping over several layers, not a computation the model runs, so we follow one real head in the last of those layers: head ${ctx.head} of layer ${ctx.layer}, ${why}.`);
      break;
  }
  const item = v.items[v.query];
  const t = ctx.queryToken;
  if (item.tokens.length > 1) {
    const pieces = list(item.tokens.map((i) => tok(ctx, i)));
    out.push(ctx.config.causal
      ? `${q(r.word)} is ${item.tokens.length} tokens (${pieces}). In a causal model only the last one, ${tok(ctx, t)}, has seen the whole word, so its row stands for the word and is the one we follow.`
      : `${q(r.word)} is ${item.tokens.length} tokens (${pieces}); the chart averages their rows, and we follow the first, ${tok(ctx, t)} (token ${t}).`);
  } else {
    out.push(`${q(r.word)} is a single token, ${tok(ctx, t)} (position ${t} of ${tr.T}, counting from 0).`);
  }
  return out;
}

/** How the chart's row relates to the narrated head's token row. */
export function chartBlocks(ctx: ExplainContext, r: Reading, tr: HeadTrace): Block[] {
  const v = ctx.view, s = v.selection;
  const blocks: Block[] = [];
  const multi = v.items.filter((it, i) => it.tokens.length > 1 && !v.blocked[i]);
  const qRows = queryRows(v.items[v.query], ctx.config.causal);
  const singleRow = qRows.length === 1;
  if (v.unit === 'token') {
    blocks.push({ kind: 'text', text: 'The chart is in token mode: each bar is one token, so its numbers are the token rows themselves.' });
  } else if (multi.length === 0) {
    blocks.push({ kind: 'text', text: 'Every word here is a single token, so word and token numbers coincide.' });
  } else {
    const ex = multi.map((it) => {
      const parts = it.tokens.map((t) => `${tok(ctx, t)} ${w4(tr.weights[t])}`).join(' + ');
      return `${q(it.label)}: ${parts} = ${w4(it.tokens.reduce((a, t) => a + tr.weights[t], 0))}`;
    });
    blocks.push({ kind: 'text', text: `A word's weight is the sum of its tokens' weights. In head ${ctx.head}: ${ex.join('; ')}.` });
  }
  if (!singleRow) {
    blocks.push({ kind: 'text', text: `As a query, ${q(r.word)} is ${qRows.length} tokens; the chart's row for it is the mean of their ${qRows.length} rows, so it differs from the single token row above.` });
  }
  if (s.aggregate === 'head' && singleRow) {
    blocks.push({ kind: 'text', text: `So the chart's bars are exactly the weights computed above (top: ${q(labelOf(ctx, r.top))} ${w4(r.row[r.top])}).` });
    return blocks;
  }
  const what = s.aggregate === 'mean' ? `the mean over the ${v.model.heads} heads` : s.aggregate === 'max' ? `the largest weight any of the ${v.model.heads} heads gives` : `rollout through layers 0–${s.layer}`;
  const order = ranked(r.row, (i) => !v.blocked[i]).slice(0, 8);
  blocks.push({
    kind: 'table',
    caption: `Chart (${what}) against head ${ctx.head} of layer ${ctx.layer}, word by word`,
    columns: ['word', 'chart', `head ${ctx.head}`],
    rows: order.map((i) => [labelOf(ctx, i), w4(r.row[i]), w4(r.headRow[i])]),
  });
  const same = r.headTop === r.top;
  blocks.push({
    kind: 'text',
    text: same
      ? `Head ${ctx.head} and the chart agree on the top word, ${q(labelOf(ctx, r.top))}, though head ${ctx.head} gives it ${w4(r.headRow[r.top])} against the chart's ${w4(r.row[r.top])}.`
      : `They disagree on the top word: the chart's is ${q(labelOf(ctx, r.top))}, head ${ctx.head}'s is ${q(labelOf(ctx, r.headTop))}. Keep that in mind when reading the chart as “what the model looks at”.`,
  });
  return blocks;
}

/** One row per head of the narrated layer: its favourite word, weight and spread; plus one comparing sentence. */
export function headBlocks(ctx: ExplainContext, r: Reading): Block[] {
  const H = r.headRows.length;
  if (H < 2) return [];
  const bits = (row: number[]) => entropy(row) / Math.LN2;
  const rows = r.headRows.map((row, h) => [h === ctx.head ? `${h} ◀` : String(h), labelOf(ctx, r.headTops[h]), w4(row[r.headTops[h]]), num(bits(row), 2)]);
  rows.push(['mean', labelOf(ctx, ranked(r.meanRow)[0]), w4(Math.max(...r.meanRow)), num(bits(r.meanRow), 2)]);
  const tv = r.headVsMean;
  const verdict = tv < 0.15 ? 'close to the layer average' : tv < 0.4 ? 'noticeably different from the layer average' : 'very different from the layer average';
  const distinct = new Set(r.headTops).size;
  const meanMax = Math.max(...r.meanRow);
  const flatter = r.headRows.every((row) => Math.max(...row) > meanMax)
    ? `, which is why their average (${pct(meanMax)} at most) looks flatter than any single head`
    : '';
  return [
    {
      kind: 'table',
      caption: `The ${H} heads of layer ${ctx.layer} for ${q(r.word)}, word by word (entropy in bits: 0 = all on one word; higher = more spread)`,
      columns: ['head', 'top word', 'weight', 'entropy'],
      rows,
    },
    {
      kind: 'text',
      text: `Head ${ctx.head} is ${verdict}: the two rows differ by a total variation of ${num(tv, 2)} (half the sum of absolute differences; 0 = identical, 1 = no overlap). ${distinct === 1 ? `All ${H} heads pick the same top word.` : `The heads pick ${distinct} different top words${flatter}.`}`,
    },
  ];
}
