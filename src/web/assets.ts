// The files the page needs, as a fixed table from URL path to file, built once at start: the built page
// (dist/web: HTML, CSS, its ES modules), KaTeX and the Inter fonts from node_modules. Only paths in the
// table are served, so no request can reach any other file (no path traversal by construction).

import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileError } from '../errors.js';
import { INTER_FONT_FILES } from '../render/index.js';

export interface Asset {
  file: string;
  type: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
};

/** dist/web, where scripts/build-web.mjs puts the page (this file runs from dist/src/web/). */
export const WEB_ROOT = fileURLToPath(new URL('../../web/', import.meta.url));

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

function add(table: Map<string, Asset>, url: string, file: string): void {
  const type = TYPES[extname(file)];
  if (type) table.set(url, { file, type });
}

export function assetTable(webRoot = WEB_ROOT): Map<string, Asset> {
  if (!existsSync(join(webRoot, 'index.html'))) {
    throw new FileError(`the web page is not built (${webRoot} has no index.html); run npm run build`);
  }
  const table = new Map<string, Asset>();
  for (const f of walk(webRoot)) {
    if (f.endsWith('.map')) continue;
    add(table, '/' + relative(webRoot, f).split(sep).join('/'), f);
  }
  table.set('/', { file: join(webRoot, 'index.html'), type: TYPES['.html'] });
  table.delete('/index.html');
  // the favicon browsers ask for on their own
  const icon = table.get('/favicon.svg');
  if (icon) table.set('/favicon.ico', icon);

  const require = createRequire(import.meta.url);
  const katex = dirname(require.resolve('katex/dist/katex.min.js'));
  add(table, '/vendor/katex/katex.min.js', join(katex, 'katex.min.js'));
  add(table, '/vendor/katex/katex.min.css', join(katex, 'katex.min.css'));
  for (const f of readdirSync(join(katex, 'fonts'))) add(table, `/vendor/katex/fonts/${f}`, join(katex, 'fonts', f));
  for (const f of INTER_FONT_FILES) {
    const weight = /Inter_(\d+)/.exec(f)?.[1] ?? '400';
    add(table, `/fonts/inter-${weight}.ttf`, f);
  }
  return table;
}
