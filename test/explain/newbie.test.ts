// The newbie level: plain words whose percentages are the view's, and whose wording changes with the
// pattern (focused, split, spread, self, markers), with what a causal model cannot see, and with the sense
// claim only when the numbers support it.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explainLevel } from '../../src/explain/index.js';
import { senseCuedBy, stem } from '../../src/explain/cues.js';
import { MODELS, SELECTIONS, prose, run, skeleton } from './helpers.js';

for (const name of MODELS) {
  for (const sel of SELECTIONS) {
    test(`newbie ${name} ${JSON.stringify(sel)}: percentages and facts are the view's`, async () => {
      const a = await run(name, sel);
      const e = explainLevel('newbie', a.context);
      const text = prose(e);
      const items = a.view.items;
      let found = 0;
      for (const m of text.matchAll(/“([^”]+)” \((\d+)%\)/g)) {
        const i = items.findIndex((it) => it.label === m[1]);
        assert.ok(i >= 0, `${m[1]} is a word of the sentence`);
        assert.equal(Number(m[2]), Math.round(a.view.row[i] * 100), `percentage of ${m[1]}`);
        found++;
      }
      assert.ok(found >= 1 || e.facts.shape === 'alone');
      assert.deepEqual(e.facts.row, a.view.row);
      const top = a.view.row.indexOf(Math.max(...a.view.row.filter((_, i) => !a.view.blocked[i])));
      assert.equal(e.facts.topWord, items[top].label);
      assert.equal(e.facts.topWeight, a.view.row[top]);
      // plain words: no symbols or jargon
      assert.doesNotMatch(text, /softmax|vector|query|matrix|√|Σ|=|d_k|token/i);
      assert.ok(text.split(/\s+/).length < 230, 'short');
    });
  }
}

test('newbie: different patterns get different wording, not only different numbers', async () => {
  const skeletons = new Map<string, string>();
  for (const name of MODELS) {
    for (let layer = 0; layer < 2; layer++) {
      for (let head = 0; head < 4; head++) {
        const e = explainLevel('newbie', (await run(name, { layer, head })).context);
        skeletons.set(`${name}/${layer}/${head}`, skeleton(prose(e)));
      }
    }
  }
  assert.ok(new Set(skeletons.values()).size >= 8, `only ${new Set(skeletons.values()).size} distinct wordings over 16 heads`);
  // gpt2-tiny layer 0 head 0 is focused on one other word; layer 1 head 2 shares between itself and another word
  const f = (await run('gpt2-tiny', { layer: 0, head: 0 })).context;
  const p = (await run('gpt2-tiny', { layer: 1, head: 2 })).context;
  const ef = explainLevel('newbie', f), ep = explainLevel('newbie', p);
  assert.equal(ef.facts.shape, 'focused');
  assert.equal(ep.facts.shape, 'pair');
  assert.notEqual(skeleton(prose(ef)), skeleton(prose(ep)));
  assert.match(prose(ef), /spotlight/);
  assert.match(prose(ep), /between itself/);
  // two sentences, same head
  const other = explainLevel('newbie', (await run('gpt2-tiny', { layer: 0, head: 0 }, 'The bank of the river was muddy.')).context);
  assert.notEqual(skeleton(prose(other)), skeleton(prose(ef)));
});

test('newbie: a causal model says what it cannot see; BERT mentions [CLS]/[SEP] when they take weight', async () => {
  const notLast = prose(explainLevel('newbie', (await run('gpt2-tiny', { layer: 1 }, 'The bank of the river was muddy.')).context));
  assert.match(notLast, /cannot see the six words after it \(“of”, “the”, “river”, “was” and 2 more\)/);
  const last = prose(explainLevel('newbie', (await run('gpt2-tiny', { layer: 1 })).context));
  assert.match(last, /is the last word, so it sees the whole sentence/);
  const first = explainLevel('newbie', (await run('gpt2-tiny', { layer: 1, word: 'He' })).context);
  assert.equal(first.facts.shape, 'alone');
  assert.match(prose(first), /very first word/);

  let mentioned = 0;
  for (let layer = 0; layer < 2; layer++) {
    for (const sel of [{ aggregate: 'mean' as const }, ...[0, 1, 2, 3].map((head) => ({ head }))]) {
      const e = explainLevel('newbie', (await run('bert-tiny', { layer, ...sel })).context);
      const text = prose(e);
      assert.match(text, /reads the whole sentence at once/);
      assert.doesNotMatch(text, /left to right/);
      if ((e.facts.specialWeight as number) >= 0.05) {
        assert.match(text, /\[CLS\]|\[SEP\]/, `specials take ${e.facts.specialWeight} in layer ${layer} ${JSON.stringify(sel)}`);
        mentioned++;
      }
    }
  }
  assert.ok(mentioned >= 1, 'some BERT selection puts weight on [CLS]/[SEP]');
});

test('newbie: a sense is suggested only when a cue word is the top context word', async () => {
  let claims = 0;
  for (const name of MODELS) {
    for (let layer = 0; layer < 2; layer++) {
      for (const sel of [{ aggregate: 'mean' as const }, { aggregate: 'rollout' as const }, ...[0, 1, 2, 3].map((head) => ({ head }))]) {
        const e = explainLevel('newbie', (await run(name, { layer, ...sel })).context);
        const text = prose(e);
        if (/suggests “bank” is being read as/.test(text)) {
          claims++;
          assert.ok(senseCuedBy('bank', e.facts.topContextWord as string), `${e.facts.topContextWord} is a cue`);
          assert.ok((e.facts.topContextWeight as number) >= 0.15);
        }
        if (e.facts.topContextWord !== undefined && !senseCuedBy('bank', e.facts.topContextWord as string)) {
          assert.doesNotMatch(text, /suggests/);
        }
      }
    }
  }
  assert.ok(claims >= 1);
  assert.equal(stem("River's"), 'river');
});
