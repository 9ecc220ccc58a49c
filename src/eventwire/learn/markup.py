"""Mark the dyad in a sentence with plain-text markers the model was trained on."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

SRC_OPEN, SRC_CLOSE = "@ ", " @"
TGT_OPEN, TGT_CLOSE = "# ", " #"

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class DyadExample:
    """One labelled dyad: sentence, actor (source) span, recipient (target) span or None, label."""

    text: str
    source: Span
    target: Span | None
    label: str


def mark(text: str, source: Span, target: Span | None) -> str:
    """Return ``text`` with ``@ … @`` around the source and ``# … #`` around the target.

    Overlapping spans are allowed only if one is empty; if they overlap, only the source
    is marked.
    """
    _check(text, source)
    inserts: list[tuple[int, int, str]] = [(source[0], 1, SRC_OPEN), (source[1], 0, SRC_CLOSE)]
    if target is not None:
        _check(text, target)
        if not (target[0] < source[1] and source[0] < target[1]):
            inserts += [(target[0], 1, TGT_OPEN), (target[1], 0, TGT_CLOSE)]
    out = text
    for pos, _, tok in sorted(inserts, key=lambda x: (x[0], x[1]), reverse=True):
        out = out[:pos] + tok + out[pos:]
    return out


def mark_many(items: Sequence[tuple[str, Span, Span | None]]) -> list[str]:
    """Mark a batch of ``(text, source, target)`` items."""
    return [mark(t, s, g) for t, s, g in items]


def _check(text: str, span: Span) -> None:
    if not (0 <= span[0] <= span[1] <= len(text)):
        raise ValueError(f"span {span} outside text of length {len(text)}")
