// The model work behind the API, run inside the worker thread (src/web/worker.ts): the same library calls
// and renderers as the CLI (explain, compare, chartSvg, renderCompare, svgToPng), answered as bytes.

import { AttnError, InputError } from '../errors.js';
import { compare, type CompareResult } from '../api/compare.js';
import { compareExplanation } from '../api/compare-text.js';
import { explainAnalysis, type ExplainResult } from '../api/explain.js';
import { chartSvg } from '../cli/explain.js';
import { renderCompare } from '../cli/compare.js';
import { explainLevel } from '../explain/index.js';
import { LEVELS, type Explanation, type Level } from '../explain/types.js';
import { openModelFolder } from '../io/hf-folder.js';
import { analyze } from '../interpret/analyze.js';
import { viewItems, type ViewOptions } from '../interpret/attend.js';
import type { Transformer } from '../interpret/load.js';
import { findQuery } from '../interpret/query.js';
import { describeSelection } from '../interpret/view.js';
import { svgToPng } from '../render/index.js';
import { DEFAULT_TEXT, LIMITS, ParamError, type ChartParam, type Params } from './params.js';
import type { CompareJSON, CompareResponse, ExplainJSON, ExplainResponse, ModelInfo } from './wire.js';

// The page's types must describe exactly what the library returns: a compile error here means wire.ts is stale.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameExplain: Same<ExplainResult, ExplainJSON> = true;
const sameCompare: Same<CompareResult, CompareJSON> = true;
void sameExplain;
void sameCompare;

export type Job =
  | { op: 'explain'; params: Params }
  | { op: 'compare'; params: Params }
  | { op: 'render'; params: Params; chart: ChartParam; format: 'svg' | 'png' };

export interface JobOutput {
  body: string | Uint8Array;
  contentType: string;
  /** for downloads */
  filename?: string;
}

export interface JobError {
  status: number;
  message: string;
  /** only for unexpected errors (status 500), for the server's log */
  stack?: string;
}

function viewOptions(p: Params, which: 'a' | 'b' = 'a'): ViewOptions {
  return {
    word: p.word,
    occurrence: which === 'a' ? p.occurrence : p.occurrenceB,
    layer: p.layer,
    head: p.head,
    aggregate: p.aggregate,
    unit: p.tokens ? 'token' : 'word',
    hideSpecial: p.hideSpecial,
  };
}

function needText(s: string | undefined, what: string): string {
  if (s === undefined || s.trim() === '') throw new InputError(`${what} is empty; type a sentence`);
  return s;
}

/** The explanation at every level from one run (the tabs switch without asking again). */
function allLevels(first: Explanation, make: (l: Level) => Explanation): Record<Level, Explanation> {
  const out = {} as Record<Level, Explanation>;
  for (const l of LEVELS) out[l] = l === first.level ? first : make(l);
  return out;
}

function explainResult(tf: Transformer, p: Params): { result: ExplainResult; explanations: Record<Level, Explanation> } {
  const a = analyze(tf, needText(p.text, 'the sentence'), viewOptions(p));
  const result = explainAnalysis(a, p.level);
  return { result, explanations: allLevels(result.explanation, (l) => explainLevel(l, a.context)) };
}

/** The word compare follows: the asked one, or the first sentence's last word; checked in both sentences first, so errors say which. */
function compareWord(tf: Transformer, p: Params, textA: string, textB: string): string {
  const unit = p.tokens ? 'token' : 'word';
  const find = (text: string, occurrence: number | undefined, which: string, word: string | undefined) => {
    const items = viewItems(tf.tokenizer.encode(text), unit);
    try {
      return items[findQuery(items, word, occurrence)].label;
    } catch (e) {
      if (e instanceof InputError) throw new InputError(`in the ${which} sentence: ${e.message}`);
      throw e;
    }
  };
  const word = find(textA, p.occurrence, 'first', p.word);
  find(textB, p.occurrenceB, 'second', word);
  return word;
}

function compareResult(tf: Transformer, p: Params): { result: CompareResult; explanations: Record<Level, Explanation> } {
  const textA = needText(p.text, 'the first sentence');
  const textB = needText(p.compare, 'the second sentence');
  const word = compareWord(tf, p, textA, textB);
  const result = compare(tf, textA, textB, { ...viewOptions(p), word, occurrenceA: p.occurrence, occurrenceB: p.occurrenceB, level: p.level });
  const explanations = allLevels(result.explanation, (l) => compareExplanation(l, result.a, result.b, result.similarity, tf.config.arch));
  return { result, explanations };
}

function slug(s: string): string {
  return s.toLowerCase().normalize('NFKD').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'word';
}

function downloadName(r: ExplainResult, what: string, ext: string): string {
  const v = r.view;
  const sel = describeSelection(v).replace(/attention rollout through layers 0–(\d+)/, 'rollout-$1');
  return `attn-${slug(v.items[v.query].label)}-${slug(sel)}-${what}.${ext}`;
}

export function runJob(tf: Transformer, job: Job): JobOutput {
  const p = job.params;
  if (job.op === 'explain') {
    const { result, explanations } = explainResult(tf, p);
    const body: ExplainResponse = { kind: 'explain', result, explanations };
    return { body: JSON.stringify(body), contentType: 'application/json; charset=utf-8' };
  }
  if (job.op === 'compare') {
    const { result, explanations } = compareResult(tf, p);
    const body: CompareResponse = { kind: 'compare', result, explanations };
    return { body: JSON.stringify(body), contentType: 'application/json; charset=utf-8' };
  }
  const type = job.format === 'png' ? 'image/png' : 'image/svg+xml';
  if (p.compare !== undefined) {
    if (job.chart !== 'bar') throw new InputError(`compare draws bar charts only; use chart=bar (got chart=${job.chart})`);
    const { result } = compareResult(tf, p);
    const body = renderCompare(result, { format: job.format, level: p.level, chart: 'bar', width: 80, color: false, force: false });
    return { body, contentType: type, filename: downloadName(result.a, 'compare', job.format) };
  }
  const r = explainAnalysis(analyze(tf, needText(p.text, 'the sentence'), viewOptions(p)), p.level);
  const svg = chartSvg(r, job.chart);
  return { body: job.format === 'png' ? svgToPng(svg) : svg, contentType: type, filename: downloadName(r, job.chart, job.format) };
}

/** The library's messages name CLI flags (--layer); the page's parameters have the same names without dashes. */
function forThePage(message: string): string {
  return message.replace(/(^|[\s(“"'])--(?=[a-z])/g, '$1');
}

export function jobError(e: unknown): JobError {
  if (e instanceof InputError || e instanceof ParamError) return { status: 400, message: forThePage(e.message) };
  if (e instanceof AttnError) return { status: 422, message: forThePage(e.message) };
  const err = e instanceof Error ? e : new Error(String(e));
  return { status: 500, message: `internal error: ${err.message}`, stack: err.stack };
}

// GPT-2's causal-mask buffers and BERT's position ids sit in checkpoints but are not learned weights
const BUFFER = /(^|\.)attn\.(masked_)?bias$|(^|\.)position_ids$/;

export function modelInfo(tf: Transformer, notice: string | null): ModelInfo {
  const folder = openModelFolder(tf.dir);
  let parameters = 0;
  try {
    for (const name of folder.weights.names()) if (!BUFFER.test(name)) parameters += folder.weights.info(name).numel;
  } finally {
    folder.weights.close();
  }
  const c = tf.config;
  return {
    name: tf.name,
    arch: c.arch,
    layers: c.nLayers,
    heads: c.nHeads,
    width: c.dModel,
    headWidth: c.dHead,
    positions: c.nPositions,
    vocab: c.vocabSize,
    causal: c.causal,
    parameters,
    notice,
    limits: { maxChars: LIMITS.maxChars, maxBodyBytes: LIMITS.maxBodyBytes },
    defaultText: DEFAULT_TEXT,
  };
}
