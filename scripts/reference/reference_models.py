# Independent PyTorch reference forwards for GPT-2 and BERT (plain tensor ops, float64) that record
# every hook of docs/ARCHITECTURE.md, plus a cross-check of the attention against nn.MultiheadAttention.
import math

import torch

# ---------------------------------------------------------------- shared pieces


def layer_norm(x, w, b, eps):
    mean = x.mean(-1, keepdim=True)
    var = ((x - mean) ** 2).mean(-1, keepdim=True)  # biased variance, as nn.LayerNorm
    return (x - mean) / torch.sqrt(var + eps) * w + b


def gelu_tanh(x):  # "gelu_new" / "gelu_pytorch_tanh"
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x**3)))


def gelu_erf(x):  # "gelu": exact
    return 0.5 * x * (1.0 + torch.erf(x / math.sqrt(2.0)))


ACTIVATIONS = {"gelu_new": gelu_tanh, "gelu_pytorch_tanh": gelu_tanh, "gelu": gelu_erf, "relu": torch.relu}


def attention(x, p, scale, causal, hooks, prefix):
    """Multi-head self-attention from per-head parameters p (W_Q [H,C,D], b_Q [H,D], ..., W_O [H,D,C], b_O [C]).
    x: [T, C]. `scale` multiplies q·k. Records q/k/v [T,H,D], dot/scores/pattern [H,T,S], z [T,H,D]."""
    q = torch.einsum("tc,hcd->thd", x, p["W_Q"]) + p["b_Q"]
    k = torch.einsum("tc,hcd->thd", x, p["W_K"]) + p["b_K"]
    v = torch.einsum("tc,hcd->thd", x, p["W_V"]) + p["b_V"]
    dot = torch.einsum("thd,shd->hts", q, k)
    scores = dot * scale
    T = x.shape[0]
    if causal:
        future = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1)  # key s > query t
        scores = scores.masked_fill(future, float("-inf"))
    pattern = torch.softmax(scores, dim=-1)
    z = torch.einsum("hts,shd->thd", pattern, v)
    out = torch.einsum("thd,hdc->tc", z, p["W_O"]) + p["b_O"]
    for name, t in [("hook_q", q), ("hook_k", k), ("hook_v", v), ("hook_dot", dot),
                    ("hook_attn_scores", scores), ("hook_pattern", pattern), ("hook_z", z)]:
        hooks[f"{prefix}.attn.{name}"] = t
    for name, t in p.items():
        hooks[f"{prefix}.attn.{name}"] = t
    return out


def mha_check(x, lin, extra_scale, causal, expect_pattern, expect_out, what):
    """Run torch.nn.MultiheadAttention with the checkpoint's own Linear-layout weights (q/k/v/o weight
    [out, in] and biases), in float64 and float32, and assert it agrees with the reference to 1e-5.
    Returns the largest difference seen per dtype."""
    T, C = x.shape
    H = expect_pattern.shape[0]
    mask = torch.triu(torch.ones(T, T, dtype=torch.bool), diagonal=1) if causal else None
    worst = {}
    for dtype in (torch.float64, torch.float32):
        mha = torch.nn.MultiheadAttention(C, H, bias=True, batch_first=True).to(dtype)
        with torch.no_grad():
            # MHA scales by 1/sqrt(D) itself; any extra factor (GPT-2's 1/(l+1)) goes into W_q, b_q.
            mha.in_proj_weight.copy_(torch.cat([lin["wq"] * extra_scale, lin["wk"], lin["wv"]], 0))
            mha.in_proj_bias.copy_(torch.cat([lin["bq"] * extra_scale, lin["bk"], lin["bv"]], 0))
            mha.out_proj.weight.copy_(lin["wo"])
            mha.out_proj.bias.copy_(lin["bo"])
            xb = x.to(dtype)[None]
            out, weights = mha(xb, xb, xb, attn_mask=mask, need_weights=True, average_attn_weights=False)
        d_pat = (weights[0].double() - expect_pattern).abs().max().item()
        d_out = (out[0].double() - expect_out).abs().max().item()
        if not (d_pat < 1e-5 and d_out < 1e-5):
            raise AssertionError(f"MultiheadAttention disagrees with the reference at {what} ({dtype}): "
                                 f"pattern {d_pat:.3g}, output {d_out:.3g}")
        worst[str(dtype).replace("torch.", "")] = max(d_pat, d_out)
    return worst


# ---------------------------------------------------------------- GPT-2 (pre-LN)


def gpt2_forward(sd, cfg, ids, mha_report=None, dtype=torch.float64):
    """sd: GPT2Model-named tensors (no `transformer.` prefix; Conv1D weights [in, out]); ids: list of ints.
    Returns {hook name: tensor} (computed in `dtype`) with `logits` [T, V] from the tied embedding."""
    sd = {k: v.to(dtype) for k, v in sd.items()}
    C, H, L = cfg["n_embd"], cfg["n_head"], cfg["n_layer"]
    D, eps = C // H, cfg["layer_norm_epsilon"]
    act = ACTIVATIONS[cfg["activation_function"]]
    T = len(ids)
    assert 1 <= T <= cfg["n_positions"]
    hooks = {}
    ids_t = torch.tensor(ids, dtype=torch.long)
    hooks["hook_embed"] = sd["wte.weight"][ids_t]
    hooks["hook_pos_embed"] = sd["wpe.weight"][:T]
    resid = hooks["hook_embed"] + hooks["hook_pos_embed"]
    for l in range(L):
        h, b = f"h.{l}.", f"blocks.{l}"
        hooks[f"{b}.hook_resid_pre"] = resid
        x = layer_norm(resid, sd[h + "ln_1.weight"], sd[h + "ln_1.bias"], eps)
        hooks[f"{b}.ln1.hook_normalized"] = x
        w, bias = sd[h + "attn.c_attn.weight"], sd[h + "attn.c_attn.bias"]  # [C, 3C] = [in, q|k|v]
        wo, bo = sd[h + "attn.c_proj.weight"], sd[h + "attn.c_proj.bias"]  # [C(in = h*D+d), C(out)]
        p = {}
        for i, n in enumerate("QKV"):
            p[f"W_{n}"] = w[:, i * C:(i + 1) * C].reshape(C, H, D).permute(1, 0, 2)
            p[f"b_{n}"] = bias[i * C:(i + 1) * C].reshape(H, D)
        p["W_O"], p["b_O"] = wo.reshape(H, D, C), bo
        extra = 1.0 / (l + 1) if cfg.get("scale_attn_by_inverse_layer_idx") else 1.0
        scale = (1.0 / math.sqrt(D) if cfg.get("scale_attn_weights", True) else 1.0) * extra
        attn_out = attention(x, p, scale, True, hooks, b)
        if mha_report is not None:
            assert cfg.get("scale_attn_weights", True), "MHA check assumes 1/sqrt(D) scaling"
            lin = {"wq": w[:, :C].t(), "wk": w[:, C:2 * C].t(), "wv": w[:, 2 * C:].t(),
                   "bq": bias[:C], "bk": bias[C:2 * C], "bv": bias[2 * C:], "wo": wo.t(), "bo": bo}
            mha_report.append(mha_check(x, lin, extra, True, hooks[f"{b}.attn.hook_pattern"], attn_out, b))
        hooks[f"{b}.hook_attn_out"] = attn_out
        resid = resid + attn_out
        hooks[f"{b}.hook_resid_mid"] = resid
        x2 = layer_norm(resid, sd[h + "ln_2.weight"], sd[h + "ln_2.bias"], eps)
        hooks[f"{b}.ln2.hook_normalized"] = x2
        pre = x2 @ sd[h + "mlp.c_fc.weight"] + sd[h + "mlp.c_fc.bias"]
        post = act(pre)
        mlp_out = post @ sd[h + "mlp.c_proj.weight"] + sd[h + "mlp.c_proj.bias"]
        hooks[f"{b}.mlp.hook_pre"], hooks[f"{b}.mlp.hook_post"] = pre, post
        hooks[f"{b}.hook_mlp_out"] = mlp_out
        resid = resid + mlp_out
        hooks[f"{b}.hook_resid_post"] = resid
    final = layer_norm(resid, sd["ln_f.weight"], sd["ln_f.bias"], eps)
    hooks["ln_final.hook_normalized"] = final
    hooks["logits"] = final @ sd["wte.weight"].t()  # tied lm_head
    return hooks


# ---------------------------------------------------------------- BERT (post-LN)


def bert_forward(sd, cfg, ids, token_type_ids, mha_report=None, dtype=torch.float64):
    """sd: BertModel-named tensors (no `bert.` prefix; LayerNorm .weight/.bias; Linear [out, in]) plus,
    optionally, the MLM head `cls.predictions.*`. Returns hooks + `logits` [T, V] if the head is present,
    else `last_hidden_state` [T, C]. No padding, so nothing is masked."""
    sd = {k: v.to(dtype) for k, v in sd.items()}
    C, H, L = cfg["hidden_size"], cfg["num_attention_heads"], cfg["num_hidden_layers"]
    D, eps = C // H, cfg["layer_norm_eps"]
    act = ACTIVATIONS[cfg["hidden_act"]]
    T = len(ids)
    assert 1 <= T <= cfg["max_position_embeddings"] and len(token_type_ids) == T
    hooks = {}
    e = "embeddings."
    hooks["hook_embed"] = sd[e + "word_embeddings.weight"][torch.tensor(ids, dtype=torch.long)]
    hooks["hook_pos_embed"] = sd[e + "position_embeddings.weight"][:T]
    hooks["hook_token_type_embed"] = sd[e + "token_type_embeddings.weight"][torch.tensor(token_type_ids)]
    emb = hooks["hook_embed"] + hooks["hook_pos_embed"] + hooks["hook_token_type_embed"]
    resid = layer_norm(emb, sd[e + "LayerNorm.weight"], sd[e + "LayerNorm.bias"], eps)
    for l in range(L):
        h, b = f"encoder.layer.{l}.", f"blocks.{l}"
        hooks[f"{b}.hook_resid_pre"] = resid
        a = h + "attention."
        lin = {"wq": sd[a + "self.query.weight"], "wk": sd[a + "self.key.weight"], "wv": sd[a + "self.value.weight"],
               "bq": sd[a + "self.query.bias"], "bk": sd[a + "self.key.bias"], "bv": sd[a + "self.value.bias"],
               "wo": sd[a + "output.dense.weight"], "bo": sd[a + "output.dense.bias"]}
        p = {}
        for n in "QKV":  # Linear [out = h*D+d, in = c] -> [H, C, D]
            p[f"W_{n}"] = lin["w" + n.lower()].reshape(H, D, C).permute(0, 2, 1)
            p[f"b_{n}"] = lin["b" + n.lower()].reshape(H, D)
        p["W_O"], p["b_O"] = lin["wo"].t().reshape(H, D, C), lin["bo"]
        attn_out = attention(resid, p, 1.0 / math.sqrt(D), False, hooks, b)
        if mha_report is not None:
            mha_report.append(mha_check(resid, lin, 1.0, False, hooks[f"{b}.attn.hook_pattern"], attn_out, b))
        hooks[f"{b}.hook_attn_out"] = attn_out
        mid = resid + attn_out
        hooks[f"{b}.hook_resid_mid"] = mid
        x = layer_norm(mid, sd[a + "output.LayerNorm.weight"], sd[a + "output.LayerNorm.bias"], eps)
        hooks[f"{b}.ln1.hook_normalized"] = x
        pre = x @ sd[h + "intermediate.dense.weight"].t() + sd[h + "intermediate.dense.bias"]
        post = act(pre)
        mlp_out = post @ sd[h + "output.dense.weight"].t() + sd[h + "output.dense.bias"]
        hooks[f"{b}.mlp.hook_pre"], hooks[f"{b}.mlp.hook_post"] = pre, post
        hooks[f"{b}.hook_mlp_out"] = mlp_out
        post_resid = x + mlp_out
        hooks[f"{b}.hook_resid_post"] = post_resid
        resid = layer_norm(post_resid, sd[h + "output.LayerNorm.weight"], sd[h + "output.LayerNorm.bias"], eps)
        hooks[f"{b}.hook_normalized_resid_post"] = resid
    if "cls.predictions.bias" in sd:
        t = "cls.predictions.transform."
        y = act(resid @ sd[t + "dense.weight"].t() + sd[t + "dense.bias"])
        y = layer_norm(y, sd[t + "LayerNorm.weight"], sd[t + "LayerNorm.bias"], eps)
        hooks["logits"] = y @ sd[e + "word_embeddings.weight"].t() + sd["cls.predictions.bias"]  # tied decoder
    else:
        hooks["last_hidden_state"] = resid
    return hooks
