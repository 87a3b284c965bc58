// What the page shows, as one set of parameters with one query-string form: the shareable URL
// (/?text=…&word=bank&layer=1) and the API (/api/explain?text=…) use the same keys as the CLI's flags.
// Pure and dependency-free: compiled for Node (the server) and for the browser (the page).

export type AggregateParam = 'head' | 'mean' | 'max' | 'rollout';
export type LevelParam = 'newbie' | 'hacker' | 'expert';
export type ChartParam = 'bar' | 'heatmap' | 'grid';

export const AGGREGATE_VALUES: readonly AggregateParam[] = ['head', 'mean', 'max', 'rollout'];
export const LEVEL_VALUES: readonly LevelParam[] = ['newbie', 'hacker', 'expert'];
export const CHART_VALUES: readonly ChartParam[] = ['bar', 'heatmap', 'grid'];

export interface Params {
  text: string;
  /** the second sentence: present means compare mode */
  compare?: string;
  word?: string;
  /** 1-based, in the first sentence */
  occurrence?: number;
  /** 1-based, in the second sentence (compare mode) */
  occurrenceB?: number;
  layer?: number;
  head?: number;
  aggregate?: AggregateParam;
  level: LevelParam;
  /** subword tokens instead of words */
  tokens: boolean;
  hideSpecial: boolean;
}

/** Limits the server enforces and the page checks before it asks. */
export const LIMITS = {
  /** characters per sentence (the model's own position limit usually bites first) */
  maxChars: 10_000,
  /** bytes of a request body */
  maxBodyBytes: 128 * 1024,
  /** characters of a word */
  maxWordChars: 200,
  /** characters of a request URL (path + query); Node itself refuses request heads over 16 KiB */
  maxUrlChars: 8 * 1024,
} as const;

export const DEFAULT_TEXT = "He sat on the river's bank";

/** A parameter that cannot be used as given; the message says which and why. */
export class ParamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ParamError';
  }
}

/** query key → what it holds (the CLI flag of the same name); in this order in URLs */
export const PARAM_KEYS = {
  text: 'the sentence',
  compare: 'a second sentence (compare mode)',
  word: 'the word to look at',
  occurrence: 'which occurrence of the word (1 = first)',
  'occurrence-b': 'which occurrence in the second sentence',
  layer: 'the layer (0 = first)',
  head: 'the head (implies aggregate=head)',
  aggregate: AGGREGATE_VALUES.join(' | '),
  level: LEVEL_VALUES.join(' | '),
  tokens: 'show subword tokens instead of words (1 or 0)',
  'hide-special': 'hide [CLS]/[SEP]/<|endoftext|> (1 or 0)',
} as const;

/** Extra keys an API call may carry besides PARAM_KEYS. */
export type Getter = (key: string) => unknown;

function str(v: unknown, key: string): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') throw new ParamError(`${key} must be text, got ${typeof v === 'object' ? 'an object' : String(v)}`);
  return v;
}

function int(v: unknown, key: string, min: number): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*-?\d{1,9}\s*$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n)) throw new ParamError(`${key} must be a whole number, got "${String(v).slice(0, 40)}"`);
  if (n < min) throw new ParamError(`${key} must be ${min} or more, got ${n}`);
  return n;
}

function bool(v: unknown, key: string): boolean {
  if (v === undefined || v === null || v === '' || v === false || v === '0' || v === 'false') return false;
  if (v === true || v === '1' || v === 'true') return true;
  throw new ParamError(`${key} must be 1 or 0, got "${String(v).slice(0, 40)}"`);
}

function oneOf<T extends string>(v: unknown, allowed: readonly T[], key: string): T | undefined {
  const s = str(v, key);
  if (s === undefined || s === '') return undefined;
  if (!(allowed as readonly string[]).includes(s)) throw new ParamError(`${key} "${s.slice(0, 40)}" is unknown; use one of ${allowed.join(', ')}`);
  return s as T;
}

function sentence(v: unknown, key: string, what: string): string | undefined {
  const s = str(v, key);
  if (s === undefined) return undefined;
  if (s.length > LIMITS.maxChars) {
    throw new ParamError(`${what} is ${s.length.toLocaleString('en-US')} characters long; the limit is ${LIMITS.maxChars.toLocaleString('en-US')}`);
  }
  return s;
}

/**
 * Reads and checks the parameters (range checks that need the model, such as the number of layers, are
 * the model's). `keys` lists every key present, so unknown ones can be refused (`strict`).
 */
export function parseParams(get: Getter, keys: Iterable<string>, options: { strict: boolean; extra?: readonly string[] } = { strict: true }): Params {
  if (options.strict) {
    const known = new Set([...Object.keys(PARAM_KEYS), ...(options.extra ?? [])]);
    for (const k of keys) {
      if (!known.has(k)) throw new ParamError(`unknown parameter "${k.slice(0, 40)}"; the parameters are ${Object.keys(PARAM_KEYS).join(', ')}`);
    }
  }
  const text = sentence(get('text'), 'text', 'the sentence') ?? '';
  const compare = sentence(get('compare'), 'compare', 'the second sentence');
  const word = str(get('word'), 'word')?.trim();
  if (word !== undefined && word.length > LIMITS.maxWordChars) throw new ParamError(`word is ${word.length} characters long; a word of the sentence is shorter`);
  const head = int(get('head'), 'head', 0);
  const aggregate = oneOf(get('aggregate'), AGGREGATE_VALUES, 'aggregate');
  if (head !== undefined && aggregate !== undefined && aggregate !== 'head') {
    throw new ParamError(`head=${head} only applies with aggregate=head (got aggregate=${aggregate})`);
  }
  return {
    text,
    compare,
    word: word === '' ? undefined : word,
    occurrence: int(get('occurrence'), 'occurrence', 1),
    occurrenceB: int(get('occurrence-b'), 'occurrence-b', 1),
    layer: int(get('layer'), 'layer', 0),
    head,
    aggregate,
    level: oneOf(get('level'), LEVEL_VALUES, 'level') ?? 'newbie',
    tokens: bool(get('tokens'), 'tokens'),
    hideSpecial: bool(get('hide-special'), 'hide-special'),
  };
}

/** Parameters from a query string (the page's URL or an API GET). */
export function paramsFromQuery(query: URLSearchParams, strict: boolean, extra: readonly string[] = []): Params {
  for (const k of new Set(query.keys())) {
    if (query.getAll(k).length > 1) throw new ParamError(`parameter "${k.slice(0, 40)}" is given more than once`);
  }
  return parseParams((k) => query.get(k) ?? undefined, query.keys(), { strict, extra });
}

/** The query string of a set of parameters (defaults left out), keys in PARAM_KEYS order. */
export function toQuery(p: Params): string {
  const q = new URLSearchParams();
  q.set('text', p.text);
  if (p.compare !== undefined) q.set('compare', p.compare);
  if (p.word !== undefined) q.set('word', p.word);
  if (p.occurrence !== undefined) q.set('occurrence', String(p.occurrence));
  if (p.occurrenceB !== undefined) q.set('occurrence-b', String(p.occurrenceB));
  if (p.layer !== undefined) q.set('layer', String(p.layer));
  if (p.head !== undefined) q.set('head', String(p.head));
  if (p.aggregate !== undefined) q.set('aggregate', p.aggregate);
  if (p.level !== 'newbie') q.set('level', p.level);
  if (p.tokens) q.set('tokens', '1');
  if (p.hideSpecial) q.set('hide-special', '1');
  return q.toString();
}

/** The parameters as a JSON body for the API (same keys as the query string). */
export function toBody(p: Params): Record<string, string | number | boolean> {
  const b: Record<string, string | number | boolean> = { text: p.text };
  if (p.compare !== undefined) b.compare = p.compare;
  if (p.word !== undefined) b.word = p.word;
  if (p.occurrence !== undefined) b.occurrence = p.occurrence;
  if (p.occurrenceB !== undefined) b['occurrence-b'] = p.occurrenceB;
  if (p.layer !== undefined) b.layer = p.layer;
  if (p.head !== undefined) b.head = p.head;
  if (p.aggregate !== undefined) b.aggregate = p.aggregate;
  b.level = p.level;
  if (p.tokens) b.tokens = true;
  if (p.hideSpecial) b['hide-special'] = true;
  return b;
}
