// `attn trace`: the model's intermediates for a text as JSON (format: docs/trace-format.md).

import { InputError } from '../errors.js';
import { loadTransformer } from '../interpret/load.js';
import { trace } from '../interpret/trace.js';
import { chooseModel } from './model-arg.js';
import { parse, runCommand, writeOutput } from './shell.js';

export const TRACE_USAGE = `usage: attn trace [--model <folder>] "<text>" [--hooks pattern,attn_scores,q,k,v] [--format json]
                  [--logits] [--last-hidden] [-o <file>] [--force] [--verbose]

Runs the model on the text and prints its tokens, words and the chosen intermediates as JSON.
  --model <folder>   a Hugging Face folder (config.json, model.safetensors, tokenizer.json) or a model name
                     in the local Hub cache (gpt2); default: built-in
  --hooks <list>     comma-separated: short names (pattern, attn_scores, dot, q, k, v, z, attn_out, resid_pre,
                     resid_mid, resid_post, mlp_out, ln1, ...; W_Q, W_K, W_V, W_O for weights), full names
                     (blocks.0.attn.hook_pattern), globs (blocks.0.*), or "all". Default: pattern
  --format json      the only format of this command (for charts, see "attn --help")
  --logits           include the logits [T, V] (large for real vocabularies)
  --last-hidden      include the final hidden state [T, C]
  -o <file>          write to a file instead of stdout (refuses to replace one unless --force)`;

export async function traceCommand(argv: string[]): Promise<number> {
  const verbose = argv.includes('--verbose');
  return runCommand(verbose, async () => {
    const { values, positionals } = parse(
      argv,
      {
        model: { type: 'string' },
        hooks: { type: 'string', default: 'pattern' },
        format: { type: 'string', default: 'json' },
        logits: { type: 'boolean', default: false },
        'last-hidden': { type: 'boolean', default: false },
        output: { type: 'string', short: 'o' },
        force: { type: 'boolean', default: false },
      },
      TRACE_USAGE,
    );
    if (values.help) {
      process.stdout.write(`${TRACE_USAGE}\n`);
      return;
    }
    if (values.format !== 'json') throw new InputError(`unknown --format "${values.format}"; attn trace writes json`);
    if (positionals.length !== 1) {
      throw new InputError(`attn trace takes one text (in quotes), got ${positionals.length}\n${TRACE_USAGE}`);
    }
    const choice = chooseModel(values.model);
    if (choice.notice) process.stderr.write(`${choice.notice}\n`);
    const tf = await loadTransformer(choice.path);
    const result = trace(tf, positionals[0], { hooks: values.hooks, logits: values.logits, lastHidden: values['last-hidden'] });
    writeOutput(`${JSON.stringify(result)}\n`, values.output, values.force);
  });
}
