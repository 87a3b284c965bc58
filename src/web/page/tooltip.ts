// One tooltip for the whole page: exact weights and tokens on hover and on keyboard focus.

import { byId, clear, h, type Child } from './dom.js';

type Content = () => Child[];
const tips = new WeakMap<Element, Content>();
let tip: HTMLElement | null = null;

function box(): HTMLElement {
  tip ??= byId('tooltip');
  return tip;
}

/** Shows `content` next to the point (x, y) in viewport pixels. */
export function showAt(x: number, y: number, content: Child[]): void {
  const t = box();
  clear(t);
  t.append(...content.filter((c): c is Node | string => c !== null && c !== undefined && c !== false).map((c) => (typeof c === 'number' ? String(c) : c)));
  t.hidden = false;
  const r = t.getBoundingClientRect();
  const left = Math.max(8, Math.min(window.innerWidth - r.width - 8, x - r.width / 2));
  const top = y - r.height - 12 < 8 ? y + 18 : y - r.height - 12;
  t.style.left = `${left + window.scrollX}px`;
  t.style.top = `${top + window.scrollY}px`;
}

export function hide(): void {
  box().hidden = true;
}

function showFor(el: Element): void {
  const c = tips.get(el);
  if (!c) return;
  const r = el.getBoundingClientRect();
  showAt(r.left + r.width / 2, r.top, c());
}

/** Gives `el` a tooltip, shown on hover and on keyboard focus. */
export function tooltip(el: Element, content: Content): void {
  tips.set(el, content);
  el.addEventListener('pointerenter', () => showFor(el));
  el.addEventListener('pointerleave', hide);
  el.addEventListener('focus', () => showFor(el));
  el.addEventListener('blur', hide);
}

/** A tooltip body: a bold first line and muted detail lines. */
export function tipLines(title: Child, ...lines: Child[]): Child[] {
  return [h('strong', {}, title), ...lines.filter(Boolean).map((l) => h('span', { class: 'tip-line' }, l))];
}

document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape') hide();
});
window.addEventListener('scroll', hide, { passive: true });
