// ANSI styling that is a no-op when colour is off, so a chart is one code path with or without colour.
// The caller decides colour (NO_COLOR, --color, isTTY); nothing here reads the environment.

export type Style = 'bold' | 'dim' | 'query' | 'bar' | 'top' | 'special' | 'heading';

const CODES: Record<Style, string> = {
  bold: '1',
  dim: '2',
  query: '1;38;5;166', // bold orange, the SVG's query colour
  bar: '38;5;32', // blue
  top: '1;33', // bold yellow
  special: '2', // dim
  heading: '1',
};

export type Paint = (style: Style, s: string) => string;

export function painter(color: boolean): Paint {
  if (!color) return (_style, s) => s;
  return (style, s) => (s === '' ? s : `\x1b[${CODES[style]}m${s}\x1b[0m`);
}

/**
 * The usual rule for colour, for the CLI to call (nothing here reads process.env itself): an explicit
 * --color / --no-color wins; then NO_COLOR (any non-empty value) turns it off; FORCE_COLOR (non-empty,
 * not "0") turns it on; TERM=dumb turns it off; else colour when stdout is a terminal.
 */
export function shouldColor(flag: boolean | undefined, env: Record<string, string | undefined>, isTTY: boolean): boolean {
  if (flag !== undefined) return flag;
  if (env.NO_COLOR) return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return true;
  if (env.TERM === 'dumb') return false;
  return isTTY;
}
