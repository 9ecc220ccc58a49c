"""``eventwire eval geo``: measure event-location choice on the event_location format.

Each record (prodigy format, Halterman's "Geolocating Political Events in Text")
has a sentence, one VERB span and zero or more LOCATION spans. We predict the
LOCATION span for the verb, or none, with
:meth:`eventwire.stages.place.PlaceResolver.choose_location_span`.

Scoring: a prediction is correct when its character span equals one of the gold
LOCATION spans exactly, or when we predict none and the gold has none. Gold
spans are taken from the record's token indices (``token_start``..``token_end``
inclusive, mapped through ``tokens``), because the character offsets of some
records are token indices; when those are unusable we fall back to finding the
span's ``text`` in the sentence.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..stages.place import PlaceResolver, trim_span

CharSpan = tuple[int, int]

@dataclass(slots=True)
class GeoItem:
    """One evaluation record: the sentence, the verb and the gold locations."""

    text: str
    verb: CharSpan
    locations: list[CharSpan] = field(default_factory=list)


def _gold_span(record: dict[str, Any], span: dict[str, Any]) -> CharSpan | None:
    """The gold span's character offsets, trimmed of edge whitespace and punctuation."""
    found = _raw_gold_span(record, span)
    if found is None:
        return None
    return trim_span(record["text"], *found)


def _raw_gold_span(record: dict[str, Any], span: dict[str, Any]) -> CharSpan | None:
    tokens = record.get("tokens") or []
    ts, te = span.get("token_start"), span.get("token_end")
    if isinstance(ts, int) and isinstance(te, int) and 0 <= ts <= te < len(tokens):
        return int(tokens[ts]["start"]), int(tokens[te]["end"])
    words = span.get("text")
    if words:
        at = record["text"].find(words)
        if at >= 0:
            return at, at + len(words)
    start, end = span.get("start"), span.get("end")
    if isinstance(start, int) and isinstance(end, int) and start < end:
        return start, end
    return None


def read_items(path: Path) -> Iterator[GeoItem]:
    """Read the file (JSON lines, or one JSON array) as :class:`GeoItem`s."""
    text = Path(path).read_text(encoding="utf-8")
    stripped = text.lstrip()
    if stripped.startswith("["):
        records = json.loads(stripped)
    else:
        records = [json.loads(line) for line in text.splitlines() if line.strip()]
    for record in records:
        verb: CharSpan | None = None
        locations: list[CharSpan] = []
        for span in record.get("spans", []):
            gold = _gold_span(record, span)
            if gold is None:
                continue
            if span.get("label") == "VERB":
                verb = gold
            elif span.get("label") == "LOCATION":
                locations.append(gold)
        if verb is not None:
            yield GeoItem(record["text"], verb, locations)


def is_correct(predicted: CharSpan | None, gold: list[CharSpan]) -> bool:
    """Exact span match with any gold location; none is right when gold has none."""
    if predicted is None:
        return not gold
    return predicted in gold


def evaluate_geo(path: Path, nlp: Any = None, limit: int | None = None) -> dict[str, Any]:
    """Accuracy of location choice on an event_location file: {"accuracy", "n", ...}."""
    if nlp is None:
        from ..stages.nlp import load_pipeline

        nlp = load_pipeline("auto")
    items = list(read_items(Path(path)))
    if limit is not None:
        items = items[:limit]
    resolver = PlaceResolver()
    counts = {"correct": 0, "false_none": 0, "false_place": 0, "wrong_place": 0}
    docs = nlp.pipe((item.text for item in items), batch_size=256)
    for item, doc in zip(items, docs):
        predicted = resolver.choose_location_span(doc, *item.verb)
        counts[_outcome(predicted, item.locations)] += 1
    n = len(items)
    return {
        "accuracy": counts["correct"] / n if n else 0.0,
        "n": n,
        "errors": {k: v for k, v in counts.items() if k != "correct"},
    }


def _outcome(predicted: CharSpan | None, gold: list[CharSpan]) -> str:
    if is_correct(predicted, gold):
        return "correct"
    if predicted is None:
        return "false_none"
    return "false_place" if not gold else "wrong_place"
