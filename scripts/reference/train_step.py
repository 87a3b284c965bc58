# One GPT-2 training step (two, in fact) in plain PyTorch, independent of src/: writes the fixture that
# test/train/pytorch-step.test.ts checks attn's trainer against, and times PyTorch for bench/train-step.ts.
# Float64 autograd, torch.optim.AdamW, torch.nn.utils.clip_grad_norm_, a warm-up + cosine schedule.
# Usage: /usr/bin/python3 scripts/reference/train_step.py [--check] [--out DIR]
#        /usr/bin/python3 scripts/reference/train_step.py --bench C L H T B V STEPS THREADS
import argparse
import filecmp
import json
import math
import sys
import tempfile
import time
from pathlib import Path

import torch
import torch.nn.functional as F

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.dont_write_bytecode = True
import checkpoints as ck  # noqa: E402
import st_io  # noqa: E402
from reference_models import gpt2_forward  # noqa: E402

REPO = HERE.parent.parent
OUT = REPO / "test" / "fixtures" / "train" / "gpt2-step"
SIZE = dict(V=64, P=32, C=32, H=2, L=2)
B, T = 2, 16
SEED_WEIGHTS, SEED_BATCH = 20240603, 11
SCHEDULE = {"lr": 3e-3, "min_lr": 3e-4, "warmup_steps": 4, "total_steps": 20}
ADAMW = {"beta1": 0.9, "beta2": 0.95, "eps": 1e-8, "weight_decay": 0.1}
CLIP = 1.0
IGNORE = -100
# Linear-layer weight matrices decay; biases, LayerNorm, wte (= tied head) and wpe do not.
DECAY_SUFFIXES = ("attn.c_attn.weight", "attn.c_proj.weight", "mlp.c_fc.weight", "mlp.c_proj.weight")


def learning_rate(step):
    """Linear warm-up to lr over warmup_steps (step+1)/warmup, then cosine down to min_lr at total_steps."""
    s = SCHEDULE
    if step < s["warmup_steps"]:
        return s["lr"] * (step + 1) / s["warmup_steps"]
    if step >= s["total_steps"]:
        return s["min_lr"]
    progress = (step - s["warmup_steps"]) / max(1, s["total_steps"] - s["warmup_steps"])
    return s["min_lr"] + 0.5 * (s["lr"] - s["min_lr"]) * (1 + math.cos(math.pi * progress))


def gelu_tanh(x):
    return 0.5 * x * (1.0 + torch.tanh(math.sqrt(2.0 / math.pi) * (x + 0.044715 * x**3)))


def gpt2_logits(sd, cfg, ids):
    """Batched GPT-2 forward. sd: GPT2Model names, Conv1D weights [in, out]; ids [B, T] → logits [B, T, V]."""
    Bn, Tn = ids.shape
    C, H, eps = cfg["n_embd"], cfg["n_head"], cfg["layer_norm_epsilon"]
    D = C // H
    x = sd["wte.weight"][ids] + sd["wpe.weight"][:Tn]  # [B, T, C]
    future = torch.triu(torch.ones(Tn, Tn, dtype=torch.bool), diagonal=1)
    for l in range(cfg["n_layer"]):
        h = f"h.{l}."
        a = F.layer_norm(x, (C,), sd[h + "ln_1.weight"], sd[h + "ln_1.bias"], eps)
        q, k, v = (a @ sd[h + "attn.c_attn.weight"] + sd[h + "attn.c_attn.bias"]).split(C, dim=-1)
        q, k, v = (t.reshape(Bn, Tn, H, D).transpose(1, 2) for t in (q, k, v))  # [B, H, T, D]
        att = ((q @ k.transpose(-2, -1)) / math.sqrt(D)).masked_fill(future, float("-inf")).softmax(-1)  # [B, H, T, S]
        z = (att @ v).transpose(1, 2).reshape(Bn, Tn, C)
        x = x + z @ sd[h + "attn.c_proj.weight"] + sd[h + "attn.c_proj.bias"]
        m = F.layer_norm(x, (C,), sd[h + "ln_2.weight"], sd[h + "ln_2.bias"], eps)
        x = x + gelu_tanh(m @ sd[h + "mlp.c_fc.weight"] + sd[h + "mlp.c_fc.bias"]) @ sd[h + "mlp.c_proj.weight"] + sd[h + "mlp.c_proj.bias"]
    x = F.layer_norm(x, (C,), sd["ln_f.weight"], sd["ln_f.bias"], eps)
    return x @ sd["wte.weight"].t()  # tied LM head


def make_optimizer(params):
    decay = [p for n, p in params.items() if n.endswith(DECAY_SUFFIXES)]
    other = [p for n, p in params.items() if not n.endswith(DECAY_SUFFIXES)]
    return torch.optim.AdamW([{"params": decay, "weight_decay": ADAMW["weight_decay"]}, {"params": other, "weight_decay": 0.0}],
                             lr=learning_rate(0), betas=(ADAMW["beta1"], ADAMW["beta2"]), eps=ADAMW["eps"])


def train_step(params, cfg, opt, ids, targets, step):
    """forward → loss → backward → clip → AdamW at the schedule's lr. Returns loss, norm, lr, logits, grads."""
    opt.zero_grad(set_to_none=True)
    logits = gpt2_logits(params, cfg, ids)
    loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1), ignore_index=IGNORE)
    loss.backward()
    grads = {n: p.grad.detach().clone() for n, p in params.items()}
    norm = torch.nn.utils.clip_grad_norm_(list(params.values()), CLIP).item()
    lr = learning_rate(step)
    for g in opt.param_groups:
        g["lr"] = lr
    opt.step()
    return loss.item(), norm, lr, logits.detach(), grads


def make_fixture(out):
    torch.set_num_threads(1)
    cfg = ck.gpt2_config(SIZE["V"], SIZE["V"] - 1, C=SIZE["C"], H=SIZE["H"], L=SIZE["L"], P=SIZE["P"])
    cfg["tie_word_embeddings"] = True
    init = ck.gpt2_weights(cfg, SEED_WEIGHTS)  # float32, peaked attention (see checkpoints.py)
    out.mkdir(parents=True, exist_ok=True)
    (out / "config.json").write_text(json.dumps(cfg, indent=2) + "\n")
    st_io.save(out / "model.safetensors", init, {"format": "pt"})
    params = {n: t.double().requires_grad_() for n, t in st_io.load(out / "model.safetensors").items()}

    g = torch.Generator().manual_seed(SEED_BATCH)
    batches = []
    for _ in range(2):
        seq = torch.randint(0, SIZE["V"], (B, T + 1), generator=g)
        ids, targets = seq[:, :-1].contiguous(), seq[:, 1:].clone()
        targets[1, 3] = IGNORE  # one position left out of the loss
        batches.append((ids, targets))

    # the batched forward must agree with the hook-recording reference forward (reference_models.py)
    with torch.no_grad():
        logits = gpt2_logits(params, cfg, batches[0][0])
        for b in range(B):
            ref = gpt2_forward({k: v.detach() for k, v in params.items()}, cfg, batches[0][0][b].tolist())["logits"]
            assert (logits[b] - ref).abs().max().item() < 1e-12, "batched forward disagrees with reference_models.gpt2_forward"

    opt = make_optimizer(params)
    expected, steps = {}, []
    for step, (ids, targets) in enumerate(batches):
        loss, norm, lr, logits, grads = train_step(params, cfg, opt, ids, targets, step)
        assert norm > CLIP, f"step {step}: gradient norm {norm} does not reach the clip threshold; the check would not cover clipping"
        if step == 0:
            expected["logits1"] = logits.reshape(B * T, -1).float()
            expected.update({f"grad1.{n}": t.float() for n, t in grads.items()})
        expected.update({f"step{step + 1}.{n}": p.detach().float() for n, p in params.items()})
        steps.append({"ids": ids.tolist(), "targets": targets.tolist(), "loss": loss, "grad_norm": norm, "lr": lr})
    st_io.save(out / "expected.safetensors", expected, {"format": "pt"})
    case = {
        "note": "Two AdamW steps of GPT-2 (float64 PyTorch 1.13) from model.safetensors; see scripts/reference/README.md",
        "B": B, "T": T, "ignore_index": IGNORE, "clip_norm": CLIP, "adamw": ADAMW, "schedule": SCHEDULE,
        "decay": sorted(n for n in params if n.endswith(DECAY_SUFFIXES)), "steps": steps,
        "schedule_table": [[s, learning_rate(s)] for s in range(SCHEDULE["total_steps"] + 3)],
        "torch_version": torch.__version__,
    }
    (out / "case.json").write_text(json.dumps(case, indent=2) + "\n")
    print(f"wrote {out}: losses {[round(s['loss'], 6) for s in steps]}, grad norms {[round(s['grad_norm'], 4) for s in steps]}")


def bench(C, L, H, Tn, Bn, V, steps, threads):
    """Times AdamW training steps of a float32 GPT-2 (random ids); prints one JSON line."""
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    cfg = {"n_embd": C, "n_head": H, "n_layer": L, "layer_norm_epsilon": 1e-5}
    std = {"c_proj.weight": 0.02 / math.sqrt(2 * L)}
    params = {"wte.weight": torch.randn(V, C) * 0.02, "wpe.weight": torch.randn(Tn, C) * 0.02,
              "ln_f.weight": torch.ones(C), "ln_f.bias": torch.zeros(C)}
    for l in range(L):
        h = f"h.{l}."
        for n, shape in [("attn.c_attn", (C, 3 * C)), ("attn.c_proj", (C, C)), ("mlp.c_fc", (C, 4 * C)), ("mlp.c_proj", (4 * C, C))]:
            params[h + n + ".weight"] = torch.randn(*shape) * std.get(n.split(".")[1] + ".weight", 0.02)
            params[h + n + ".bias"] = torch.zeros(shape[1])
        for n in ("ln_1", "ln_2"):
            params[h + n + ".weight"], params[h + n + ".bias"] = torch.ones(C), torch.zeros(C)
    params = {n: p.requires_grad_() for n, p in params.items()}
    opt = make_optimizer(params)
    ids = torch.randint(0, V, (Bn, Tn + 1))
    times = []
    for step in range(steps + 1):  # the first step warms up and is not counted
        t0 = time.perf_counter()
        train_step(params, cfg, opt, ids[:, :-1], ids[:, 1:], 0)
        times.append(time.perf_counter() - t0)
    times = sorted(times[1:])
    med = times[len(times) // 2]
    print(json.dumps({"threads": threads, "ms_per_step": med * 1000, "tokens_per_s": Bn * Tn / med, "torch": torch.__version__}))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--check", action="store_true", help="regenerate into a temp dir and fail if any byte differs")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--bench", nargs=8, type=int, metavar=("C", "L", "H", "T", "B", "V", "STEPS", "THREADS"))
    a = ap.parse_args()
    if a.bench:
        bench(*a.bench)
    elif a.check:
        with tempfile.TemporaryDirectory() as tmp:
            make_fixture(Path(tmp))
            names = sorted(p.name for p in a.out.iterdir())
            match, mismatch, errors = filecmp.cmpfiles(a.out, tmp, names, shallow=False)
            if mismatch or errors or names != sorted(p.name for p in Path(tmp).iterdir()):
                sys.exit(f"fixture differs from a fresh generation: {mismatch + errors}")
            print(f"--check: {len(match)} files identical")
    else:
        make_fixture(a.out)


if __name__ == "__main__":
    main()
