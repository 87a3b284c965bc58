// Small DOM helpers for the page: elements from tag + attributes + children, SVG elements, and keyboard
// focus that moves with the arrow keys inside a group (a "roving tabindex", as WAI-ARIA describes it).
// No innerHTML anywhere: every text from the model or the user goes in as a text node.

export type Child = Node | string | number | null | undefined | false;
export type Attrs = Record<string, string | number | boolean | null | undefined | ((e: Event) => void)>;

function apply(el: Element, attrs: Attrs): void {
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (typeof v === 'function') el.addEventListener(k.replace(/^on/, ''), v as EventListener);
    else if (k === 'class') el.setAttribute('class', String(v));
    else el.setAttribute(k, v === true ? '' : String(v));
  }
}

function append(el: Element, children: Child[]): void {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    el.append(typeof c === 'object' ? c : String(c));
  }
}

/** An HTML element. Event handlers are attributes named on<event> (onclick). */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  apply(el, attrs);
  append(el, children);
  return el;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An SVG element (geometry as attributes; CSP allows attributes, not inline style strings). */
export function s<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG_NS, tag);
  apply(el, attrs);
  append(el, children);
  return el;
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`the page has no #${id}`);
  return el as T;
}

export function clear(el: Element): void {
  el.replaceChildren();
}

/**
 * Arrow keys move focus among `items` (Home/End to the ends); only the current one is in the tab order.
 * `columns` > 1 makes Up/Down jump a row in a grid.
 */
export function rovingFocus(container: HTMLElement, selector: string, columns = 0): void {
  container.addEventListener('keydown', (e) => {
    const items = [...container.querySelectorAll<HTMLElement>(selector)].filter((x) => !x.hasAttribute('disabled'));
    const i = items.indexOf(document.activeElement as HTMLElement);
    if (i < 0) return;
    const step: Record<string, number> = columns > 1
      ? { ArrowRight: 1, ArrowLeft: -1, ArrowDown: columns, ArrowUp: -columns }
      : { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 };
    let j: number | undefined;
    if (e.key in step) j = i + step[e.key];
    else if (e.key === 'Home') j = 0;
    else if (e.key === 'End') j = items.length - 1;
    if (j === undefined) return;
    e.preventDefault();
    j = Math.max(0, Math.min(items.length - 1, j));
    for (const it of items) it.tabIndex = -1;
    items[j].tabIndex = 0;
    items[j].focus();
  });
}

/** Makes exactly one of `items` tabbable: the chosen one (or the first). */
export function setTabStop(items: HTMLElement[], chosen: HTMLElement | undefined): void {
  items.forEach((it) => (it.tabIndex = -1));
  (chosen ?? items[0])?.setAttribute('tabindex', '0');
}

/** A number for people: 0.125834 → "0.1258". */
export function fixed(x: number | null | undefined, digits = 4): string {
  if (x === null || x === undefined) return '−∞';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  const s = x.toFixed(digits);
  return (/^-0\.?0*$/.test(s) ? s.slice(1) : s).replace('-', '−');
}

/** The token strings of an item, readable: Ġriver + 's */
export function tokenList(tokens: { text: string }[], indices: number[]): string {
  return indices.map((t) => tokens[t]?.text ?? '?').join(' + ');
}
