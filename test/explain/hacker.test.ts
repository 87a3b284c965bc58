// The hacker walkthrough states the model's own numbers: every table cell and spelled-out step is compared
// with the cache (hook_q/k/v, hook_dot, hook_attn_scores, hook_pattern, hook_z) at the displayed rounding.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explainLevel } from '../../src/explain/index.js';
import { hookNames as n } from '../../src/models/hook-names.js';
import { MODELS, SELECTIONS, blocks, parse, prose, rowTokens, run, shows, table } from './helpers.js';

for (const name of MODELS) {
  for (const sel of SELECTIONS) {
    test(`hacker ${name} ${JSON.stringify(sel)}: scores table, softmax and facts equal the cache`, async () => {
      const a = await run(name, sel);
      const { context: ctx, cache } = a;
      const L = ctx.layer, h = ctx.head, t = ctx.queryToken;
      const e = explainLevel('hacker', ctx);
      const dot = cache.get(n.dot(L)), scores = cache.get(n.attnScores(L)), pattern = cache.get(n.pattern(L));
      const tab = table(e, 'q·k');
      const col = (re: RegExp) => tab.columns.findIndex((c) => re.test(c));
      const [cDot, cScaled, cScore, cExp, cW] = [col(/^q·k$/), col(/^q·k ÷/), col(/^score$/), col(/^exp/), col(/^weight$/)];
      assert.ok(tab.columns[cScaled].endsWith(`÷ ${Math.sqrt(ctx.config.dHead)}`), tab.columns[cScaled]);
      assert.equal(cScore >= 0, ctx.config.causal, 'a separate masked-score column only for causal models');
      const S = pattern.shape[2];
      const rowScores = Array.from({ length: S }, (_, s) => scores.at(h, t, s));
      const max = Math.max(...rowScores);
      const ids = rowTokens(tab.rows, ctx.tokens);
      let checked = 0;
      tab.rows.forEach((r, i) => {
        const s = ids[i];
        if (s < 0) return; // the "… more masked" summary row
        checked++;
        shows(r[cDot] as string, dot.at(h, t, s), `q·k of token ${s}`);
        shows(r[cScaled] as string, dot.at(h, t, s) * ctx.scale, `scaled q·k of token ${s}`);
        if (cScore >= 0) shows(r[cScore] as string, scores.at(h, t, s), `score of token ${s}`);
        const e_ = rowScores[s] === -Infinity ? 0 : Math.exp(rowScores[s] - max);
        shows(r[cExp] as string, e_, `exp of token ${s}`);
        shows(r[cW] as string, pattern.at(h, t, s), `weight of token ${s}`);
      });
      assert.ok(checked >= Math.min(S, 7));
      // facts: unrounded and equal to the cache
      const f = e.facts;
      assert.equal(f.dK, ctx.config.dHead);
      assert.equal(f.queryToken, t);
      assert.deepEqual(f.weights, Array.from({ length: S }, (_, s) => pattern.at(h, t, s)));
      assert.deepEqual(f.dots, Array.from({ length: S }, (_, s) => dot.at(h, t, s)));
      assert.deepEqual(f.scores, rowScores);
      const top = f.topToken as number;
      assert.equal(f.topTokenDot, dot.at(h, t, top));
      assert.equal(f.topTokenWeight, Math.max(...(f.weights as number[])));
      const sumExp = rowScores.reduce((acc, x) => acc + (x === -Infinity ? 0 : Math.exp(x - max)), 0);
      assert.ok(Math.abs((f.sumExp as number) - sumExp) < 1e-12);
      (f.exps as number[]).forEach((x, s) => assert.ok(Math.abs(x / sumExp - pattern.at(h, t, s)) < 2e-6, `exp/sum reproduces the softmax at ${s}`));
      assert.deepEqual(f.row, a.view.row);
    });
  }
}

test('hacker: the spelled-out sum and divisions reproduce the softmax; vectors equal hook_x/q/k/v/z', async () => {
  for (const name of MODELS) {
    const { context: ctx, cache } = await run(name, { layer: 1, head: 2 });
    const L = ctx.layer, h = ctx.head, t = ctx.queryToken;
    const e = explainLevel('hacker', ctx);
    const maths = blocks(e).filter((b) => b.kind === 'math').map((b) => (b as { plain: string }).plain);
    const sumLine = maths.find((m) => m.startsWith('sum of exps'))!;
    const terms = sumLine.replace(/^sum of exps = /, '').split(' = ');
    shows(terms[terms.length - 1], e.facts.sumExp as number, 'sum of exps');
    const divs = maths.find((m) => m.startsWith('weight('))!.split('\n');
    assert.equal(divs.length, 3);
    for (const line of divs) {
      const m = /^weight\((.+)\) = (\S+) \/ (\S+) = (\S+)$/.exec(line)!;
      assert.ok(m, line);
      const s = ctx.tokens.findIndex((tk) => tk.text === m[1]);
      shows(m[4], cache.get(n.pattern(L)).at(h, t, s), `division for ${m[1]}`);
      assert.ok(Math.abs(parse(m[2]) / parse(m[3]) - parse(m[4])) < 2e-4, line);
    }
    const vecOf = (prefix: string) => {
      const line = maths.find((m) => m.startsWith(prefix))!;
      return line.slice(line.indexOf('[') + 1, line.indexOf(']')).split(', ').filter((x) => x !== '…');
    };
    const x = cache.get(name === 'gpt2-tiny' ? n.ln1(L) : n.residPre(L));
    vecOf('x = ').forEach((v, c) => shows(v, x.at(t, c), `x[${c}]`));
    vecOf('q = ').forEach((v, d) => shows(v, cache.get(n.q(L)).at(t, h, d), `q[${d}]`));
    vecOf('z = ').forEach((v, d) => shows(v, cache.get(n.z(L)).at(t, h, d), `z[${d}]`));
    const keys = table(e, 'k[0]');
    rowTokens(keys.rows, ctx.tokens).forEach((s, i) => {
      for (let d = 0; d < 6; d++) shows(keys.rows[i][2 + d] as string, cache.get(n.k(L)).at(s, h, d), `k[${s}][${d}]`);
    });
    const vals = table(e, 'v[0]');
    rowTokens(vals.rows, ctx.tokens).forEach((s, i) => {
      shows(vals.rows[i][1] as string, cache.get(n.pattern(L)).at(h, t, s), `weight ${s}`);
      for (let d = 0; d < 4; d++) shows(vals.rows[i][2 + d] as string, cache.get(n.v(L)).at(s, h, d), `v[${s}][${d}]`);
    });
    assert.match(prose(e), new RegExp(`√d_k = √${ctx.config.dHead} = ${Math.sqrt(ctx.config.dHead)}`));
  }
});

test('hacker: word numbers are sums of token weights; aggregated charts are compared with the narrated head', async () => {
  const a = await run('gpt2-tiny', { layer: 0, head: 0 });
  const text = prose(explainLevel('hacker', a.context));
  const m = /“river's”: “Ġriver” (\S+) \+ “'s” (\S+) = (\S+)\./.exec(text);
  assert.ok(m, 'the multi-token word is shown as a sum');
  const ri = a.view.items.findIndex((it) => it.label === "river's");
  shows(m[3], a.view.row[ri], "river's in the chart");
  assert.ok(Math.abs(parse(m[1]) + parse(m[2]) - parse(m[3])) <= 1.5e-4);
  assert.match(text, /exactly the weights computed above/);

  for (const aggregate of ['mean', 'max', 'rollout'] as const) {
    const b = await run('bert-tiny', { layer: 1, aggregate });
    const e = explainLevel('hacker', b.context);
    const t = table(e, 'chart');
    assert.equal(b.context.headReason, 'most-focused');
    for (const r of t.rows) {
      const i = b.view.items.findIndex((it) => it.label === r[0]);
      shows(r[1] as string, b.view.row[i], `chart ${r[0]}`);
      shows(r[2] as string, b.view.grid[1][b.context.head][i], `head ${r[0]}`);
    }
    const p = prose(e);
    assert.match(p, new RegExp(`we follow one real head.*head ${b.context.head}.*most focused`));
    if (aggregate === 'rollout') assert.match(p, /rollout/);
  }
});

test('hacker: causal masking is explained where it applies, and masked tokens get −∞ and weight 0', async () => {
  const a = await run('gpt2-tiny', { layer: 1, head: 1 }, 'The bank of the river was muddy.');
  const e = explainLevel('hacker', a.context);
  const text = prose(e);
  assert.match(text, /causal.*later tokens? are replaced by −∞/);
  const tab = table(e, 'score');
  const masked = tab.rows.filter((r) => r[4] === '−∞');
  assert.ok(masked.length >= 3);
  for (const r of masked) assert.equal(parse(r[6] as string), 0);
  assert.ok((e.facts.maskedCount as number) >= 6);

  const last = explainLevel('hacker', (await run('gpt2-tiny', { layer: 1, head: 1 })).context);
  assert.match(prose(last), /is the last token: nothing is masked/);
  const bert = explainLevel('hacker', (await run('bert-tiny', { layer: 1, head: 1 })).context);
  assert.doesNotMatch(prose(bert), /−∞/);
  assert.match(prose(bert), /BERT-style \(bidirectional\)/);
});
