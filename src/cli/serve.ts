// `attn serve`: the local web page (src/web/) on http://127.0.0.1:2886/ until Ctrl-C.

import { spawn } from 'node:child_process';
import { InputError } from '../errors.js';
import { DEFAULT_HOST, DEFAULT_PORT, isLoopback, startServer } from '../web/server.js';
import { kernelSettings } from './kernels.js';
import { chooseModel } from './model-arg.js';
import { parse, runCommand } from './shell.js';
import { intFlag } from './view-options.js';

export const SERVE_USAGE = `usage: attn serve [--model <folder|name>] [--port <n>] [--host <address>] [--open]

Starts the local web page: type a sentence, click a word, see its attention at every layer and head,
explained at three levels. Everything runs on this machine; the page loads nothing from the internet.
  --model <folder|name>  a Hugging Face GPT-2 or BERT folder, or a model in the local Hub cache; default: built-in
  --port <n>             the port (default ${DEFAULT_PORT}; 0 picks a free one)
  --host <address>       the address to listen on (default ${DEFAULT_HOST}, this machine only); another
                         address makes the page reachable from other machines, with no password
  --open                 open the page in the default browser
  --verbose              details (and stack traces) of unexpected errors`;

function openBrowser(url: string, warn: (s: string) => void): void {
  const [cmd, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
    child.on('error', () => warn(`attn: could not open a browser; open ${url} yourself`));
    child.unref();
  } catch {
    warn(`attn: could not open a browser; open ${url} yourself`);
  }
}

export async function serveCommand(argv: string[]): Promise<number> {
  const verbose = argv.includes('--verbose');
  return runCommand(verbose, async () => {
    const { values, positionals } = parse(
      argv,
      { model: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, open: { type: 'boolean', default: false } },
      SERVE_USAGE,
    );
    if (values.help) {
      process.stdout.write(`${SERVE_USAGE}\n`);
      return;
    }
    if (positionals.length) throw new InputError(`attn serve takes no sentence (the page has a text box); got "${positionals[0]}"\n${SERVE_USAGE}`);
    const port = intFlag(values.port, '--port') ?? DEFAULT_PORT;
    if (port < 0 || port > 65535) throw new InputError(`--port ${port} is out of range; use 1 to 65535 (or 0 for any free port)`);
    const host = values.host ?? DEFAULT_HOST;
    if (host.trim() === '') throw new InputError('--host is empty; leave it out to serve on 127.0.0.1');
    const warn = (s: string) => process.stderr.write(`${s}\n`);
    if (values.host !== undefined && !isLoopback(host)) {
      warn(`attn: warning: --host ${host} makes the page reachable from other machines on your network, with no password; leave out --host to keep it on this machine`);
    }
    const choice = chooseModel(values.model);
    // the model thread picks its kernels as every other command does (ATTN_KERNELS, --threads)
    const ks = kernelSettings(process.argv.slice(2), process.env);
    const kernels = 'options' in ks ? ks.options : {};
    const server = await startServer({ modelDir: choice.path, notice: choice.notice ?? null, host, port, verbose, log: warn, kernels });
    // listen for Ctrl-C before saying where the page is, so a stop right after the URL is still clean
    const stopped = new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        server.close().then(resolve, resolve);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    const m = server.info;
    if (choice.notice) warn(choice.notice);
    process.stdout.write(`attn: serving ${m.name} (${m.arch}, ${m.layers} layers × ${m.heads} heads) at ${server.url}\nattn: press Ctrl-C to stop\n`);
    if (values.open) openBrowser(server.url, warn);
    await stopped;
    process.stdout.write('attn: stopped\n');
  });
}
