// The library's main call: text + word → the word's attention view and an explanation at one level,
// as plain JSON-ready data. The CLI and the web page are thin shells over this.

import { analyze, type Analysis } from '../interpret/analyze.js';
import type { ViewOptions } from '../interpret/attend.js';
import type { Transformer } from '../interpret/load.js';
import { tokensJSON, type TraceJSON } from '../interpret/trace.js';
import type { AttentionView } from '../interpret/view.js';
import { explainLevel } from '../explain/index.js';
import type { Explanation, Level } from '../explain/types.js';

export interface ExplainOptions extends ViewOptions {
  /** default 'newbie' */
  level?: Level;
}

export interface ExplainResult {
  format: 'attn.explain/1';
  text: string;
  tokens: TraceJSON['tokens'];
  view: AttentionView;
  /** the layer, head and token the step-by-step numbers follow */
  narrated: { layer: number; head: number; headReason: 'chosen' | 'most-focused'; token: number };
  explanation: Explanation;
}

export function explainAnalysis(a: Analysis, level: Level = 'newbie'): ExplainResult {
  const c = a.context;
  return {
    format: 'attn.explain/1',
    text: a.encoding.text,
    tokens: tokensJSON(a.encoding),
    view: a.view,
    narrated: { layer: c.layer, head: c.head, headReason: c.headReason, token: c.queryToken },
    explanation: explainLevel(level, c),
  };
}

export function explain(tf: Transformer, text: string, options: ExplainOptions = {}): ExplainResult {
  return explainAnalysis(analyze(tf, text, options), options.level);
}
