// The local web server behind `attn serve`: the page's files (src/web/assets.ts) and a small JSON API
// (docs/web.md) whose model work runs in a worker thread (src/web/model-worker.ts). Binds 127.0.0.1 by
// default, checks Host and Origin, limits request sizes, and sends a strict Content-Security-Policy.

import { createReadStream } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AttnError, InputError } from '../errors.js';
import type { FastKernelOptions } from '../kernels/index.js';
import { assetTable, type Asset } from './assets.js';
import { JobFailure, ModelWorker } from './model-worker.js';
import type { Job } from './jobs.js';
import { CHART_VALUES, LIMITS, ParamError, parseParams, paramsFromQuery, type ChartParam, type Params } from './params.js';
import type { ErrorResponse, ModelInfo } from './wire.js';

export const DEFAULT_PORT = 2886; // "attn" on a phone keypad
export const DEFAULT_HOST = '127.0.0.1';

/** Everything the page loads comes from this server; scripts and styles only from files (no inline code). */
export const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "font-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CSP,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export interface ServeOptions {
  /** a model folder (config.json, *.safetensors, tokenizer.json) */
  modelDir: string;
  /** a caution the page shows (e.g. for the random-weight fixture model) */
  notice?: string | null;
  /** default 127.0.0.1 */
  host?: string;
  /** default 2886; 0 picks a free port */
  port?: number;
  /** where errors are reported (one line each); default: nowhere */
  log?: (line: string) => void;
  /** log the stack of unexpected errors too */
  verbose?: boolean;
  /** the model thread's kernels (default {}: the fastest available, as the CLI's default); null: the reference ops */
  kernels?: FastKernelOptions | null;
}

export interface RunningServer {
  url: string;
  host: string;
  port: number;
  info: ModelInfo;
  server: Server;
  close(): Promise<void>;
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

class HttpError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

function send(res: ServerResponse, status: number, body: string | Uint8Array, type: string, extra: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type, 'Content-Length': String(bytes.byteLength), 'Cache-Control': 'no-store', ...extra });
  res.end(bytes);
}

function sendError(res: ServerResponse, status: number, message: string, extra: Record<string, string> = {}): void {
  const body: ErrorResponse = { error: { status, message } };
  send(res, status, JSON.stringify(body), 'application/json; charset=utf-8', extra);
}

/** The request body as JSON, refusing bodies over the limit (413) and anything but a JSON object. */
async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json') throw new HttpError(415, 'send the parameters as JSON (Content-Type: application/json)');
  const limit = LIMITS.maxBodyBytes;
  const declared = Number(req.headers['content-length']);
  if (declared > limit) throw new HttpError(413, `the request is ${declared.toLocaleString('en-US')} bytes; the limit is ${limit.toLocaleString('en-US')} bytes (about ${LIMITS.maxChars.toLocaleString('en-US')} characters of text)`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new HttpError(413, `the request is over the limit of ${limit.toLocaleString('en-US')} bytes (about ${LIMITS.maxChars.toLocaleString('en-US')} characters of text)`);
    chunks.push(chunk);
  }
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'the request body is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, 'the request body must be a JSON object of parameters');
  return body as Record<string, unknown>;
}

/** The parameters of an API call, from the query string (GET) or a JSON body (POST), with the same keys. */
async function requestParams(req: IncomingMessage, query: URLSearchParams, extra: readonly string[]): Promise<{ params: Params; get: (k: string) => unknown }> {
  if (req.method === 'POST') {
    const body = await readJson(req);
    return { params: parseParams((k) => body[k], Object.keys(body), { strict: true, extra }), get: (k) => body[k] };
  }
  return { params: paramsFromQuery(query, true, extra), get: (k) => query.get(k) ?? undefined };
}

export async function startServer(o: ServeOptions): Promise<RunningServer> {
  const log = o.log ?? (() => {});
  const host = o.host ?? DEFAULT_HOST;
  const assets = assetTable();
  const worker = await ModelWorker.start({ modelDir: o.modelDir, notice: o.notice ?? null, kernels: o.kernels === undefined ? {} : o.kernels }, log);
  let port = o.port ?? DEFAULT_PORT;
  // a loopback server only answers to its own names (a page elsewhere cannot reach it by DNS rebinding)
  const hostOk = (h: string | undefined) =>
    !isLoopback(host) || (h !== undefined && [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`].includes(h.toLowerCase()));

  async function api(req: IncomingMessage, res: ServerResponse, path: string, query: URLSearchParams): Promise<void> {
    if (req.headers['sec-fetch-site'] === 'cross-site') throw new HttpError(403, 'requests from other sites are refused');
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `http://${req.headers.host}`) throw new HttpError(403, 'requests from other origins are refused');
    if (path === '/api/model') {
      if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'use GET /api/model');
      return send(res, 200, JSON.stringify(worker.info), 'application/json; charset=utf-8');
    }
    const op = path === '/api/explain' ? 'explain' : path === '/api/compare' ? 'compare' : path === '/api/render' ? 'render' : null;
    if (!op) throw new HttpError(404, `no API at ${path.slice(0, 80)}; the API is /api/model, /api/explain, /api/compare and /api/render`);
    if (req.method !== 'GET' && req.method !== 'POST') throw new HttpError(405, `use GET or POST ${path}`);
    const { params, get } = await requestParams(req, query, op === 'render' ? ['chart', 'format'] : []);
    let job: Job;
    if (op === 'render') {
      const chart = (get('chart') ?? 'bar') as ChartParam;
      const format = get('format') ?? 'svg';
      if (!CHART_VALUES.includes(chart)) throw new HttpError(400, `chart "${String(chart).slice(0, 40)}" is unknown; use ${CHART_VALUES.join(', ')}`);
      if (format !== 'svg' && format !== 'png') throw new HttpError(400, `format "${String(format).slice(0, 40)}" is unknown; use svg or png`);
      job = { op, params, chart, format };
    } else if (op === 'explain') {
      if (params.compare !== undefined) throw new HttpError(400, 'two sentences (compare=…) go to /api/compare');
      job = { op, params };
    } else {
      if (params.compare === undefined) throw new HttpError(400, 'compare needs the second sentence: compare=…');
      job = { op, params };
    }
    const gone = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) gone.abort();
    });
    const out = await worker.run(job, gone.signal);
    const extra: Record<string, string> = out.filename ? { 'Content-Disposition': `attachment; filename="${out.filename}"` } : {};
    send(res, 200, out.body, out.contentType, extra);
  }

  function serveAsset(req: IncomingMessage, res: ServerResponse, asset: Asset): void {
    const stream = createReadStream(asset.file);
    stream.on('error', () => sendError(res, 500, 'cannot read a file of the page; rebuild attn (npm run build)'));
    stream.on('open', () => {
      res.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': asset.type, 'Cache-Control': 'no-cache' });
      if (req.method === 'HEAD') {
        stream.destroy();
        res.end();
      } else stream.pipe(res);
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = req.url ?? '/';
    if (raw.length > LIMITS.maxUrlChars) throw new HttpError(414, 'the URL is too long; send long texts with POST and a JSON body');
    if (!hostOk(req.headers.host)) throw new HttpError(421, `this server answers only to http://127.0.0.1:${port}/ (Host "${String(req.headers.host).slice(0, 60)}" refused)`);
    let url: URL;
    try {
      url = new URL(raw, 'http://localhost');
    } catch {
      throw new HttpError(400, 'the URL cannot be read');
    }
    if (url.pathname.startsWith('/api/')) return api(req, res, url.pathname, url.searchParams);
    if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'the page is read with GET');
    const asset = assets.get(url.pathname);
    if (!asset) throw new HttpError(404, `nothing at ${url.pathname.slice(0, 80)}`);
    serveAsset(req, res, asset);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (e instanceof HttpError) return sendError(res, e.status, e.message, e.status === 413 ? { Connection: 'close' } : {});
      if (e instanceof ParamError || e instanceof InputError) return sendError(res, 400, e.message);
      if (e instanceof JobFailure) {
        if (e.status === 499) return;
        if (e.status >= 500) log(`attn serve: ${e.message}${o.verbose && e.detail ? `\n${e.detail}` : ''}`);
        return sendError(res, e.status, e.message);
      }
      const err = e instanceof Error ? e : new Error(String(e));
      log(`attn serve: internal error: ${err.message}${o.verbose && err.stack ? `\n${err.stack}` : ''}`);
      sendError(res, 500, `internal error: ${err.message}`);
    });
  });
  server.headersTimeout = 20_000;
  server.requestTimeout = 120_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) => {
      void worker.close();
      if (e.code === 'EADDRINUSE') reject(new InputError(`port ${port} is already in use; choose another with --port <n> (--port 0 picks a free one)`));
      else if (e.code === 'EACCES') reject(new InputError(`no permission to listen on port ${port}; choose a port above 1024 with --port <n>`));
      else if (e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND') reject(new InputError(`cannot listen on host "${host}": it is not an address of this machine`));
      else reject(new AttnError(`cannot start the server: ${e.message}`));
    });
    server.listen(port, host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const shown = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    url: `http://${shown}:${port}/`,
    host,
    port,
    get info() {
      return worker.info;
    },
    server,
    async close() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await worker.close();
    },
  };
}
