// The word-level facts every level states, unrounded, by name (tests compare them with the view).

import type { ExplainContext } from '../interpret/context.js';
import { labelOf, type Reading } from './reading.js';

export function viewFacts(ctx: ExplainContext, r: Reading): Record<string, number | string | number[]> {
  const f: Record<string, number | string | number[]> = {
    word: r.word,
    selection: r.selection,
    layer: ctx.layer,
    head: ctx.head,
    headReason: ctx.headReason,
    row: [...r.row],
    topWord: labelOf(ctx, r.top),
    topWeight: r.row[r.top],
    topKind: r.topKind,
    shape: r.shape,
    selfWeight: r.selfWeight,
    specialWeight: r.specialWeight,
    blockedCount: r.blocked.length,
    entropy: r.entropy,
    evenness: r.evenness,
    top2Share: r.top2,
  };
  if (r.second >= 0) {
    f.secondWord = labelOf(ctx, r.second);
    f.secondWeight = r.row[r.second];
  }
  if (r.topContext >= 0) {
    f.topContextWord = labelOf(ctx, r.topContext);
    f.topContextWeight = r.row[r.topContext];
  }
  return f;
}
