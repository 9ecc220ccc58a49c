"""Stage — context: the PLOVER 2.0 general contexts of each event, with the words that show them.

PLOVER's ``context`` field tags an event with what it is about (military, economic, election,
health ... 37 in the manual's table). eventwire gives a context only where the event's own
sentence shows it, and keeps the evidence (:class:`~eventwire.records.ContextCue`):

1. **trigger** — the lexicon entry that coded the event names a context ("sued" -> legal,
   "hacked" -> cyber);
2. **cue** — a word or phrase of the context's ``cues`` in the event's sentence ("the
   election", "an oil field"), whole words, case-insensitive;
3. **sector** — the event's actor or recipient has a sector that implies the context (MIL ->
   military, JUD -> legal, LEG -> legislative ...);
4. **between states** — a verbal event (a meeting, an accusation, a demand ...) from one state's
   government to another's is diplomatic (the context's ``between_states`` types).

A context listed in another's ``unless`` gives way ("crime" is dropped when "corruption",
"illegal_drugs" ... apply, as the manual says). Contexts come out in the manual's order.
The facts are data: ``data/plover/contexts.yaml`` (schema ``contexts.schema.json``).

>>> tagger = ContextTagger()
>>> [c.context for c in tagger.cues_in("Voters queued at polling stations as the army kept watch.")]
['military', 'election']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..errors import DataError
from ..knowledge.kb import INTERNATIONAL_CODES
from ..plover import load_plover_yaml
from ..records import Actor, ContextCue, Document, Event, Span


@dataclass(frozen=True, slots=True)
class ContextRule:
    """One PLOVER context: the pattern of its cue words, the sectors that imply it, and the
    more specific contexts that replace it."""

    name: str
    description: str
    pattern: re.Pattern[str] | None
    sectors: frozenset[str]
    unless: tuple[str, ...]
    nouns_only: frozenset[str] = frozenset()  # cues that count only as nouns ("to court voters")
    between_states: frozenset[str] = frozenset()  # event types that, state to state, are this context


@dataclass(frozen=True, slots=True)
class ContextTable:
    version: int
    rules: tuple[ContextRule, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(r.name for r in self.rules)


def _cue_pattern(cues: Sequence[str]) -> re.Pattern[str] | None:
    """Whole-word, case-insensitive alternation of ``cues``; each may take a plural -s/-es,
    and a hyphen or space inside a cue matches either."""
    if not cues:
        return None
    parts = []
    for cue in sorted(cues, key=len, reverse=True):  # longest first: "cyber attack" before "cyber"
        words = re.split(r"[\s-]+", cue.strip())
        parts.append(r"[\s-]+".join(re.escape(w) for w in words))
    return re.compile(r"(?<![\w-])(?:" + "|".join(parts) + r")(?:s|es)?(?![\w-])", re.IGNORECASE)


@lru_cache(maxsize=1)
def load_contexts() -> ContextTable:
    """The contexts table (data/plover/contexts.yaml), validated against its schema."""
    raw = load_plover_yaml("contexts")
    names = set(raw["contexts"])
    rules = []
    for name, entry in raw["contexts"].items():
        unknown = set(entry.get("unless", ())) - names
        if unknown:
            raise DataError(f"data/plover/contexts.yaml: {name}.unless names unknown contexts {sorted(unknown)}")
        nouns = {c.lower() for c in entry.get("nouns_only", ())}
        if nouns - {c.lower() for c in entry["cues"]}:
            raise DataError(f"data/plover/contexts.yaml: {name}.nouns_only lists words that are not its cues")
        rules.append(ContextRule(name, entry["description"], _cue_pattern(entry["cues"]),
                                 frozenset(entry.get("sectors", ())), tuple(entry.get("unless", ())),
                                 frozenset(nouns), frozenset(entry.get("between_states", ()))))
    return ContextTable(int(raw["version"]), tuple(rules))


class ContextTagger:
    """Pipeline stage: sets ``Event.context`` and ``Event.context_evidence``."""

    def __init__(self, table: ContextTable | None = None) -> None:
        self.table = table or load_contexts()
        self._order = {name: k for k, name in enumerate(self.table.names)}

    def __call__(self, document: Document) -> Document:
        text = document.article.text
        for ev in document.events:
            self.tag(ev, text, document.doc)
        return document

    def cues_in(self, text: str, start: int = 0, end: int | None = None, doc: Any = None) -> list[ContextCue]:
        """The first cue of each context in ``text[start:end]`` (offsets into ``text``). With
        the spaCy ``doc`` of ``text``, words inside a person's name do not count, and a
        ``nouns_only`` cue counts only where it is tagged a noun."""
        end = len(text) if end is None else end
        found = []
        for rule in self.table.rules:
            if rule.pattern is None:
                continue
            for m in rule.pattern.finditer(text, start, end):
                if doc is not None and not _word_ok(m, rule.nouns_only, doc):
                    continue
                found.append(ContextCue(rule.name, Span(m.start(), m.end(), m.group(0)), "cue"))
                break
        return found

    def tag(self, ev: Event, text: str, doc: Any = None) -> Event:
        """Give ``ev`` its contexts: the trigger's, then cues in its sentence, then sectors, then
        the between-states rule; the first evidence found for a context is kept."""
        evidence: dict[str, ContextCue] = {}
        for name in ev.context:  # from the lexicon entry
            evidence.setdefault(name, ContextCue(name, ev.trigger, "trigger"))
        for cue in self.cues_in(text, ev.sentence.start, ev.sentence.end, doc):
            evidence.setdefault(cue.context, cue)
        for cue in self._sector_cues(ev.actor + ev.recipient):
            evidence.setdefault(cue.context, cue)
        if _between_states(ev):
            for rule in self.table.rules:
                if ev.type in rule.between_states:
                    evidence.setdefault(rule.name, ContextCue(rule.name, ev.trigger, "between states"))
        blocked = {r.name for r in self.table.rules
                   if r.name in evidence and any(u in evidence for u in r.unless)}
        kept = sorted((c for n, c in evidence.items() if n not in blocked),
                      key=lambda c: self._order.get(c.context, len(self._order)))
        ev.context = [c.context for c in kept]
        ev.context_evidence = kept
        return ev

    def _sector_cues(self, actors: Iterable[Actor]) -> list[ContextCue]:
        out = []
        for a in actors:
            if not a.sector:
                continue
            for rule in self.table.rules:
                if a.sector in rule.sectors:
                    out.append(ContextCue(rule.name, Span(a.start, a.end, a.entity_text), f"sector {a.sector}"))
        return out


def _between_states(ev: Event) -> bool:
    """The actor and the recipient are governments (sector GOV) of two different states: no
    shared country code, and no international body (IGO, UNO, EUR ...) on either side."""
    def states(side: list[Actor]) -> set[str]:
        return {a.code for a in side if a.sector == "GOV" and a.code and a.code not in INTERNATIONAL_CODES}
    acts, recs = states(ev.actor), states(ev.recipient)
    return bool(acts and recs and not acts & recs)


def _word_ok(m: re.Match[str], nouns_only: frozenset[str], doc: Any) -> bool:
    """False when the matched words are part of a person's name ("the lawyer Ann Christian")
    or are a ``nouns_only`` cue that spaCy tags as something else ("voters will judge")."""
    span = doc.char_span(m.start(), m.end(), alignment_mode="expand")
    if span is None:
        return True
    if any(t.ent_type_ == "PERSON" for t in span):
        return False
    word = m.group(0).lower()
    return not ({word, word[:-1], word[:-2]} & nouns_only) or span.root.pos_ in ("NOUN", "PROPN")

