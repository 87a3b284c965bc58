# PyTorch peer for attn's benchmark (bench/run.mjs): the same shapes as attn, written here from scratch
# (a plain GPT-2-small-shaped model with random weights, an attention core returning its probabilities).
#   torch_bench.py measure PLAN.json   → JSON figures on stdout (thread count from the plan)
#   torch_bench.py export DIR          → DIR/{gemm,attention,attention-causal,gpt2}.onnx for onnxruntime
# Run with /usr/bin/python3 and LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu/openblas-openmp (run.mjs does).
import json
import math
import os
import statistics
import sys
import time

import torch
import torch.nn.functional as F
from torch import nn

H, D, C, L, V, P = 12, 64, 768, 12, 50257, 1024


class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.ln_1, self.ln_2 = nn.LayerNorm(C), nn.LayerNorm(C)
        self.c_attn, self.c_proj = nn.Linear(C, 3 * C), nn.Linear(C, C)
        self.c_fc, self.mlp_proj = nn.Linear(C, 4 * C), nn.Linear(4 * C, C)

    def forward(self, x, mask):
        T = x.shape[0]
        q, k, v = self.c_attn(self.ln_1(x)).split(C, dim=-1)
        q, k, v = (t.view(T, H, D).transpose(0, 1) for t in (q, k, v))  # [H, T, D]
        scores = (q @ k.transpose(-1, -2)) * (1 / math.sqrt(D)) + mask  # [H, T, T]
        pattern = torch.softmax(scores, dim=-1)
        z = (pattern @ v).transpose(0, 1).reshape(T, C)
        x = x + self.c_proj(z)
        x = x + self.mlp_proj(F.gelu(self.c_fc(self.ln_2(x)), approximate='tanh'))
        return x, pattern


class Gpt2(nn.Module):
    """GPT-2 small's shape: returns the logits [T, V] and every layer's pattern [H, T, T]."""

    def __init__(self):
        super().__init__()
        self.wte, self.wpe = nn.Embedding(V, C), nn.Embedding(P, C)
        self.h = nn.ModuleList(Block() for _ in range(L))
        self.ln_f = nn.LayerNorm(C)
        self.register_buffer('causal', torch.full((P, P), float('-inf')).triu(1))
        for p in self.parameters():
            nn.init.normal_(p, std=0.02)

    def forward(self, ids):
        T = ids.shape[0]
        x = self.wte(ids) + self.wpe(torch.arange(T))
        mask = self.causal[:T, :T]
        patterns = []
        for b in self.h:
            x, p = b(x, mask)
            patterns.append(p)
        return (self.ln_f(x) @ self.wte.weight.T, *patterns)


class AttentionCore(nn.Module):
    """q, k, v [H, T, D] (+ additive mask [T, T]) → z [H, T, D] and the probabilities [H, T, T]."""

    def forward(self, q, k, v, mask=None):
        scores = (q @ k.transpose(-1, -2)) * (1 / math.sqrt(D))
        if mask is not None:
            scores = scores + mask
        p = torch.softmax(scores, dim=-1)
        return p @ v, p


class Linear(nn.Module):
    def __init__(self, w):
        super().__init__()
        self.w = nn.Parameter(w)

    def forward(self, a):
        return a @ self.w


def causal_mask(T):
    return torch.full((T, T), float('-inf')).triu(1)


def measure(fn, budget_s, min_reps=3, max_reps=30, big=False):
    fn()  # warm-up
    times = []
    start = time.perf_counter()
    while len(times) < min_reps or (len(times) < max_reps and time.perf_counter() - start < budget_s):
        if big:
            time.sleep(0.01)  # the untimed pause the Node peers take after results over 100 MiB
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return {'median_ms': statistics.median(times) * 1e3, 'min_ms': min(times) * 1e3, 'reps': len(times)}


def run(plan):
    n = plan['threads']
    torch.set_num_threads(n)
    budget = plan.get('budget_s', 1.5)
    out = {'peer': 'pytorch', 'version': torch.__version__, 'threads': torch.get_num_threads(),
           'blas': os.environ.get('LD_LIBRARY_PATH', 'default'), 'results': []}
    torch.manual_seed(0)
    with torch.inference_mode():
        if plan.get('gemm'):
            M, K, N = plan['gemm']
            a, w = torch.randn(M, K), torch.randn(K, N)
            r = measure(lambda: a @ w, budget)
            out['results'].append({'kind': 'gemm', 'shape': [M, K, N], **r, 'gflops': 2 * M * K * N / r['median_ms'] / 1e6})
        core = AttentionCore()
        for case in plan.get('attention', []):
            T, causal = case['T'], case['causal']
            q, k, v = (torch.randn(H, T, D) for _ in range(3))
            mask = causal_mask(T) if causal else None
            r = measure(lambda: core(q, k, v, mask), budget, min_reps=2, big=H * T * T * 4 > 100 * 2**20)
            out['results'].append({'kind': 'attention', 'T': T, 'causal': causal, **r})
        if plan.get('gpt2'):
            model = Gpt2().eval()
            for T in plan['gpt2']:
                ids = torch.arange(T) * 7919 % V
                r = measure(lambda: model(ids), budget, min_reps=2, big=L * H * T * T * 4 > 100 * 2**20)
                out['results'].append({'kind': 'gpt2', 'T': T, **r})
    return out


def export(folder):
    os.makedirs(folder, exist_ok=True)
    torch.manual_seed(0)
    T = 64
    q, k, v = (torch.randn(H, T, D) for _ in range(3))
    dyn = {n: {1: 'T'} for n in ('q', 'k', 'v', 'z')}
    torch.onnx.export(AttentionCore(), (q, k, v), f'{folder}/attention.onnx', input_names=['q', 'k', 'v'],
                      output_names=['z', 'p'], dynamic_axes={**dyn, 'p': {1: 'T', 2: 'T'}}, opset_version=14)
    torch.onnx.export(AttentionCore(), (q, k, v, causal_mask(T)), f'{folder}/attention-causal.onnx',
                      input_names=['q', 'k', 'v', 'mask'], output_names=['z', 'p'],
                      dynamic_axes={**dyn, 'mask': {0: 'T', 1: 'T'}, 'p': {1: 'T', 2: 'T'}}, opset_version=14)
    torch.onnx.export(Linear(torch.randn(768, 3072)), (torch.randn(768, 768),), f'{folder}/gemm.onnx',
                      input_names=['a'], output_names=['c'], opset_version=14)
    names = ['logits'] + [f'pattern{l}' for l in range(L)]
    torch.onnx.export(Gpt2().eval(), (torch.arange(T),), f'{folder}/gpt2.onnx', input_names=['ids'], output_names=names,
                      dynamic_axes={'ids': {0: 'T'}, 'logits': {0: 'T'}, **{n: {1: 'T', 2: 'T'} for n in names[1:]}},
                      opset_version=14)


if __name__ == '__main__':
    if sys.argv[1] == 'export':
        with torch.inference_mode():
            export(sys.argv[2])
        print(json.dumps({'exported': sys.argv[2]}))
    else:
        with open(sys.argv[2]) as f:
            print(json.dumps(run(json.load(f))))
