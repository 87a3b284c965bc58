// attn's charts: terminal text, SVG and PNG pictures of an AttentionView (src/interpret/view.ts).
// Every function is pure (same view, same string or bytes); colour and output paths are the caller's.

export { renderBarsText, blockBar, type TextOptions } from './terminal/bars.js';
export { renderCompareText, SIDE_BY_SIDE_MIN_WIDTH } from './terminal/compare.js';
export { renderHeatmapText } from './terminal/heatmap.js';
export { shouldColor } from './terminal/ansi.js';
export { barChartSvg, type BarChartOptions } from './svg/bars.js';
export { heatmapSvg } from './svg/heatmap.js';
export { gridSvg } from './svg/grid.js';
export { compareSvg, type CompareOptions } from './svg/compare.js';
export { lossCurvesSvg, movingAverage, type LossCurves } from './svg/curves.js';
export type { CommonOptions as SvgOptions } from './svg/doc.js';
export { svgToPng, INTER_FONT_FILES, type PngOptions } from './png.js';
export { barSpec, matrixSpec, gridSpec, type Bar, type BarSpec, type MatrixSpec, type GridSpec } from './spec.js';
export { pct, xmlEscape, cleanLabel } from './format.js';
export { viridis } from './palette.js';
