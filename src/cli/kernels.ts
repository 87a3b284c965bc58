// The CLI's choice of kernels: fast WebAssembly kernels by default, set by ATTN_KERNELS
// (auto | relaxed | simd | reference) and the thread count by --threads <n> or ATTN_THREADS (default: all
// cores). Strips --threads from the arguments so each command's own parser never sees it.

import { useFastKernels, type FastKernelOptions } from '../kernels/index.js';

export const KERNELS_HELP = `kernels:
  --threads <n>                      threads for the fast kernels (default: every core; also ATTN_THREADS)
  ATTN_KERNELS=reference             plain TypeScript ops instead of WebAssembly (also: auto, relaxed, simd)`;

const KINDS = ['auto', 'relaxed', 'simd', 'reference'] as const;

/** The arguments without --threads, or a message saying what is wrong with a setting. */
export function kernelSettings(argv: string[], env: NodeJS.ProcessEnv): { argv: string[]; options: FastKernelOptions } | { error: string } {
  const rest: string[] = [];
  let threads = env.ATTN_THREADS;
  let from = 'ATTN_THREADS';
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (a === '--threads' || a.startsWith('--threads=')) {
      threads = a === '--threads' ? argv[++i] : a.slice('--threads='.length);
      from = '--threads';
    } else rest.push(a);
  }
  const options: FastKernelOptions = {};
  if (threads !== undefined && threads !== '') {
    const n = Number(threads);
    if (!Number.isInteger(n) || n < 1) return { error: `${from} takes a whole number of threads (1 or more), got "${threads ?? ''}"` };
    options.threads = n;
  }
  const kind = env.ATTN_KERNELS || 'auto';
  if (!(KINDS as readonly string[]).includes(kind)) return { error: `ATTN_KERNELS must be one of ${KINDS.join(', ')}, got "${kind}"` };
  options.kernels = kind as FastKernelOptions['kernels'];
  return { argv: rest, options };
}

/** Applies the settings; returns the remaining arguments, or an exit code after printing the problem. */
export async function startKernels(argv: string[]): Promise<string[] | number> {
  const s = kernelSettings(argv, process.env);
  if ('error' in s) {
    process.stderr.write(`attn: ${s.error}\n`);
    return 2;
  }
  const [first] = s.argv;
  // help and version run no model; serve runs its model in a worker thread that starts its own kernels
  if (first === undefined || first === '--version' || first === 'serve' || ((first === '--help' || first === '-h') && s.argv.length === 1)) return s.argv;
  const info = await useFastKernels(s.options);
  if (s.argv.includes('--verbose')) {
    process.stderr.write(`attn: kernels ${info.backend}, ${info.threads} thread${info.threads === 1 ? '' : 's'}${info.notes.length ? ` (${info.notes.join('; ')})` : ''}\n`);
  }
  return s.argv;
}
