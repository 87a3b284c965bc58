// Colours: the charts' theme (Okabe–Ito hues, safe for colour-blind readers) and viridis as a ramp table
// for heatmaps (matplotlib's viridis sampled at ten points, interpolated linearly in sRGB).

export const THEME = {
  background: '#ffffff',
  text: '#1a1a1a',
  muted: '#5c5c5c',
  faint: '#8a8a8a',
  grid: '#e6e6e6',
  axis: '#3a3a3a',
  /** ordinary bars */
  bar: '#0072b2',
  /** the query word: bar, label and outlines */
  query: '#d55e00',
  /** special tokens ([CLS], [SEP], <|endoftext|>) when shown */
  special: '#a6a6a6',
  /** hatching for what a causal model cannot see */
  hatch: '#b8b8b8',
  hatchBackground: '#f5f5f5',
  cell: '#f3f3f3',
} as const;

const VIRIDIS = [
  [0x44, 0x01, 0x54],
  [0x48, 0x28, 0x78],
  [0x3e, 0x4a, 0x89],
  [0x31, 0x68, 0x8e],
  [0x26, 0x82, 0x8e],
  [0x1f, 0x9e, 0x89],
  [0x35, 0xb7, 0x79],
  [0x6d, 0xcd, 0x59],
  [0xb4, 0xde, 0x2c],
  [0xfd, 0xe7, 0x25],
];

function hex2(n: number): string {
  return Math.round(Math.min(255, Math.max(0, n))).toString(16).padStart(2, '0');
}

function rgbAt(t: number): number[] {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (VIRIDIS.length - 1);
  const i = Math.min(VIRIDIS.length - 2, Math.floor(x));
  const f = x - i;
  return [0, 1, 2].map((c) => VIRIDIS[i][c] + (VIRIDIS[i + 1][c] - VIRIDIS[i][c]) * f);
}

/** viridis at t in [0, 1] as #rrggbb (dark purple at 0, yellow at 1). */
export function viridis(t: number): string {
  const [r, g, b] = rgbAt(t);
  return `#${hex2(r)}${hex2(g)}${hex2(b)}`;
}

/** Black or white, whichever reads better on viridis(t) (by WCAG relative luminance). */
export function textOnViridis(t: number): string {
  const lin = rgbAt(t).map((c) => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  });
  const L = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2];
  // contrast against white (1.05 / (L + 0.05)) vs against black ((L + 0.05) / 0.05)
  return 1.05 / (L + 0.05) >= (L + 0.05) / 0.05 ? '#ffffff' : '#111111';
}
