// The page: state in the URL (src/web/params.ts), results from the API (the CLI's own JSON), charts laid
// out from the CLI's chart specs (src/web/page/panels.ts). Every number on the page comes from the server.

import type { Level } from '../../explain/types.js';
import { describeSelection } from '../../interpret/view.js';
import { LIMITS, ParamError, paramsFromQuery, toBody, toQuery, DEFAULT_TEXT, type AggregateParam, type Params } from '../params.js';
import type { CompareResponse, ModelInfo } from '../wire.js';
import { ApiError, getJSON, postFile, postJSON, saveBlob } from './api.js';
import { byId, rovingFocus } from './dom.js';
import { el, norm, occurrenceOf, runs, views, type Result, type Side } from './elements.js';
import { LEVEL_INFO } from './explain.js';
import { renderBars, renderExplanation, renderGrid, renderMatrix, renderModel, renderSideSwitches, renderWords, type App } from './panels.js';
import { hide as hideTip } from './tooltip.js';

let info: ModelInfo | null = null;
let params: Params = { text: DEFAULT_TEXT, level: 'newbie', tokens: false, hideSpecial: false };
/** the parameters of the result on screen (restored when a request fails) */
let shownParams: Params | null = null;
let current: Result | null = null;
let inflight: AbortController | null = null;
/** word-mode parameters kept while tokens are shown */
let wordModeParams: Pick<Params, 'word' | 'occurrence' | 'occurrenceB'> | null = null;
const cache = new Map<string, Result>();
/** a message that must survive the next successful load (a link that could not be shown as it was) */
let keepMessageOnce = false;
const ui: App['ui'] = { step: 0, all: false, matrix: 'heatmap', byWeight: false, side: 'a' };
const app: App = {
  ui,
  level: () => params.level,
  pick: (side, index) => pick(side, index),
  select: (s) => setSelection(s),
  render: () => render(),
};

// ---------- messages and status ----------

function showMessage(text: string): void {
  el.messageText.textContent = text;
  el.message.hidden = false;
}

function clearMessage(): void {
  el.message.hidden = true;
  el.messageText.textContent = '';
}

function setBusy(busy: boolean): void {
  document.body.classList.toggle('is-busy', busy);
  el.go.toggleAttribute('aria-busy', busy);
  el.status.textContent = busy ? 'computing…' : current ? `${describeSelection(views(current)[0])}` : '';
}

// ---------- state ↔ URL ----------

function writeUrl(): void {
  history.replaceState(null, '', `?${toQuery(params)}`);
}

function readUrl(): Params {
  const q = new URLSearchParams(location.search);
  if (![...q.keys()].length) return { text: DEFAULT_TEXT, level: 'newbie', tokens: false, hideSpecial: false };
  try {
    const p = paramsFromQuery(q, false);
    if (p.text.trim() === '') p.text = DEFAULT_TEXT;
    return p;
  } catch (e) {
    if (!(e instanceof ParamError)) throw e;
    showMessage(`This link's settings could not be used: ${e.message}. Showing the defaults instead.`);
    keepMessageOnce = true;
    const text = q.get('text');
    return { text: text && text.length <= LIMITS.maxChars && text.trim() ? text : DEFAULT_TEXT, level: 'newbie', tokens: false, hideSpecial: false };
  }
}

function key(p: Params): string {
  return toQuery({ ...p, level: 'newbie' });
}

// ---------- loading ----------

async function load(): Promise<void> {
  const p = params;
  writeUrl();
  const k = key(p);
  const hit = cache.get(k);
  if (hit) {
    inflight?.abort();
    inflight = null;
    setBusy(false);
    show(hit, p);
    return;
  }
  inflight?.abort();
  const ac = new AbortController();
  inflight = ac;
  setBusy(true);
  try {
    const r = await postJSON<Result>(p.compare !== undefined ? '/api/compare' : '/api/explain', toBody(p), ac.signal);
    cache.set(k, r);
    if (cache.size > 24) cache.delete(cache.keys().next().value as string);
    if (inflight !== ac) return;
    show(r, p);
  } catch (e) {
    if ((e as Error).name === 'AbortError' || inflight !== ac) return;
    const msg = e instanceof ApiError ? e.message : `something went wrong: ${(e as Error).message}`;
    showMessage(msg.charAt(0).toUpperCase() + msg.slice(1));
    if (shownParams) {
      // keep what is on screen and the controls that match it; the text boxes keep what was typed
      params = { ...shownParams, level: params.level };
      writeUrl();
      syncControls();
      document.querySelectorAll('.word.is-pending').forEach((w) => w.classList.remove('is-pending'));
    } else if (p.word !== undefined || p.layer !== undefined || p.head !== undefined || p.aggregate !== undefined) {
      // a link whose word or layer does not fit: still show the sentence
      showMessage(`This link could not be shown as it is: ${msg}${/[.?!]$/.test(msg) ? '' : '.'} Showing the sentence's last word instead.`);
      keepMessageOnce = true;
      params = { text: p.text, compare: p.compare, level: p.level, tokens: p.tokens, hideSpecial: p.hideSpecial };
      inflight = null;
      void load();
      return;
    }
  } finally {
    if (inflight === ac) {
      inflight = null;
      setBusy(false);
    }
  }
}

function show(r: Result, p: Params): void {
  current = r;
  shownParams = { ...p };
  // the server fills in defaults (last word, last layer, mean): adopt them so the URL says what is shown
  const [v, vb] = views(r);
  const a = occurrenceOf(v, v.query);
  const b = vb ? occurrenceOf(vb, vb.query) : null;
  params = {
    ...params,
    word: a.word,
    occurrence: a.count > 1 ? a.occurrence : undefined,
    occurrenceB: b && b.count > 1 ? b.occurrence : undefined,
    layer: v.selection.layer,
    aggregate: v.selection.aggregate,
    head: v.selection.aggregate === 'head' ? v.selection.head : undefined,
  };
  shownParams = { ...params };
  writeUrl();
  if (keepMessageOnce) keepMessageOnce = false;
  else clearMessage();
  render();
}

// ---------- reading the result ----------

function pick(side: Side, index: number): void {
  if (!current) return;
  const v = views(current)[side === 'a' ? 0 : 1];
  const o = occurrenceOf(v, index);
  const occ = o.count > 1 ? o.occurrence : undefined;
  if (side === 'a') params = { ...params, word: o.word, occurrence: occ, occurrenceB: undefined };
  else params = { ...params, word: o.word, occurrenceB: occ, occurrence: undefined };
  void load();
}

function setSelection(s: { layer?: number; aggregate?: AggregateParam; head?: number }): void {
  params = { ...params, ...s };
  if (params.aggregate !== 'head') params.head = undefined;
  void load();
}

// ---------- drawing ----------

function syncControls(): void {
  if (!current) return;
  const v = views(current)[0];
  const s = v.selection;
  el.layer.value = String(s.layer);
  el.head.value = String(s.aggregate === 'head' ? s.head : runs(current)[0].narrated.head);
  el.head.disabled = s.aggregate !== 'head';
  for (const b of el.aggregate.querySelectorAll<HTMLButtonElement>('[data-agg]')) {
    const on = b.dataset.agg === s.aggregate;
    b.setAttribute('aria-checked', String(on));
    b.tabIndex = on ? 0 : -1;
  }
  el.hideSpecial.checked = params.hideSpecial;
  el.tokens.checked = params.tokens;
  el.hideSpecialWrap.hidden = !views(current).some((x) => x.items.some((it) => it.special));
  el.compareOn.checked = params.compare !== undefined;
  el.textBField.hidden = params.compare === undefined;
  el.go.textContent = params.compare !== undefined ? 'Compare' : 'Show attention';
  for (const b of el.levelTabs.querySelectorAll<HTMLButtonElement>('[data-level]')) {
    const on = b.dataset.level === params.level;
    b.setAttribute('aria-selected', String(on));
    b.tabIndex = on ? 0 : -1;
  }
  for (const b of el.matrixTabs.querySelectorAll<HTMLButtonElement>('[data-matrix]')) b.setAttribute('aria-checked', String(b.dataset.matrix === ui.matrix));
}

function render(): void {
  if (!current) return;
  hideTip();
  const barCard = byId('bar-card');
  if (current.kind === 'compare') byId('layout').before(barCard);
  else byId('col-main').prepend(barCard);
  syncControls();
  renderWords(current, app);
  renderBars(current, app);
  renderSideSwitches(current, app);
  renderGrid(current, app);
  renderMatrix(current, app);
  renderExplanation(current, app);
  document.body.classList.toggle('is-compare', current.kind === 'compare');

  document.body.classList.toggle('is-long', views(current)[0].items.length > 40);
}

// ---------- downloads ----------

function jsonFor(r: Result, level: Level): string {
  return `${JSON.stringify({ ...r.result, explanation: r.explanations[level] }, null, 1)}\n`;
}

async function download(what: string): Promise<void> {
  if (!current || !shownParams) return;
  const p = { ...shownParams, level: params.level };
  const v = views(current)[0];
  const base = `attn-${v.items[v.query].label.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'word'}`;
  try {
    if (what === 'json') {
      let r = current;
      // compare's two inner explanations come at the level asked for: ask again when the tab differs
      if (r.kind === 'compare' && r.result.explanation.level !== p.level) r = await postJSON<CompareResponse>('/api/compare', toBody(p));
      saveBlob(new Blob([jsonFor(r, p.level)], { type: 'application/json' }), `${base}.json`);
      return;
    }
    const [chart, format] = what.split('-');
    const { blob, filename } = await postFile('/api/render', { ...toBody(p), chart, format });
    saveBlob(blob, filename);
  } catch (e) {
    showMessage(e instanceof ApiError ? e.message : `the download failed: ${(e as Error).message}`);
  }
}

// ---------- wiring ----------

function submit(): void {
  const text = el.text.value;
  const textB = el.compareOn.checked ? el.textB.value : undefined;
  if (text.trim() === '' || (textB !== undefined && textB.trim() === '')) {
    showMessage(text.trim() === '' ? 'Type a sentence first: the box is empty.' : 'Type the second sentence, or untick “Compare with a second sentence”.');
    (text.trim() === '' ? el.text : el.textB).focus();
    return;
  }
  for (const [t, what] of [[text, 'The sentence'], [textB, 'The second sentence']] as const) {
    if (t !== undefined && t.length > LIMITS.maxChars) {
      showMessage(`${what} is ${t.length.toLocaleString('en-US')} characters long; the limit is ${LIMITS.maxChars.toLocaleString('en-US')}.`);
      return;
    }
  }
  clearMessage();
  const sameWord = current && params.word !== undefined && textB !== undefined;
  params = { ...params, text, compare: textB, word: sameWord ? params.word : undefined, occurrence: undefined, occurrenceB: undefined };
  void load();
}

function autosize(t: HTMLTextAreaElement): void {
  t.style.height = 'auto';
  t.style.height = `${Math.min(132, t.scrollHeight + 2)}px`;
}

function wire(): void {
  el.form.addEventListener('submit', (e) => {
    e.preventDefault();
    submit();
  });
  for (const t of [el.text, el.textB]) {
    t.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault();
        submit();
      }
    });
    t.addEventListener('input', () => autosize(t));
  }
  el.compareOn.addEventListener('change', () => {
    el.textBField.hidden = !el.compareOn.checked;
    el.go.textContent = el.compareOn.checked ? 'Compare' : 'Show attention';
    if (el.compareOn.checked) {
      if (!el.textB.value) el.textB.value = 'She deposited the cheque at the bank';
      el.textB.focus();
      autosize(el.textB);
    } else if (params.compare !== undefined) {
      params = { ...params, compare: undefined, occurrenceB: undefined };
      void load();
    }
  });
  byId('message-close').addEventListener('click', clearMessage);
  el.layer.addEventListener('change', () => setSelection({ layer: Number(el.layer.value) }));
  el.head.addEventListener('change', () => setSelection({ aggregate: 'head', head: Number(el.head.value) }));
  for (const b of el.aggregate.querySelectorAll<HTMLButtonElement>('[data-agg]')) {
    b.addEventListener('click', () => {
      const agg = b.dataset.agg as AggregateParam;
      setSelection({ aggregate: agg, head: agg === 'head' ? Number(el.head.value) : undefined });
    });
  }
  rovingFocus(el.aggregate, '[data-agg]');
  el.hideSpecial.addEventListener('change', () => {
    params = { ...params, hideSpecial: el.hideSpecial.checked };
    void load();
  });
  el.tokens.addEventListener('change', () => {
    if (el.tokens.checked) {
      wordModeParams = { word: params.word, occurrence: params.occurrence, occurrenceB: params.occurrenceB };
      params = { ...params, tokens: true, ...tokenOfWord() };
    } else {
      params = { ...params, tokens: false, word: undefined, occurrence: undefined, occurrenceB: undefined, ...(wordModeParams ?? {}) };
    }
    void load();
  });
  for (const b of el.levelTabs.querySelectorAll<HTMLButtonElement>('[data-level]')) {
    b.addEventListener('click', () => {
      params = { ...params, level: b.dataset.level as Level };
      if (shownParams) shownParams.level = params.level;
      writeUrl();
      syncControls();
      if (current) renderExplanation(current, app);
    });
  }
  rovingFocus(el.levelTabs, '[data-level]');
  for (const b of el.matrixTabs.querySelectorAll<HTMLButtonElement>('[data-matrix]')) {
    b.addEventListener('click', () => {
      ui.matrix = b.dataset.matrix as typeof ui.matrix;
      syncControls();
      if (current) renderMatrix(current, app);
    });
  }
  for (const b of el.barOrder.querySelectorAll<HTMLButtonElement>('[data-order]')) {
    b.addEventListener('click', () => {
      ui.byWeight = b.dataset.order === 'weight';
      el.barOrder.querySelectorAll('[data-order]').forEach((x) => x.setAttribute('aria-checked', String(x === b)));
      if (current) renderBars(current, app);
    });
  }
  for (const b of document.querySelectorAll<HTMLButtonElement>('[data-download]')) b.addEventListener('click', () => void download(b.dataset.download ?? ''));
  let lastWidth = window.innerWidth;
  let timer = 0;
  window.addEventListener('resize', () => {
    if (window.innerWidth === lastWidth) return;
    lastWidth = window.innerWidth;
    clearTimeout(timer);
    timer = window.setTimeout(render, 120);
  });
}

/** The chosen word's last token, as the word to follow in token mode (the token that has seen the whole word). */
function tokenOfWord(): Pick<Params, 'word' | 'occurrence'> {
  if (!current) return { word: undefined, occurrence: undefined };
  const run = runs(current)[0];
  const t = run.tokens[Math.max(...run.view.items[run.view.query].tokens)];
  const same = run.tokens.filter((x) => norm(x.text) === norm(t.text));
  const k = same.indexOf(t) + 1;
  return { word: t.text, occurrence: same.length > 1 ? k : undefined };
}

async function start(): Promise<void> {
  wire();
  params = readUrl();
  el.text.value = params.text;
  el.textB.value = params.compare ?? '';
  el.compareOn.checked = params.compare !== undefined;
  el.textBField.hidden = params.compare === undefined;
  autosize(el.text);
  try {
    info = await getJSON<ModelInfo>('/api/model');
    renderModel(info);
  } catch (e) {
    showMessage(e instanceof ApiError ? e.message : 'cannot reach attn’s server');
    return;
  }
  syncControls();
  await load();
  document.body.classList.add('is-ready');
}

void start();
// for tests and the curious: the state of the page
(window as unknown as { attn: unknown }).attn = { get params() { return params; }, get result() { return current; }, LEVEL_INFO };
