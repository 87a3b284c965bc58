#!/usr/bin/env node
// The attn command: picks the subcommand and hands it the rest of the arguments.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { previewCommand, PREVIEW_USAGE } from './preview.js';
import { PACKAGE_ROOT } from './shell.js';
import { traceCommand } from './trace.js';

const HELP = `attn — see how attention works, with real numbers from real Transformer models

${PREVIEW_USAGE}

commands:
  attn "<text>"            how the last word (or --word) attends over the sentence, layer by layer
  attn trace "<text>"      every intermediate (q, k, v, q·k, scores, pattern, ...) as JSON
options for all: --model <folder> (Hugging Face GPT-2 or BERT folder), --verbose, --help, --version`;

export async function main(argv: string[]): Promise<number> {
  const [first, ...rest] = argv;
  if (first === 'trace') return traceCommand(rest);
  if (first === '--version') {
    const pkg = JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string };
    process.stdout.write(`attn ${pkg.version}\n`);
    return 0;
  }
  if (first === undefined || ((first === '--help' || first === '-h') && rest.length === 0)) {
    process.stdout.write(`${HELP}\n`);
    return 0;
  }
  return previewCommand(first === 'explain' ? rest : argv);
}

process.exitCode = await main(process.argv.slice(2));
