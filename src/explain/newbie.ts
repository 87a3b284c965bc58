// The newbie level: plain words, no symbols. Which words the chosen word looks at and how much, what that
// could mean for its sense here, one everyday picture that fits this pattern, and what the model can't see.

import type { ExplainContext } from '../interpret/context.js';
import { senseCuedBy, sensesOf, stem } from './cues.js';
import { viewFacts } from './facts.js';
import { count, list, pct, q } from './numbers.js';
import { labelOf, readView, type Reading } from './reading.js';
import type { Explanation } from './types.js';

/** Little words that carry grammar more than meaning (for one hedge in the text). */
const GRAMMAR_WORDS = new Set(
  'a an the of on in at to by for from with and or but is was are were be he she it they we i you his her its their this that as'.split(' '),
);

/** A word for running text; the query word itself is called so. */
const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth', 'ninth', 'tenth'];
/** The word as a reader can find it: “the”, or “the second “the”” when the sentence repeats it. */
const word = (ctx: ExplainContext, r: Reading, i: number) => {
  if (i === r.query) return `${q(r.word)} itself`;
  const label = labelOf(ctx, i);
  const same = ctx.view.items.filter((_, j) => labelOf(ctx, j) === label).map((it) => it.index);
  if (same.length < 2) return q(label);
  const k = same.indexOf(i);
  return `the ${ORDINALS[k] ?? `no. ${k + 1}`} ${q(label)}`;
};
const named = (ctx: ExplainContext, r: Reading, i: number) => `${word(ctx, r, i)} (${pct(r.row[i])})`;

function whereItGoes(ctx: ExplainContext, r: Reading): string {
  const w = q(r.word);
  const L = (i: number) => q(labelOf(ctx, i));
  const others = r.order.filter((i) => i !== r.top).slice(0, 2).filter((i) => r.row[i] >= 0.005);
  const rest = others.length ? ` Next come${others.length === 1 ? 's' : ''} ${list(others.map((i) => named(ctx, r, i)))}.` : '';
  switch (r.shape) {
    case 'alone':
      return `${w} is the very first word, and this model reads from left to right, so there is nothing before it to look at: all of its attention stays on itself.`;
    case 'focused':
      if (r.topKind === 'self') {
        const outside = 1 - r.selfWeight;
        const take = outside < 0.25 ? 'takes little from the other words' : `still takes ${pct(outside)} from the others`;
        return `${w} mostly looks at itself (${pct(r.row[r.top])}): at this step it keeps much of its own meaning and ${take}.${rest}`;
      }
      if (r.topKind === 'special') {
        const best = r.topContext >= 0 ? ` Among the real words, ${named(ctx, r, r.topContext)} gets the most.` : '';
        const where = r.top === 0 ? ' at the start of' : r.top === ctx.view.items.length - 1 ? ' at the end of' : ' to';
        return `${w} puts ${pct(r.row[r.top])} of its attention on ${L(r.top)}, which is not a real word but a marker the model adds${where} the text. Models often park attention on such a marker when nothing else needs it.${best}`;
      }
      return `${w} puts most of its attention, about ${pct(r.row[r.top])}, on ${L(r.top)}${r.topKind === 'previous' ? ', the word right before it' : ''}.${rest}`;
    case 'pair': {
      const qi = ctx.view.query;
      if (r.top === qi || r.second === qi) {
        const other = r.top === qi ? r.second : r.top;
        return `${w} splits its attention mainly between itself (${pct(r.selfWeight)}) and ${named(ctx, r, other)}.`;
      }
      return `${w} splits its attention mainly between two words: ${named(ctx, r, r.top)} and ${named(ctx, r, r.second)}.`;
    }
    case 'spread': {
      const three = r.order.slice(0, 3).map((i) => named(ctx, r, i));
      return `${w} spreads its attention fairly evenly: no word gets much more than the others. The most goes to ${list(three)}.`;
    }
    case 'leaning': {
      const who = r.top === r.query ? 'itself' : L(r.top);
      if (r.second >= 0 && pct(r.row[r.top]) === pct(r.row[r.second])) {
        return `${w} looks at ${named(ctx, r, r.top).replace(/ \(.*/, '')} and ${named(ctx, r, r.second).replace(/ \(.*/, '')} about equally (${pct(r.row[r.top])} each), and keeps plenty for the others.`;
      }
      return r.share[r.top] >= 0.5
        ? `${w} gives more than half of its attention to ${who} (${pct(r.row[r.top])}) and spreads the rest thinly.${rest}`
        : `${w} looks at ${who} more than at anything else (${pct(r.row[r.top])}), but keeps plenty for the others.${rest}`;
    }
  }
}

function whatItMeans(ctx: ExplainContext, r: Reading): string | undefined {
  if (r.shape === 'alone') return undefined;
  const w = q(r.word);
  const outside = 1 - r.selfWeight - r.specialWeight;
  if (r.topContext < 0 || outside < 0.15) {
    return `Only ${pct(Math.max(0, outside))} comes from the other words, so at this step ${w} changes little: this part of the model mostly leaves it as it was.`;
  }
  const c = labelOf(ctx, r.topContext);
  const cw = r.row[r.topContext];
  const sense = senseCuedBy(r.word, c);
  if (sense && cw >= 0.15) {
    const runnerUp = r.order.find((i) => i !== r.topContext && i !== ctx.view.query && !ctx.view.items[i].special);
    const sameSense = runnerUp !== undefined && senseCuedBy(r.word, labelOf(ctx, runnerUp)) === sense;
    if (sameSense && runnerUp !== undefined) {
      return `In this model, the two words that ${w} draws on most${r.selfWeight > cw ? ' (apart from itself)' : ''} are ${named(ctx, r, r.topContext)} and ${named(ctx, r, runnerUp)}, and both point the same way: that suggests ${w} is being read as ${sense.gloss} here.`;
    }
    if (runnerUp !== undefined && cw - r.row[runnerUp] < 0.1) {
      return `Of the other words, ${q(c)} gets a little more than the rest, which would fit ${w} meaning ${sense.gloss}, but its lead over ${named(ctx, r, runnerUp)} is small, so in this model the hint is weak.`;
    }
    return `In this model, the word that ${w} draws on most${r.selfWeight > cw ? ' (apart from itself)' : ''} is ${q(c)}. That suggests ${w} is being read as ${sense.gloss} here.`;
  }
  // a word in the sentence that would settle the sense, but gets little weight
  const cue = ctx.view.items.findIndex((it, i) => i !== ctx.view.query && !ctx.view.blocked[i] && sensesOf(r.word).some((s) => s.cues.includes(stem(it.label))));
  if (cue >= 0 && cue !== r.topContext) {
    return `${q(labelOf(ctx, cue))} is the word that tells which kind of ${r.word} this is, yet it gets ${r.row[cue] < 0.005 ? '' : 'only '}${pct(r.row[cue])} here, while ${q(c)} gets ${pct(cw)}. So in this model, this part does not seem to be where the meaning of ${w} is settled.`;
  }
  if (GRAMMAR_WORDS.has(stem(c))) {
    return `${q(c)} is a small linking word, so this pattern probably says more about how the sentence is built than about what ${w} means.`;
  }
  return `So, in this model, ${q(c)} is the word whose information flows into ${w} most at this step: it is what shapes how ${w} is understood in this sentence, as far as this part of the model goes.`;
}

function analogy(r: Reading): string {
  switch (r.shape) {
    case 'alone':
      return 'It is like the first guest at a party: there is nobody else to talk to yet.';
    case 'focused':
      if (r.topKind === 'self') return 'Think of someone thinking out loud in a busy room: they mostly listen to their own voice.';
      if (r.topKind === 'special') return 'Think of resting your eyes on a blank wall when nothing in the room needs your attention.';
      return 'Think of a spotlight on a stage: one word is lit up brightly and the rest stay in the dark.';
    case 'pair':
      if (r.top === r.query || r.second === r.query) {
        return 'Think of glancing back and forth between your own notes and one friend’s.';
      }
      return 'Think of someone following a chat between two friends, glancing from one to the other.';
    case 'spread':
      return 'Think of listening to a whole choir rather than to one soloist: every voice comes through at about the same volume.';
    case 'leaning':
      return r.share[r.top] >= 0.5
        ? 'Think of a sound mixer with one slider pushed well above the others, which are still open a little.'
        : 'Think of a sound mixer with one slider pushed up a little higher than the rest.';
  }
}

function whatItSees(ctx: ExplainContext, r: Reading): string {
  const w = q(r.word);
  const v = ctx.view;
  if (r.causal) {
    if (r.blocked.length > 0) {
      const names0 = r.blocked.slice(0, 4).map((i) => q(labelOf(ctx, i)));
      const more = r.blocked.length > 4 ? ` and ${r.blocked.length - 4} more` : '';
      if (r.shape === 'alone') return `It cannot see the ${count(r.blocked.length)} word${r.blocked.length > 1 ? 's' : ''} after it (${names0.join(', ')}${more}) either; they will look back at it instead.`;
      return `This model reads from left to right, one word at a time, so ${w} cannot see the ${count(r.blocked.length)} word${r.blocked.length > 1 ? 's' : ''} after it (${names0.join(', ')}${more}): they get nothing.`;
    }
    return `This model reads from left to right, so a word can only look back. ${w} is the last word, so it sees the whole sentence.`;
  }
  const later = v.items.filter((it, i) => i > v.query && !it.special).length;
  const ahead = v.row.reduce((a, x, i) => (i > v.query && !v.items[i].special ? a + x : a), 0);
  const reach = later === 0
    ? `This model reads the whole sentence at once, in both directions; ${w} happens to be the last word, so ${v.items.some((it, i) => i > v.query && it.special) ? 'apart from the end marker, ' : ''}everything it can look at comes before it.`
    : `This model reads the whole sentence at once, so ${w} can look both back and ahead: ${pct(ahead)} of its attention goes to the ${count(later)} word${later > 1 ? 's' : ''} after it.`;
  const markers = r.specials.length && r.specialWeight >= 0.05 && r.topKind !== 'special'
    ? ` About ${pct(r.specialWeight)} goes to ${list(r.specials.map((i) => labelOf(ctx, i)))}, markers the model adds around every input.`
    : '';
  return reach + markers;
}

function whichPart(ctx: ExplainContext, r: Reading): string {
  const s = ctx.view.selection;
  const H = ctx.view.model.heads;
  const distinct = [...new Set(r.headTops)];
  const agree = r.shape === 'alone' ? ''
    : distinct.length === 1
    ? ` All ${count(H)} agree that ${word(ctx, r, distinct[0])} matters most.`
    : distinct.length === H ? ` Each of them favours a different word: ${list(r.headTops.map((i) => word(ctx, r, i)))}.`
    : ` They don't all agree: their favourite words are ${list(distinct.map((i) => word(ctx, r, i)))}.`;
  const shown = ctx.view.renormalized[r.topContext];
  const hidden = ctx.view.hideSpecial && r.specials.length
    ? ` The chart hides the markers and rescales the other words to 100%${r.topContext >= 0 && shown != null ? `, so there ${q(labelOf(ctx, r.topContext))} shows as ${pct(shown)}` : ''}.`
    : '';
  switch (s.aggregate) {
    case 'head':
      return `A model like this has several “readers” in each layer, called heads, each with its own idea of what matters. These numbers are from one of them (head ${s.head} of layer ${s.layer}).${agree}${hidden}`;
    case 'mean':
      return `These numbers average the ${count(H)} “readers” (heads) in layer ${s.layer} of the model.${agree}${hidden}`;
    case 'max':
      return `For each word, these numbers show the most attention any one of the ${count(H)} heads (“readers”) in layer ${s.layer} gives it, so they add up to more than 100%.${hidden}`;
    case 'rollout':
      return `These numbers follow attention through layers 0 to ${s.layer} together (“rollout”), allowing for the part of each word that carries straight through every layer.${hidden}`;
  }
}

export function newbie(ctx: ExplainContext): Explanation {
  const r = readView(ctx);
  const paragraphs = [whereItGoes(ctx, r), whatItMeans(ctx, r), analogy(r), whatItSees(ctx, r), whichPart(ctx, r)];
  return {
    level: 'newbie',
    title: `What ${q(r.word)} pays attention to`,
    sections: [{ title: `In “${ctx.view.text}”`, blocks: paragraphs.filter((p): p is string => !!p).map((text) => ({ kind: 'text', text })) }],
    facts: viewFacts(ctx, r),
  };
}
