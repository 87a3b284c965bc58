// The JSON the server sends the page (docs/web.md). Types only; compiled for the server and the page.
// The server checks at compile time that the library's results fit these shapes (src/web/jobs.ts).

import type { AttentionView } from '../interpret/view.js';
import type { Explanation, Level } from '../explain/types.js';

/** What `attn "<text>" --format json` prints (src/api/explain.ts ExplainResult). */
export interface ExplainJSON {
  format: 'attn.explain/1';
  text: string;
  tokens: { id: number; text: string; start: number; end: number; special: boolean }[];
  view: AttentionView;
  narrated: { layer: number; head: number; headReason: 'chosen' | 'most-focused'; token: number };
  explanation: Explanation;
}

/** What `attn compare … --format json` prints (src/api/compare.ts CompareResult). */
export interface CompareJSON {
  format: 'attn.compare/1';
  word: string;
  a: ExplainJSON;
  b: ExplainJSON;
  similarity: { final: number; layers: number[] };
  explanation: Explanation;
}

/** GET/POST /api/explain: the CLI's JSON at the asked level, and the explanation at every level (for the tabs). */
export interface ExplainResponse {
  kind: 'explain';
  result: ExplainJSON;
  explanations: Record<Level, Explanation>;
}

/** GET/POST /api/compare */
export interface CompareResponse {
  kind: 'compare';
  result: CompareJSON;
  explanations: Record<Level, Explanation>;
}

/** GET /api/model */
export interface ModelInfo {
  name: string;
  arch: 'gpt2' | 'bert';
  layers: number;
  heads: number;
  width: number;
  headWidth: number;
  /** the most tokens the model takes */
  positions: number;
  vocab: number;
  causal: boolean;
  /** number of weights (buffers such as GPT-2's causal mask left out) */
  parameters: number;
  /** a caution for the user (e.g. the random-weight fixture model), or null */
  notice: string | null;
  limits: { maxChars: number; maxBodyBytes: number };
  defaultText: string;
}

/** Every error the API answers with (status 4xx/5xx). */
export interface ErrorResponse {
  error: { status: number; message: string };
}
