// Every level on unusual inputs: token mode, hidden specials, the first word of a causal model, a query
// word of several tokens, a sentence longer than the tables show. Nothing undefined or NaN leaks into
// the text, long tables are cut with a note, and the facts stay those of the view.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explainLevel, formatMarkdown, formatText, LEVELS } from '../../src/explain/index.js';
import { MODELS, allText, matrices, prose, run, table } from './helpers.js';

const LONG = 'Yesterday after a long walk along the quiet water he finally sat down to rest on the grassy bank and watched the boats';

const CASES = [
  { text: undefined, options: { layer: 1, unit: 'token' as const, word: undefined } },
  { text: undefined, options: { layer: 0, hideSpecial: true } },
  { text: undefined, options: { layer: 1, word: 'He' } },
  { text: undefined, options: { layer: 1, word: "river's" } },
  { text: LONG, options: { layer: 1, head: 3 } },
  { text: LONG, options: { layer: 0, aggregate: 'rollout' as const } },
];

for (const name of MODELS) {
  for (const c of CASES) {
    test(`robust ${name} ${JSON.stringify(c.options)}${c.text ? ' (long sentence)' : ''}`, async () => {
      const a = await run(name, c.options, c.text);
      for (const level of LEVELS) {
        const e = explainLevel(level, a.context);
        const out = formatText(e, { width: 72 }) + formatMarkdown(e) + allText(e);
        assert.doesNotMatch(out, /undefined|NaN|\[object/, `${level}: leaked value`);
        assert.deepEqual(e.facts.row, a.view.row);
        for (const line of formatText(e, { width: 72 }).split('\n')) assert.ok([...line].length <= 72, line);
      }
      if (c.text === LONG) {
        const T = a.context.tokens.length;
        assert.ok(T > 16);
        const hacker = explainLevel('hacker', a.context);
        const rows = table(hacker, 'q·k').rows.filter((r) => r[0] !== '…' && r[4] !== '−∞');
        assert.ok(rows.length <= 16, 'the scores table is cut');
        assert.match(prose(hacker), /with the smallest weights are not listed/);
        for (const m of matrices(explainLevel('expert', a.context))) {
          assert.equal(m.truncated, true);
          assert.equal(m.values.length, 8);
          assert.equal(m.shape[0], T);
        }
      }
    });
  }
}
