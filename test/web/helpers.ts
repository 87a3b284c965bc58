// What the web tests share: a server on a free port, the CLI's JSON for the same input (the page must show
// exactly those numbers), a random-weight GPT-2 with 1024 positions for 300-word inputs, and Debian's
// chromium driven by playwright-core (started by the tests; a missing browser fails under CI=true).

import { copyFileSync, existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSafetensors } from '../../src/io/index.js';
import { startServer, type RunningServer } from '../../src/web/server.js';
import { attn, GPT2 } from '../support/cli.js';
import { gpt2Config, randomGpt2Weights } from '../support/random-gpt2.js';

/** Debian's chromium (ATTN_CHROMIUM points elsewhere, e.g. to check that a missing browser fails under CI) */
export const CHROMIUM = process.env.ATTN_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Where the tests leave their screenshots (printed once, to be looked at). */
export const ARTIFACTS = process.env.ATTN_WEB_ARTIFACTS ?? join(tmpdir(), 'attn-web-artifacts');

/**
 * Why browser tests cannot run here, or null when they can. Under CI=true a missing browser is an error
 * (.ci/run installs chromium), so the tests fail rather than skip.
 */
export function browserSkip(): string | false {
  if (existsSync(CHROMIUM)) return false;
  if (process.env.CI === 'true') throw new Error(`${CHROMIUM} is missing; CI must install Debian's chromium (apt-get install -y chromium)`);
  return `${CHROMIUM} is not installed (apt-get install chromium); the browser tests need it`;
}

export async function serve(modelDir = GPT2): Promise<RunningServer> {
  return startServer({ modelDir, port: 0, notice: modelDir === GPT2 ? 'note: the test-fixture model (random weights).' : null });
}

/** The CLI's JSON for the same input (`attn <args> --format json`). */
export function cliJson(args: string[]): any {
  const r = attn([...args, '--format', 'json']);
  if (r.code !== 0) throw new Error(`attn ${args.join(' ')} failed: ${r.err}`);
  return JSON.parse(r.out);
}

/** The CLI's bytes for the same input (svg or png). */
export function cliBytes(args: string[]): Buffer {
  const r = attn(args);
  if (r.code !== 0) throw new Error(`attn ${args.join(' ')} failed: ${r.err}`);
  return r.bytes;
}

/** A random-weight GPT-2 (2 layers, width 64, 1024 positions) with the fixture's tokenizer, in a temp folder. */
export function longModel(): string {
  const dir = mkdtempSync(join(tmpdir(), 'attn-web-long-'));
  const cfg = gpt2Config({ nLayer: 2, nEmbd: 64, nHead: 4, vocab: 528, nPositions: 1024 });
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...cfg, _name_or_path: 'gpt2-long-random' }));
  writeSafetensors(join(dir, 'model.safetensors'), Object.fromEntries(randomGpt2Weights(cfg, 7)));
  copyFileSync(join(GPT2, 'tokenizer.json'), join(dir, 'tokenizer.json'));
  return dir;
}

/** 300 words (about 380 tokens with the fixture tokenizer). */
export function longText(words = 300): string {
  const base = "He sat on the river's bank and watched the water run past the old mill".split(' ');
  return Array.from({ length: words }, (_, i) => base[i % base.length]).join(' ');
}

export function artifactsDir(): string {
  mkdirSync(ARTIFACTS, { recursive: true });
  return ARTIFACTS;
}
