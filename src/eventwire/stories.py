"""Story clusters: the same event reported by many articles, folded into one story.

Two events are copies of one story when they have the same PLOVER type, the same actor and
recipient codes, dates within ``window_days`` of each other (the event date, else the
publication date) and similar evidence sentences (Jaccard of their content words, leaving out the trigger and the
actor/recipient mentions, >= ``min_similarity``).
Copies are joined transitively (union-find), so a story is a connected group.

>>> stories = cluster_stories(query(store, type="ACCUSE"), window_days=3)
>>> stories[0].source_count, stories[0].event_ids
"""

from __future__ import annotations

import hashlib
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

STOPWORDS = frozenset(
    ["a", "an", "the", "of", "on", "in", "at", "to", "for", "from", "by", "with", "and", "or", "but", "as", "is", "was", "were", "be", "been", "has", "have", "had", "that", "this", "these", "those", "it", "its", "their", "his", "her", "he", "she", "they", "we", "i", "you", "said", "says", "say", "told", "according", "after", "before", "over", "under", "near", "into", "about", "than", "then", "there", "which", "who", "whom", "whose", "while"]
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@dataclass(slots=True)
class StoryCopy:
    """One report of the story: its event, article, outlet and who says so."""

    event_id: str
    article_id: str
    outlet: str | None
    date: str | None
    attribution: list[dict[str, Any]]  # the PLOVER record's chain, outermost first


@dataclass(slots=True)
class Story:
    """A cluster of events that report the same happening."""

    id: str
    representative: dict[str, Any]  # the PLOVER record chosen to stand for the story
    event_ids: list[str]
    article_ids: list[str]
    outlets: list[str]
    source_count: int  # distinct articles (outlets may repeat)
    copies: list[StoryCopy] = field(default_factory=list)
    date_first: str | None = None
    date_last: str | None = None

    @property
    def type(self) -> str:
        return str((self.representative.get("event") or [""])[0])

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "id": self.id, "type": self.type, "representative": self.representative,
            "event_ids": self.event_ids, "article_ids": self.article_ids, "outlets": self.outlets,
            "source_count": self.source_count, "date_first": self.date_first, "date_last": self.date_last,
            "copies": [
                {"event_id": c.event_id, "article_id": c.article_id, "outlet": c.outlet, "date": c.date,
                 "attribution": c.attribution}
                for c in self.copies
            ],
        }


@dataclass(slots=True)
class _Item:
    record: dict[str, Any]
    outlet: str | None
    day: date | None
    words: frozenset[str]
    key: tuple[str, str, str]


def _day(value: str | None) -> date | None:
    if not value:
        return None
    parts = str(value)[:10].split("-")
    try:
        y = int(parts[0])
        m = int(parts[1]) if len(parts) > 1 else 1
        d = int(parts[2]) if len(parts) > 2 else 1
        return date(y, m, d)
    except (ValueError, IndexError):
        return None


def _codes(entities: list[dict[str, Any]] | None) -> str:
    return ",".join(sorted({str(e.get("code") or "-") for e in entities or []})) or "-"


def _item(row: Mapping[str, Any]) -> _Item:
    """Accepts a query row (with ``record``) or a bare PLOVER record."""
    record = dict(row["record"]) if isinstance(row.get("record"), Mapping) else dict(row)
    chain = record.get("attribution") or []
    outlet = row.get("outlet") or next((s.get("name") for s in chain if s.get("kind") == "outlet"), None)
    published = row.get("published")
    day = _day(record.get("date")) or (published if isinstance(published, date) else _day(published))
    sentence = ((record.get("evidence") or {}).get("sentence") or {}).get("text") or ""
    # the words every copy shares by definition (trigger, actor and recipient mentions) say
    # nothing about whether two sentences tell the same story: leave them out
    shared = " ".join([*(record.get("event_text") or []),
                       *(str(e.get("entity_text") or "") for e in (record.get("actor") or []) + (record.get("recipient") or []))])
    known = set(_WORD.findall(shared.lower()))
    words = frozenset(w for w in _WORD.findall(sentence.lower())
                      if w not in STOPWORDS and w not in known and len(w) > 1)
    key = (str((record.get("event") or [""])[0]), _codes(record.get("actor")), _codes(record.get("recipient")))
    return _Item(record, outlet, day, words, key)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """|a & b| / |a | b| (0 for two empty sets)."""
    union = len(a | b)
    return len(a & b) / union if union else 0.0


def _same_story(a: _Item, b: _Item, window_days: int, min_similarity: float) -> bool:
    if a.day is not None and b.day is not None and abs((a.day - b.day).days) > window_days:
        return False
    return jaccard(a.words, b.words) >= min_similarity


def cluster_stories(
    records: Iterable[Mapping[str, Any]], window_days: int = 3, min_similarity: float = 0.25
) -> list[Story]:
    """Fold events that report the same happening into stories, biggest first (then by date).

    ``records``: query rows (``eventwire.query.query``) or PLOVER records. Every event is in
    exactly one story (a story of one when nothing matches)."""
    items = [_item(r) for r in records]
    parent = list(range(len(items)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    blocks: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    for i, it in enumerate(items):
        blocks[it.key].append(i)
    for members in blocks.values():
        members.sort(key=lambda i: (items[i].day or date.max, items[i].record.get("id", "")))
        for pos, i in enumerate(members):
            for j in members[pos + 1:]:
                a, b = items[i], items[j]
                if a.day and b.day and (b.day - a.day).days > window_days:
                    break  # sorted by day: nothing further is within the window
                if _same_story(a, b, window_days, min_similarity):
                    parent[find(j)] = find(i)
    groups: dict[int, list[_Item]] = defaultdict(list)
    for i, it in enumerate(items):
        groups[find(i)].append(it)
    stories = [_story(g) for g in groups.values()]
    stories.sort(key=lambda s: (-s.source_count, s.date_first or "9999", s.id))
    return stories


def _representative(group: list[_Item]) -> _Item:
    return max(group, key=lambda it: (float(it.record.get("confidence") or 0),
                                      len(it.record.get("attribution") or []),
                                      -(it.day.toordinal() if it.day else 10**7)))


def _story(group: list[_Item]) -> Story:
    group = sorted(group, key=lambda it: (it.day or date.max, str(it.record.get("id"))))
    ids = [str(it.record.get("id")) for it in group]
    articles = list(dict.fromkeys(str(it.record.get("article_id")) for it in group))
    outlets = list(dict.fromkeys(it.outlet for it in group if it.outlet))
    days = [it.day for it in group if it.day]
    copies = [StoryCopy(str(it.record.get("id")), str(it.record.get("article_id")), it.outlet,
                        it.record.get("date"), list(it.record.get("attribution") or [])) for it in group]
    return Story(
        id="story-" + hashlib.sha1("\n".join(sorted(ids)).encode()).hexdigest()[:12],
        representative=_representative(group).record,
        event_ids=ids, article_ids=articles, outlets=outlets, source_count=len(articles), copies=copies,
        date_first=min(days).isoformat() if days else None, date_last=max(days).isoformat() if days else None,
    )
