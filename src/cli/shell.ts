// What every command shares: parsing flags (node:util parseArgs) into user-facing errors, printing an
// error as one message (the stack only with --verbose), and writing output to stdout or a file.

import { existsSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { AttnError, FileError, InputError } from '../errors.js';

export type Options = NonNullable<ParseArgsConfig['options']>;

/** Flags every command accepts. */
export const COMMON_OPTIONS = {
  verbose: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} satisfies Options;

type Parsed<O extends Options> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O & typeof COMMON_OPTIONS; allowPositionals: true; strict: true }>
>;

export function parse<O extends Options>(args: string[], options: O, usage: string): Parsed<O> {
  try {
    const config = { args, options: { ...COMMON_OPTIONS, ...options }, allowPositionals: true as const, strict: true as const };
    return parseArgs(config) as Parsed<O>;
  } catch (e) {
    const msg = e instanceof Error ? e.message.replace(/\. To specify a positional argument.*$/s, '') : String(e);
    throw new InputError(`${msg}\n${usage}`);
  }
}

/** Runs a command: AttnErrors become one message on stderr and their exit code; anything else is a bug. */
export async function runCommand(verbose: boolean, body: () => Promise<void>): Promise<number> {
  try {
    await body();
    return 0;
  } catch (e) {
    if (e instanceof AttnError) {
      process.stderr.write(`attn: ${e.message}\n`);
      if (verbose && e.stack) process.stderr.write(`${e.stack}\n`);
      return e.exitCode;
    }
    const err = e instanceof Error ? e : new Error(String(e));
    process.stderr.write(`attn: internal error: ${err.message}\n`);
    process.stderr.write(verbose ? `${err.stack}\n` : 'This is a bug in attn. Run again with --verbose for the details and report them.\n');
    return 70;
  }
}

/**
 * Writes `content` to `path` (or stdout when path is undefined or '-'). Refuses to replace an existing
 * file unless `force`; writes to a temporary file first so a failure never leaves half a file.
 */
export function writeOutput(content: string | Uint8Array, path: string | undefined, force: boolean): void {
  if (path === undefined || path === '-') {
    process.stdout.write(content);
    return;
  }
  const target = resolve(path);
  if (existsSync(target)) {
    if (statSync(target).isDirectory()) throw new FileError(`-o ${path} is a folder; give a file name`);
    if (!force) throw new FileError(`${path} already exists; choose another name or add --force to replace it`);
  }
  const dir = dirname(target);
  if (!existsSync(dir)) throw new FileError(`cannot write ${path}: the folder ${dir} does not exist`);
  const tmp = join(dir, `.${process.pid}.attn-tmp`);
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, target);
  } catch (e) {
    throw new FileError(`cannot write ${path}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}; check the folder's permissions`, { cause: e });
  }
}

/** The root of the installed attn package (holds models/ and test/fixtures/). */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
