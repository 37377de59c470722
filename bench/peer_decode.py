#!/usr/bin/python3
"""Python eager-PyTorch peer of `aha bench sample`: batched greedy decoding of a Llama-family
model with a KV cache, the same shapes as an aha preset, random weights.

The model is written the way Meta's reference Llama (`llama/model.py`) writes it in eager
PyTorch: separate q/k/v projections, a KV cache preallocated per layer and written by slice
assignment (`cache_k[:, :, start:start + T] = k`), grouped kv heads repeated to the query heads
(`repeat_kv`), attention as matmul + softmax + matmul (torch 1.13 has no
scaled_dot_product_attention), a causal mask only when more than one position is new, and
HuggingFace's "rotate_half" rotary convention (the one aha uses, so both sides do the same
arithmetic). `--kv-cache cat` switches to HuggingFace's older DynamicCache habit of growing the
cache with torch.cat every step, for comparison. Everything runs under torch.no_grad().

One run: B random prompts of P tokens are prefilled (timed apart), then N greedy decode steps
(argmax of the last logits fed back) are timed; decode tokens/s = B * N / decode seconds. A
warm-up run comes first, then --repeats timed runs; the best and the median are reported.

Usage (Debian's python3-torch 1.13.1 with libopenblas0-openmp):

    /usr/bin/python3 bench/peer_decode.py --preset micro --batch 64 --new-tokens 128 \\
        --prompt-tokens 32 --threads 2

    /usr/bin/python3 bench/peer_decode.py --config shapes.json --batch 64 --threads 2

`--config` names a JSON file with the model shape in aha's ModelConfig field names
(vocabSize, hiddenSize, intermediateSize, numLayers, numHeads, numKvHeads, maxPositions,
ropeTheta, rmsNormEps, tieEmbeddings, qkvBias); `aha bench sample` writes one and passes it.
`--preset` knows the same presets as aha (tiny, nano, micro, small) for standalone runs.

The last line printed is one JSON object: tokens_per_s (best decode rate), tokens_per_s_median,
prefill_tokens_per_s, generate_tokens_per_s (B * N over prefill + decode, best run), decode_seconds, threads, torch_version, kv_cache and the shape used.
"""

import argparse
import json
import math
import statistics
import sys
import time

import torch
import torch.nn.functional as F

# The presets of aha.sampler.model.ModelConfig, for standalone runs.
PRESETS = {
    "tiny": dict(vocabSize=64, hiddenSize=16, intermediateSize=40, numLayers=2, numHeads=4,
                 numKvHeads=2, maxPositions=64, tieEmbeddings=False),
    "nano": dict(vocabSize=4096, hiddenSize=128, intermediateSize=352, numLayers=3, numHeads=4,
                 numKvHeads=2, maxPositions=512, tieEmbeddings=True),
    "micro": dict(vocabSize=4096, hiddenSize=256, intermediateSize=688, numLayers=6, numHeads=8,
                  numKvHeads=4, maxPositions=1024, tieEmbeddings=True),
    "small": dict(vocabSize=4096, hiddenSize=512, intermediateSize=1376, numLayers=8, numHeads=8,
                  numKvHeads=4, maxPositions=2048, tieEmbeddings=True),
}
DEFAULTS = dict(ropeTheta=10000.0, rmsNormEps=1e-5, qkvBias=False)


class RMSNorm(torch.nn.Module):
    def __init__(self, dim, eps):
        super().__init__()
        self.eps = eps
        self.weight = torch.nn.Parameter(torch.ones(dim))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


def repeat_kv(x, n_rep):
    """(B, nkv, T, hs) -> (B, nkv * n_rep, T, hs), as Meta's and HF's Llama do."""
    if n_rep == 1:
        return x
    b, nkv, t, hs = x.shape
    return x[:, :, None, :, :].expand(b, nkv, n_rep, t, hs).reshape(b, nkv * n_rep, t, hs)


class Attention(torch.nn.Module):
    def __init__(self, cfg):
        super().__init__()
        c = cfg["hiddenSize"]
        self.nh = cfg["numHeads"]
        self.nkv = cfg["numKvHeads"]
        self.hs = c // self.nh
        bias = cfg["qkvBias"]
        self.wq = torch.nn.Linear(c, self.nh * self.hs, bias=bias)
        self.wk = torch.nn.Linear(c, self.nkv * self.hs, bias=bias)
        self.wv = torch.nn.Linear(c, self.nkv * self.hs, bias=bias)
        self.wo = torch.nn.Linear(self.nh * self.hs, c, bias=False)
        self.cache_k = None
        self.cache_v = None

    def new_cache(self, batch, capacity, mode):
        if mode == "prealloc":
            shape = (batch, self.nkv, capacity, self.hs)
            self.cache_k = torch.zeros(shape)
            self.cache_v = torch.zeros(shape)
        else:
            self.cache_k = None
            self.cache_v = None

    def forward(self, x, start, cos, sin, mask, mode):
        b, t, _ = x.shape
        q = self.wq(x).view(b, t, self.nh, self.hs).transpose(1, 2)  # (B, nh, T, hs)
        k = self.wk(x).view(b, t, self.nkv, self.hs).transpose(1, 2)  # (B, nkv, T, hs)
        v = self.wv(x).view(b, t, self.nkv, self.hs).transpose(1, 2)  # (B, nkv, T, hs)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        if mode == "none":  # training (bench/peer_train.py): no cache, keys are this call's
            keys, values = k, v
        elif mode == "prealloc":
            self.cache_k[:, :, start:start + t] = k
            self.cache_v[:, :, start:start + t] = v
            keys = self.cache_k[:, :, :start + t]
            values = self.cache_v[:, :, :start + t]
        else:
            if self.cache_k is None:
                self.cache_k, self.cache_v = k, v
            else:
                self.cache_k = torch.cat([self.cache_k, k], dim=2)
                self.cache_v = torch.cat([self.cache_v, v], dim=2)
            keys, values = self.cache_k, self.cache_v
        keys = repeat_kv(keys, self.nh // self.nkv)  # (B, nh, Tkv, hs)
        values = repeat_kv(values, self.nh // self.nkv)  # (B, nh, Tkv, hs)
        scores = torch.matmul(q, keys.transpose(2, 3)) / math.sqrt(self.hs)  # (B, nh, T, Tkv)
        if mask is not None:
            scores = scores + mask
        weights = F.softmax(scores.float(), dim=-1).type_as(q)
        y = torch.matmul(weights, values)  # (B, nh, T, hs)
        y = y.transpose(1, 2).contiguous().view(b, t, -1)
        return self.wo(y)


class FeedForward(torch.nn.Module):
    def __init__(self, cfg):
        super().__init__()
        c, inter = cfg["hiddenSize"], cfg["intermediateSize"]
        self.w1 = torch.nn.Linear(c, inter, bias=False)  # gate
        self.w3 = torch.nn.Linear(c, inter, bias=False)  # up
        self.w2 = torch.nn.Linear(inter, c, bias=False)  # down

    def forward(self, x):
        return self.w2(F.silu(self.w1(x)) * self.w3(x))


class Block(torch.nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.attention_norm = RMSNorm(cfg["hiddenSize"], cfg["rmsNormEps"])
        self.attention = Attention(cfg)
        self.ffn_norm = RMSNorm(cfg["hiddenSize"], cfg["rmsNormEps"])
        self.feed_forward = FeedForward(cfg)

    def forward(self, x, start, cos, sin, mask, mode):
        h = x + self.attention(self.attention_norm(x), start, cos, sin, mask, mode)
        return h + self.feed_forward(self.ffn_norm(h))


class Llama(torch.nn.Module):
    def __init__(self, cfg):
        super().__init__()
        c = cfg["hiddenSize"]
        self.tok_embeddings = torch.nn.Embedding(cfg["vocabSize"], c)
        self.layers = torch.nn.ModuleList(Block(cfg) for _ in range(cfg["numLayers"]))
        self.norm = RMSNorm(c, cfg["rmsNormEps"])
        self.output = torch.nn.Linear(c, cfg["vocabSize"], bias=False)
        if cfg["tieEmbeddings"]:
            self.output.weight = self.tok_embeddings.weight
        hs = c // cfg["numHeads"]
        inv_freq = 1.0 / (cfg["ropeTheta"] ** (torch.arange(0, hs, 2, dtype=torch.float64) / hs))
        angles = torch.outer(torch.arange(cfg["maxPositions"], dtype=torch.float64), inv_freq)
        angles = torch.cat((angles, angles), dim=-1)  # (Tmax, hs), rotate_half layout
        self.cos = angles.cos().float()
        self.sin = angles.sin().float()

    def new_cache(self, batch, capacity, mode):
        for layer in self.layers:
            layer.attention.new_cache(batch, capacity, mode)

    def forward(self, tokens, start, mode):
        t = tokens.shape[1]
        x = self.tok_embeddings(tokens)
        cos = self.cos[start:start + t]
        sin = self.sin[start:start + t]
        mask = None
        if t > 1:
            mask = torch.full((t, t), float("-inf")).triu(1)
            mask = torch.hstack([torch.zeros((t, start)), mask])
        for layer in self.layers:
            x = layer(x, start, cos, sin, mask, mode)
        return self.output(self.norm(x[:, -1, :]))  # (B, V): only the last position is needed


def generate(model, prompts, new_tokens, mode):
    """Prefill then greedy decode; returns (prefill seconds, decode seconds, tokens (B, N))."""
    b, p = prompts.shape
    model.new_cache(b, p + new_tokens, mode)
    out = torch.empty((b, new_tokens), dtype=torch.long)
    began = time.perf_counter()
    logits = model(prompts, 0, mode)
    next_token = torch.argmax(logits, dim=-1)
    out[:, 0] = next_token
    prefilled = time.perf_counter()
    for i in range(1, new_tokens):
        logits = model(next_token[:, None], p + i - 1, mode)
        next_token = torch.argmax(logits, dim=-1)
        out[:, i] = next_token
    finished = time.perf_counter()
    return prefilled - began, finished - prefilled, out


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    shape = parser.add_mutually_exclusive_group(required=True)
    shape.add_argument("--preset", choices=sorted(PRESETS))
    shape.add_argument("--config", help="JSON file with the model shape (aha field names)")
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--new-tokens", type=int, default=128)
    parser.add_argument("--prompt-tokens", type=int, default=32)
    parser.add_argument("--threads", type=int, default=torch.get_num_threads())
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--kv-cache", choices=["prealloc", "cat"], default="prealloc")
    args = parser.parse_args()
    if args.batch < 1 or args.new_tokens < 2 or args.prompt_tokens < 1 or args.repeats < 1:
        parser.error("--batch, --prompt-tokens and --repeats must be >= 1, --new-tokens >= 2")

    cfg = dict(DEFAULTS)
    if args.preset:
        cfg.update(PRESETS[args.preset])
    else:
        with open(args.config) as f:
            cfg.update(json.load(f))
    if args.prompt_tokens + args.new_tokens > cfg["maxPositions"]:
        parser.error(f"prompt + new tokens exceed maxPositions {cfg['maxPositions']}")

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    model = Llama(cfg).eval()
    with torch.no_grad():
        for p in model.parameters():
            p.normal_(0.0, 0.02)
        for name, p in model.named_parameters():
            if name.endswith("norm.weight"):
                p.fill_(1.0)
        prompts = torch.randint(0, cfg["vocabSize"], (args.batch, args.prompt_tokens))
        generate(model, prompts, args.new_tokens, args.kv_cache)  # warm-up
        runs = [generate(model, prompts, args.new_tokens, args.kv_cache)
                for _ in range(args.repeats)]

    decoded = args.batch * (args.new_tokens - 1)  # the first new token comes from the prefill
    rates = [decoded / r[1] for r in runs]
    best = max(range(len(runs)), key=lambda i: rates[i])
    result = {
        "tokens_per_s": rates[best],
        "tokens_per_s_median": statistics.median(rates),
        "tokens_per_s_all": rates,
        "prefill_tokens_per_s": args.batch * args.prompt_tokens / runs[best][0],
        "generate_tokens_per_s": max(args.batch * args.new_tokens / (r[0] + r[1]) for r in runs),
        "decode_seconds": runs[best][1],
        "decode_steps": args.new_tokens - 1,
        "batch": args.batch,
        "prompt_tokens": args.prompt_tokens,
        "threads": torch.get_num_threads(),
        "kv_cache": args.kv_cache,
        "torch_version": torch.__version__,
        "config": cfg,
    }
    print(f"python eager decode: batch {args.batch}, {args.new_tokens - 1} steps after a "
          f"{args.prompt_tokens}-token prefill, {torch.get_num_threads()} threads, "
          f"kv cache {args.kv_cache}: {rates[best]:,.0f} tokens/s (median "
          f"{statistics.median(rates):,.0f})", file=sys.stderr)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
