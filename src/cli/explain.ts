// `attn "<text>" --word bank` (also `attn explain …`): the word's attention as a bar chart, which
// selection it shows and how to see others, and the explanation at the chosen level — or the same as
// JSON, Markdown, SVG or PNG.

import { InputError } from '../errors.js';
import { explain, type ExplainResult } from '../api/explain.js';
import { loadTransformer } from '../interpret/load.js';
import { describeSelection } from '../interpret/view.js';
import { formatMarkdown, formatText } from '../explain/format.js';
import { barChartSvg, gridSvg, heatmapSvg, renderBarsText, svgToPng } from '../render/index.js';
import { chooseModel } from './model-arg.js';
import { parse, runCommand, writeOutput } from './shell.js';
import { printOptions, VIEW_FLAGS, VIEW_FLAGS_HELP, viewOptions, type PrintOptions } from './view-options.js';

export const EXPLAIN_USAGE = `usage: attn "<text>" [--word <word>] [options]
       attn explain "<text>" [--word <word>] [options]

Shows which words <word> attends to in the model, with the real numbers, and explains it.
  --occurrence <n>         which one, when the word occurs more than once (1 = first)
${VIEW_FLAGS_HELP}
  --verbose                details (and the stack trace) on errors`;

export async function explainCommand(argv: string[]): Promise<number> {
  return runCommand(argv.includes('--verbose'), async () => {
    const { values, positionals } = parse(argv, { ...VIEW_FLAGS, occurrence: { type: 'string' } }, EXPLAIN_USAGE);
    if (values.help) {
      process.stdout.write(`${EXPLAIN_USAGE}\n`);
      return;
    }
    if (positionals.length !== 1) throw new InputError(`give one sentence in quotes (got ${positionals.length} arguments)\n${EXPLAIN_USAGE}`);
    const print = printOptions(values);
    const view = viewOptions(values);
    const occurrence = values.occurrence === undefined ? undefined : Number(values.occurrence);
    if (occurrence !== undefined && !Number.isInteger(occurrence)) throw new InputError(`--occurrence takes a whole number, got "${values.occurrence}"`);
    const choice = chooseModel(values.model);
    const tf = await loadTransformer(choice.path);
    const result = explain(tf, positionals[0], { ...view, occurrence, level: print.level });
    if (choice.notice && print.format === 'text') process.stderr.write(`${choice.notice}\n\n`);
    writeOutput(renderExplain(result, print), print.output, print.force);
  });
}

/** The hint line: how to see the other layers, heads and aggregations. */
export function hintLine(r: ExplainResult): string {
  const m = r.view.model;
  return `other views: --layer 0..${m.layers - 1}, --head 0..${m.heads - 1}, --aggregate mean|max|rollout, --level newbie|hacker|expert, --format svg -o chart.svg`;
}

export function chartSvg(r: ExplainResult, chart: PrintOptions['chart']): string {
  return chart === 'heatmap' ? heatmapSvg(r.view) : chart === 'grid' ? gridSvg(r.view) : barChartSvg(r.view);
}

export function renderExplain(r: ExplainResult, p: PrintOptions): string | Uint8Array {
  switch (p.format) {
    case 'json':
      return `${JSON.stringify(r, null, 1)}\n`;
    case 'svg':
      return chartSvg(r, p.chart);
    case 'png':
      return svgToPng(chartSvg(r, p.chart));
    case 'md':
      return markdown(r);
    case 'text': {
      const v = r.view;
      const word = v.items[v.query].label;
      const head = [
        `“${word}” in “${r.text}” · ${v.model.name} (${v.model.arch}, ${v.model.layers} layers × ${v.model.heads} heads) · ${describeSelection(v)}`,
        '',
        renderBarsText(v, { width: p.width, color: p.color, title: false }).trimEnd(),
        '',
        hintLine(r),
        '',
      ];
      return `${head.join('\n')}\n${formatText(r.explanation, { width: p.width, color: p.color })}\n`;
    }
  }
}

function markdown(r: ExplainResult): string {
  const v = r.view;
  const word = v.items[v.query].label;
  const rows = v.items
    .filter((it) => !(v.hideSpecial && it.special))
    .map((it) => `| ${it.label.replace(/\|/g, '\\|')}${it.index === v.query ? ' (the word)' : ''} | ${v.blocked[it.index] ? '—' : `${(v.row[it.index] * 100).toFixed(1)}%`} |`);
  return [
    `# Where does “${word}” look?`,
    '',
    `“${r.text}” — ${v.model.name}, ${describeSelection(v)}.`,
    '',
    '| word | attention |',
    '| --- | ---: |',
    ...rows,
    '',
    formatMarkdown(r.explanation),
    '',
  ].join('\n');
}
