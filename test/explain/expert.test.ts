// The expert level: its matrices are windows of the cache's own tensors (exact values, the full shape,
// the truncated flag), its shapes and costs follow the config, and it carries the definitions and caveats.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explainLevel } from '../../src/explain/index.js';
import { hookNames as n } from '../../src/models/hook-names.js';
import type { Tensor } from '../../src/engine/tensor.js';
import { MODELS, SELECTIONS, allText, matrices, prose, run } from './helpers.js';

for (const name of MODELS) {
  for (const sel of SELECTIONS) {
    test(`expert ${name} ${JSON.stringify(sel)}: every matrix equals the cache, with its full shape`, async () => {
      const { context: ctx, cache } = await run(name, sel);
      const L = ctx.layer, h = ctx.head;
      const e = explainLevel('expert', ctx);
      const T = ctx.tokens.length, { dModel: C, nHeads: H, dHead: D } = ctx.config;
      const x = cache.get(name === 'gpt2-tiny' ? n.ln1(L) : n.residPre(L));
      const perHead = (t: Tensor) => (i: number, j: number) => t.at(i, h, j);
      const expected: Record<string, { shape: number[]; at: (i: number, j: number) => number }> = {
        X: { shape: [T, C], at: (i, j) => x.at(i, j) },
        [`Q_{${h}}`]: { shape: [T, D], at: perHead(cache.get(n.q(L))) },
        [`K_{${h}}`]: { shape: [T, D], at: perHead(cache.get(n.k(L))) },
        [`V_{${h}}`]: { shape: [T, D], at: perHead(cache.get(n.v(L))) },
        [`Z_{${h}}`]: { shape: [T, D], at: perHead(cache.get(n.z(L))) },
        [`S_{${h}}`]: { shape: [T, T], at: (i, j) => cache.get(n.attnScores(L)).at(h, i, j) },
        [`A_{${h}}`]: { shape: [T, T], at: (i, j) => cache.get(n.pattern(L)).at(h, i, j) },
      };
      const ms = matrices(e);
      assert.equal(ms.length, Object.keys(expected).length);
      for (const m of ms) {
        const key = (m.tex ?? '').split(' ')[0];
        const want = expected[key];
        assert.ok(want, `unexpected matrix ${m.tex}`);
        assert.deepEqual(m.shape, want.shape, `${key} shape`);
        assert.equal(m.values.length, m.rowLabels.length);
        assert.equal(m.truncated, m.values.length < want.shape[0] || m.values[0].length < want.shape[1], `${key} truncated flag`);
        assert.ok(m.values.length >= Math.min(8, want.shape[0]) && m.values[0].length >= Math.min(6, want.shape[1]));
        m.rowLabels.forEach((label, i) => assert.equal(label, ctx.tokens[i].text));
        m.values.forEach((row, i) => row.forEach((v, j) => assert.equal(v, want.at(i, j), `${key}[${i}][${j}]`)));
      }
      const f = e.facts;
      assert.deepEqual([f.T, f.C, f.H, f.D, f.dK, f.L], [T, C, H, D, D, ctx.config.nLayers]);
      assert.equal(f.flopsProjections, 8 * T * C * C);
      assert.equal(f.flopsScores, 2 * T * T * C);
      assert.equal(f.flopsMix, 2 * T * T * C);
      assert.equal(f.patternBytes, 4 * H * T * T);
      assert.deepEqual(f.row, ctx.view.row);
      assert.equal(f.topTokenWeight, cache.get(n.pattern(L)).at(h, ctx.queryToken, f.topToken as number));
    });
  }
}

test('expert: equations name this run’s shapes; rollout and the mask are defined where they apply', async () => {
  const g = explainLevel('expert', (await run('gpt2-tiny', { layer: 1, aggregate: 'rollout' })).context);
  const gTex = g.sections.flatMap((s) => s.blocks).filter((b) => b.kind === 'math').map((b) => (b as { tex: string }).tex).join('\n');
  assert.match(gTex, /\\mathrm\{softmax\}/);
  assert.match(gTex, /\\frac\{Q_h K_h\^\\top\}\{\\sqrt\{d_k\}\}/);
  assert.match(gTex, /\\mathbb\{R\}\^\{7\\times 64\}/);
  assert.match(gTex, /-\\infty & s > t/);
  assert.match(gTex, /\\hat A_\\ell = \\mathrm\{rownorm\}/);
  assert.match(gTex, /\\mathrm\{LN\}_1\(h_\{\\ell\}\),\\quad h_\{\\ell\}' = h_\{\\ell\} \+ \\mathrm\{MHA\}\(x\)/, 'pre-LN for GPT-2');
  assert.match(prose(g), /Abnar & Zuidema 2020/);

  const b = explainLevel('expert', (await run('bert-tiny', { layer: 0, head: 1 })).context);
  const bTex = b.sections.flatMap((s) => s.blocks).filter((x) => x.kind === 'math').map((x) => (x as { tex: string }).tex).join('\n');
  assert.match(bTex, /M = 0/);
  assert.match(bTex, /\\mathrm\{LN\}_1\(h_\{\\ell\} \+ \\mathrm\{MHA\}/, 'post-LN for BERT');
  assert.doesNotMatch(bTex, /rownorm/);
  assert.match(bTex, /\\mathbb\{R\}\^\{10\\times 16\}/);
});

test('expert: cost for this input, how it grows, and the attention-is-not-explanation caveat', async () => {
  for (const name of MODELS) {
    const { context: ctx } = await run(name, { layer: 1, head: 0 });
    const e = explainLevel('expert', ctx);
    const text = allText(e);
    const T = ctx.tokens.length, C = ctx.config.dModel;
    assert.match(text, new RegExp(`= ${(8 * T * C * C).toLocaleString('en-US')} \\+ ${(2 * T * T * C).toLocaleString('en-US')}`));
    assert.match(text, /doubling T doubles the projections and quadruples/);
    assert.match(text, new RegExp(`equal at T = 2C = ${2 * C}`));
    assert.match(text, /Jain and Wallace \(2019\)/);
    assert.match(text, /Wiegreffe and Pinter \(2019\)/);
    assert.equal(/Causal masking throws away/.test(text), ctx.config.causal);
  }
});

test('expert: the wording follows the data (weights vs value norms, sinks, head vs mean)', async () => {
  const seen = new Set<string>();
  for (const name of MODELS) {
    for (let layer = 0; layer < 2; layer++) {
      for (let head = 0; head < 4; head++) {
        for (const text of [undefined, 'The bank of the river was muddy.']) {
          const p = prose(explainLevel('expert', (await run(name, { layer, head }, text)).context));
          seen.add(/happen to agree/.test(p) ? 'agree' : /whose value vector is longer/.test(p) ? 'disagree' : '?');
        }
      }
    }
  }
  assert.ok(!seen.has('?'));
  assert.deepEqual([...seen].sort(), ['agree', 'disagree'], 'both branches occur over the fixture heads');
});
