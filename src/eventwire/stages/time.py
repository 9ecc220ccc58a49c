"""Stage 6 — time: when each event happened, resolved against the publication date.

Finding expressions is spaCy's job (DATE entities); choosing which one belongs to
the event, and resolving it, is ours:

1. **own clause** — a date attached to the trigger's clause (for a noun trigger,
   its noun phrase: "the attack on Tuesday"), not one inside a nested clause
   that has its own verb;
2. **governing clause** — walking up xcomp/advcl/conj/relcl... heads ("troops
   arrived on Monday to help ..."), stopping at content clauses (ccomp) and at
   reporting verbs;
3. **reporting verb** — the dates of the governors (reporting verbs, innermost
   first, plus the head of a content clause) apply only when the event is
   present or ongoing ("the navy said Wednesday that Chile is sending ships");
4. **publication date** — a present/ongoing event with no date happens on the
   publication day (precision day).

A past-tense event with no date expression gets ``value=None`` and precision
"unknown" (it happened on or before publication; ``how`` says so): guessing the
publication day or month would be wrong for the many background events news
mentions. A future event with no date is also unknown.

Resolution (``resolve_expression``): a weekday is the most recent such day on or
before publication (the publication day itself if it is that weekday), or the
next one after it in a future clause; a month name alone is the most recent such
month on or before publication (the next one in a future clause); "March 3"
without a year likewise. "last week" gives the month containing the day a week
before publication, precision month (a week cannot be written as a day or a
month exactly; month is the honest coarser unit). "N days ago" is day precision,
"N weeks/months ago" month, "N years ago" year. Durations ("three days",
"decades") are not dates and are skipped.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Literal

from ..records import DatePrecision, Document, EventDate, Span

Tense = Literal["past", "present", "future"]

MONTHS: dict[str, int] = {}
for _i in range(1, 13):
    MONTHS[calendar.month_name[_i].lower()] = _i
    MONTHS[calendar.month_abbr[_i].lower()] = _i
MONTHS["sept"] = 9
WEEKDAYS: dict[str, int] = {calendar.day_name[i].lower(): i for i in range(7)}
WEEKDAYS.update({calendar.day_abbr[i].lower(): i for i in range(7)})

#: Words of a DATE entity that do not change its value ("early Monday", "on Tuesday night").
FILLER = {"on", "in", "during", "early", "late", "earlier", "later", "this", "last", "past", "the",
          "morning", "afternoon", "evening", "night", "day", "of", "mid", "around", "about", "at", "by",
          "since", "until", "before", "after", ",", ".", "-"}
CLAUSE_DEPS = frozenset({"ROOT", "ccomp", "xcomp", "advcl", "relcl", "acl", "conj", "csubj", "pcomp", "parataxis"})
#: Relations going up from a clause to the clause that governs it (dates are inherited).
UP_DEPS = frozenset({"xcomp", "advcl", "conj", "relcl", "acl", "pcomp", "dobj", "nsubj", "nsubjpass", "pobj", "prep", "attr", "appos", "npadvmod"})
FUTURE_AUX = frozenset({"will", "shall", "'ll"})
PAST_AUX = frozenset({"was", "were", "had", "did", "'d"})


@dataclass(slots=True)
class Resolved:
    """A resolved date expression."""

    value: str
    precision: DatePrecision


# --------------------------------------------------------------------------- resolving


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _weekday(wd: int, published: date, tense: Tense) -> date:
    if tense == "future":
        ahead = (wd - published.weekday()) % 7 or 7
        return published + timedelta(days=ahead)
    return published - timedelta(days=(published.weekday() - wd) % 7)


def _month(month: int, published: date, tense: Tense) -> tuple[int, int]:
    if tense == "future":
        return (published.year, month) if month > published.month else (published.year + 1, month)
    return (published.year, month) if month <= published.month else (published.year - 1, month)


def _day_month(month: int, day: int, published: date, tense: Tense) -> date | None:
    try:
        this_year = date(published.year, month, day)
    except ValueError:
        return None
    if tense == "future":
        return this_year if this_year > published else _safe_date(published.year + 1, month, day)
    return this_year if this_year <= published else _safe_date(published.year - 1, month, day)


def _safe_date(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _day(d: date | None) -> Resolved | None:
    return Resolved(d.isoformat(), "day") if d else None


def _ym(y: int, m: int) -> Resolved:
    return Resolved(f"{y:04d}-{m:02d}", "month")


_WORDS = re.compile(r"[a-z]+|\d+(?:st|nd|rd|th)?|[/\-]")
_NUMBER_WORDS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
                 "seven": 7, "eight": 8, "nine": 9, "ten": 10, "several": None, "few": None}


def resolve_expression(text: str, published: date, tense: Tense = "past") -> Resolved | None:
    """Value and precision of one date expression, or None when it is not a date."""
    low = text.lower().replace("\u2019", "'")
    iso = re.search(r"\b(\d{4})-(\d{2})-(\d{2})\b", low)
    if iso:
        return _day(_safe_date(int(iso[1]), int(iso[2]), int(iso[3])))
    words = _WORDS.findall(low)
    for rule in (_deictic, _relative_unit, _ago, _calendar):
        found = rule(words, published, tense)
        if found is not None:
            return found
    return None


def _deictic(words: list[str], published: date, tense: Tense) -> Resolved | None:
    if "today" in words or "tonight" in words or words[-2:] in (["this", "morning"], ["this", "afternoon"], ["this", "evening"]):
        return _day(published)
    if "yesterday" in words or words[-2:] == ["last", "night"]:
        return _day(published - timedelta(days=1))
    if "tomorrow" in words:
        return _day(published + timedelta(days=1))
    return None


def _relative_unit(words: list[str], published: date, tense: Tense) -> Resolved | None:
    """this/last/next/past week|month|year."""
    for i, w in enumerate(words[:-1]):
        unit = words[i + 1]
        if w not in ("this", "last", "next", "past", "previous", "coming") or unit not in ("week", "month", "year", "weekend"):
            continue
        step = {"this": 0, "coming": 1, "next": 1}.get(w, -1)
        if unit in ("week", "weekend"):
            day = published + timedelta(days=7 * step)
            return _ym(day.year, day.month)
        if unit == "month":
            return _ym(*_shift_month(published.year, published.month, step))
        return Resolved(f"{published.year + step:04d}", "year")
    return None


def _ago(words: list[str], published: date, tense: Tense) -> Resolved | None:
    """"three days ago", "two years ago"."""
    if len(words) < 3 or words[-1] != "ago":
        return None
    count_word, unit = words[-3], words[-2].rstrip("s")
    count = int(count_word) if count_word.isdigit() else _NUMBER_WORDS.get(count_word)
    if count is None:
        return None
    if unit == "day":
        return _day(published - timedelta(days=count))
    if unit == "week":
        d = published - timedelta(days=7 * count)
        return _ym(d.year, d.month)
    if unit == "month":
        return _ym(*_shift_month(published.year, published.month, -count))
    if unit == "year":
        return Resolved(f"{published.year - count:04d}", "year")
    return None


def _calendar(words: list[str], published: date, tense: Tense) -> Resolved | None:
    """Weekdays, month names, day numbers and years, e.g. "March 3, 2019", "in 2018"."""
    if any(w.endswith("s") and w[:-1].isdigit() for w in words):  # "the 1990s"
        return None
    month = next((MONTHS[w] for w in words if w in MONTHS), None)
    numbers = [int(re.sub(r"\D", "", w)) for w in words if w[:1].isdigit()]
    year = next((n for n in numbers if 1000 <= n <= 2999), None)
    day = next((n for n in numbers if 1 <= n <= 31), None)
    weekday = next((WEEKDAYS[w] for w in words if w in WEEKDAYS), None)
    other = [w for w in words if w not in FILLER and w not in MONTHS and w not in WEEKDAYS and not w[:1].isdigit()]
    if other:  # "three days", "decades", "the first half" — not a point in time we resolve
        return None
    if month and day and year:
        return _day(_safe_date(year, month, day))
    if month and year:
        return _ym(year, month)
    if month and day:
        return _day(_day_month(month, day, published, tense))
    if month:
        return _ym(*_month(month, published, tense))
    if year and len(numbers) == 1:
        return Resolved(f"{year:04d}", "year")
    if weekday is not None:
        return _day(_weekday(weekday, published, tense))
    return None


# --------------------------------------------------------------------------- choosing


def tense_of(tok: Any) -> Tense:
    """past / present / future of the clause of ``tok`` (nouns and infinitives inherit)."""
    for _ in range(6):
        auxes = [c for c in tok.children if c.dep_ in ("aux", "auxpass")]
        low = {a.lower_ for a in auxes}
        if low & FUTURE_AUX or "going" in low or tok.lower_ == "will":
            return "future"
        if low & PAST_AUX or tok.tag_ == "VBD" or {"has", "have", "'s", "'ve"} & low and tok.tag_ == "VBN":
            return "past"
        if tok.tag_ in ("VBZ", "VBP") or low & {"is", "are", "am", "'re", "'m"}:
            return "present"
        if tok.tag_ == "VBN" and not auxes and tok.dep_ not in ("xcomp", "acl", "relcl"):
            return "past"
        if tok.head.i == tok.i:
            break
        tok = tok.head
    return "past"


def _is_clause_head(tok: Any) -> bool:
    return tok.pos_ in ("VERB", "AUX") and tok.dep_ in CLAUSE_DEPS


def _attachment(ent: Any, trigger: Any) -> Any:
    """The clause head (or the trigger) a DATE entity belongs to."""
    tok = ent.root
    for _ in range(12):
        if tok.i == trigger.i or _is_clause_head(tok):
            return tok
        if tok.head.i == tok.i:
            return tok
        tok = tok.head
    return tok


def _governing_chain(trigger: Any, governors: Sequence[Any]) -> tuple[list[Any], list[Any]]:
    """(clauses whose dates the event inherits, extra reporting heads found on the way)."""
    barrier = {g.i for g in governors}
    chain = [trigger]
    extra: list[Any] = []
    tok = trigger
    for _ in range(10):
        head = tok.head
        if head.i == tok.i or head.i in barrier:
            break
        if tok.dep_ == "ccomp" or tok.dep_ not in UP_DEPS:
            extra.append(head)
            break
        chain.append(head)
        tok = head
    return chain, extra


def _candidates(trigger: Any) -> list[Any]:
    doc = trigger.doc
    sent = trigger.sent if doc.has_annotation("SENT_START") or doc.has_annotation("DEP") else doc[:]
    return [e for e in sent.ents if e.label_ == "DATE"]


def _span(ent: Any) -> Span:
    return Span(ent.start_char, ent.end_char, ent.text)


def resolve_event_date(trigger: Any, published: date | None, governors: Sequence[Any] = ()) -> EventDate:
    """When the event whose trigger token is ``trigger`` happened (see module docstring)."""
    ents = _candidates(trigger)
    attached: dict[int, list[Any]] = {}
    for ent in ents:
        attached.setdefault(_attachment(ent, trigger).i, []).append(ent)
    chain, extra = _governing_chain(trigger, governors)
    tense = tense_of(trigger)
    steps: list[tuple[Any, str]] = [(chain[0], "date in the event's clause")]
    steps += [(c, f"date of governing clause '{c.text}'") for c in chain[1:]]
    for head, how in steps:
        found = _first_resolved(attached.get(head.i, []), head, published, how)
        if found is not None:
            return found
    if tense == "present":
        for gov in [*governors, *extra]:
            found = _first_resolved(attached.get(gov.i, []), gov, published, f"date of reporting verb '{gov.text}'")
            if found is not None:
                return found
        if published is not None:
            return EventDate(published.isoformat(), "day", None, "publication date (present/ongoing event)")
        return EventDate(None, "unknown", None, "present/ongoing event; no publication date")
    if tense == "future":
        return EventDate(None, "unknown", None, "future event without a date expression")
    when = f" (on or before {published.isoformat()})" if published else ""
    return EventDate(None, "unknown", None, f"past event without a date expression{when}")


def _first_resolved(ents: list[Any], head: Any, published: date | None, how: str) -> EventDate | None:
    for ent in sorted(ents, key=lambda e: abs(e.root.i - head.i)):
        if published is None:
            return EventDate(None, "unknown", _span(ent), f"{how}; no publication date to resolve it")
        found = resolve_expression(ent.text, published, tense_of(head))
        if found is not None:
            return EventDate(found.value, found.precision, _span(ent), how)
    return None


def _governor_tokens(doc: Any, event: Any) -> list[Any]:
    """Tokens of the attribution cues, innermost first."""
    tokens = []
    for speaker in reversed(event.attribution):
        if speaker.cue is None:
            continue
        span = doc.char_span(speaker.cue.start, speaker.cue.end, alignment_mode="expand")
        if span is not None and len(span):
            tokens.append(span.root)
    return tokens


def date_events(document: Document) -> Document:
    """Stage entry point: set ``ev.date`` for each event of the document."""
    doc = document.doc
    if doc is None:
        return document
    published = document.article.published
    for ev in document.events:
        span = doc.char_span(ev.trigger.start, ev.trigger.end, alignment_mode="expand")
        if span is None or not len(span):
            continue
        ev.date = resolve_event_date(span.root, published, _governor_tokens(doc, ev))
    return document
