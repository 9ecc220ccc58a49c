"""Score one article's predicted events against its hand-made gold events.

A gold folder holds ``article.txt``, ``meta.json`` and ``gold.jsonl`` (format: the examples
README in ../shared/examples). Scoring rules:

1. A predicted record matches a gold event when its type is in the gold ``type`` list, one of
   its actors has a country in ``source.country`` (any actor, even none, when that list is
   empty) and one of its recipients has a country in ``target.country`` (same rule). Each
   predicted and each gold event is used at most once: the pairing is a maximum bipartite
   matching that first matches as many *required* gold events as possible, then adds optional
   ones (so the result does not depend on the order of the predictions).
2. recall = matched required gold / required gold; precision = matched predictions (to any
   gold event, required or not) / predictions.
3. On matched pairs, the share right for:
   - sector: scored when the gold lists sectors for a side; right when, for every side with
     gold sectors, some predicted entity on that side has one of them;
   - date: scored only when the gold date is not null; right when the predicted date lies
     inside the gold period (same or finer precision: "2020-12-02" lies in "2020-12", "2020"
     does not);
   - location: scored only when the gold has a non-empty ``location`` list; right when the
     predicted ``event_loc.country`` is in it;
   - attribution: always scored; gold null -> right when the predicted chain has no "source"
     speaker (only the outlet); otherwise the innermost source speaker must have the gold
     country (and sector, when the gold gives one) or its name/entity text must contain the
     gold ``text`` (case-insensitive).
   A share is null when no matched pair is scored for that field.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from ..errors import EvalError, InputError
from ..records import Article
from ..stages.read import read_path

FIELDS = ("sector", "date", "location", "attribution")


@dataclass(frozen=True, slots=True)
class GoldSide:
    """Accepted countries (empty: any) and sectors (empty: not scored) of one side."""

    countries: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class GoldAttribution:
    """Who the article says is the source of the claim."""

    country: str | None
    sector: str | None
    text: str | None


@dataclass(frozen=True, slots=True)
class GoldEvent:
    """One gold event of an example article."""

    id: str
    required: bool
    types: tuple[str, ...]
    source: GoldSide
    target: GoldSide
    date: str | None
    location: tuple[str, ...] | None
    attributed_to: GoldAttribution | None
    evidence: str


# --------------------------------------------------------------------------- loading


def load_gold(folder: Path) -> tuple[Article, list[GoldEvent]]:
    """Read ``folder/article.txt`` (with its meta.json) and ``folder/gold.jsonl``."""
    folder = Path(folder)
    article_file, gold_file = folder / "article.txt", folder / "gold.jsonl"
    for f in (article_file, gold_file):
        if not f.is_file():
            raise EvalError(
                f"{f}: missing; a gold folder needs article.txt, meta.json and gold.jsonl"
            )
    try:
        article = read_path(str(article_file))
    except InputError as e:
        raise EvalError(f"gold article cannot be read: {e}") from None
    events = parse_gold_lines(
        gold_file.read_text(encoding="utf-8").splitlines(), str(gold_file)
    )
    for g in events:
        if g.evidence and g.evidence not in article.text:
            raise EvalError(
                f"{gold_file}: gold event {g.id}: evidence is not a substring of article.txt"
            )
    return article, events


def parse_gold_lines(lines: Sequence[str], source: str = "<gold>") -> list[GoldEvent]:
    """Parse JSON Lines of gold events; EvalError names the file and line on a bad record."""
    out: list[GoldEvent] = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            out.append(gold_event_from_dict(json.loads(line)))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError) as e:
            raise EvalError(
                f"{source}:{n}: not a valid gold event ({type(e).__name__}: {e})"
            ) from None
    ids = [g.id for g in out]
    if len(set(ids)) != len(ids):
        raise EvalError(f"{source}: gold ids are not unique")
    return out


def gold_event_from_dict(d: dict[str, Any]) -> GoldEvent:
    """One gold record (examples README format) -> GoldEvent."""
    types = d["type"]
    if isinstance(types, str):
        types = [types]
    if not types:
        raise ValueError("empty type list")
    att = d.get("attributed_to")
    loc = d.get("location")
    return GoldEvent(
        id=str(d["id"]),
        required=bool(d.get("required", True)),
        types=tuple(types),
        source=_side(d.get("source")),
        target=_side(d.get("target")),
        date=d.get("date"),
        location=tuple(loc) if loc else None,
        attributed_to=None
        if att is None
        else GoldAttribution(att.get("country"), att.get("sector"), att.get("text")),
        evidence=str(d.get("evidence", "")),
    )


def _side(d: dict[str, Any] | None) -> GoldSide:
    d = d or {}
    return GoldSide(tuple(d.get("country") or ()), tuple(d.get("sector") or ()))


# --------------------------------------------------------------------------- matching


def matches(gold: GoldEvent, pred: dict[str, Any]) -> bool:
    """Rule 1: type, source country and target country agree."""
    if not set(pred.get("event") or ()) & set(gold.types):
        return False
    return _side_ok(gold.source, pred.get("actor") or []) and _side_ok(
        gold.target, pred.get("recipient") or []
    )


def _side_ok(side: GoldSide, entities: Sequence[dict[str, Any]]) -> bool:
    if not side.countries:
        return True
    return any(e.get("code") in side.countries for e in entities)


def match_events(
    gold: Sequence[GoldEvent], predicted: Sequence[dict[str, Any]]
) -> dict[int, int]:
    """Maximum one-to-one matching gold index -> predicted index.

    Kuhn's augmenting paths, required gold events first: augmenting never unmatches a gold
    event, so the required count is maximal and the total is a maximum matching. Candidate
    predictions are tried best first (most scored fields right) for good tie-breaking.
    """
    cands = [
        sorted(
            (j for j, p in enumerate(predicted) if matches(g, p)),
            key=lambda j, g=g: -_quality(g, predicted[j]),
        )
        for g in gold
    ]
    owner: dict[int, int] = {}  # predicted index -> gold index

    def augment(i: int, seen: set[int]) -> bool:
        for j in cands[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    order = [i for i, g in enumerate(gold) if g.required] + [
        i for i, g in enumerate(gold) if not g.required
    ]
    for i in order:
        augment(i, set())
    # Among matchings of that size, judge each prediction against the gold event it fits
    # best: an unmatched optional gold event takes a prediction from a matched optional one
    # when it agrees on more scored fields (counts of matches stay the same).
    changed = True
    while changed:
        changed = False
        matched_gold = set(owner.values())
        for i2, g2 in enumerate(gold):
            if i2 in matched_gold or g2.required:
                continue
            for j in cands[i2]:
                i1 = owner.get(j)
                if i1 is not None and not gold[i1].required and _quality(g2, predicted[j]) > _quality(gold[i1], predicted[j]):
                    owner[j] = i2
                    changed = True
                    break
            if changed:
                break
    return {i: j for j, i in owner.items()}


def _quality(gold: GoldEvent, pred: dict[str, Any]) -> int:
    return sum(1 for f in FIELD_CHECKS.values() if f(gold, pred) is True)


# --------------------------------------------------------------------------- field checks


def sector_right(gold: GoldEvent, pred: dict[str, Any]) -> bool | None:
    """None when the gold gives no sector on either side."""
    sides = [
        (gold.source, pred.get("actor") or []),
        (gold.target, pred.get("recipient") or []),
    ]
    scored = [(s, ents) for s, ents in sides if s.sectors]
    if not scored:
        return None
    return all(any(e.get("sector") in s.sectors for e in ents) for s, ents in scored)


def date_right(gold: GoldEvent, pred: dict[str, Any]) -> bool | None:
    """None when the gold date is null; else the predicted date lies in the gold period."""
    if gold.date is None:
        return None
    value = pred.get("date")
    return bool(value) and (value == gold.date or value.startswith(gold.date + "-"))


def location_right(gold: GoldEvent, pred: dict[str, Any]) -> bool | None:
    """None when the gold has no location list; else event_loc.country is in it."""
    if not gold.location:
        return None
    loc = pred.get("event_loc") or {}
    return loc.get("country") in gold.location


def attribution_right(gold: GoldEvent, pred: dict[str, Any]) -> bool:
    """Innermost quoted source vs. the gold ``attributed_to`` (null: outlet only)."""
    sources = [s for s in pred.get("attribution") or [] if s.get("kind") == "source"]
    att = gold.attributed_to
    if att is None:
        return not sources
    if not sources:
        return False
    inner = sources[-1]
    coded = (
        att.country is not None
        and inner.get("code") == att.country
        and (att.sector is None or inner.get("sector") == att.sector)
    )
    if coded:
        return True
    if att.text:
        needle = att.text.lower()
        return any(
            needle in (inner.get(k) or "").lower() for k in ("entity_text", "name")
        )
    return False


FIELD_CHECKS: dict[str, Callable[[GoldEvent, dict[str, Any]], bool | None]] = {
    "sector": sector_right,
    "date": date_right,
    "location": location_right,
    "attribution": attribution_right,
}


# --------------------------------------------------------------------------- scoring


def score(
    gold: Sequence[GoldEvent], predicted: Sequence[dict[str, Any]]
) -> dict[str, Any]:
    """Score predicted PLOVER records (``to_plover`` dicts) against gold events.

    Returns recall, precision, sector, date, location, attribution (shares or None),
    matched (pairs), matched_required, required, predicted, gold, missed (required gold ids
    not matched), unmatched_predicted (ids) and details (one entry per matched pair).
    """
    pairs = match_events(gold, predicted)
    required = sum(1 for g in gold if g.required)
    matched_required = sum(1 for i in pairs if gold[i].required)
    details: list[dict[str, Any]] = []
    tallies = {f: [0, 0] for f in FIELDS}  # right, scored
    for i, j in sorted(pairs.items()):
        row: dict[str, Any] = {
            "gold": gold[i].id,
            "predicted": predicted[j].get("id", j),
            "required": gold[i].required,
        }
        for name, check in FIELD_CHECKS.items():
            ok = check(gold[i], predicted[j])
            row[name] = ok
            if ok is not None:
                tallies[name][1] += 1
                tallies[name][0] += int(ok)
        details.append(row)
    matched_pred = set(pairs.values())
    result: dict[str, Any] = {
        "recall": _share(matched_required, required),
        "precision": _share(len(matched_pred), len(predicted)),
        **{f: _share(*tallies[f]) for f in FIELDS},
        "matched": len(pairs),
        "matched_required": matched_required,
        "required": required,
        "predicted": len(predicted),
        "gold": len(gold),
        "missed": [g.id for i, g in enumerate(gold) if g.required and i not in pairs],
        "unmatched_predicted": [
            p.get("id", j) for j, p in enumerate(predicted) if j not in matched_pred
        ],
        "details": details,
    }
    return result


def _share(right: int, total: int) -> float | None:
    return None if total == 0 else round(right / total, 4)


def gold_as_dict(event: GoldEvent) -> dict[str, Any]:
    """A GoldEvent as plain JSON-ready data (for reports)."""
    return asdict(event)
