// The flags shared by `attn explain` and `attn compare`: which word, layer, head, aggregation, level,
// output format, and how to print (width, colour), turned into checked values.

import { InputError } from '../errors.js';
import { AGGREGATES, type ViewOptions } from '../interpret/attend.js';
import type { Aggregate } from '../interpret/view.js';
import { LEVELS, type Level } from '../explain/types.js';
import { shouldColor } from '../render/index.js';

export const VIEW_FLAGS = {
  model: { type: 'string' },
  word: { type: 'string', short: 'w' },
  layer: { type: 'string', short: 'l' },
  head: { type: 'string' },
  aggregate: { type: 'string', short: 'a' },
  tokens: { type: 'boolean', default: false },
  'hide-special': { type: 'boolean', default: false },
  level: { type: 'string', default: 'newbie' },
  format: { type: 'string', short: 'f', default: 'text' },
  chart: { type: 'string', default: 'bar' },
  output: { type: 'string', short: 'o' },
  force: { type: 'boolean', default: false },
  width: { type: 'string' },
  color: { type: 'boolean', default: false },
  'no-color': { type: 'boolean', default: false },
} as const;

export const FORMATS = ['text', 'json', 'svg', 'png', 'md'] as const;
export type Format = (typeof FORMATS)[number];
export const CHARTS = ['bar', 'heatmap', 'grid'] as const;
export type Chart = (typeof CHARTS)[number];

export const VIEW_FLAGS_HELP = `  --word, -w <word>        the word to look at (default: the last word)
  --layer, -l <n>          the layer (default: the last)
  --head <n>               one head (implies --aggregate head)
  --aggregate, -a <how>    head | mean | max | rollout (default: mean over the layer's heads)
  --tokens                 show subword tokens instead of words
  --hide-special           hide [CLS]/[SEP]/<|endoftext|>; the rest shown raw and renormalised
  --level <level>          newbie | hacker | expert (default: newbie)
  --format, -f <fmt>       text | json | svg | png | md (default: text)
  --chart <kind>           for svg/png: bar | heatmap | grid (default: bar)
  -o, --output <file>      write to a file (refuses to replace one unless --force)
  --width <columns>        terminal width (default: the terminal's, or 80)
  --color, --no-color      force colour on or off (default: on for a terminal, off with NO_COLOR)
  --model <folder|name>    a Hugging Face GPT-2 or BERT folder, or a model already in the local Hub
                           cache by name (gpt2, google-bert/bert-base-uncased); default: built-in`;

export function intFlag(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value.trim())) throw new InputError(`${flag} takes a whole number, got "${value}"`);
  return Number(value);
}

function oneOf<T extends string>(value: string, allowed: readonly T[], flag: string): T {
  if (!(allowed as readonly string[]).includes(value)) throw new InputError(`unknown ${flag} "${value}"; use one of ${allowed.join(', ')}`);
  return value as T;
}

export interface PrintOptions {
  level: Level;
  format: Format;
  chart: Chart;
  width: number;
  color: boolean;
  output?: string;
  force: boolean;
}

type Values = { [K in keyof typeof VIEW_FLAGS]?: string | boolean };

export function viewOptions(v: Values): ViewOptions {
  return {
    word: v.word as string | undefined,
    layer: intFlag(v.layer as string | undefined, '--layer'),
    head: intFlag(v.head as string | undefined, '--head'),
    aggregate: v.aggregate === undefined ? undefined : oneOf(v.aggregate as string, AGGREGATES, '--aggregate') as Aggregate,
    unit: v.tokens ? 'token' : 'word',
    hideSpecial: v['hide-special'] === true,
  };
}

export function printOptions(v: Values): PrintOptions {
  const format = oneOf(v.format as string, FORMATS, '--format');
  const output = v.output as string | undefined;
  const width = intFlag(v.width as string | undefined, '--width') ?? (process.stdout.columns || 80);
  if (width < 40 || width > 400) throw new InputError(`--width ${width} is out of range; use 40 to 400 columns`);
  if (v.color && v['no-color']) throw new InputError('--color and --no-color contradict each other; give one');
  const flag = v.color === true ? true : v['no-color'] === true ? false : undefined;
  const color = shouldColor(flag, process.env, output === undefined && process.stdout.isTTY === true);
  if (format === 'png' && output === undefined && process.stdout.isTTY) {
    throw new InputError('a PNG is binary; write it to a file with -o picture.png (or pipe it)');
  }
  return {
    level: oneOf(v.level as string, LEVELS, '--level'),
    format,
    chart: oneOf(v.chart as string, CHARTS, '--chart'),
    width,
    color,
    output,
    force: v.force === true,
  };
}
