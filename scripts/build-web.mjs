// Builds the local web page (src/web/page/) into dist/web/: its TypeScript compiled for the browser with
// src/web/page/tsconfig.json (ES modules, no bundler; the page imports only its own modules and attn's
// DOM-free ones: render/spec, render/palette, …), and the HTML, CSS and icon copied. The server
// (src/web/assets.ts) serves exactly the files found here.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const src = join(root, 'src', 'web', 'page');
const out = join(root, 'dist', 'web');

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const r = spawnSync(process.execPath, [tsc, '-p', join(src, 'tsconfig.json')], { stdio: 'inherit', cwd: root });
if (r.status !== 0) {
  console.error('build-web: the page did not compile');
  process.exit(r.status ?? 1);
}
for (const name of readdirSync(src)) {
  if (/\.(html|css|svg)$/.test(name)) copyFileSync(join(src, name), join(out, name));
}
