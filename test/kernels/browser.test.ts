// The same kernels in a browser: Debian's chromium (driven by playwright-core) loads attn's compiled
// modules from a local static server, picks its build (no worker threads there: one thread) and must give
// the reference ops' numbers. Skipped when chromium is missing, except under CI=true.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';
import { REPO_ROOT } from '../support/paths.js';

const CHROMIUM = '/usr/bin/chromium';
const missing = existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed (apt-get install chromium)`;
if (missing && process.env.CI === 'true') throw new Error(`${missing}; CI must install it`);

const PAGE = `<!doctype html><script type="module">
  const { useFastKernels, kernelsInfo } = await import('/src/kernels/index.js');
  const ops = await import('/src/engine/ops.js');
  const { referenceOps } = await import('/src/engine/reference/index.js');
  const { Tensor } = await import('/src/engine/tensor.js');
  const rnd = (n, seed) => { let s = seed; return Float32Array.from({ length: n }, () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32) * 2 - 1); };
  const diff = (a, b) => a.data.reduce((m, x, i) => Math.max(m, Math.abs(x - b.data[i])), 0);
  const info = await useFastKernels();
  const a = new Tensor(rnd(37 * 70, 1), [37, 70]), b = new Tensor(rnd(90 * 70, 2), [90, 70]), bias = new Tensor(rnd(90, 3), [90]);
  const q = new Tensor(rnd(33 * 64, 4), [33, 64]), k = new Tensor(rnd(33 * 64, 5), [33, 64]), v = new Tensor(rnd(33 * 64, 6), [33, 64]);
  const opt = { heads: 4, scale: 0.25, causal: true, rows: [32, 0, 7] };
  const x = new Tensor(rnd(5 * 33, 7), [5, 33]);
  const fast = ops.attention(q, k, v, opt), ref = referenceOps.attention(q, k, v, opt);
  window.result = {
    backend: info.backend, threads: info.threads, notes: kernelsInfo().notes,
    linear: diff(ops.linear(a, b, bias), referenceOps.matmulT(a, b, bias)),
    z: diff(fast.z, ref.z), pattern: diff(fast.pattern, ref.pattern),
    softmax: diff(ops.softmax(x), referenceOps.softmax(x)), gelu: diff(ops.gelu(x, 'tanh'), referenceOps.gelu(x, 'tanh')),
  };
</script>`;

test('browser: the WebAssembly kernels load in chromium and match the reference ops', { skip: missing }, async () => {
  const dist = join(REPO_ROOT, 'dist');
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent((req.url ?? '/').split('?')[0]));
    if (path === '/') return void res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
    const file = join(dist, path);
    if (!file.startsWith(dist) || !existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    const result = (await page.waitForFunction(() => (window as unknown as { result?: unknown }).result, undefined, { timeout: 20000 }).then((h) => h.jsonValue())) as Record<string, number | string>;
    assert.deepEqual(errors, []);
    assert.match(String(result.backend), /^wasm-(relaxed|simd)$/, JSON.stringify(result));
    assert.equal(result.threads, 1, 'no worker threads in the page');
    assert.ok((result.linear as number) < 1e-4, `linear ${result.linear}`);
    for (const k of ['z', 'pattern', 'softmax', 'gelu']) assert.ok((result[k] as number) < 1e-5, `${k} ${result[k]}`);
  } finally {
    await browser.close();
    server.close();
  }
});
