# Expected values for attn's built-in model (models/default, trained by `attn train`): the folder is read
# as Hugging Face GPT-2 files (config.json, GPT2LMHeadModel-named safetensors, Conv1D [in, out] layout),
# the texts are tokenized by the Rust `tokenizers` binding, and the independent float64 reference runs
# them. Writes test/fixtures/reference/default/ (source.json names the model folder); the parity test
# checks attn against it. Rerun after retraining the model:
#   /usr/bin/python3 scripts/reference/default_model.py
import json
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.dont_write_bytecode = True
import checkpoints as ck  # noqa: E402
import crosscheck  # noqa: E402
import st_io  # noqa: E402
from make_fixtures import SEED_TEXT, SECOND_TEXT, TOLERANCE, dump_json, fp32_gap, hf_encode, run_reference  # noqa: E402

REPO = HERE.parent.parent
MODEL = Path("models") / "default"
CASES = {"seed": SEED_TEXT, "second": SECOND_TEXT}


def main():
    import argparse
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", default=str(MODEL), help="model folder, relative to the repository (default models/default)")
    ap.add_argument("--out", default=str(REPO / "test" / "fixtures" / "reference" / "default"))
    args = ap.parse_args()
    folder = REPO / args.model
    cfg = json.loads((folder / "config.json").read_text())
    sd = ck.canonical(st_io.load(folder / "model.safetensors"))
    out = Path(args.out)
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    dump_json(out / "source.json", {"model": args.model, "note": "the reference cases in this folder are for this model folder"})
    encoded = hf_encode([{"tokenizer": str(folder / "tokenizer.json"), "text": t} for t in CASES.values()])
    for (case, text), enc in zip(CASES.items(), encoded):
        ids = enc["ids"]
        hooks = run_reference(cfg, sd, ids, [0] * len(ids))
        crosscheck.gpt2(sd, cfg, hooks)
        gap = fp32_gap(cfg, sd, ids, [0] * len(ids), hooks)
        # the per-head weight hooks (W_Q, …) are the stored weights reshaped; left out for size
        kept = {k: v for k, v in hooks.items() if not k.split(".")[-1].startswith(("W_", "b_"))}
        st_io.save(out / f"{case}.safetensors", {k: v.float().contiguous() for k, v in kept.items()})
        dump_json(out / f"{case}.json", {
            "text": text, "input_ids": ids, "token_type_ids": [0] * len(ids), "tokens": enc["tokens"],
            "tolerance": TOLERANCE, "complete": True, "weights": False,
            "note": f"models/default read as a Hugging Face GPT-2 folder; float64 reference from the stored weights "
                    f"(a float32 run lands {gap:.2g} away). hook_attn_scores holds -Infinity where key > query.",
        })
        print(f"{case}: {len(ids)} tokens, float32 gap {gap:.2g}")


if __name__ == "__main__":
    main()
