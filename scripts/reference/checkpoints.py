# Seeded random GPT-2 / BERT weights under the exact Hugging Face tensor names, realistic config.json
# contents, and the renamings between the checkpoint flavours (LM head / base / legacy gamma-beta).
import torch

# Scales: q/k weights well above the usual 0.02 so attention is clearly peaked (scaled scores have a
# std of about 2.5), everything else sized so the residual stays O(1) and |logits| stays below ~20.
GPT2_SCALES = {"wte": 0.3, "wpe": 0.1, "qk": 0.2, "v": 0.125, "o": 0.05, "fc": 0.125, "proj": 0.05,
               "bias": 0.05, "ln_w": 0.1, "ln_b": 0.05}
BERT_SCALES = {"word": 0.35, "pos": 0.15, "type": 0.15, "qk": 0.2, "v": 0.125, "o": 0.075, "fc": 0.125,
               "proj": 0.05, "head": 0.125, "bias": 0.05, "ln_w": 0.1, "ln_b": 0.05, "pool": 0.125}


def _rand(g, shape, std):
    return torch.randn(*shape, generator=g, dtype=torch.float32) * std


def _ln(g, prefix, C, s, w="weight", b="bias"):
    return {f"{prefix}.{w}": 1.0 + _rand(g, [C], s["ln_w"]), f"{prefix}.{b}": _rand(g, [C], s["ln_b"])}


def gpt2_config(vocab_size, eot_id, arch="GPT2LMHeadModel", dtype="float32", C=64, H=4, L=2, P=64):
    return {
        "activation_function": "gelu_new", "architectures": [arch], "attn_pdrop": 0.1, "bos_token_id": eot_id,
        "embd_pdrop": 0.1, "eos_token_id": eot_id, "initializer_range": 0.02, "layer_norm_epsilon": 1e-05,
        "model_type": "gpt2", "n_ctx": P, "n_embd": C, "n_head": H, "n_inner": None, "n_layer": L,
        "n_positions": P, "reorder_and_upcast_attn": False, "resid_pdrop": 0.1,
        "scale_attn_by_inverse_layer_idx": False, "scale_attn_weights": True, "torch_dtype": dtype,
        "transformers_version": "4.40.0", "use_cache": True, "vocab_size": vocab_size,
    }


def gpt2_weights(cfg, seed):
    """GPT2Model-named float32 tensors (Conv1D weights stored [in, out], c_attn fused as q|k|v)."""
    g = torch.Generator().manual_seed(seed)
    s, C, V, P = GPT2_SCALES, cfg["n_embd"], cfg["vocab_size"], cfg["n_positions"]
    F = cfg["n_inner"] or 4 * C
    sd = {"wte.weight": _rand(g, [V, C], s["wte"]), "wpe.weight": _rand(g, [P, C], s["wpe"])}
    for l in range(cfg["n_layer"]):
        h = f"h.{l}."
        sd.update(_ln(g, h + "ln_1", C, s))
        q, k, v = _rand(g, [C, C], s["qk"]), _rand(g, [C, C], s["qk"]), _rand(g, [C, C], s["v"])
        sd[h + "attn.c_attn.weight"] = torch.cat([q, k, v], dim=1)
        sd[h + "attn.c_attn.bias"] = _rand(g, [3 * C], s["bias"])
        sd[h + "attn.c_proj.weight"] = _rand(g, [C, C], s["o"])
        sd[h + "attn.c_proj.bias"] = _rand(g, [C], s["bias"])
        sd.update(_ln(g, h + "ln_2", C, s))
        sd[h + "mlp.c_fc.weight"] = _rand(g, [C, F], s["fc"])
        sd[h + "mlp.c_fc.bias"] = _rand(g, [F], s["bias"])
        sd[h + "mlp.c_proj.weight"] = _rand(g, [F, C], s["proj"])
        sd[h + "mlp.c_proj.bias"] = _rand(g, [C], s["bias"])
    sd.update(_ln(g, "ln_f", C, s))
    return sd


def gpt2_lm_names(sd, cfg, with_mask_buffers):
    """GPT2LMHeadModel naming: `transformer.` prefix, tied lm_head.weight omitted; optionally the legacy
    causal-mask buffers `transformer.h.{l}.attn.bias` [1, 1, n_pos, n_pos] that old checkpoints carry."""
    out = {"transformer." + k: v for k, v in sd.items()}
    if with_mask_buffers:
        P = cfg["n_positions"]
        mask = torch.tril(torch.ones(P, P, dtype=torch.float32)).reshape(1, 1, P, P)
        for l in range(cfg["n_layer"]):
            out[f"transformer.h.{l}.attn.bias"] = mask.clone()
    return out


def bert_config(vocab_size, arch="BertForMaskedLM", dtype="float32", C=64, H=4, L=2, F=256, P=64):
    return {
        "architectures": [arch], "attention_probs_dropout_prob": 0.1, "classifier_dropout": None,
        "hidden_act": "gelu", "hidden_dropout_prob": 0.1, "hidden_size": C, "initializer_range": 0.02,
        "intermediate_size": F, "layer_norm_eps": 1e-12, "max_position_embeddings": P, "model_type": "bert",
        "num_attention_heads": H, "num_hidden_layers": L, "pad_token_id": 0,
        "position_embedding_type": "absolute", "torch_dtype": dtype, "transformers_version": "4.40.0",
        "type_vocab_size": 2, "use_cache": True, "vocab_size": vocab_size,
    }


def bert_weights(cfg, seed):
    """BertModel-named float32 tensors (Linear weights [out, in]) + pooler + MLM head `cls.predictions.*`."""
    g = torch.Generator().manual_seed(seed)
    s, C, V = BERT_SCALES, cfg["hidden_size"], cfg["vocab_size"]
    P, F = cfg["max_position_embeddings"], cfg["intermediate_size"]
    e = "embeddings."
    sd = {e + "word_embeddings.weight": _rand(g, [V, C], s["word"]),
          e + "position_embeddings.weight": _rand(g, [P, C], s["pos"]),
          e + "token_type_embeddings.weight": _rand(g, [cfg["type_vocab_size"], C], s["type"])}
    sd.update(_ln(g, e + "LayerNorm", C, s))
    for l in range(cfg["num_hidden_layers"]):
        h = f"encoder.layer.{l}."
        for n, std in [("query", s["qk"]), ("key", s["qk"]), ("value", s["v"])]:
            sd[f"{h}attention.self.{n}.weight"] = _rand(g, [C, C], std)
            sd[f"{h}attention.self.{n}.bias"] = _rand(g, [C], s["bias"])
        sd[h + "attention.output.dense.weight"] = _rand(g, [C, C], s["o"])
        sd[h + "attention.output.dense.bias"] = _rand(g, [C], s["bias"])
        sd.update(_ln(g, h + "attention.output.LayerNorm", C, s))
        sd[h + "intermediate.dense.weight"] = _rand(g, [F, C], s["fc"])
        sd[h + "intermediate.dense.bias"] = _rand(g, [F], s["bias"])
        sd[h + "output.dense.weight"] = _rand(g, [C, F], s["proj"])
        sd[h + "output.dense.bias"] = _rand(g, [C], s["bias"])
        sd.update(_ln(g, h + "output.LayerNorm", C, s))
    sd["pooler.dense.weight"] = _rand(g, [C, C], s["pool"])
    sd["pooler.dense.bias"] = _rand(g, [C], s["bias"])
    t = "cls.predictions.transform."
    sd[t + "dense.weight"] = _rand(g, [C, C], s["head"])
    sd[t + "dense.bias"] = _rand(g, [C], s["bias"])
    sd.update(_ln(g, t + "LayerNorm", C, s))
    sd["cls.predictions.bias"] = _rand(g, [V], s["bias"])
    return sd


def bert_mlm_names(sd):
    """BertForMaskedLM naming: `bert.` prefix on the encoder, no pooler, `cls.predictions.*` kept,
    tied `cls.predictions.decoder.weight` omitted."""
    return {(k if k.startswith("cls.") else "bert." + k): v for k, v in sd.items() if not k.startswith("pooler.")}


def bert_base_names(sd, cfg, legacy=False):
    """BertModel naming: no prefix, pooler kept, MLM head dropped, plus the I64 buffer
    `embeddings.position_ids` [1, max_pos]; legacy=True renames LayerNorm weight/bias to gamma/beta."""
    out = {}
    for k, v in sd.items():
        if k.startswith("cls."):
            continue
        if legacy and ".LayerNorm." in k:
            k = k.replace(".LayerNorm.weight", ".LayerNorm.gamma").replace(".LayerNorm.bias", ".LayerNorm.beta")
        out[k] = v
    out["embeddings.position_ids"] = torch.arange(cfg["max_position_embeddings"], dtype=torch.int64)[None]
    return out


def canonical(stored: dict) -> dict:
    """Undo the checkpoint flavours (independently of src/): strip `transformer.`/`bert.`, map gamma/beta,
    drop buffers (attn.bias, position_ids) and the unused pooler; returns float32 tensors."""
    out = {}
    for k, v in stored.items():
        for prefix in ("transformer.", "bert."):
            if k.startswith(prefix):
                k = k[len(prefix):]
        k = k.replace(".LayerNorm.gamma", ".LayerNorm.weight").replace(".LayerNorm.beta", ".LayerNorm.bias")
        if k.endswith(".attn.bias") or k.endswith("position_ids") or k.startswith("pooler."):
            continue
        out[k] = v.float()
    return out
