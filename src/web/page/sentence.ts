// The sentence as clickable words, each shaded by how much the chosen word attends to it (the chart's own
// values), with its tokens and exact weight on hover. Arrow keys move between words; Enter picks one.

import type { BarSpec } from '../../render/spec.js';
import { pct } from '../../render/format.js';
import { cleanLabel } from '../../render/format.js';
import type { AttentionView } from '../../interpret/view.js';
import { fixed, h, rovingFocus, setTabStop, tokenList } from './dom.js';
import { tipLines, tooltip } from './tooltip.js';

export interface WordsOptions {
  tokens: { text: string }[];
  onPick: (index: number) => void;
  /** label for screen readers, e.g. "Words of sentence A" */
  label: string;
}

export function wordChips(view: AttentionView, spec: BarSpec, o: WordsOptions): HTMLElement {
  const shown = new Map(spec.bars.map((b) => [b.index, b]));
  const max = Math.max(1e-9, spec.max);
  const n = view.items.length;
  const box = h('div', { class: 'words' + (n > 60 ? ' is-long' : ''), role: 'toolbar', 'aria-label': o.label });
  for (const it of view.items) {
    const b = shown.get(it.index);
    const label = cleanLabel(it.label);
    const isQuery = it.index === view.query;
    const cls = ['word', isQuery && 'is-query', it.special && 'is-special', b?.blocked && 'is-blocked', !b && 'is-hidden'].filter(Boolean).join(' ');
    const w = b && !b.blocked ? b.value / max : 0;
    const chip = h('button', { type: 'button', class: cls, 'aria-pressed': isQuery ? 'true' : 'false', 'data-index': it.index }, label);
    chip.style.setProperty('--w', w.toFixed(3));
    chip.setAttribute('aria-label', `${label}${b && !b.blocked ? `, ${pct(b.value)} of the attention` : ''}${isQuery ? ', the chosen word' : ''}`);
    chip.addEventListener('click', () => {
      chip.classList.add('is-pending');
      o.onPick(it.index);
    });
    tooltip(chip, () =>
      tipLines(
        label,
        b ? (b.blocked ? spec.blockedNote : `attention from “${spec.queryLabel}”: ${fixed(b.value, 4)} (${pct(b.value, 2)})`) : 'hidden special token',
        `token${it.tokens.length > 1 ? 's' : ''}: ${tokenList(o.tokens, it.tokens)}`,
        isQuery ? 'the chosen word' : 'click to look from this word',
      ),
    );
    box.append(chip);
  }
  const chips = [...box.querySelectorAll<HTMLElement>('button')];
  setTabStop(chips, chips.find((c) => c.classList.contains('is-query')));
  rovingFocus(box, 'button');
  return box;
}
