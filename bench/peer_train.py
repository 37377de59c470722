#!/usr/bin/python3
"""Python eager-PyTorch peer of `aha bench train`: one training step of a Llama-family model,
the same shapes as an aha preset, random weights and random tokens.

The model is peer_decode.py's (Meta's reference Llama written in eager PyTorch: separate q/k/v
projections, repeat_kv for grouped heads, matmul + softmax + matmul attention with a causal
mask, HF's rotate_half rotary convention), run over whole sequences without a cache. One step is
what aha's Trainer does: zero the gradients, forward, masked mean next-token cross-entropy,
backward, clip all gradients by their global L2 norm (clip_grad_norm_), and an AdamW step with
decoupled weight decay on matrices only (betas 0.9/0.95, eps 1e-8, decay 0.1, clip 1.0 unless
told otherwise) at a constant learning rate. Every row counts every position (mask of ones).

--warmup steps run first, then --steps timed steps; the median and best ms/step are reported.

Usage (Debian's python3-torch 1.13.1 with libopenblas0-openmp):

    /usr/bin/python3 bench/peer_train.py --preset nano --batch 16 --seq-len 128 --threads 2

`--config` names a JSON file with the model shape in aha's ModelConfig field names, as for
peer_decode.py; `aha bench train` writes one and passes it.

The last line printed is one JSON object: ms_per_step_median, ms_per_step_best,
ms_per_step_all, tokens_per_s (B * T over the median step), loss_first, loss_last, threads,
torch_version and the shape used.
"""

import argparse
import json
import statistics
import sys
import time

import torch
import torch.nn.functional as F

from peer_decode import DEFAULTS, PRESETS, Llama


def logits(model, tokens, mask):
    """Logits (B, T, V) of every position: the peer_decode model's blocks without a cache."""
    t = tokens.shape[1]
    x = model.tok_embeddings(tokens)
    cos, sin = model.cos[:t], model.sin[:t]
    for layer in model.layers:
        x = layer(x, 0, cos, sin, mask, "none")
    return model.output(model.norm(x))


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    shape = parser.add_mutually_exclusive_group(required=True)
    shape.add_argument("--preset", choices=sorted(PRESETS))
    shape.add_argument("--config", help="JSON file with the model shape (aha field names)")
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--seq-len", type=int, default=128)
    parser.add_argument("--steps", type=int, default=5)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--threads", type=int, default=torch.get_num_threads())
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--weight-decay", type=float, default=0.1)
    parser.add_argument("--beta1", type=float, default=0.9)
    parser.add_argument("--beta2", type=float, default=0.95)
    parser.add_argument("--clip-norm", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    if args.batch < 1 or args.seq_len < 2 or args.steps < 1 or args.warmup < 0:
        parser.error("need --batch >= 1, --seq-len >= 2, --steps >= 1 and --warmup >= 0")

    cfg = dict(DEFAULTS)
    if args.preset:
        cfg.update(PRESETS[args.preset])
    else:
        with open(args.config) as f:
            cfg.update(json.load(f))
    if args.seq_len > cfg["maxPositions"]:
        parser.error(f"--seq-len exceeds maxPositions {cfg['maxPositions']}")

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    model = Llama(cfg).train()
    with torch.no_grad():
        for p in model.parameters():
            p.normal_(0.0, 0.02)
        for name, p in model.named_parameters():
            if name.endswith("norm.weight"):
                p.fill_(1.0)
    # decay matrices only, as aha's AdamW does
    params = list(model.parameters())
    groups = [
        {"params": [p for p in params if p.dim() >= 2], "weight_decay": args.weight_decay},
        {"params": [p for p in params if p.dim() < 2], "weight_decay": 0.0},
    ]
    optimizer = torch.optim.AdamW(groups, lr=args.lr, betas=(args.beta1, args.beta2), eps=1e-8)

    b, t, v = args.batch, args.seq_len, cfg["vocabSize"]
    tokens = torch.randint(0, v, (b, t + 1))
    inputs, targets = tokens[:, :-1], tokens[:, 1:]
    loss_mask = torch.ones(b, t)
    causal = torch.full((t, t), float("-inf")).triu(1)

    def step():
        optimizer.zero_grad()
        out = logits(model, inputs, causal)  # (B, T, V)
        nll = F.cross_entropy(out.reshape(-1, v), targets.reshape(-1), reduction="none")
        loss = (nll * loss_mask.reshape(-1)).sum() / loss_mask.sum().clamp(min=1)
        loss.backward()
        if args.clip_norm > 0:
            torch.nn.utils.clip_grad_norm_(params, args.clip_norm)
        optimizer.step()
        return loss.item()

    losses, times = [], []
    for i in range(args.warmup + args.steps):
        began = time.perf_counter()
        losses.append(step())
        if i >= args.warmup:
            times.append(time.perf_counter() - began)

    ms = [1000 * s for s in times]
    median = statistics.median(ms)
    result = {
        "ms_per_step_median": median,
        "ms_per_step_best": min(ms),
        "ms_per_step_all": ms,
        "tokens_per_s": b * t / (median / 1000),
        "loss_first": losses[0],
        "loss_last": losses[-1],
        "batch": b,
        "seq_len": t,
        "steps": args.steps,
        "warmup": args.warmup,
        "threads": torch.get_num_threads(),
        "torch_version": torch.__version__,
        "config": cfg,
    }
    print(f"python eager train step: batch {b} x {t}, {torch.get_num_threads()} threads: "
          f"{median:,.1f} ms/step median of {args.steps} (best {min(ms):,.1f})", file=sys.stderr)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
