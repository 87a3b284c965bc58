// SVG → PNG with resvg, drawing text only with the Inter files shipped in node_modules (system fonts are
// never loaded), so the same SVG gives the same pixels and bytes on every machine resvg runs on.

import { createRequire } from 'node:module';
import { Resvg } from '@resvg/resvg-js';

const require = createRequire(import.meta.url);

/** The Inter TTF files the charts use (regular, semibold, bold), resolved from node_modules. */
export const INTER_FONT_FILES: readonly string[] = ['400Regular/Inter_400Regular', '600SemiBold/Inter_600SemiBold', '700Bold/Inter_700Bold'].map(
  (f) => require.resolve(`@expo-google-fonts/inter/${f}.ttf`),
);

export interface PngOptions {
  /** pixel density: 1 gives the SVG's own size in px, 2 for retina screens (default 1) */
  scale?: number;
  /** more font files to fall back on (e.g. a CJK or emoji font); Inter is always loaded first */
  fontFiles?: string[];
}

/** Rasterises an SVG (from barChartSvg and friends) to PNG bytes. */
export function svgToPng(svg: string, opts: PngOptions = {}): Buffer {
  const scale = opts.scale ?? 1;
  if (!(scale > 0 && scale <= 8)) throw new RangeError(`svgToPng: scale must be in (0, 8], got ${scale}`);
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: '#ffffff',
    font: {
      loadSystemFonts: false,
      fontFiles: [...INTER_FONT_FILES, ...(opts.fontFiles ?? [])],
      defaultFontFamily: 'Inter',
      sansSerifFamily: 'Inter',
    },
    shapeRendering: 2,
    textRendering: 1,
    logLevel: 'off',
  });
  return resvg.render().asPng();
}
