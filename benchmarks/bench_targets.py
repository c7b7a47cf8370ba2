"""Benchmark the target-sentiment methods on the NewsMTSC dev files.

Prints one row per method x dev file: macro-F1, accuracy and targets/second
(single process, lexicon caches cleared before each run), then the
transformer's batched throughput: targets (mentions) per second over both dev
files together, repeated, as a range, on 1 and 2 threads.

    python benchmarks/bench_targets.py [DATA_DIR]
    python benchmarks/bench_targets.py --variants [--fp16-dir DIR]   # the transformer's scoring variants
    python benchmarks/bench_targets.py --transformer-only --reps 10

``--variants`` scores the shipped transformer with each way of running it
(window of 128 or 64 word pieces; fp32, bfloat16 autocast, torch's dynamic
int8 quantisation, an int8 matmul with per-token activation scales; the plain
or the fused attention; batch size; threads) and prints macro-F1 on both dev files and targets/s (range over
``--reps`` runs). ``--fp16-dir`` adds the same rows for a model folder stored
in fp16 (e.g. one written by an earlier version), to compare storage forms.
The machine's other work shows in the ranges: the upper end is the idle speed.
"""

from __future__ import annotations

import argparse
import copy
import sys
import time
from pathlib import Path

import pandas as pd

from analysis.models.newsmtsc import metrics_report, read_newsmtsc
from analysis.models.targets import METHODS, evaluate_targets

DEV_FILES = ("rw_dev.jsonl", "mt_dev.jsonl")


def light_rows(root: Path) -> None:
    print(f"| {'method':<11} | {'file':<12} | {'F1m':>5} | {'accuracy':>8} | {'targets/s':>9} |")
    print(f"|{'-' * 13}|{'-' * 14}|{'-' * 7}|{'-' * 10}|{'-' * 11}|")
    for method in METHODS:
        for name in DEV_FILES:
            _, m = evaluate_targets(root / name, method)
            print(f"| {method:<11} | {name:<12} | {m['macro_f1']:.3f} | {m['accuracy']:>8.3f} | {m['targets_per_s']:>9.0f} |")


def throughput(score, df: pd.DataFrame, reps: int) -> list[float]:
    """Targets per second of ``score(df)`` over ``reps`` runs, after one warm-up run."""
    score(df.head(64))
    speeds = []
    for _ in range(reps):
        start = time.perf_counter()
        score(df)
        speeds.append(len(df) / (time.perf_counter() - start))
    return speeds


def span(speeds: list[float]) -> str:
    return f"{min(speeds):,.0f}–{max(speeds):,.0f}"


def transformer_rows(root: Path, reps: int) -> None:
    from analysis.models import transformer as T

    model = T.load()
    scoring = T.scoring_settings(model)
    devs = {name: read_newsmtsc(root / name) for name in DEV_FILES}
    both = pd.concat(devs.values(), ignore_index=True)
    print(f"\ntransformer (shipped, {T.MODEL_DIR}): window {scoring['max_length']} word pieces, "
          f"batches of {scoring['batch_size']}, products in {scoring['autocast'] or 'float32'}")
    print(f"| {'file':<12} | {'F1m':>5} | {'accuracy':>8} |")
    print(f"|{'-' * 14}|{'-' * 7}|{'-' * 10}|")
    for name, df in devs.items():
        _, m = metrics_report("transformer", df.label.to_numpy(),
                              T.score_targets_transformer(df, model=model).target_label.to_numpy(), 1.0)
        print(f"| {name:<12} | {m['macro_f1']:.3f} | {m['accuracy']:>8.3f} |")
    for threads in (1, 2):
        speeds = throughput(lambda d, t=threads: T.score_targets_transformer(d, model=model, threads=t), both, reps)
        print(f"- {threads} thread{'s' if threads > 1 else ''}: {span(speeds)} targets/s "
              f"({len(both)} targets of both dev files, {reps} runs)")


# --------------------------------------------------------------------------
# Variants of the transformer's scoring
# --------------------------------------------------------------------------


def _int8_matmul(net):
    """A copy of ``net`` whose encoder Linear layers multiply in int8: per-row weight scales, per-token activation
    scales (``torch._int_mm``), fp32 elsewhere."""
    import torch

    class Int8Linear(torch.nn.Module):
        def __init__(self, linear):
            super().__init__()
            w = linear.weight.detach().float()
            scale = w.abs().amax(1).clamp(min=1e-12) / 127
            self.register_buffer("wq", torch.round(w / scale[:, None]).to(torch.int8).t().contiguous())
            self.register_buffer("ws", scale)
            self.register_buffer("bias", linear.bias.detach().float())

        def forward(self, x):
            flat = x.reshape(-1, x.shape[-1]).float()
            s = flat.abs().amax(1, keepdim=True).clamp(min=1e-8) / 127
            q = torch.round(flat / s).to(torch.int8)
            y = torch._int_mm(q, self.wq).float() * s * self.ws + self.bias
            return y.reshape(*x.shape[:-1], -1)

    net = copy.deepcopy(net)
    for name, module in list(net.named_modules()):
        for child_name, child in list(module.named_children()):
            if isinstance(child, torch.nn.Linear) and f"{name}.".startswith("encoder."):
                setattr(module, child_name, Int8Linear(child))
    return net


def _dynamic_int8(net):
    import torch
    from torch.ao.quantization import quantize_dynamic

    return quantize_dynamic(copy.deepcopy(net), {torch.nn.Linear}, dtype=torch.qint8)


def variant_rows(root: Path, reps: int, fp16_dir: str | None) -> None:
    from analysis.models import transformer as T

    devs = {name: read_newsmtsc(root / name) for name in DEV_FILES}
    both = pd.concat(devs.values(), ignore_index=True)
    folders = {"int8 (shipped)": T.MODEL_DIR}
    if fp16_dir:
        folders["fp16"] = Path(fp16_dir)
    print("\n| stored | products | window | batch | threads | rw_dev F1m | mt_dev F1m | targets/s |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for stored, folder in folders.items():
        model = _load_any(T, folder)
        fused = copy.deepcopy(model["net"])
        fused.encoder.set_attn_implementation("sdpa")
        nets = {"fp32": (model["net"], "float32"), "bfloat16 autocast": (model["net"], "bfloat16"),
                "bfloat16 autocast, fused (sdpa) attention": (fused, "bfloat16"),
                "dynamic int8 (quantize_dynamic)": (_dynamic_int8(model["net"]), "float32"),
                "int8 matmul, per-token scales": (_int8_matmul(model["net"]), "float32")}
        rows = [(p, w, 64, 2) for p in nets for w in (128, 64)]
        rows += [("bfloat16 autocast", 64, b, 2) for b in (16, 32, 128)]
        rows += [(p, 64, 64, 1) for p in nets]
        for products, window, batch, threads in rows:
            net, autocast = nets[products]
            variant = {**model, "net": net}

            def score(df, variant=variant, threads=threads, batch=batch, window=window, autocast=autocast):
                return T.score_targets_transformer(df, model=variant, threads=threads, batch_size=batch,
                                                   max_length=window, autocast=autocast)

            f1 = [metrics_report("transformer", df.label.to_numpy(), score(df).target_label.to_numpy(), 1.0)[1]
                  ["macro_f1"] for df in devs.values()]
            print(f"| {stored} | {products} | {window} | {batch} | {threads} | {f1[0]:.3f} | {f1[1]:.3f} | "
                  f"{span(throughput(score, both, reps))} |", flush=True)


def _load_any(T, folder: Path) -> dict:
    """A model folder of this format (checked), or an fp16 folder of format 1 (read as it is, for comparison)."""
    import json

    meta = json.loads((folder / T.META_NAME).read_text(encoding="utf-8"))
    if meta.get("format_version") == T.FORMAT_VERSION:
        return T.load(folder)
    torch = T._require()
    from safetensors.torch import load_file
    from tokenizers import Tokenizer

    meta = {**meta, "scoring": dict(T.DEFAULT_SCORING)}
    net = T._build_model(torch, meta)
    net.load_state_dict({k: v.float() for k, v in load_file(str(folder / T.WEIGHTS_NAME)).items()})
    tok = Tokenizer.from_file(str(folder / T.TOKENIZER_NAME))
    tok.no_truncation()
    tok.no_padding()
    return {"net": T._for_scoring(net, meta), "tokenizer": tok, "meta": meta, "torch": torch}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data_dir", nargs="?", default=None, help="NewsMTSC folder (default: data/newsmtsc)")
    parser.add_argument("--reps", type=int, default=5, help="timed runs per throughput figure (default 5)")
    parser.add_argument("--transformer-only", action="store_true", help="skip the light methods")
    parser.add_argument("--variants", action="store_true", help="the transformer's scoring variants")
    parser.add_argument("--fp16-dir", default=None, help="with --variants: also an fp16 model folder")
    args = parser.parse_args(argv)
    root = Path(args.data_dir) if args.data_dir else Path(__file__).resolve().parents[1] / "data" / "newsmtsc"
    print(f"python {sys.version.split()[0]}; command: {' '.join(sys.argv)}")
    from analysis.models import scorers

    if args.variants:
        variant_rows(root, args.reps, args.fp16_dir)
        return 0
    if not args.transformer_only:
        light_rows(root)
    if scorers.SCORERS["transformer"].available():
        transformer_rows(root, args.reps)
    else:
        print(f"\ntransformer: not run ({scorers.SCORERS['transformer'].unavailable()})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
