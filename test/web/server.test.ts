// The server behind `attn serve`, without a browser: the API answers with the CLI's own JSON and pictures,
// every bad request gets one clear JSON error, only the page's files are served (no traversal), the headers
// are strict, the model works off the event loop, and the command starts, prints its URL and stops cleanly.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunningServer } from '../../src/web/server.js';
import { paramsFromQuery, toQuery, ParamError, LIMITS } from '../../src/web/params.js';
import { MAIN, GPT2, SEED } from '../support/cli.js';
import { checkXml } from '../render/xml-check.js';
import { cliBytes, cliJson, longModel, longText, serve } from './helpers.js';

let srv: RunningServer;
let long: RunningServer;
const SECOND = 'She deposited the cheque at the bank';

before(async () => {
  [srv, long] = await Promise.all([serve(), serve(longModel())]);
});
after(async () => {
  await Promise.all([srv?.close(), long?.close()]);
});

async function get(path: string, init: RequestInit = {}, base = srv.url): Promise<Response> {
  return fetch(new URL(path, base), init);
}

async function post(path: string, body: unknown, base = srv.url): Promise<Response> {
  return fetch(new URL(path, base), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
}

async function expectError(r: Response, status: number, pattern: RegExp): Promise<void> {
  assert.equal(r.status, status, `status for ${r.url}`);
  assert.match(r.headers.get('content-type') ?? '', /application\/json/);
  const body = (await r.json()) as { error: { status: number; message: string } };
  assert.equal(body.error.status, status);
  assert.match(body.error.message, pattern);
  assert.doesNotMatch(body.error.message, /\n\s+at /, 'no stack trace');
}

/** A raw HTTP/1.1 request, so paths reach the server exactly as written (fetch would normalise "..") */
function raw(path: string, host = `127.0.0.1:${srv.port}`): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = connect(srv.port, '127.0.0.1', () => sock.write(`GET ${path} HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`));
    let out = '';
    sock.on('data', (d) => (out += d.toString('latin1')));
    sock.on('end', () => resolve(out));
    sock.on('error', reject);
  });
}

test('query strings: the shareable URL and the API read the same keys, with clear errors', () => {
  const q = new URLSearchParams('text=He+sat&word=sat&layer=1&head=2&level=hacker&hide-special=1');
  const p = paramsFromQuery(q, true);
  assert.deepEqual(
    { word: p.word, layer: p.layer, head: p.head, level: p.level, hideSpecial: p.hideSpecial, tokens: p.tokens },
    { word: 'sat', layer: 1, head: 2, level: 'hacker', hideSpecial: true, tokens: false },
  );
  assert.deepEqual(paramsFromQuery(new URLSearchParams(toQuery(p)), true), p, 'round trip');
  const bad: [string, RegExp][] = [
    ['text=a&layer=abc', /layer must be a whole number/],
    ['text=a&layer=-1', /layer must be 0 or more/],
    ['text=a&aggregate=sum', /aggregate "sum" is unknown; use one of head, mean, max, rollout/],
    ['text=a&head=1&aggregate=mean', /head=1 only applies with aggregate=head/],
    ['text=a&level=guru', /level "guru" is unknown/],
    ['text=a&tokens=maybe', /tokens must be 1 or 0/],
    ['text=a&colour=red', /unknown parameter "colour"/],
    ['text=a&text=b', /given more than once/],
    [`text=${'a'.repeat(LIMITS.maxChars + 1)}`, /characters long; the limit is 10,000/],
  ];
  for (const [qs, re] of bad) assert.throws(() => paramsFromQuery(new URLSearchParams(qs), true), (e: unknown) => e instanceof ParamError && re.test(e.message), qs);
  assert.doesNotThrow(() => paramsFromQuery(new URLSearchParams('text=a&utm_source=x'), false), 'the page ignores foreign keys');
});

test('GET /api/model: name, size, limits and the fixture notice', async () => {
  const r = await get('/api/model');
  assert.equal(r.status, 200);
  const m = (await r.json()) as Record<string, unknown>;
  assert.equal(m.name, 'gpt2-tiny');
  assert.equal(m.layers, 2);
  assert.equal(m.heads, 4);
  assert.equal(m.positions, 64);
  assert.equal(m.causal, true);
  // wte 528×64 + wpe 64×64 + 2 × (2×64 ln + 64×192+192 + 64×64+64 + 2×64 ln + 64×256+256 + 256×64+64) + 2×64
  assert.equal(m.parameters, 528 * 64 + 64 * 64 + 2 * (4 * 64 + 64 * 192 + 192 + 64 * 64 + 64 + 64 * 256 + 256 + 256 * 64 + 64) + 2 * 64);
  assert.match(String(m.notice), /random weights/);
  assert.equal(m.defaultText, SEED);
});

test('explain and compare answer with the CLI\'s own JSON, and every level of the explanation', async () => {
  const r = await get(`/api/explain?${new URLSearchParams({ text: SEED, word: 'bank', layer: '0', head: '2', level: 'hacker' })}`);
  assert.equal(r.status, 200);
  const body = (await r.json()) as any;
  assert.equal(body.kind, 'explain');
  assert.deepEqual(body.result, cliJson([SEED, '--model', GPT2, '--word', 'bank', '--layer', '0', '--head', '2', '--level', 'hacker']));
  for (const level of ['newbie', 'expert']) {
    assert.deepEqual(body.explanations[level], cliJson([SEED, '--model', GPT2, '--word', 'bank', '--layer', '0', '--head', '2', '--level', level]).explanation);
  }
  assert.deepEqual(body.explanations.hacker, body.result.explanation);

  const c = await post('/api/compare', { text: SEED, compare: SECOND, word: 'bank', aggregate: 'rollout', level: 'expert' });
  assert.equal(c.status, 200);
  const cb = (await c.json()) as any;
  assert.deepEqual(cb.result, cliJson(['compare', SEED, SECOND, '--model', GPT2, '--word', 'bank', '--aggregate', 'rollout', '--level', 'expert']));
  assert.deepEqual(Object.keys(cb.explanations).sort(), ['expert', 'hacker', 'newbie']);
  // no word: the first sentence's last word, as the CLI's explain does
  const d = (await (await post('/api/compare', { text: SEED, compare: SECOND })).json()) as any;
  assert.equal(d.result.word, 'bank');
});

test('pictures are the CLI\'s bytes: bar, heatmap and grid as SVG and PNG, and the compare chart', async () => {
  for (const chart of ['bar', 'heatmap', 'grid']) {
    const svg = await post('/api/render', { text: SEED, word: 'sat', layer: 1, aggregate: 'max', chart, format: 'svg' });
    assert.equal(svg.status, 200);
    assert.equal(svg.headers.get('content-type'), 'image/svg+xml');
    assert.match(svg.headers.get('content-disposition') ?? '', /^attachment; filename="attn-sat-layer-1-max-over-4-heads-[a-z]+\.svg"$/);
    const text = await svg.text();
    checkXml(text);
    assert.equal(text, cliBytes([SEED, '--model', GPT2, '--word', 'sat', '--layer', '1', '--aggregate', 'max', '--format', 'svg', '--chart', chart]).toString('utf8'));
  }
  const png = await get(`/api/render?${new URLSearchParams({ text: SEED, chart: 'bar', format: 'png' })}`);
  assert.equal(png.headers.get('content-type'), 'image/png');
  assert.ok(Buffer.from(await png.arrayBuffer()).equals(cliBytes([SEED, '--model', GPT2, '--format', 'png', '-o', '-'])));
  const cmp = await post('/api/render', { text: SEED, compare: SECOND, word: 'bank', chart: 'bar', format: 'svg' });
  assert.equal(await cmp.text(), cliBytes(['compare', SEED, SECOND, '--model', GPT2, '--word', 'bank', '--format', 'svg']).toString('utf8'));
  await expectError(await post('/api/render', { text: SEED, compare: SECOND, word: 'bank', chart: 'grid' }), 400, /compare draws bar charts only/);
  await expectError(await post('/api/render', { text: SEED, chart: 'pie' }), 400, /chart "pie" is unknown/);
  await expectError(await post('/api/render', { text: SEED, format: 'gif' }), 400, /format "gif" is unknown; use svg or png/);
});

test('bad input: one clear JSON error each, never a stack trace', async () => {
  const cases: [Promise<Response>, number, RegExp][] = [
    [post('/api/explain', { text: '' }), 400, /the sentence is empty/],
    [post('/api/explain', { text: '   ' }), 400, /the sentence is empty/],
    [post('/api/explain', { text: longText(60) }), 400, /tokens long but this model has only 64 positions; shorten the text/],
    [post('/api/explain', { text: SEED, word: 'shore' }), 400, /"shore" is not a word of the sentence; its words are: He, sat, on, the, river's, bank/],
    [post('/api/explain', { text: 'the cat and the dog', word: 'the' }), 400, /occurs 2 times in the sentence; choose one with occurrence 1 to 2/],
    [post('/api/explain', { text: SEED, layer: 9 }), 400, /layer 9 does not exist: this model has 2 layers \(0\.\.1\)/],
    [post('/api/explain', { text: SEED, head: 4 }), 400, /head 4 does not exist: this model has 4 heads per layer/],
    [post('/api/explain', { text: SEED, layer: 'one' }), 400, /layer must be a whole number/],
    [post('/api/explain', { text: 42 }), 400, /text must be text/],
    [post('/api/explain', { text: SEED, bogus: 1 }), 400, /unknown parameter "bogus"/],
    [post('/api/explain', { text: SEED, compare: SECOND }), 400, /go to \/api\/compare/],
    [post('/api/compare', { text: SEED }), 400, /compare needs the second sentence/],
    [post('/api/compare', { text: SEED, compare: SECOND, word: 'river' }), 400, /in the first sentence: "river" is not a word/],
    [post('/api/compare', { text: SEED, compare: 'He sat on the bench', word: 'bank' }), 400, /in the second sentence: "bank" is not a word/],
    [get('/api/explain?text=He+sat&layer=abc'), 400, /layer must be a whole number, got "abc"/],
    [get('/api/explain'), 400, /the sentence is empty/],
    [fetch(new URL('/api/explain', srv.url), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"text": "He' }), 400, /not valid JSON/],
    [fetch(new URL('/api/explain', srv.url), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '["He sat"]' }), 400, /must be a JSON object/],
    [fetch(new URL('/api/explain', srv.url), { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: 'text=He' }), 415, /Content-Type: application\/json/],
    [post('/api/explain', { text: 'a'.repeat(LIMITS.maxBodyBytes + 10) }), 413, /the limit is 131,072 bytes/],
    [post('/api/explain', { text: 'é'.repeat(LIMITS.maxChars + 1) }), 400, /10,001 characters long; the limit is 10,000/],
    [get('/api/nothing'), 404, /no API at \/api\/nothing/],
    [fetch(new URL('/api/explain', srv.url), { method: 'DELETE' }), 405, /use GET or POST/],
    [fetch(new URL('/', srv.url), { method: 'POST' }), 405, /read with GET/],
    [get(`/api/explain?text=${'a'.repeat(LIMITS.maxUrlChars + 100)}`), 414, /URL is too long/],
  ];
  for (const [r, status, re] of cases) await expectError(await r, status, re);
});

test('only the page\'s files are served: no path traversal, strict headers, Host and Origin checked', async () => {
  const page = await get('/');
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type') ?? '', /text\/html/);
  const csp = page.headers.get('content-security-policy') ?? '';
  for (const d of ["default-src 'none'", "script-src 'self'", "style-src 'self'", "connect-src 'self'", "frame-ancestors 'none'"]) assert.ok(csp.includes(d), d);
  assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
  const html = await page.text();
  assert.doesNotMatch(html, /<script>|<style>| style=|https?:\/\//, 'no inline code, no outside URLs');
  for (const [path, type] of [
    ['/style.css', /text\/css/],
    ['/js/web/page/main.js', /text\/javascript/],
    ['/js/render/spec.js', /text\/javascript/],
    ['/vendor/katex/katex.min.js', /text\/javascript/],
    ['/vendor/katex/katex.min.css', /text\/css/],
    ['/vendor/katex/fonts/KaTeX_Main-Regular.woff2', /font\/woff2/],
    ['/fonts/inter-700.ttf', /font\/ttf/],
    ['/favicon.ico', /image\/svg\+xml/],
  ] as const) {
    const r = await get(path);
    assert.equal(r.status, 200, path);
    assert.match(r.headers.get('content-type') ?? '', type, path);
    await r.arrayBuffer();
  }
  for (const path of ['/../package.json', '/js/../../package.json', '/%2e%2e/%2e%2e/package.json', '/js/%2e%2e%2f%2e%2e%2fpackage.json', '/vendor/katex/../../../package.json', '//etc/passwd', '/js/web/page/main.ts', '/index.html/', '/.git/config']) {
    const res = await raw(path);
    assert.match(res, /^HTTP\/1\.1 404 /, `${path} → 404`);
    assert.doesNotMatch(res, /"name": "attn"|root:/, path);
  }
  assert.match(await raw('/', 'evil.example:80'), /^HTTP\/1\.1 421 .*\r\n[\s\S]*answers only to/, 'DNS rebinding: foreign Host refused');
  assert.match(await raw('/', `localhost:${srv.port}`), /^HTTP\/1\.1 200 /);
  await expectError(await fetch(new URL('/api/explain', srv.url), { method: 'POST', headers: { 'Content-Type': 'application/json', Origin: 'http://evil.example' }, body: '{"text":"a"}' }), 403, /other origins/);
});

test('the model works off the event loop: files and small requests are answered while a long one runs', async () => {
  const order: string[] = [];
  const heavy = post('/api/compare', { text: longText(300), compare: longText(290), word: 'mill', occurrence: 20, 'occurrence-b': 19 }, long.url).then(async (r) => {
    assert.equal(r.status, 200, await r.clone().text());
    await r.arrayBuffer();
    order.push('compare');
  });
  const quick = get('/style.css', {}, long.url).then(async (r) => {
    await r.text();
    order.push('css');
  });
  const info = get('/api/model', {}, long.url).then(async (r) => {
    await r.json();
    order.push('model');
  });
  await Promise.all([heavy, quick, info]);
  assert.equal(order[order.length - 1], 'compare', `static files and /api/model did not wait for the model: ${order.join(', ')}`);
  // a 300-word explanation works on a model with enough positions
  const r = (await (await post('/api/explain', { text: longText(300) }, long.url)).json()) as any;
  assert.equal(r.result.view.items.length, 300);
  assert.equal(r.result.view.row.length, 300);
});

test('cancelled requests leave the queue: a client that goes away does not hold the model', async () => {
  const aborts = Array.from({ length: 6 }, () => new AbortController());
  const pending = aborts.map((a, i) =>
    fetch(new URL('/api/explain', long.url), { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ text: longText(300 - i) }), signal: a.signal }).catch((e: Error) => e.name),
  );
  aborts.forEach((a) => a.abort());
  assert.deepEqual(await Promise.all(pending), Array(6).fill('AbortError'));
  const r = await post('/api/explain', { text: SEED }, long.url);
  assert.equal(r.status, 200);
});

function run(args: string[]): { child: ReturnType<typeof spawn>; out: Promise<string>; err: () => string; url: Promise<string>; code: Promise<number | null> } {
  const child = spawn(process.execPath, [MAIN, ...args], { env: { ...process.env, NO_COLOR: '1' } });
  let out = '';
  let err = '';
  let resolveUrl: (u: string) => void;
  const url = new Promise<string>((r) => (resolveUrl = r));
  child.stdout.on('data', (d) => {
    out += d;
    const m = /at (http:\/\/\S+)/.exec(out);
    if (m) resolveUrl(m[1]);
  });
  child.stderr.on('data', (d) => (err += d));
  const code = new Promise<number | null>((r) => child.on('exit', (c) => r(c)));
  return { child, out: code.then(() => out), err: () => err, url, code };
}

test('attn serve: prints its URL, serves the page, stops cleanly on Ctrl-C', async () => {
  const s = run(['serve', '--port', '0']);
  const url = await Promise.race([s.url, s.code.then(() => { throw new Error(`attn serve exited: ${s.err()}`); })]);
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
  const r = await fetch(url);
  assert.equal(r.status, 200);
  await r.text();
  s.child.kill('SIGINT');
  assert.equal(await s.code, 0);
  assert.match(await s.out, /serving attn-gpt2-mini \(gpt2, 4 layers × 4 heads\) at http:\/\/127\.0\.0\.1:\d+\/\nattn: press Ctrl-C to stop\nattn: stopped\n$/);
  assert.equal(s.err(), '', 'the built-in model needs no notice');
});

test('attn serve: --host other than loopback warns; bad flags and a busy port are one-line errors', async () => {
  const s = run(['serve', '--port', '0', '--host', '0.0.0.0']);
  await s.url;
  s.child.kill('SIGTERM');
  assert.equal(await s.code, 0);
  assert.match(s.err(), /warning: --host 0\.0\.0\.0 makes the page reachable from other machines/);

  const busy = createServer();
  await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
  const port = (busy.address() as AddressInfo).port;
  try {
    for (const [args, re] of [
      [['serve', '--port', String(port)], new RegExp(`port ${port} is already in use; choose another with --port <n>`)],
      [['serve', '--port', 'eighty'], /--port takes a whole number/],
      [['serve', '--port', '70000'], /--port 70000 is out of range/],
      [['serve', 'He sat'], /takes no sentence/],
      [['serve', '--model', '/nonexistent/model'], /nonexistent/],
    ] as const) {
      const p = run([...args]);
      const code = await p.code;
      assert.notEqual(code, 0, args.join(' '));
      assert.match(p.err(), re, args.join(' '));
      assert.doesNotMatch(p.err(), /^\s+at /m, 'no stack trace');
    }
  } finally {
    busy.close();
  }
});
