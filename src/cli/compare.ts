// `attn compare "<a>" "<b>" --word bank`: the word's attention in two sentences side by side, and how
// different its vector ends up (cosine similarity), explained at the chosen level.

import { InputError } from '../errors.js';
import { compare, type CompareResult } from '../api/compare.js';
import { loadTransformer } from '../interpret/load.js';
import { describeSelection } from '../interpret/view.js';
import { formatMarkdown, formatText } from '../explain/format.js';
import { compareSvg, renderCompareText, svgToPng } from '../render/index.js';
import { chooseModel } from './model-arg.js';
import { parse, runCommand, writeOutput } from './shell.js';
import { intFlag, printOptions, VIEW_FLAGS, VIEW_FLAGS_HELP, viewOptions, type PrintOptions } from './view-options.js';

export const COMPARE_USAGE = `usage: attn compare "<sentence A>" "<sentence B>" --word <word> [options]

Shows the same word's attention in two sentences side by side, and how different its vector is.
  --occurrence-a <n>, --occurrence-b <n>   which occurrence of the word in sentence A / B
${VIEW_FLAGS_HELP}`;

export async function compareCommand(argv: string[]): Promise<number> {
  return runCommand(argv.includes('--verbose'), async () => {
    const { values, positionals } = parse(
      argv,
      { ...VIEW_FLAGS, 'occurrence-a': { type: 'string' }, 'occurrence-b': { type: 'string' } },
      COMPARE_USAGE,
    );
    if (values.help) {
      process.stdout.write(`${COMPARE_USAGE}\n`);
      return;
    }
    if (positionals.length !== 2) throw new InputError(`compare takes two sentences in quotes (got ${positionals.length})\n${COMPARE_USAGE}`);
    if (values.word === undefined) throw new InputError(`compare needs --word: the word to follow in both sentences\n${COMPARE_USAGE}`);
    if (values.format === 'svg' || values.format === 'png') {
      if (values.chart !== 'bar') throw new InputError('compare draws bar charts only; leave out --chart');
    }
    const print = printOptions(values);
    const choice = chooseModel(values.model);
    const tf = await loadTransformer(choice.path);
    const result = compare(tf, positionals[0], positionals[1], {
      ...viewOptions(values),
      occurrenceA: intFlag(values['occurrence-a'], '--occurrence-a'),
      occurrenceB: intFlag(values['occurrence-b'], '--occurrence-b'),
      level: print.level,
    });
    if (choice.notice && print.format === 'text') process.stderr.write(`${choice.notice}\n\n`);
    writeOutput(renderCompare(result, print), print.output, print.force);
  });
}

function similarityNote(r: CompareResult): string {
  return `cosine similarity of the two “${r.word}” vectors at the output: ${r.similarity.final.toFixed(3)}`;
}

export function renderCompare(r: CompareResult, p: PrintOptions): string | Uint8Array {
  const title = `“${r.word}” in two sentences`;
  switch (p.format) {
    case 'json':
      return `${JSON.stringify(r, null, 1)}\n`;
    case 'svg':
      return compareSvg(r.a.view, r.b.view, { title, note: similarityNote(r) });
    case 'png':
      return svgToPng(compareSvg(r.a.view, r.b.view, { title, note: similarityNote(r) }));
    case 'md':
      return `# ${title}\n\n${formatMarkdown(r.explanation)}\n\n## A: ${r.a.text}\n\n${formatMarkdown(r.a.explanation)}\n\n## B: ${r.b.text}\n\n${formatMarkdown(r.b.explanation)}\n`;
    case 'text':
      return [
        `${title} · ${r.a.view.model.name} · ${describeSelection(r.a.view)}`,
        '',
        renderCompareText(r.a.view, r.b.view, { width: p.width, color: p.color, title: false }).trimEnd(),
        '',
        similarityNote(r),
        '',
        formatText(r.explanation, { width: p.width, color: p.color }),
        '',
      ].join('\n');
  }
}
