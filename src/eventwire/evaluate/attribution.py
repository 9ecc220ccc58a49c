"""``eventwire eval attribution``: who-said-what spans scored on PolNeAR-format data.

Input: a folder in PolNeAR layout (``text/NAME.txt`` and ``attributions/NAME_ANNOTATOR.ann``,
brat standoff with ``Source``, ``Cue`` and ``Content`` text-bound annotations, e.g. the
``dev`` or ``train`` folder of PolNeAR). Every ``.txt`` in ``text/`` that has at least one
``.ann`` is a document; when several annotators annotated one article, the ``.ann`` file
that sorts first is used (one gold per document, no merging). Discontinuous spans
(``start end;start end``) count as their fragments. ``Discard``/``Discuss`` and other
annotation types are ignored.

Predictions come from :func:`eventwire.quotes.extract_attributions` on the spaCy parse of
the whole article text (``nlp.pipe``, pipeline ``load_pipeline("auto")``).

Scoring (token level, micro-averaged):

* tokens are the spaCy tokens of the article text, whitespace tokens excluded;
* a token is positive for a role (source, cue, content) when its first character lies
  inside ``[start, end)`` of any span of that role — separately for gold and prediction;
* for each role, TP/FP/FN are counted over all tokens of all documents and
  ``F1 = 2·TP / (2·TP + FP + FN)`` (micro average); a role with no gold and no
  predicted tokens scores 1.0; precision (``ROLE_p``) and recall (``ROLE_r``) are
  reported beside each F1;
* ``n`` is the number of documents scored.

Roles are scored independently of which attribution a span belongs to, so a source
linked to the wrong cue still scores, which is PolNeAR's usual token-tagging view
(each token has at most one label there).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import EvalError

ROLES: tuple[str, ...] = ("source", "cue", "content")
_GOLD_TYPES = {"Source": "source", "Cue": "cue", "Content": "content"}


@dataclass(slots=True)
class GoldDocument:
    """One article and its gold role spans as ``(start, end)`` character ranges."""

    name: str
    text: str
    spans: dict[str, list[tuple[int, int]]] = field(default_factory=lambda: {r: [] for r in ROLES})


@dataclass(slots=True)
class RoleCounts:
    """Token-level true positives, false positives and false negatives of one role."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, gold: list[bool], pred: list[bool]) -> None:
        for g, p in zip(gold, pred):
            self.tp += g and p
            self.fp += p and not g
            self.fn += g and not p

    @property
    def precision(self) -> float:
        """TP / (TP + FP); 1.0 when nothing was predicted."""
        return 1.0 if self.tp + self.fp == 0 else self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float:
        """TP / (TP + FN); 1.0 when there is no gold."""
        return 1.0 if self.tp + self.fn == 0 else self.tp / (self.tp + self.fn)

    @property
    def f1(self) -> float:
        denom = 2 * self.tp + self.fp + self.fn
        return 1.0 if denom == 0 else 2 * self.tp / denom


def parse_ann(text: str) -> dict[str, list[tuple[int, int]]]:
    """Role spans of one brat ``.ann`` file's text: ``{"source": [(s, e), ...], ...}``."""
    spans: dict[str, list[tuple[int, int]]] = {r: [] for r in ROLES}
    for line in text.splitlines():
        if not line.startswith("T"):
            continue
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        kind, _, offsets = parts[1].partition(" ")
        role = _GOLD_TYPES.get(kind)
        if role is None:
            continue
        for frag in offsets.split(";"):
            try:
                start, end = (int(x) for x in frag.split())
            except ValueError:
                raise EvalError(f"bad brat offsets {offsets!r} in line {line[:60]!r}") from None
            spans[role].append((start, end))
    return spans


def load_polnear(path: Path, limit: int | None = None) -> list[GoldDocument]:
    """Read the documents of a PolNeAR-format folder (``text/`` + ``attributions/``)."""
    path = Path(path)
    text_dir, ann_dir = path / "text", path / "attributions"
    if not text_dir.is_dir() or not ann_dir.is_dir():
        raise EvalError(f"{path}: expected a PolNeAR folder with text/ and attributions/ subfolders")
    anns: dict[str, Path] = {}
    for ann in sorted(ann_dir.glob("*.ann")):
        stem = ann.stem.rsplit("_", 1)[0]  # NAME_ANNOTATOR.ann
        anns.setdefault(stem, ann)
    docs: list[GoldDocument] = []
    for txt in sorted(text_dir.glob("*.txt")):
        ann = anns.get(txt.stem)
        if ann is None:
            continue
        doc = GoldDocument(txt.stem, txt.read_text(encoding="utf-8"))
        doc.spans = parse_ann(ann.read_text(encoding="utf-8"))
        docs.append(doc)
        if limit is not None and len(docs) >= limit:
            break
    if not docs:
        raise EvalError(f"{path}: no text/*.txt with a matching attributions/*.ann file")
    return docs


def token_labels(starts: list[int], spans: Iterable[tuple[int, int]]) -> list[bool]:
    """For each token start offset (sorted), whether it lies inside one of ``spans``."""
    out = [False] * len(starts)
    for s, e in spans:
        i = bisect_right(starts, s - 1)
        while i < len(starts) and starts[i] < e:
            out[i] = True
            i += 1
    return out


def predicted_spans(attributions: Iterable[Any]) -> dict[str, list[tuple[int, int]]]:
    """Role spans of extracted attributions (:class:`eventwire.quotes.Attribution`)."""
    spans: dict[str, list[tuple[int, int]]] = {r: [] for r in ROLES}
    for a in attributions:
        if a.source is not None:
            spans["source"].append((a.source.start, a.source.end))
        spans["cue"].append((a.cue.start, a.cue.end))
        spans["content"].extend((sp.start, sp.end) for sp in a.content_spans)
    return spans


def score_document(doc: Any, gold: dict[str, list[tuple[int, int]]], pred: dict[str, list[tuple[int, int]]],
                   counts: dict[str, RoleCounts]) -> None:
    """Add one document's token-level counts to ``counts``."""
    starts = [t.idx for t in doc if not t.is_space]
    for role in ROLES:
        counts[role].add(token_labels(starts, gold[role]), token_labels(starts, pred[role]))


def evaluate_attribution(path: Path, limit: int | None = None) -> dict[str, float | int]:
    """Token-level source/cue/content F1 of :func:`extract_attributions` on a PolNeAR folder."""
    from ..quotes import extract_attributions
    from ..stages.nlp import load_pipeline

    docs = load_polnear(path, limit)
    nlp = load_pipeline("auto")
    counts = {r: RoleCounts() for r in ROLES}
    for gold, doc in zip(docs, nlp.pipe(d.text for d in docs)):
        score_document(doc, gold.spans, predicted_spans(extract_attributions(doc)), counts)
    result: dict[str, float | int] = {f"{r}_f1": round(counts[r].f1, 4) for r in ROLES}
    for r in ROLES:
        result[f"{r}_p"] = round(counts[r].precision, 4)
        result[f"{r}_r"] = round(counts[r].recall, 4)
    result["n"] = len(docs)
    return result


__all__ = ["GoldDocument", "RoleCounts", "evaluate_attribution", "load_polnear", "parse_ann",
           "predicted_spans", "score_document", "token_labels"]
