# Second opinion on the hand-written forwards: every block is re-run through torch.nn.TransformerEncoderLayer
# (norm_first=True for GPT-2, post-LN for BERT) and the final LayerNorm / heads through torch.nn.functional.
import torch
import torch.nn.functional as F

ACT = {"gelu_new": lambda x: F.gelu(x, approximate="tanh"), "gelu": lambda x: F.gelu(x)}
TOL = 1e-9  # both sides run in float64


def _layer(C, H, Fdim, eps, act, norm_first, lin, fc, fc_b, proj, proj_b, ln1, ln2):
    layer = torch.nn.TransformerEncoderLayer(C, H, Fdim, dropout=0.0, activation=ACT[act], layer_norm_eps=eps,
                                             batch_first=True, norm_first=norm_first).double().eval()
    with torch.no_grad():
        layer.self_attn.in_proj_weight.copy_(torch.cat([lin["wq"], lin["wk"], lin["wv"]], 0))
        layer.self_attn.in_proj_bias.copy_(torch.cat([lin["bq"], lin["bk"], lin["bv"]], 0))
        layer.self_attn.out_proj.weight.copy_(lin["wo"])
        layer.self_attn.out_proj.bias.copy_(lin["bo"])
        layer.linear1.weight.copy_(fc)
        layer.linear1.bias.copy_(fc_b)
        layer.linear2.weight.copy_(proj)
        layer.linear2.bias.copy_(proj_b)
        layer.norm1.weight.copy_(ln1[0])
        layer.norm1.bias.copy_(ln1[1])
        layer.norm2.weight.copy_(ln2[0])
        layer.norm2.bias.copy_(ln2[1])
    return layer


def _diff(a, b, what):
    d = (a - b).abs().max().item()
    if not d < TOL:
        raise AssertionError(f"nn.TransformerEncoderLayer cross-check failed at {what}: {d:.3g}")
    return d


def gpt2(sd, cfg, hooks):
    """Checks blocks.{l}.hook_resid_post, ln_final.hook_normalized and logits; returns the max difference."""
    sd = {k: v.double() for k, v in sd.items()}
    C, H, eps = cfg["n_embd"], cfg["n_head"], cfg["layer_norm_epsilon"]
    assert not cfg.get("scale_attn_by_inverse_layer_idx"), "TransformerEncoderLayer only scales by 1/sqrt(D)"
    worst = 0.0
    for l in range(cfg["n_layer"]):
        h = f"h.{l}."
        w, b = sd[h + "attn.c_attn.weight"].t(), sd[h + "attn.c_attn.bias"]  # Conv1D [in, out] -> [out, in]
        lin = {"wq": w[:C], "wk": w[C:2 * C], "wv": w[2 * C:], "bq": b[:C], "bk": b[C:2 * C], "bv": b[2 * C:],
               "wo": sd[h + "attn.c_proj.weight"].t(), "bo": sd[h + "attn.c_proj.bias"]}
        layer = _layer(C, H, sd[h + "mlp.c_fc.weight"].shape[1], eps, cfg["activation_function"], True, lin,
                       sd[h + "mlp.c_fc.weight"].t(), sd[h + "mlp.c_fc.bias"],
                       sd[h + "mlp.c_proj.weight"].t(), sd[h + "mlp.c_proj.bias"],
                       (sd[h + "ln_1.weight"], sd[h + "ln_1.bias"]), (sd[h + "ln_2.weight"], sd[h + "ln_2.bias"]))
        x = hooks[f"blocks.{l}.hook_resid_pre"]
        T = x.shape[0]
        mask = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)
        with torch.no_grad():
            y = layer(x[None], src_mask=mask)[0]
        worst = max(worst, _diff(y, hooks[f"blocks.{l}.hook_resid_post"], f"GPT-2 block {l}"))
    final = F.layer_norm(hooks[f"blocks.{cfg['n_layer'] - 1}.hook_resid_post"], (C,), sd["ln_f.weight"],
                         sd["ln_f.bias"], eps)
    worst = max(worst, _diff(final, hooks["ln_final.hook_normalized"], "GPT-2 ln_f"))
    return max(worst, _diff(F.linear(final, sd["wte.weight"]), hooks["logits"], "GPT-2 logits"))


def bert(sd, cfg, hooks, token_type_ids):
    """Checks the embedding LayerNorm, every block's hook_normalized_resid_post and the output."""
    sd = {k: v.double() for k, v in sd.items()}
    C, H, eps = cfg["hidden_size"], cfg["num_attention_heads"], cfg["layer_norm_eps"]
    e = "embeddings."
    emb = hooks["hook_embed"] + hooks["hook_pos_embed"] + hooks["hook_token_type_embed"]
    tt = sd[e + "token_type_embeddings.weight"][torch.tensor(token_type_ids)]
    worst = _diff(tt, hooks["hook_token_type_embed"], "BERT token types")
    x = F.layer_norm(emb, (C,), sd[e + "LayerNorm.weight"], sd[e + "LayerNorm.bias"], eps)
    worst = max(worst, _diff(x, hooks["blocks.0.hook_resid_pre"], "BERT embedding LayerNorm"))
    for l in range(cfg["num_hidden_layers"]):
        h, a = f"encoder.layer.{l}.", f"encoder.layer.{l}.attention."
        lin = {k: sd[a + n] for k, n in [("wq", "self.query.weight"), ("wk", "self.key.weight"),
                                          ("wv", "self.value.weight"), ("bq", "self.query.bias"),
                                          ("bk", "self.key.bias"), ("bv", "self.value.bias"),
                                          ("wo", "output.dense.weight"), ("bo", "output.dense.bias")]}
        layer = _layer(C, H, cfg["intermediate_size"], eps, cfg["hidden_act"], False, lin,
                       sd[h + "intermediate.dense.weight"], sd[h + "intermediate.dense.bias"],
                       sd[h + "output.dense.weight"], sd[h + "output.dense.bias"],
                       (sd[a + "output.LayerNorm.weight"], sd[a + "output.LayerNorm.bias"]),
                       (sd[h + "output.LayerNorm.weight"], sd[h + "output.LayerNorm.bias"]))
        with torch.no_grad():
            x = layer(x[None])[0]
        worst = max(worst, _diff(x, hooks[f"blocks.{l}.hook_normalized_resid_post"], f"BERT block {l}"))
    if "logits" in hooks:
        t = "cls.predictions.transform."
        y = ACT[cfg["hidden_act"]](F.linear(x, sd[t + "dense.weight"], sd[t + "dense.bias"]))
        y = F.layer_norm(y, (C,), sd[t + "LayerNorm.weight"], sd[t + "LayerNorm.bias"], eps)
        logits = F.linear(y, sd[e + "word_embeddings.weight"], sd["cls.predictions.bias"])
        return max(worst, _diff(logits, hooks["logits"], "BERT MLM logits"))
    return max(worst, _diff(x, hooks["last_hidden_state"], "BERT last_hidden_state"))

