#!/usr/bin/env node
// The attn command: picks the subcommand and hands it the rest of the arguments.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { explainCommand, EXPLAIN_USAGE } from './explain.js';
import { compareCommand } from './compare.js';
import { serveCommand } from './serve.js';
import { KERNELS_HELP, startKernels } from './kernels.js';
import { PACKAGE_ROOT } from './shell.js';
import { traceCommand } from './trace.js';
import { trainCommand } from './train.js';

const HELP = `attn — see how attention works, with real numbers from real Transformer models

${EXPLAIN_USAGE}

commands:
  attn "<text>" --word <w>           which words <w> attends to, with an explanation (also: attn explain)
  attn compare "<a>" "<b>" --word <w>  the same word in two sentences, side by side
  attn trace "<text>"                every intermediate (q, k, v, q·k, scores, pattern, ...) as JSON
  attn serve [--port <n>] [--open]   the local web page: type a sentence, click a word
  attn train <files…> --out <dir>    train a small GPT-2 (and its tokenizer) on your own text
  attn <command> --help              the options of a command

${KERNELS_HELP}`;

export async function main(args: string[]): Promise<number> {
  const argv = await startKernels(args);
  if (typeof argv === 'number') return argv;
  const [first, ...rest] = argv;
  if (first === 'trace') return traceCommand(rest);
  if (first === 'compare') return compareCommand(rest);
  if (first === 'serve') return serveCommand(rest);
  if (first === 'train') return trainCommand(rest);
  if (first === '--version') {
    const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };
    process.stdout.write(`attn ${pkg.version}\n`);
    return 0;
  }
  if (first === undefined || ((first === '--help' || first === '-h') && rest.length === 0)) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  return explainCommand(first === 'explain' ? rest : argv);
}

process.exitCode = await main(process.argv.slice(2));
