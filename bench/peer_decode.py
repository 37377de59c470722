#!/usr/bin/python3
"""Python eager-PyTorch peer of `aha bench sample`: batched greedy decoding of a Llama-family
model with a KV cache, the same shapes as an aha preset, random weights.

The peer is meant to be as fast as a careful PyTorch user would make eager code on this torch
(Debian's 1.13.1, no torch.compile, no scaled_dot_product_attention), so that aha's ratio to it
means something. It does aha's arithmetic (RMSNorm, rotary positions in HuggingFace's
rotate_half convention, grouped-query attention, SwiGLU, tied embeddings and q/k/v biases when
the config says so) the way aha lays it out:

- one fused q/k/v projection and one fused gate/up projection per layer;
- queries and keys rotated together; a decode step (one position, shared by every row) rotates
  them with one (hs, hs) matmul by diag(cos) + rotate_half diag(sin), built once per step from
  cos/sin tables computed once; a prefill uses the elementwise form with rotate_half as a
  constant signed-permutation matmul;
- a KV cache preallocated per layer and written in place at each step's slot (no torch.cat),
  keys stored transposed, (B, nkv, hs, Tcap), values (B, nkv, Tcap, hs);
- grouped heads never repeated: the g query heads of a kv head are one axis against its keys;
- decode-step attention as broadcast multiply + sum rather than matmul: at one query position
  torch 1.13's CPU bmm runs one small gemm per (row, kv head) in a serial loop; on micro the
  broadcast form took half its time or less alone and gave 7% (batch 16) and 30% (batch 64)
  more decode tokens/s; the prefill keeps matmul + softmax + matmul with a causal mask;
- everything under torch.inference_mode(), logits of the last position only, and the greedy
  token fed back as a (B, 1) tensor, never read into Python during the run.

`--kv-cache cat` instead grows the cache with torch.cat every step (HuggingFace's older
DynamicCache habit), for comparison. The child runs under tcmalloc when `aha` starts it (see
PythonPeer.java); set LD_PRELOAD yourself for standalone runs.

One run: B random prompts of P tokens are prefilled (timed apart), then N - 1 greedy decode steps
(argmax of the last logits fed back) are timed; decode tokens/s = B (N - 1) / decode seconds. A
warm-up run comes first, then --repeats timed runs; the best and the median are reported.

Usage (Debian's python3-torch 1.13.1 with libopenblas0-openmp):

    LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4 \\
    /usr/bin/python3 bench/peer_decode.py --preset micro --batch 64 --new-tokens 128 \\
        --prompt-tokens 32 --threads 2

    /usr/bin/python3 bench/peer_decode.py --config shapes.json --batch 64 --threads 2

`--config` names a JSON file with the model shape in aha's ModelConfig field names
(vocabSize, hiddenSize, intermediateSize, numLayers, numHeads, numKvHeads, maxPositions,
ropeTheta, rmsNormEps, tieEmbeddings, qkvBias); `aha bench sample` writes one and passes it.
`--preset` knows the same presets as aha (tiny, nano, micro, small) for standalone runs.

The last line printed is one JSON object: tokens_per_s (best decode rate), tokens_per_s_median,
tokens_per_s_all, prefill_tokens_per_s, generate_tokens_per_s (B N over prefill + decode, best
run), decode_seconds, decode_steps, threads (torch's intra-op threads), preload (LD_PRELOAD or
"none"), peak_rss_mb (this process), torch_version, kv_cache and the shape used.

Dimensions: B batch, T new positions, Tkv key positions, Tcap cache slots, C width, V vocabulary,
nh query heads, nkv kv heads, g = nh / nkv, hs head size, I intermediate size.
"""

import argparse
import json
import math
import os
import resource
import statistics
import sys
import time

import torch
import torch.nn.functional as F

# The presets of aha.sampler.model.ModelConfig, for standalone runs.
PRESETS = {
    "tiny": dict(vocabSize=64, hiddenSize=16, intermediateSize=40, numLayers=2, numHeads=4,
                 numKvHeads=2, maxPositions=64, tieEmbeddings=False),
    "nano": dict(vocabSize=1024, hiddenSize=128, intermediateSize=352, numLayers=3, numHeads=4,
                 numKvHeads=2, maxPositions=512, tieEmbeddings=True),
    "micro": dict(vocabSize=2048, hiddenSize=256, intermediateSize=688, numLayers=6, numHeads=8,
                  numKvHeads=4, maxPositions=1024, tieEmbeddings=True),
    "small": dict(vocabSize=4096, hiddenSize=512, intermediateSize=1376, numLayers=8, numHeads=8,
                  numKvHeads=4, maxPositions=2048, tieEmbeddings=True),
}
DEFAULTS = dict(ropeTheta=10000.0, rmsNormEps=1e-5, qkvBias=False)


def load_config(args, parser):
    """The model shape: a preset, or a JSON file in aha's ModelConfig field names."""
    cfg = dict(DEFAULTS)
    if args.preset:
        cfg.update(PRESETS[args.preset])
    else:
        with open(args.config) as f:
            cfg.update(json.load(f))
    missing = [k for k in PRESETS["tiny"] if k not in cfg]
    if missing:
        parser.error(f"{args.config} lacks {', '.join(missing)}")
    return cfg


def peak_rss_mb():
    """This process's peak resident set in MB: VmHWM, the high-water mark of its own memory.
    Not ru_maxrss, which Linux carries over an exec from the process that spawned this one, so
    that under `aha` it would report the JVM's peak whenever that is the larger."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def preload():
    return os.environ.get("LD_PRELOAD") or "none"


class RMSNorm(torch.nn.Module):
    def __init__(self, dim, eps):
        super().__init__()
        self.eps = eps
        self.weight = torch.nn.Parameter(torch.ones(dim))

    def forward(self, x):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * self.weight


class Rotary:
    """cos and sin tables (Tmax, hs) in the rotate_half layout, computed once in float64."""

    def __init__(self, cfg):
        hs = cfg["hiddenSize"] // cfg["numHeads"]
        half = hs // 2
        inv_freq = 1.0 / (cfg["ropeTheta"] ** (torch.arange(0, hs, 2, dtype=torch.float64) / hs))
        angles = torch.outer(torch.arange(cfg["maxPositions"], dtype=torch.float64), inv_freq)
        angles = torch.cat((angles, angles), dim=-1)  # (Tmax, hs): both halves share a frequency
        self.cos = angles.cos().float()  # (Tmax, hs)
        self.sin = angles.sin().float()  # (Tmax, hs)
        # x @ rotate_half = cat(-x[hs/2:], x[:hs/2]); exact, as each output is one input times +-1
        self.rotate_half = torch.zeros(hs, hs)  # (hs, hs)
        self.rotate_half[torch.arange(half) + half, torch.arange(half)] = -1.0
        self.rotate_half[torch.arange(half), torch.arange(half) + half] = 1.0

    def angles(self, start, t):
        """What apply() needs for positions start..start+t-1, computed once for every layer."""
        if t == 1:
            # the whole rotation of one position is one matrix, shared by every row and head
            return (torch.diag(self.cos[start]) + self.rotate_half * self.sin[start],)  # (hs, hs)
        cos = self.cos[start:start + t, None, :]  # (T, 1, hs)
        sin = self.sin[start:start + t, None, :]  # (T, 1, hs)
        return cos, sin

    def apply(self, x, angles):
        """Rotates x (B, T, h, hs), token-major."""
        if len(angles) == 1:
            return x @ angles[0]  # (B, 1, h, hs)
        cos, sin = angles
        return x * cos + (x @ self.rotate_half) * sin  # (B, T, h, hs)


class KvCache:
    """Keys (B, nkv, hs, Tcap) and values (B, nkv, Tcap, hs) of every layer, written in place at
    slots [start, start + T); with grow=True ("cat") they are concatenated instead."""

    def __init__(self, cfg, batch, capacity, grow=False):
        nkv = cfg["numKvHeads"]
        hs = cfg["hiddenSize"] // cfg["numHeads"]
        self.grow = grow
        layers = range(cfg["numLayers"])
        if grow:
            self.keys_t = [torch.empty(batch, nkv, hs, 0) for _ in layers]
            self.values = [torch.empty(batch, nkv, 0, hs) for _ in layers]
        else:
            self.keys_t = [torch.zeros(batch, nkv, hs, capacity) for _ in layers]
            self.values = [torch.zeros(batch, nkv, capacity, hs) for _ in layers]

    def append(self, layer, keys_t, values, start):
        """Stores keys (B, nkv, hs, T) and values (B, nkv, T, hs) at slots [start, start + T);
        returns every key and value so far, (B, nkv, hs, Tkv) and (B, nkv, Tkv, hs)."""
        if self.grow:
            self.keys_t[layer] = torch.cat((self.keys_t[layer], keys_t), dim=-1)
            self.values[layer] = torch.cat((self.values[layer], values), dim=-2)
            return self.keys_t[layer], self.values[layer]
        end = start + keys_t.shape[-1]
        self.keys_t[layer][..., start:end] = keys_t
        self.values[layer][:, :, start:end] = values
        return self.keys_t[layer][..., :end], self.values[layer][:, :, :end]


class Attention(torch.nn.Module):
    def __init__(self, cfg):
        super().__init__()
        c = cfg["hiddenSize"]
        self.nh = cfg["numHeads"]
        self.nkv = cfg["numKvHeads"]
        self.hs = c // self.nh
        self.scale = 1.0 / math.sqrt(self.hs)
        # rows: q (nh hs), then k (nkv hs), then v (nkv hs), as aha's qkv_proj
        self.qkv_proj = torch.nn.Linear(c, (self.nh + 2 * self.nkv) * self.hs, bias=cfg["qkvBias"])
        self.o_proj = torch.nn.Linear(c, c, bias=False)

    def forward(self, x, rotary, angles, mask, cache, layer, start):
        b, t, _ = x.shape
        nh, nkv, hs = self.nh, self.nkv, self.hs
        g = nh // nkv
        qkv = self.qkv_proj(x)  # (B, T, (nh + 2 nkv) hs)
        qk, v = qkv.split([(nh + nkv) * hs, nkv * hs], dim=-1)
        qk = rotary.apply(qk.view(b, t, nh + nkv, hs), angles)  # (B, T, nh + nkv, hs)
        q = qk[:, :, :nh]  # (B, T, nh, hs)
        keys_t = qk[:, :, nh:].permute(0, 2, 3, 1)  # (B, nkv, hs, T)
        values = v.view(b, t, nkv, hs).transpose(1, 2)  # (B, nkv, T, hs)
        if cache is not None:
            keys_t, values = cache.append(layer, keys_t, values, start)  # (B, nkv, hs, Tkv), ...

        if t == 1:
            # one query per row: broadcast multiply + sum, see the module docstring
            qg = q.reshape(b, nkv, g, hs, 1) * self.scale  # (B, nkv, g, hs, 1), kv-head-major
            scores = (qg * keys_t[:, :, None]).sum(-2)  # (B, nkv, g, Tkv)
            weights = F.softmax(scores, dim=-1)  # (B, nkv, g, Tkv)
            y = (weights[..., None] * values[:, :, None]).sum(-2)  # (B, nkv, g, hs)
            return self.o_proj(y.reshape(b, 1, nh * hs))  # (B, 1, C)

        tkv = keys_t.shape[-1]
        qg = q.transpose(1, 2).reshape(b, nkv, g * t, hs) * self.scale  # (B, nkv, g T, hs)
        scores = qg @ keys_t  # (B, nkv, g T, Tkv)
        scores = (scores.view(b, nkv, g, t, tkv) + mask).view(b, nkv, g * t, tkv)
        weights = F.softmax(scores, dim=-1)  # (B, nkv, g T, Tkv)
        y = weights @ values  # (B, nkv, g T, hs)
        y = y.view(b, nh, t, hs).transpose(1, 2).reshape(b, t, nh * hs)  # (B, T, C)
        return self.o_proj(y)  # (B, T, C)


class Mlp(torch.nn.Module):
    def __init__(self, cfg):
        super().__init__()
        c, inter = cfg["hiddenSize"], cfg["intermediateSize"]
        self.gate_up_proj = torch.nn.Linear(c, 2 * inter, bias=False)  # gate rows, then up rows
        self.down_proj = torch.nn.Linear(inter, c, bias=False)

    def forward(self, x):
        gate, up = self.gate_up_proj(x).chunk(2, dim=-1)  # 2 x (B, T, I)
        return self.down_proj(F.silu(gate) * up)  # (B, T, C)


class Block(torch.nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.input_layernorm = RMSNorm(cfg["hiddenSize"], cfg["rmsNormEps"])
        self.self_attn = Attention(cfg)
        self.post_attention_layernorm = RMSNorm(cfg["hiddenSize"], cfg["rmsNormEps"])
        self.mlp = Mlp(cfg)

    def forward(self, x, rotary, angles, mask, cache, layer, start):
        h = x + self.self_attn(self.input_layernorm(x), rotary, angles, mask, cache, layer, start)
        return h + self.mlp(self.post_attention_layernorm(h))


class Llama(torch.nn.Module):
    """aha's Transformer in eager PyTorch, parameter names as HuggingFace's (fused q/k/v and
    gate/up as aha's)."""

    def __init__(self, cfg):
        super().__init__()
        c, v = cfg["hiddenSize"], cfg["vocabSize"]
        self.embed_tokens = torch.nn.Embedding(v, c)
        self.layers = torch.nn.ModuleList(Block(cfg) for _ in range(cfg["numLayers"]))
        self.norm = RMSNorm(c, cfg["rmsNormEps"])
        self.lm_head = torch.nn.Linear(c, v, bias=False)
        if cfg["tieEmbeddings"]:
            self.lm_head.weight = self.embed_tokens.weight
        self.rotary = Rotary(cfg)

    def init_weights(self, std=0.02):
        with torch.no_grad():
            for name, p in self.named_parameters():
                if name.endswith("norm.weight"):
                    p.fill_(1.0)
                elif name.endswith("bias"):
                    p.zero_()
                else:
                    p.normal_(0.0, std)
        return self

    def forward(self, tokens, start=0, cache=None):
        """The residual stream after the last block, (B, T, C), for tokens (B, T) at positions
        start..start+T-1; with a cache, their keys and values are stored at those slots."""
        t = tokens.shape[1]
        angles = self.rotary.angles(start, t)  # once for every layer
        mask = None
        if t > 1:
            # query i (slot start + i) sees keys up to slot start + i
            mask = torch.full((t, start + t), float("-inf")).triu(start + 1)  # (T, Tkv)
        x = self.embed_tokens(tokens)  # (B, T, C)
        for i, layer in enumerate(self.layers):
            x = layer(x, self.rotary, angles, mask, cache, i, start)  # (B, T, C)
        return x

    def logits(self, x):
        """Logits (..., V) of residual-stream positions x (..., C)."""
        return self.lm_head(self.norm(x))


def generate(model, cfg, prompts, new_tokens, kv_cache):
    """Prefill then greedy decode; returns (prefill seconds, decode seconds, tokens (B, N))."""
    b, p = prompts.shape
    cache = KvCache(cfg, b, p + new_tokens, grow=kv_cache == "cat")
    began = time.perf_counter()
    next_token = model.logits(model(prompts, 0, cache)[:, -1]).argmax(-1, keepdim=True)  # (B, 1)
    out = [next_token]
    prefilled = time.perf_counter()
    for i in range(1, new_tokens):
        hidden = model(next_token, p + i - 1, cache)  # (B, 1, C)
        next_token = model.logits(hidden[:, 0]).argmax(-1, keepdim=True)  # (B, 1)
        out.append(next_token)
    finished = time.perf_counter()
    return prefilled - began, finished - prefilled, torch.cat(out, dim=1)


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
    if args.threads < 1:
        parser.error("--threads must be >= 1")

    cfg = load_config(args, parser)
    if args.prompt_tokens + args.new_tokens > cfg["maxPositions"]:
        parser.error(f"prompt + new tokens exceed maxPositions {cfg['maxPositions']}")

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    model = Llama(cfg).init_weights().eval()
    with torch.inference_mode():
        prompts = torch.randint(0, cfg["vocabSize"], (args.batch, args.prompt_tokens))
        generate(model, cfg, prompts, args.new_tokens, args.kv_cache)  # warm-up
        runs = [generate(model, cfg, prompts, args.new_tokens, args.kv_cache)
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
        "preload": preload(),
        "peak_rss_mb": peak_rss_mb(),
        "kv_cache": args.kv_cache,
        "torch_version": torch.__version__,
        "config": cfg,
    }
    print(f"python eager decode: batch {args.batch}, {args.new_tokens - 1} steps after a "
          f"{args.prompt_tokens}-token prefill, {torch.get_num_threads()} threads, "
          f"kv cache {args.kv_cache}, LD_PRELOAD {preload()}: {rates[best]:,.0f} tokens/s "
          f"(median {statistics.median(rates):,.0f})", file=sys.stderr)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
