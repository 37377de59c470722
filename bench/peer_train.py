#!/usr/bin/python3
"""Python eager-PyTorch peer of `aha bench train`: one training step of a Llama-family model,
the same shapes as an aha preset, random weights and random tokens.

The model is peer_decode.py's, run over whole sequences without a cache: aha's arithmetic and
layout (fused q/k/v and gate/up projections, queries and keys rotated together, grouped query
heads folded against their kv head instead of repeating keys, matmul + softmax + matmul attention
with a causal mask; torch 1.13 has no scaled_dot_product_attention). One step is what aha's
Trainer does: drop the gradients (zero_grad(set_to_none=True)), forward, masked mean next-token
cross-entropy, backward, clip all gradients by their global L2 norm (clip_grad_norm_), and an
AdamW step (the multi-tensor foreach implementation) with decoupled weight decay on matrices
only (betas 0.9/0.95, eps 1e-8, decay 0.1, clip 1.0 unless told otherwise) at a constant
learning rate. Every row counts every position (mask of ones). The child runs under tcmalloc
when `aha` starts it (see PythonPeer.java); set LD_PRELOAD yourself for standalone runs.

--warmup steps run first, then --steps timed steps; the median and best ms/step are reported.

Usage (Debian's python3-torch 1.13.1 with libopenblas0-openmp):

    LD_PRELOAD=/usr/lib/x86_64-linux-gnu/libtcmalloc_minimal.so.4 \\
    /usr/bin/python3 bench/peer_train.py --preset nano --batch 16 --seq-len 128 --threads 2

`--config` names a JSON file with the model shape in aha's ModelConfig field names, as for
peer_decode.py; `aha bench train` writes one and passes it.

The last line printed is one JSON object: ms_per_step_median, ms_per_step_best,
ms_per_step_all, tokens_per_s (B T over the median step), loss_first, loss_last, threads
(torch's intra-op threads), preload (LD_PRELOAD or "none"), peak_rss_mb (this process's peak
resident set, VmHWM), torch_version and the shape used.

Dimensions: B rows, T tokens per row, V vocabulary.
"""

import argparse
import json
import statistics
import sys
import time

import torch
import torch.nn.functional as F

from peer_decode import PRESETS, Llama, load_config, peak_rss_mb, preload


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
    if args.threads < 1:
        parser.error("--threads must be >= 1")

    cfg = load_config(args, parser)
    if args.seq_len > cfg["maxPositions"]:
        parser.error(f"--seq-len exceeds maxPositions {cfg['maxPositions']}")

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    model = Llama(cfg).init_weights().train()
    # decay matrices only, as aha's AdamW does; parameters() lists a tied embedding once
    params = list(model.parameters())
    groups = [
        {"params": [p for p in params if p.dim() >= 2], "weight_decay": args.weight_decay},
        {"params": [p for p in params if p.dim() < 2], "weight_decay": 0.0},
    ]
    optimizer = torch.optim.AdamW(
        groups, lr=args.lr, betas=(args.beta1, args.beta2), eps=1e-8, foreach=True)

    b, t, v = args.batch, args.seq_len, cfg["vocabSize"]
    tokens = torch.randint(0, v, (b, t + 1))
    inputs, targets = tokens[:, :-1], tokens[:, 1:].reshape(-1)  # (B, T), (B T)
    loss_mask = torch.ones(b * t)  # (B T)

    def step():
        optimizer.zero_grad(set_to_none=True)
        logits = model.logits(model(inputs))  # (B, T, V)
        nll = F.cross_entropy(logits.view(-1, v), targets, reduction="none")  # (B T)
        loss = (nll * loss_mask).sum() / loss_mask.sum().clamp(min=1)
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
        "preload": preload(),
        "peak_rss_mb": peak_rss_mb(),
        "torch_version": torch.__version__,
        "config": cfg,
    }
    print(f"python eager train step: batch {b} x {t}, {torch.get_num_threads()} threads, "
          f"LD_PRELOAD {preload()}: {median:,.1f} ms/step median of {args.steps} "
          f"(best {min(ms):,.1f}), peak RSS {peak_rss_mb():,.0f} MB", file=sys.stderr)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
