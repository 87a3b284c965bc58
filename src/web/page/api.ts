// Talking to attn's server (docs/web.md): JSON in, JSON or a file out; every error becomes an ApiError
// carrying the server's one-line message, which the page shows as it is.

import type { ErrorResponse } from '../wire.js';

export class ApiError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
  }
}

async function failure(r: Response): Promise<ApiError> {
  try {
    const body = (await r.json()) as ErrorResponse;
    if (body?.error?.message) return new ApiError(r.status, body.error.message);
  } catch {
    // not JSON: fall through
  }
  return new ApiError(r.status, `the server answered ${r.status} ${r.statusText}`);
}

async function call(url: string, init: RequestInit): Promise<Response> {
  let r: Response;
  try {
    r = await fetch(url, init);
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'cannot reach attn’s server: is `attn serve` still running?');
  }
  if (!r.ok) throw await failure(r);
  return r;
}

export async function getJSON<T>(url: string, signal?: AbortSignal): Promise<T> {
  return (await call(url, { signal })).json() as Promise<T>;
}

export async function postJSON<T>(url: string, body: unknown, signal?: AbortSignal): Promise<T> {
  const r = await call(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body), signal });
  return r.json() as Promise<T>;
}

/** A file from the server (a chart as SVG or PNG), with the name it suggests. */
export async function postFile(url: string, body: unknown): Promise<{ blob: Blob; filename: string }> {
  const r = await call(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const cd = r.headers.get('Content-Disposition') ?? '';
  const filename = /filename="([^"]+)"/.exec(cd)?.[1] ?? 'attn-chart';
  return { blob: await r.blob(), filename };
}

/** Saves a blob as a download (the browser's own download bar). */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}
