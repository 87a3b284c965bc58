# Regenerates every committed fixture: tiny model folders (test/fixtures/models/) and the expected hook
# values (test/fixtures/reference/). Deterministic. Usage: /usr/bin/python3 scripts/reference/make_fixtures.py [--check]
import argparse
import filecmp
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import torch

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.dont_write_bytecode = True  # no __pycache__ beside the scripts
import checkpoints as ck  # noqa: E402
import crosscheck  # noqa: E402
import st_io  # noqa: E402
from reference_models import bert_forward, gpt2_forward  # noqa: E402
from tiny_tokenizers import CORPUS, SPECIALS, ByteBPE, WordPiece, train_bpe  # noqa: E402

REPO = HERE.parent.parent
TOLERANCE = 1e-4
SEED_TEXT = "He sat on the river's bank"
SECOND_TEXT = "She deposited the cheque at the bank"
# Extra strings for the Python-vs-Rust tokenizer comparison (spaces, digits, punctuation, accents).
EXTRA_TEXTS = [CORPUS, "  Two  spaces,\nnewline\tand tab ", "It's 2024: café, naïve résumé!!", "x" * 120,
               "The bank's cheques? 12.5% of 'money'...", "ÉCOLE Über straße 東京",
               "<|endoftext|>He sat<|endoftext|>"]
GPT2_ONE_CANDIDATES = ["The", "He", "the", "bank"]
ST_META = {"format": "pt"}
PRIMARY_CASES = ("seed", "second", "long", "one")  # gpt2-tiny, bert-tiny
VARIANT_CASES = ("seed", "long")  # the other folders; ("seed",) alone would save about 7.5 MB


def dump_json(path, obj):
    path.write_text(json.dumps(obj, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def cast(sd, dtype):
    return {k: (v.to(dtype) if v.is_floating_point() else v) for k, v in sd.items()}


def build_models(root):
    """Writes every model folder; returns {name: (config, {file name: tensors})} and the two tokenizers."""
    bpe = ByteBPE(train_bpe(CORPUS, max_merges=300))
    wp = WordPiece(CORPUS)
    gcfg = ck.gpt2_config(len(bpe.vocab), bpe.eot_id)
    gsd = ck.gpt2_weights(gcfg, seed=20240601)
    bcfg = ck.bert_config(len(wp.vocab))
    bsd = ck.bert_weights(bcfg, seed=20240602)
    P = gcfg["n_positions"]
    gpt2_lm = ck.gpt2_lm_names(gsd, gcfg, with_mask_buffers=False)
    half = [k for k in gpt2_lm if ".h.1." in k or ".ln_f." in k]  # second shard: last block + ln_f
    folders = {
        "gpt2-tiny": (gcfg, {"model.safetensors": ck.gpt2_lm_names(gsd, gcfg, with_mask_buffers=True)}),
        "gpt2-tiny-base": ({**gcfg, "architectures": ["GPT2Model"]}, {"model.safetensors": gsd}),
        "gpt2-tiny-f16": ({**gcfg, "torch_dtype": "float16"}, {"model.safetensors": cast(gpt2_lm, torch.float16)}),
        "gpt2-tiny-bf16": ({**gcfg, "torch_dtype": "bfloat16"},
                           {"model.safetensors": cast(gpt2_lm, torch.bfloat16)}),
        "gpt2-tiny-sharded": (gcfg, {
            "model-00001-of-00002.safetensors": {k: v for k, v in gpt2_lm.items() if k not in half},
            "model-00002-of-00002.safetensors": {k: gpt2_lm[k] for k in half}}),
        "bert-tiny": (bcfg, {"model.safetensors": ck.bert_mlm_names(bsd)}),
        "bert-tiny-base": ({**bcfg, "architectures": ["BertModel"]},
                           {"model.safetensors": ck.bert_base_names(bsd, bcfg)}),
        "bert-tiny-legacy": ({**bcfg, "architectures": ["BertModel"], "torch_dtype": "float16"},
                             {"model.safetensors": cast(ck.bert_base_names(bsd, bcfg, legacy=True), torch.float16)}),
    }
    for name, (cfg, files) in folders.items():
        d = root / "models" / name
        d.mkdir(parents=True)
        tok = bpe if cfg["model_type"] == "gpt2" else wp
        dump_json(d / "config.json", cfg)
        dump_json(d / "tokenizer.json", tok.tokenizer_json())
        dump_json(d / "tokenizer_config.json", tok.tokenizer_config(P))
        total, weight_map = 0, {}
        for fname, tensors in files.items():
            total += st_io.save(d / fname, tensors, ST_META)
            weight_map.update({k: fname for k in tensors})
        if len(files) > 1:
            dump_json(d / "model.safetensors.index.json",
                      {"metadata": {"total_size": total}, "weight_map": dict(sorted(weight_map.items()))})
    return folders, bpe, wp


def make_cases(name, cfg, bpe, wp):
    """The cases for one folder: {case: (text | None, ids, token_type_ids)}. Every case file stores every
    hook, the output and the per-head weights (test/parity.test.ts requires all of them)."""
    primary = name in ("gpt2-tiny", "bert-tiny")
    g = torch.Generator().manual_seed(7 if cfg["model_type"] == "gpt2" else 8)
    if cfg["model_type"] == "gpt2":
        T, V = cfg["n_positions"], cfg["vocab_size"]
        enc = bpe.encode
        one = next(t for t in GPT2_ONE_CANDIDATES if len(enc(t)) == 1)
        long_ids = torch.randint(0, V, (T,), generator=g).tolist()
        cases = {"seed": (SEED_TEXT, enc(SEED_TEXT), None), "second": (SECOND_TEXT, enc(SECOND_TEXT), None),
                 "long": (None, long_ids, [0] * T), "one": (one, enc(one), None)}
    else:
        T, V = cfg["max_position_embeddings"], cfg["vocab_size"]
        cls, sep, first = wp.vocab["[CLS]"], wp.vocab["[SEP]"], len(SPECIALS)
        long_ids = [cls] + torch.randint(first, V, (T - 2,), generator=g).tolist() + [sep]
        cases = {"seed": (SEED_TEXT, wp.encode(SEED_TEXT), None), "second": (SECOND_TEXT, wp.encode(SECOND_TEXT), None),
                 "long": (None, long_ids, [0] * (T // 2) + [1] * (T - T // 2)), "one": (None, [cls], [0])}
    keep = PRIMARY_CASES if primary else VARIANT_CASES
    out = {}
    for c in keep:
        text, ids, tt = cases[c]
        out[c] = (text, ids, tt if tt is not None else [0] * len(ids))
    return out


def hf_encode(requests):
    """Encode with the Rust `tokenizers` binding via encode_with_hf.mjs; fails loudly if node cannot."""
    proc = subprocess.run(["node", str(HERE / "encode_with_hf.mjs")], input=json.dumps(requests),
                          capture_output=True, text=True, cwd=REPO)
    if proc.returncode != 0:
        raise RuntimeError(f"encode_with_hf.mjs failed:\n{proc.stderr}")
    return json.loads(proc.stdout)


def check_tokenizers(root, folders, bpe, wp, all_cases):
    """Python encoders must match the Rust binding (ids and token strings) on every tokenized case
    and on EXTRA_TEXTS."""
    reqs, expected = [], []
    for name, (cfg, _) in folders.items():
        tok = bpe if cfg["model_type"] == "gpt2" else wp
        path = str(root / "models" / name / "tokenizer.json")
        texts = [c[0] for c in all_cases[name].values() if c[0] is not None] + EXTRA_TEXTS
        for t in texts:
            reqs.append({"tokenizer": path, "text": t})
            expected.append((name, t, tok.encode(t), token_strings(tok, tok.encode(t))))
    results = hf_encode(reqs)
    assert len(results) == len(expected)
    for (name, text, ids, toks), got in zip(expected, results):
        if got["ids"] != ids or got["tokens"] != toks:
            raise AssertionError(f"{name}: Python {ids} {toks} != Rust tokenizers {got['ids']} {got['tokens']} "
                                 f"for {text!r}")
    print(f"tokenizers: Python encoders match the Rust binding on {len(results)} encodings")


def token_strings(tok, ids):
    inv = {i: t for t, i in tok.vocab.items()}
    return [inv[i] for i in ids]


def run_reference(cfg, sd, ids, tt, mha=None, dtype=torch.float64):
    if cfg["model_type"] == "gpt2":
        return gpt2_forward(sd, cfg, ids, mha, dtype)
    return bert_forward(sd, cfg, ids, tt, mha, dtype)


def fp32_gap(cfg, sd, ids, tt, hooks):
    """How far a plain float32 run of the same reference lands from the float64 values (must be well inside
    TOLERANCE for the tolerance to be achievable); -inf must match exactly."""
    h32 = run_reference(cfg, sd, ids, tt, dtype=torch.float32)
    worst = 0.0
    for k, v in hooks.items():
        a, b = h32[k].double(), v.float().double()
        fin = torch.isfinite(b)
        assert torch.equal(fin, torch.isfinite(a)) and torch.equal(a[~fin], b[~fin]), k
        if fin.any():
            worst = max(worst, (a[fin] - b[fin]).abs().max().item())
    assert worst < TOLERANCE / 2, f"float32 run misses the float64 reference by {worst:.3g}"
    return worst


def build_references(root, folders, all_cases, bpe, wp):
    stats = {"mha_max_diff": {"float64": 0.0, "float32": 0.0}, "encoder_layer_max_diff": 0.0, "fp32_max_diff": 0.0,
             "max_abs_logits": {}, "mean_max_pattern": {}}
    for name, (cfg, files) in folders.items():
        stored = {}
        for fname in files:  # read back what was written, so the expectations use the stored (rounded) weights
            stored.update(st_io.load(root / "models" / name / fname))
        sd = ck.canonical(stored)
        d = root / "reference" / name
        d.mkdir(parents=True)
        for case, (text, ids, tt) in all_cases[name].items():
            mha = []
            hooks = run_reference(cfg, sd, ids, tt, mha)
            for m in mha:
                for k, v in m.items():
                    stats["mha_max_diff"][k] = max(stats["mha_max_diff"][k], v)
            if cfg["model_type"] == "gpt2":
                check = crosscheck.gpt2(sd, cfg, hooks)
            else:
                check = crosscheck.bert(sd, cfg, hooks, tt)
            stats["encoder_layer_max_diff"] = max(stats["encoder_layer_max_diff"], check)
            stats["fp32_max_diff"] = max(stats["fp32_max_diff"], fp32_gap(cfg, sd, ids, tt, hooks))
            out_name = "logits" if "logits" in hooks else "last_hidden_state"
            if out_name == "logits":
                m = hooks["logits"].abs().max().item()
                assert m < 20, f"{name}/{case}: |logits| reaches {m}"
                stats["max_abs_logits"][f"{name}/{case}"] = round(m, 3)
            pats = [v for k, v in hooks.items() if k.endswith("hook_pattern")]
            peak = torch.stack([p.max(-1).values.mean() for p in pats]).mean().item()
            stats["mean_max_pattern"][f"{name}/{case}"] = round(peak, 3)
            # Variant folders keep only the output and the patterns of their long case (size: a full long
            # case is ~1.3 MB); every other case holds every hook, and the parity test requires that.
            complete = name in ("gpt2-tiny", "bert-tiny") or case != "long"
            saved = {k: v for k, v in hooks.items() if complete or k == out_name or k.endswith("hook_pattern")}
            st_io.save(d / f"{case}.safetensors", {k: v.float().contiguous() for k, v in saved.items()})
            note = (f"{name}: expected values computed in float64 by scripts/reference from the stored "
                    f"{cfg['torch_dtype']} weights, saved as F32. Compare every tensor in the file by name.")
            if cfg["model_type"] == "gpt2":
                note += " hook_attn_scores holds -Infinity where key > query (causal mask); hook_dot is unmasked."
            else:
                note += " No padding: nothing is masked, token_type_ids as given."
            meta = {"text": text, "input_ids": ids, "token_type_ids": tt}
            if text is not None:
                meta["tokens"] = token_strings(bpe if cfg["model_type"] == "gpt2" else wp, ids)
            meta.update({"tolerance": TOLERANCE, "complete": complete, "note": note})
            dump_json(d / f"{case}.json", meta)
    return stats


def generate(root, hf_check=True):
    for sub in ("models", "reference"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    folders, bpe, wp = build_models(root)
    all_cases = {name: make_cases(name, cfg, bpe, wp) for name, (cfg, _) in folders.items()}
    if hf_check:
        check_tokenizers(root, folders, bpe, wp, all_cases)
    stats = build_references(root, folders, all_cases, bpe, wp)
    stats["vocab_sizes"] = {"gpt2": len(bpe.vocab), "bert": len(wp.vocab), "bpe_merges": len(bpe.merges)}
    stats["seed_ids"] = {"gpt2": bpe.encode(SEED_TEXT), "bert": wp.encode(SEED_TEXT)}
    return folders, stats


def same_tree(a: Path, b: Path) -> list:
    """Relative paths that differ (missing on either side, or different bytes)."""
    fa = {p.relative_to(a) for p in a.rglob("*") if p.is_file()}
    fb = {p.relative_to(b) for p in b.rglob("*") if p.is_file()}
    diff = sorted(str(p) for p in fa ^ fb)
    diff += sorted(str(p) for p in fa & fb if not filecmp.cmp(a / p, b / p, shallow=False))
    return diff


def main():
    ap = argparse.ArgumentParser(description="Regenerate the tiny model folders and reference hook values.")
    ap.add_argument("--out", type=Path, default=REPO / "test" / "fixtures", help="fixtures root")
    ap.add_argument("--check", action="store_true", help="regenerate into a temp dir and compare with --out")
    ap.add_argument("--no-hf-check", action="store_true", help="skip the Rust tokenizers comparison")
    args = ap.parse_args()
    torch.set_num_threads(1)  # bit-stable float64 reductions
    if args.check:
        with tempfile.TemporaryDirectory() as tmp:
            folders, _ = generate(Path(tmp), not args.no_hf_check)
            diffs = []
            for sub in ("models", "reference"):
                for name in folders:
                    diffs += [f"{sub}/{name}/{p}" for p in same_tree(Path(tmp) / sub / name, args.out / sub / name)]
        if diffs:
            sys.exit("fixtures differ from a fresh regeneration:\n  " + "\n  ".join(diffs))
        print("fixtures are up to date (byte-identical regeneration)")
        return
    for sub in ("models", "reference"):  # remove only the folders this script owns
        for name in ("gpt2-tiny", "gpt2-tiny-base", "gpt2-tiny-f16", "gpt2-tiny-bf16", "gpt2-tiny-sharded",
                     "bert-tiny", "bert-tiny-base", "bert-tiny-legacy"):
            shutil.rmtree(args.out / sub / name, ignore_errors=True)
    folders, stats = generate(args.out, not args.no_hf_check)
    print(json.dumps(stats, indent=1))


if __name__ == "__main__":
    main()
