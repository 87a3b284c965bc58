// The progress display of `attn train`: on a terminal one line redrawn in place (bar, step, loss,
// held-out loss, tokens/s, epoch, ETA); elsewhere (a log file, CI) a plain line every 30 seconds.

import type { TrainEvent } from '../train/loop.js';

export const formatCount = (n: number): string => Math.round(n).toLocaleString('en-US');

export function formatDuration(s: number): string {
  if (!Number.isFinite(s) || s < 0) return '?';
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = Math.floor(s % 60);
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : m > 0 ? `${m}m${String(sec).padStart(2, '0')}s` : `${sec}s`;
}

/** A text bar of `width` cells, `frac` full, in eighth blocks. */
export function bar(frac: number, width: number): string {
  const eighths = Math.round(Math.max(0, Math.min(1, frac)) * width * 8);
  const full = Math.floor(eighths / 8), rest = eighths % 8;
  return '█'.repeat(full) + (rest ? '▏▎▍▌▋▊▉'[rest - 1] : '') + ' '.repeat(width - full - (rest ? 1 : 0));
}

export class ProgressLine {
  private readonly tty: boolean;
  /** recent (seconds, tokens) per step, for the speed and the ETA */
  private recent: [number, number][] = [];
  private heldout: number | undefined;
  private lossAvg: number | undefined;
  private lastPrint = 0;
  private drawn = false;

  constructor(private readonly quiet: boolean, private readonly stream: NodeJS.WriteStream = process.stderr) {
    this.tty = stream.isTTY === true;
  }

  event(e: TrainEvent): void {
    if (this.quiet) return;
    if (e.kind === 'start') {
      this.note(`model: ${formatCount(e.parameters)} parameters; ${formatCount(e.windows)} training windows; ` +
        (e.step > 0 ? `resuming at step ${formatCount(e.step)} of ${formatCount(e.steps)}` : `${formatCount(e.steps)} steps`));
    } else if (e.kind === 'eval') {
      this.heldout = e.loss;
      this.note(`step ${formatCount(e.step)}: held-out loss ${e.loss.toFixed(3)} (perplexity ${Math.exp(e.loss).toFixed(1)})`);
    } else if (e.kind === 'step') {
      this.recent.push([e.seconds, e.tokens]);
      if (this.recent.length > 50) this.recent.shift();
      this.lossAvg = this.lossAvg === undefined ? e.loss : 0.95 * this.lossAvg + 0.05 * e.loss;
      const now = Date.now();
      if (this.tty ? now - this.lastPrint > 200 || e.step === e.steps : now - this.lastPrint > 30_000 || e.step === e.steps) {
        this.lastPrint = now;
        this.draw(this.line(e));
      }
    }
  }

  /** A message on its own line (the progress line is redrawn below it). */
  note(s: string): void {
    if (this.quiet) return;
    this.clear();
    this.stream.write(`${s}\n`);
  }

  done(): void {
    if (this.drawn && this.tty) this.stream.write('\n');
    this.drawn = false;
  }

  private line(e: Extract<TrainEvent, { kind: 'step' }>): string {
    const secs = this.recent.reduce((a, r) => a + r[0], 0), toks = this.recent.reduce((a, r) => a + r[1], 0);
    const speed = toks / secs;
    const eta = ((e.steps - e.step) * (secs / this.recent.length));
    const frac = e.step / e.steps;
    const parts = [
      `step ${formatCount(e.step)}/${formatCount(e.steps)}`,
      `loss ${(this.lossAvg ?? e.loss).toFixed(3)}`,
      ...(this.heldout !== undefined ? [`held-out ${this.heldout.toFixed(3)}`] : []),
      `${formatCount(speed)} tok/s`,
      `epoch ${e.epoch.toFixed(2)}`,
      `ETA ${formatDuration(eta)}`,
    ];
    return `${this.tty ? `${bar(frac, 20)}▏` : ''}${(frac * 100).toFixed(0).padStart(3)}% ${parts.join(' · ')}`;
  }

  private draw(s: string): void {
    if (this.tty) {
      this.stream.write(`\r\x1b[2K${s}`);
      this.drawn = true;
    } else this.stream.write(`${s}\n`);
  }

  private clear(): void {
    if (this.drawn && this.tty) this.stream.write('\r\x1b[2K');
    this.drawn = false;
  }
}
