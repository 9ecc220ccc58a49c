"""``eventwire eval plv``: event typing on PLV-format files.

A PLV file is a TSV with (at least) the columns ``marked_sentence`` (source wrapped in
``<s>…</s>``, target in ``<t>…</t>``) and ``gold_root`` (15 labels; PLOVER 2.0's
CONCEDE and RETREAT both score as the older YIELD).

Scores:

- ``accuracy`` and ``macro_f1`` — the dyad is given: the classifier sees the bare
  sentence and the two spans and names the type; since the pair is known to be an
  event, the learned model is asked for a type, not "none" (the pattern coder may still
  find none, which counts as wrong), with the patterns' answer as its prior
  (``Config.pattern_weight``); macro-F1 averages the per-label F1 over the labels
  present in the gold. ``fast=True`` scores the pattern coder instead.
- ``e2e_recall`` — from the bare sentence alone (full pipeline, default settings; with
  ``fast=True`` the fast pipeline, patterns only):
  share of gold (source, target, type) triples for which some predicted event has an
  actor span overlapping the source, a recipient span overlapping the target and the
  same type.
- ``e2e_extra_per_sentence`` — predicted events per sentence whose actor and recipient
  spans do not overlap the gold pair.
- ``n`` — rows scored. ``per_type`` gives precision, recall, F1 and support per label and
  ``confusions`` the most frequent (gold, predicted) errors.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import EvalError

YIELD_TYPES = {"CONCEDE": "YIELD", "RETREAT": "YIELD"}
MARK_RE = re.compile(r"</?[st]>")


@dataclass(frozen=True, slots=True)
class PlvRow:
    text: str
    source: tuple[int, int]
    target: tuple[int, int] | None  # None: the recipient is implicit ("a recipient")
    label: str


def unmark(marked: str) -> tuple[str, tuple[int, int], tuple[int, int] | None]:
    """Strip ``<s>…</s>`` / ``<t>…</t>`` and return the text with both spans' offsets."""
    out: list[str] = []
    pos = 0
    n = 0
    opened: dict[str, int] = {}
    spans: dict[str, tuple[int, int]] = {}
    for m in MARK_RE.finditer(marked):
        out.append(marked[pos : m.start()])
        n += m.start() - pos
        tag = m.group()
        if tag.startswith("</"):
            spans[tag[2]] = (opened.get(tag[2], n), n)
        else:
            opened[tag[1]] = n
        pos = m.end()
    out.append(marked[pos:])
    if "s" not in spans:
        raise ValueError("marked sentence lacks <s>…</s>")
    return "".join(out), spans["s"], spans.get("t")


def load_plv(path: Path) -> list[PlvRow]:
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            reader = csv.DictReader(fh, delimiter="\t")
            if not reader.fieldnames or not {"marked_sentence", "gold_root"} <= set(reader.fieldnames):
                raise EvalError(f"{path}: not a PLV file (needs columns marked_sentence and gold_root)")
            rows = []
            for raw in reader:
                try:
                    text, s, t = unmark(raw["marked_sentence"])
                except ValueError:
                    continue
                rows.append(PlvRow(text, s, t, raw["gold_root"].strip().upper()))
    except FileNotFoundError:
        raise EvalError(f"{path} does not exist; give a PLV-format .tsv file") from None
    if not rows:
        raise EvalError(f"{path}: no usable rows")
    return rows


def _label(t: str | None) -> str:
    if t is None:
        return "NONE"
    return YIELD_TYPES.get(t, t)


def macro_f1(gold: list[str], pred: list[str]) -> tuple[float, dict[str, dict[str, float]]]:
    labels = sorted(set(gold))
    per: dict[str, dict[str, float]] = {}
    for lab in labels:
        tp = sum(1 for g, p in zip(gold, pred) if g == lab and p == lab)
        fp = sum(1 for g, p in zip(gold, pred) if g != lab and p == lab)
        fn = sum(1 for g, p in zip(gold, pred) if g == lab and p != lab)
        prec = tp / (tp + fp) if tp + fp else 0.0
        rec = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        per[lab] = {"precision": round(prec, 3), "recall": round(rec, 3), "f1": round(f1, 3), "support": tp + fn}
    return (sum(v["f1"] for v in per.values()) / len(per) if per else 0.0), per


def accuracy(gold: list[str], pred: list[str]) -> float:
    return sum(g == p for g, p in zip(gold, pred)) / len(gold)


def confusions(gold: list[str], pred: list[str], most: int = 12) -> list[dict[str, Any]]:
    """The most frequent (gold, predicted) errors, as JSON-ready rows."""
    return [{"gold": g, "predicted": p, "count": c}
            for (g, p), c in Counter((g, p) for g, p in zip(gold, pred) if g != p).most_common(most)]


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _refers_to(actor: Any, gold: tuple[int, int]) -> bool:
    """The mention, or the mention a pronoun resolves to, overlaps the gold span."""
    return _overlaps((actor.start, actor.end), gold) or (actor.antecedent is not None and _overlaps(actor.antecedent, gold))


def evaluate_plv(path: Path, limit: int | None = None, e2e: bool = True, fast: bool = False) -> dict[str, Any]:
    from ..classify import DyadClassifier
    from ..config import Config

    rows = load_plv(Path(path))[:limit]
    clf = DyadClassifier(Config(fast=fast))
    results = clf.classify_many([(r.text, r.source, r.target) for r in rows], allow_none=False)
    gold = [_label(r.label) for r in rows]
    pred = [_label(res.type) for res in results]
    mf1, per = macro_f1(gold, pred)
    out: dict[str, Any] = {"accuracy": round(accuracy(gold, pred), 4), "macro_f1": round(mf1, 4)}
    if e2e:
        out.update(_end_to_end(rows, fast))
    out["n"] = len(rows)
    out["classifier"] = "patterns" if clf.model is None else "model"
    out["per_type"] = per
    out["how"] = dict(Counter(r.how for r in results))
    out["confusions"] = confusions(gold, pred)
    return out


def _end_to_end(rows: list[PlvRow], fast: bool = False) -> dict[str, float]:
    from ..config import Config
    from ..pipeline import get_pipeline
    from ..records import Article

    pipe = get_pipeline(Config(fast=fast))
    found = 0
    extra = 0
    # one Article per row: identical sentences still count once each
    arts = (Article(id=f"plv-{i}", text=r.text) for i, r in enumerate(rows))
    for r, document in zip(rows, pipe.process_many(arts, batch_size=64)):
        hit = False
        for ev in document.events:
            src = any(_refers_to(a, r.source) for a in ev.actor)
            tgt = r.target is None or any(_refers_to(a, r.target) for a in ev.recipient)
            if src and tgt:
                hit = hit or _label(ev.type) == r.label
            else:
                extra += 1
        found += hit
    return {"e2e_recall": round(found / len(rows), 4), "e2e_extra_per_sentence": round(extra / len(rows), 4)}
