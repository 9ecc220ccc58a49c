"""Typed records that flow through the pipeline.

read -> nlp -> actors -> events -> dyads -> context -> attribution (and modality) -> time -> place -> output

Every character offset in these records is an offset into ``Article.text`` (the
exact text the user gave us, after decoding), so that any field can be shown as
evidence by slicing the article.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any, Literal

Modality = Literal[
    "asserted",  # the outlet (or its quoted source) states it happened
    "reported",  # stated by a reported source (said, told, according to)
    "claimed",  # claimed / alleged: the source's own claim, flagged as contested
    "denied",  # a source denies it happened
    "negated",  # the text says it did not happen
    "hypothetical",  # if / could / would-if
    "future",  # will / plans to / threatened to
    "historical",  # previously / in the past, long before the report
]
MODALITIES: tuple[str, ...] = (
    "asserted",
    "reported",
    "claimed",
    "denied",
    "negated",
    "hypothetical",
    "future",
    "historical",
)

DatePrecision = Literal["day", "month", "year", "unknown"]
PlaceResolution = Literal["country", "admin1", "city"]


@dataclass(slots=True)
class Span:
    """A piece of the article: [start, end) character offsets and the text there."""

    start: int
    end: int
    text: str


@dataclass(slots=True)
class Article:
    """One input document after reading and decoding."""

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    published: date | None = None
    outlet: str | None = None
    byline: str | None = None
    language: str = "en"
    source: str | None = None  # file path or URL it was read from


@dataclass(slots=True)
class Actor:
    """A coded entity: PLOVER country code + sector, and how we know.

    ``code`` is an ISO 3166 alpha-3 code or one of PLOVER's extras (IGO, UNO,
    EUR, NGO, ISM, IMG, MNC, KOS); None when the text names no country.
    ``start``/``end`` point at the mention in the article text; for a pronoun or
    surname resolved by coreference, ``entity_text`` is the mention and
    ``canonical`` the full name it resolves to; for a pronoun (personal or relative),
    ``antecedent`` is the ``[start, end)`` span of the mention it resolves to ("him" ->
    "President Tom Oduya" earlier in the sentence), None otherwise.
    """

    entity_text: str
    start: int
    end: int
    code: str | None = None
    sector: str | None = None
    canonical: str | None = None
    kind: str = "other"  # person | organization | country | group | pronoun | thing | other
    evidence: list[str] = field(default_factory=list)  # human-readable reasons
    confidence: float = 1.0
    antecedent: tuple[int, int] | None = None

    @property
    def label(self) -> str:
        return " ".join(x for x in (self.code or "---", self.sector or "") if x)


@dataclass(slots=True)
class Speaker:
    """One link in an attribution chain: who says so, and the words that say it."""

    actor: Actor | None  # None for the outlet when it cannot be coded
    name: str  # outlet name or the speaker's text
    cue: Span | None  # "said", "reported", "according to"...; None for the outlet
    kind: Literal["outlet", "source"] = "source"


@dataclass(slots=True)
class EventDate:
    """When the event happened, as precise as the text allows."""

    value: str | None  # "YYYY-MM-DD" | "YYYY-MM" | "YYYY" | None
    precision: DatePrecision = "unknown"
    span: Span | None = None  # the words the date came from, if any
    how: str = ""  # the rule that chose it


@dataclass(slots=True)
class Place:
    """Where the event happened, geocoded."""

    name: str
    span: Span | None
    country: str | None  # ISO alpha-3
    resolution: PlaceResolution = "country"
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonames_id: int | None = None
    how: str = ""


@dataclass(slots=True)
class ContextCue:
    """Why an event has a PLOVER context: the words of its sentence that show it."""

    context: str  # a PLOVER 2.0 context name (data/plover/contexts.yaml)
    span: Span  # the cue words, the trigger, or the actor mention whose sector implies it
    how: str  # "cue", "trigger" (the lexicon entry's context), "sector MIL" ... or "between states"


@dataclass(slots=True)
class Event:
    """A PLOVER 2.0 event with eventwire's evidence fields."""

    id: str
    article_id: str
    type: str  # one of the 16 PLOVER types
    actor: list[Actor]
    recipient: list[Actor]
    trigger: Span  # the words that carry the event
    sentence: Span  # the whole sentence: evidence
    mode: list[str] = field(default_factory=list)
    context: list[str] = field(default_factory=list)
    context_evidence: list[ContextCue] = field(default_factory=list)  # one per context, same order
    modality: str = "asserted"
    modality_cue: Span | None = None
    attribution: list[Speaker] = field(default_factory=list)  # outermost first
    date: EventDate = field(default_factory=lambda: EventDate(None))
    place: Place | None = None
    confidence: float = 0.5
    coder: str = ""
    rule: str = ""  # the lexicon entry / pattern that fired

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Document:
    """The record that flows through the stages: an article and what each stage adds.

    ``doc`` is the spaCy ``Doc`` (set by the nlp stage); ``mentions`` maps a spaCy
    token index (the head of a noun phrase) to the Actor it denotes (set by the
    actors stage); ``events`` is filled by the events stage and enriched by the
    attribution, time and place stages.
    """

    article: Article
    doc: Any = None
    mentions: dict[int, Actor] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # warnings worth showing the user
