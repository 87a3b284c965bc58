// The default command, for now: runs the model on a sentence and shows how its last word (or --word)
// spreads its attention over the sentence's words, layer by layer (mean over heads). The full explainer
// (three levels, charts, compare) replaces this view.

import { InputError } from '../errors.js';
import { loadTransformer } from '../interpret/load.js';
import { runWithCache } from '../interpret/run.js';
import { wordAttentionRow } from '../interpret/words.js';
import { chooseModel } from './model-arg.js';
import { parse, runCommand } from './shell.js';

export const PREVIEW_USAGE = `usage: attn "<text>" [--word <word>] [--model <folder>] [--verbose]
       attn trace --help      the full trace of every intermediate as JSON`;

export async function previewCommand(argv: string[]): Promise<number> {
  return runCommand(argv.includes('--verbose'), async () => {
    const { values, positionals } = parse(argv, { model: { type: 'string' }, word: { type: 'string' } }, PREVIEW_USAGE);
    if (values.help) {
      process.stdout.write(`${PREVIEW_USAGE}\n`);
      return;
    }
    if (positionals.length !== 1) throw new InputError(`give one sentence in quotes\n${PREVIEW_USAGE}`);
    const choice = chooseModel(values.model);
    const tf = await loadTransformer(choice.path);
    const enc = tf.tokenizer.encode(positionals[0]);
    const words = enc.words;
    const real = words.map((w, i) => ({ w, i })).filter(({ w }) => !w.special);
    const target = values.word
      ? real.find(({ w }) => w.text.toLowerCase() === values.word!.toLowerCase())
      : [...real].reverse().find(({ w }) => /[\p{L}\p{N}]/u.test(w.text));
    if (!target) {
      throw new InputError(`"${values.word}" is not a word of the sentence; its words are: ${real.map(({ w }) => w.text).join(', ')}`);
    }
    const { cache } = runWithCache(tf.model, { ids: enc.ids, typeIds: enc.typeIds }, { hooks: 'pattern' });
    const out: string[] = [];
    if (choice.notice) out.push(choice.notice, '');
    const c = tf.config;
    out.push(`model: ${tf.name} (${c.arch}, ${c.nLayers} layers × ${c.nHeads} heads, width ${c.dModel})`);
    out.push(`tokens: ${enc.tokens.map((t) => JSON.stringify(t.text)).join(' ')}`);
    out.push(`attention of "${target.w.text}" over the sentence (mean of the ${c.nHeads} heads of each layer):`);
    const labelWidth = Math.max(...words.map((w) => w.text.length));
    for (let l = 0; l < c.nLayers; l++) {
      out.push('', `layer ${l}`);
      const row = wordAttentionRow(cache.pattern(l), words, target.i, 'mean', c.causal);
      row.forEach((p, i) => {
        const bar = '█'.repeat(Math.round(p * 40));
        out.push(`  ${words[i].text.padStart(labelWidth)} ${bar} ${(p * 100).toFixed(1)}%`);
      });
    }
    if (c.causal) out.push('', `(a causal model: words after "${target.w.text}" cannot receive its attention)`);
    process.stdout.write(`${out.join('\n')}\n`);
  });
}
