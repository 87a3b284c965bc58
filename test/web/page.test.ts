// The page in a real browser (Debian's chromium via playwright-core): it loads offline with no failed
// request, shows exactly the CLI's numbers as the user clicks words, layers, heads and tabs, downloads the
// CLI's own pictures and JSON, stays responsive on 300 words, and says what is wrong with bad input.
// Screenshots go to ARTIFACTS (printed at the end) to be looked at.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import type { RunningServer } from '../../src/web/server.js';
import { attn, BERT, GPT2, SEED } from '../support/cli.js';
import { checkXml } from '../render/xml-check.js';
import { decodePng } from '../render/png-decode.js';
import { artifactsDir, browserSkip, CHROMIUM, CHROMIUM_ARGS, cliBytes, cliJson, longModel, longText, serve } from './helpers.js';

const skip = browserSkip();
const SECOND = 'She deposited the cheque at the bank';
let ctx: BrowserContext;
let profile: string;
let gpt2: RunningServer;
let long: RunningServer;
let bert: RunningServer;
let shots: string;

before(async () => {
  if (skip) return;
  const { chromium } = await import('playwright-core');
  profile = mkdtempSync(join(tmpdir(), 'attn-chromium-'));
  shots = artifactsDir();
  [gpt2, long, bert, ctx] = await Promise.all([
    serve(GPT2),
    serve(longModel()),
    serve(BERT),
    chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, acceptDownloads: true, viewport: { width: 1280, height: 800 } }),
  ]);
});

after(async () => {
  await ctx?.close();
  await Promise.all([gpt2?.close(), long?.close(), bert?.close()]);
  if (profile) rmSync(profile, { recursive: true, force: true });
  if (shots) process.stdout.write(`# screenshots: ${shots}\n`);
});

interface Watched {
  page: Page;
  problems: string[];
  outside: string[];
}

/** A page on `srv` at `path`, recording every failed request, error response, console error and outside URL. */
async function open(srv: RunningServer, path = '/', size = { width: 1280, height: 800 }): Promise<Watched> {
  const page = await ctx.newPage();
  await page.setViewportSize(size);
  const origin = new URL(srv.url).origin;
  const w: Watched = { page, problems: [], outside: [] };
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(origin) || url.startsWith('blob:') || url.startsWith('data:')) return route.continue();
    w.outside.push(url);
    return route.abort();
  });
  page.on('requestfailed', (r) => w.problems.push(`failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => {
    if (r.status() >= 400) w.problems.push(`${r.status()}: ${r.url()}`);
  });
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') w.problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => w.problems.push(`page error: ${e.message}`));
  await page.goto(new URL(path, srv.url).href);
  await page.waitForSelector('body.is-ready', { timeout: 15_000 });
  return w;
}

const q = (o: Record<string, string>) => `/?${new URLSearchParams(o)}`;

async function bars(page: Page, scope = '#bars'): Promise<Map<number, number>> {
  const pairs = await page.$$eval(`${scope} [data-value]`, (els) => els.map((e) => [Number((e as HTMLElement).dataset.index), Number((e as HTMLElement).dataset.value)]));
  return new Map(pairs as [number, number][]);
}

/** The bars on screen are exactly the CLI's row (every visible item, same float). */
function sameAsCli(shown: Map<number, number>, row: number[], what: string): void {
  assert.equal(shown.size, row.length, `${what}: one bar per word`);
  row.forEach((v, i) => assert.equal(shown.get(i), v, `${what}: bar ${i}`));
}

async function shot(page: Page, name: string, fullPage = false): Promise<void> {
  await page.evaluate(() => document.fonts.ready);
  await page.locator('#tooltip').evaluate((t) => ((t as HTMLElement).hidden = true));
  // animations: 'disabled' finishes the bars' growth before the picture
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage, animations: 'disabled' });
}

test('the page loads offline: every asset from attn, no failed request, no console error, fonts and KaTeX local', { skip }, async () => {
  const w = await open(gpt2);
  const { page } = w;
  assert.equal(await page.inputValue('#text'), SEED);
  assert.match(await page.textContent('#model') ?? '', /gpt2-tiny.*GPT-2 · 2 layers × 4 heads · 138k parameters · up to 64 tokens/s);
  assert.match(await page.textContent('#notice') ?? '', /random weights/);
  assert.equal(await page.locator('#words .word').count(), 6);
  assert.equal(await page.textContent('#bar-title'), 'Where does “bank” look?');
  await page.click('#tab-expert');
  await page.waitForSelector('#explain-panel .katex');
  await page.evaluate(() => document.fonts.ready);
  const fonts = await page.evaluate(() => [...document.fonts].filter((f) => f.status === 'loaded').map((f) => f.family.replace(/"/g, '')));
  assert.ok(fonts.includes('Inter'), `Inter loaded: ${fonts.join(', ')}`);
  assert.ok(fonts.some((f) => f.startsWith('KaTeX')), 'KaTeX fonts loaded');
  assert.deepEqual(w.outside, [], 'nothing outside attn was requested');
  assert.deepEqual(w.problems, []);
  await page.close();
});

test('clicking “bank” shows bars equal to the CLI’s JSON; hover shows the exact weight and tokens', { skip }, async () => {
  const { page, problems } = await open(gpt2, q({ text: SEED, word: 'sat' }));
  assert.equal(await page.textContent('#bar-title'), 'Where does “sat” look?');
  await page.locator('#words .word', { hasText: /^bank$/ }).click();
  await page.waitForFunction(() => document.querySelector('#bar-title')?.textContent === 'Where does “bank” look?');
  const cli = cliJson([SEED, '--model', GPT2, '--word', 'bank']);
  sameAsCli(await bars(page), cli.view.row, 'bank');
  assert.match(page.url(), /word=bank/);
  // hover: the exact weight and the word's two tokens
  await page.locator('#words .word', { hasText: /^river's$/ }).hover();
  const tip = await page.locator('#tooltip').textContent();
  assert.ok(tip?.includes(cli.view.row[4].toFixed(4)), `tooltip ${tip}`);
  assert.match(tip ?? '', /tokens: Ġriver \+ 's/);
  await shot(page, 'seed-1280-newbie');
  assert.deepEqual(problems, []);
  await page.close();
});

test('layer, head, aggregation and the grid update the chart to the CLI’s numbers; the URL follows', { skip }, async () => {
  const { page, problems } = await open(gpt2);
  const sub = (s: string) => page.waitForFunction((s) => document.querySelector('#bar-sub')?.textContent === s, s);
  await page.selectOption('#layer', '0');
  await sub('gpt2-tiny · layer 0, mean of 4 heads');
  sameAsCli(await bars(page), cliJson([SEED, '--model', GPT2, '--layer', '0']).view.row, 'layer 0');
  await page.click('[data-agg="max"]');
  await sub('gpt2-tiny · layer 0, max over 4 heads');
  sameAsCli(await bars(page), cliJson([SEED, '--model', GPT2, '--layer', '0', '--aggregate', 'max']).view.row, 'max');
  await page.click('[data-agg="head"]');
  await page.waitForFunction(() => /head \d$/.test(document.querySelector('#bar-sub')?.textContent ?? ''));
  await page.selectOption('#head', '2');
  await sub('gpt2-tiny · layer 0, head 2');
  sameAsCli(await bars(page), cliJson([SEED, '--model', GPT2, '--layer', '0', '--head', '2']).view.row, 'layer 0 head 2');
  await page.click('.hg-cell[data-layer="1"][data-head="3"]');
  await sub('gpt2-tiny · layer 1, head 3');
  sameAsCli(await bars(page), cliJson([SEED, '--model', GPT2, '--layer', '1', '--head', '3']).view.row, 'grid cell L1 H3');
  assert.match(page.url(), /layer=1&head=3&aggregate=head/);
  assert.equal(await page.locator('.hg-cell.is-selected').count(), 1);
  await page.click('[data-agg="rollout"]');
  await sub('gpt2-tiny · attention rollout through layers 0–1');
  sameAsCli(await bars(page), cliJson([SEED, '--model', GPT2, '--layer', '1', '--aggregate', 'rollout']).view.row, 'rollout');
  // the shared URL opens the same view
  const again = await ctx.newPage();
  await again.goto(page.url());
  await again.waitForSelector('body.is-ready');
  assert.equal(await again.textContent('#bar-sub'), 'gpt2-tiny · attention rollout through layers 0–1');
  await again.close();
  // the head view draws one line per visible weight
  await page.click('[data-matrix="headview"]');
  assert.ok((await page.locator('.headview line').count()) > 6);
  assert.deepEqual(problems, []);
  await page.close();
});

test('each level tab shows this run’s numbers: words, the stepped walkthrough, KaTeX equations and matrices', { skip }, async () => {
  const { page, problems } = await open(gpt2);
  const newbie = cliJson([SEED, '--model', GPT2, '--level', 'newbie']).explanation;
  const text = () => page.locator('#explain-panel').innerText();
  assert.ok((await text()).includes(`(${Math.round(newbie.facts.topWeight * 100)}%)`), 'newbie names the top weight');
  assert.ok((await text()).includes(newbie.sections[0].blocks[0].text), 'newbie text is the CLI’s');

  const hacker = cliJson([SEED, '--model', GPT2, '--level', 'hacker']).explanation;
  await page.click('#tab-hacker');
  assert.match(page.url(), /level=hacker/);
  assert.match(await page.locator('.step-count').innerText(), /step 1 of 10/);
  for (let i = 0; i < 4; i++) await page.click('text=Next step →');
  assert.match(await page.locator('.step-count').innerText(), /step 5 of 10/);
  assert.ok((await text()).includes(hacker.facts.topTokenDot.toFixed(3)), 'the top q·k of this run');
  assert.ok((await page.locator('.tbars .tb-bar').count()) >= 14, 'q·k and scores drawn per token');
  await page.click('text=Next step →');
  assert.ok((await text()).includes(hacker.facts.sumExp.toFixed(4)), 'the softmax sum of this run');
  await shot(page, 'seed-1280-hacker');
  await page.click('text=Show all steps');
  for (const sec of hacker.sections) assert.ok((await text()).includes(sec.title), sec.title);

  const expert = cliJson([SEED, '--model', GPT2, '--level', 'expert']).explanation;
  await page.click('#tab-expert');
  assert.ok((await page.locator('#explain-panel .katex').count()) >= 8, 'equations typeset by KaTeX');
  const qm = expert.sections.flatMap((s: any) => s.blocks).find((b: any) => b.kind === 'matrix' && b.tex?.startsWith('Q'));
  const t = await text();
  assert.ok(t.includes(`[${qm.shape.join('×')}]`), 'the matrix shape');
  assert.ok(t.includes(qm.values[6][0].toFixed(3).replace('-', '−')), 'a value of Q');
  await shot(page, 'seed-1280-expert');
  await shot(page, 'seed-1280-expert-full', true);
  assert.deepEqual(problems, []);
  await page.close();
});

test('downloads: SVG, PNG and JSON of what is on screen are the CLI’s own bytes', { skip }, async () => {
  const { page, problems } = await open(gpt2, q({ text: SEED, word: 'sat', layer: '0', head: '1', level: 'expert' }));
  const get = async (what: string) => {
    const [dl] = await Promise.all([page.waitForEvent('download'), page.click(`[data-download="${what}"]`)]);
    return { name: dl.suggestedFilename(), bytes: readFileSync((await dl.path())!) };
  };
  const args = [SEED, '--model', GPT2, '--word', 'sat', '--layer', '0', '--head', '1'];
  const svg = await get('bar-svg');
  assert.equal(svg.name, 'attn-sat-layer-0-head-1-bar.svg');
  checkXml(svg.bytes.toString('utf8'));
  assert.ok(svg.bytes.equals(cliBytes([...args, '--format', 'svg'])), 'bar SVG = attn --format svg');
  const png = await get('bar-png');
  assert.equal(decodePng(png.bytes).width, 800);
  assert.ok(png.bytes.equals(cliBytes([...args, '--format', 'png', '-o', '-'])), 'bar PNG = attn --format png');
  const grid = await get('grid-svg');
  assert.ok(grid.bytes.equals(cliBytes([...args, '--format', 'svg', '--chart', 'grid'])), 'grid SVG');
  const heat = await get('heatmap-png');
  assert.ok(heat.bytes.equals(cliBytes([...args, '--format', 'png', '--chart', 'heatmap', '-o', '-'])), 'heatmap PNG');
  const json = await get('json');
  assert.equal(json.bytes.toString('utf8'), attn([...args, '--level', 'expert', '--format', 'json']).out, 'JSON = attn --format json');
  assert.deepEqual(problems, []);
  await page.close();
});

test('compare mode: the second sentence side by side, on one scale, with the CLI’s numbers', { skip }, async () => {
  const { page, problems } = await open(gpt2);
  await page.check('#compare-on');
  await page.fill('#text-b', SECOND);
  await page.click('#go');
  await page.waitForSelector('.compare-panel >> nth=1');
  const cli = cliJson(['compare', SEED, SECOND, '--model', GPT2, '--word', 'bank']);
  const panels = page.locator('.compare-panel');
  for (const [i, side] of [[0, 'a'], [1, 'b']] as const) {
    const vals = await panels.nth(i).locator('[data-value]').evaluateAll((els) => els.map((e) => Number((e as HTMLElement).dataset.value)));
    assert.deepEqual(vals, cli[side].view.row, `sentence ${side.toUpperCase()}`);
  }
  assert.equal(await page.textContent('#bar-title'), 'Where does “bank” look? Two sentences');
  assert.ok((await page.locator('#similarity').innerText()).includes(cli.similarity.final.toFixed(3)));
  assert.match(page.url(), /compare=She\+deposited/);
  await page.locator('.word', { hasText: /^cheque$/ }).click();
  await page.waitForSelector('#message:not([hidden])');
  assert.match(await page.locator('#message').innerText(), /in the first sentence: "cheque" is not a word/i);
  await page.locator('#bar-card').scrollIntoViewIfNeeded();
  await page.mouse.move(0, 0);
  await shot(page, 'compare-1280');
  await page.setViewportSize({ width: 420, height: 800 });
  await page.waitForTimeout(300);
  await shot(page, 'compare-420', true);
  assert.deepEqual(problems.filter((p) => !p.startsWith('400:') && !p.includes('status of 400')), []);
  await page.close();
});

test('300 words: long-text layouts, and the page answers clicks while the model works', { skip }, async () => {
  const text = longText(300);
  const { page, problems } = await open(long, q({ text }));
  await page.evaluate(() => {
    (window as any).longest = 0;
    new PerformanceObserver((l) => l.getEntries().forEach((e) => ((window as any).longest = Math.max((window as any).longest, e.duration)))).observe({ type: 'longtask', buffered: true });
  });
  assert.equal(await page.locator('#bars [data-value]').count(), 300);
  assert.equal(await page.locator('.bars.horizontal').count(), 1, 'horizontal bars');
  assert.equal(await page.locator('.words.is-long').count(), 1, 'compact scrolling words');
  assert.equal(await page.locator('.heatmap.is-dense').count(), 1, 'heatmap without labels');
  assert.ok(await page.locator('#bar-order').isVisible(), 'largest-first ordering offered');
  await shot(page, 'long-1280');
  // hold the next answer to see the page while the request is in flight
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  await page.route('**/api/explain', async (route) => {
    await held;
    await route.continue();
  });
  const chip = page.locator('#words .word').nth(9); // "water"
  await chip.click();
  assert.ok(await chip.evaluate((c) => c.classList.contains('is-pending')), 'the click shows at once');
  assert.ok(await page.evaluate(() => document.body.classList.contains('is-busy')), 'busy indicator');
  await page.click('#tab-hacker');
  assert.equal(await page.getAttribute('#tab-hacker', 'aria-selected'), 'true', 'tabs work while the model is busy');
  await page.click('[data-order="weight"]');
  const first = await page.locator('#bars [data-value]').first().getAttribute('data-value');
  const values = await page.$$eval('#bars [data-value]', (els) => els.map((e) => Number((e as HTMLElement).dataset.value)));
  assert.equal(Number(first), Math.max(...values), 'largest first');
  release();
  await page.waitForFunction(() => document.querySelector('#bar-title')?.textContent === 'Where does “water” look?');
  await page.unroute('**/api/explain');
  assert.equal(await page.locator('.step-count').count(), 1, 'the hacker walkthrough of the new word');
  await shot(page, 'long-1280-hacker');
  const longest = await page.evaluate(() => (window as any).longest as number);
  process.stdout.write(`# 300 words: longest main-thread task ${Math.round(longest)} ms\n`);
  assert.deepEqual(problems, []);
  await page.close();
});

test('bad input shows a message in the page, and the page keeps working', { skip }, async () => {
  const { page } = await open(gpt2);
  const message = async () => {
    await page.waitForSelector('#message:not([hidden])');
    return page.locator('#message').innerText();
  };
  await page.fill('#text', '   ');
  await page.press('#text', 'Enter');
  assert.match(await message(), /Type a sentence first/);
  await page.fill('#text', longText(60));
  await page.click('#go');
  assert.match(await message(), /tokens long but this model has only 64 positions; shorten the text/);
  assert.equal(await page.textContent('#bar-title'), 'Where does “bank” look?', 'the last chart stays');
  await shot(page, 'error-1280');
  await page.click('#message-close');
  assert.ok(await page.locator('#message').isHidden());

  const link = await open(gpt2, q({ text: SEED, word: 'shore' }));
  assert.match(await link.page.locator('#message').innerText(), /"shore" is not a word of the sentence; its words are: He, sat, on, the, river's, bank/);
  await link.page.waitForFunction(() => document.querySelector('#bar-title')?.textContent === 'Where does “bank” look?');
  await link.page.close();

  const bad = await open(gpt2, q({ text: SEED, layer: 'abc' }));
  assert.match(await bad.page.locator('#message').innerText(), /layer must be a whole number, got "abc"/);
  assert.equal(await bad.page.locator('#bars [data-value]').count(), 6, 'the defaults are shown');
  await bad.page.close();
  await page.close();
});

test('keyboard: arrows move between words and tabs, Enter picks; readable at 420 px wide', { skip }, async () => {
  const { page, problems } = await open(gpt2);
  await page.focus('#words .word.is-query');
  await page.keyboard.press('ArrowLeft');
  assert.equal(await page.evaluate(() => document.activeElement?.textContent), "river's");
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('#bar-title')?.textContent === "Where does “river's” look?");
  await page.focus('#tab-newbie');
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('Enter');
  assert.equal(await page.getAttribute('#tab-hacker', 'aria-selected'), 'true');
  await page.focus('.hg-cell.is-selected');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /layer \d, head \d/.test(document.querySelector('#bar-sub')?.textContent ?? ''));

  await page.setViewportSize({ width: 420, height: 800 });
  await page.click('#tab-newbie');
  await page.waitForTimeout(300);
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 420), 'no sideways scrolling at 420 px');
  assert.equal(await page.locator('.bars.vertical').count(), 1, '6 words still fit as vertical bars');
  await shot(page, 'seed-420-newbie', true);
  assert.deepEqual(problems, []);
  await page.close();
});

test('BERT: special tokens can be hidden; the rest is rescaled exactly as the CLI does', { skip }, async () => {
  const { page, problems } = await open(bert);
  assert.ok(await page.locator('#hide-special-wrap').isVisible());
  assert.equal(await page.locator('#words .word.is-special').count(), 2);
  sameAsCli(await bars(page), cliJson([SEED, '--model', BERT]).view.row, 'bert');
  await page.check('#hide-special');
  await page.waitForSelector('#bar-note:not([hidden])');
  const cli = cliJson([SEED, '--model', BERT, '--hide-special']);
  const shown = await bars(page);
  assert.equal(shown.size, 6);
  for (const [i, v] of shown) assert.equal(v, cli.view.renormalized[i], `renormalised bar ${i}`);
  assert.match(await page.locator('#bar-note').innerText(), /\[CLS\] and \[SEP\] hidden/);
  assert.deepEqual(problems, []);
  await page.close();
});
