// The names of attn's hook points (TransformerLens conventions; table in docs/ARCHITECTURE.md), built by
// functions rather than string literals scattered through the models, so a typo is a compile error.

export const hookNames = {
  embed: 'hook_embed',
  posEmbed: 'hook_pos_embed',
  tokenTypeEmbed: 'hook_token_type_embed',
  lnFinal: 'ln_final.hook_normalized',
  residPre: (l: number) => `blocks.${l}.hook_resid_pre`,
  ln1: (l: number) => `blocks.${l}.ln1.hook_normalized`,
  q: (l: number) => `blocks.${l}.attn.hook_q`,
  k: (l: number) => `blocks.${l}.attn.hook_k`,
  v: (l: number) => `blocks.${l}.attn.hook_v`,
  dot: (l: number) => `blocks.${l}.attn.hook_dot`,
  attnScores: (l: number) => `blocks.${l}.attn.hook_attn_scores`,
  pattern: (l: number) => `blocks.${l}.attn.hook_pattern`,
  z: (l: number) => `blocks.${l}.attn.hook_z`,
  attnOut: (l: number) => `blocks.${l}.hook_attn_out`,
  residMid: (l: number) => `blocks.${l}.hook_resid_mid`,
  ln2: (l: number) => `blocks.${l}.ln2.hook_normalized`,
  mlpPre: (l: number) => `blocks.${l}.mlp.hook_pre`,
  mlpPost: (l: number) => `blocks.${l}.mlp.hook_post`,
  mlpOut: (l: number) => `blocks.${l}.hook_mlp_out`,
  residPost: (l: number) => `blocks.${l}.hook_resid_post`,
  normalizedResidPost: (l: number) => `blocks.${l}.hook_normalized_resid_post`,
} as const;

/** Per-head projection parameters exposed beside the activations. */
export const HEAD_PARAMS = ['W_Q', 'b_Q', 'W_K', 'b_K', 'W_V', 'b_V', 'W_O', 'b_O'] as const;
export type HeadParam = (typeof HEAD_PARAMS)[number];
export const paramName = (l: number, p: HeadParam) => `blocks.${l}.attn.${p}`;

/**
 * Called at every hook point with the activation. Return a tensor of the same shape to replace the
 * activation (an intervention), or nothing to leave it unchanged.
 */
export type HookFn = (name: string, value: import('../engine/tensor.js').Tensor) => import('../engine/tensor.js').Tensor | void;

/** Every activation hook a model of this architecture emits, in the order the forward pass reaches them. */
export function activationHookNames(arch: 'gpt2' | 'bert', nLayers: number): string[] {
  const n = hookNames;
  const names: string[] = arch === 'bert' ? [n.embed, n.posEmbed, n.tokenTypeEmbed] : [n.embed, n.posEmbed];
  for (let l = 0; l < nLayers; l++) {
    names.push(n.residPre(l));
    if (arch === 'gpt2') names.push(n.ln1(l));
    names.push(n.q(l), n.k(l), n.v(l), n.dot(l), n.attnScores(l), n.pattern(l), n.z(l), n.attnOut(l), n.residMid(l));
    names.push(...(arch === 'gpt2' ? [n.ln2(l)] : [n.ln1(l)]));
    names.push(n.mlpPre(l), n.mlpPost(l), n.mlpOut(l), n.residPost(l));
    if (arch === 'bert') names.push(n.normalizedResidPost(l));
  }
  if (arch === 'gpt2') names.push(n.lnFinal);
  return names;
}

/** Per-head parameter names for every layer. */
export function paramHookNames(nLayers: number): string[] {
  const out: string[] = [];
  for (let l = 0; l < nLayers; l++) for (const p of HEAD_PARAMS) out.push(paramName(l, p));
  return out;
}

/**
 * The short name a user types for a hook: the name without its layer and without "hook_"
 * ("blocks.3.attn.hook_pattern" → "pattern", "blocks.0.ln1.hook_normalized" → "ln1",
 * "blocks.2.mlp.hook_pre" → "mlp_pre", "blocks.1.attn.W_Q" → "W_Q").
 */
export function shortHookName(name: string): string {
  const rest = name.replace(/^blocks\.\d+\./, '');
  return rest
    .replace(/^attn\.hook_/, '')
    .replace(/^attn\./, '')
    .replace(/^(ln1|ln2|ln_final)\.hook_normalized$/, '$1')
    .replace(/^mlp\.hook_/, 'mlp_')
    .replace(/^hook_/, '');
}
