// explain/: a run's own numbers → an explanation of one word's attention at three depths (newbie, hacker,
// expert), as structured data (types.ts) that format.ts prints as terminal text or Markdown.

import type { ExplainContext } from '../interpret/context.js';
import { expert } from './expert.js';
import { hacker } from './hacker.js';
import { newbie } from './newbie.js';
import type { Explanation, Level } from './types.js';

export { formatMarkdown, formatText, type TextOptions } from './format.js';
export { LEVELS, type Block, type Explanation, type Level, type Section } from './types.js';

/** The explanation of `ctx` at `level`. Pure: every number comes from the context's tensors and view. */
export function explainLevel(level: Level, ctx: ExplainContext): Explanation {
  switch (level) {
    case 'newbie':
      return newbie(ctx);
    case 'hacker':
      return hacker(ctx);
    case 'expert':
      return expert(ctx);
  }
}
