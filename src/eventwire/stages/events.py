"""Stage 4 — events: find who did what to whom in each sentence.

Dependency patterns over spaCy's parse, driven by the lexicon in
``data/lexicon/events.yaml``: a trigger word (verb, noun or adjective) gives the
PLOVER type; the parse gives the actor (subject, passive agent, controller of an
infinitive, antecedent of a relative pronoun) and the recipient (the slots the
lexicon entry names). Actors are coded by the actors stage (``ActorCoder``).

Negation ("did not attack") is recorded as modality ``negated``; a refusal or a threat
that embeds another event ("refused to meet", "warned it would strike") yields the single
REJECT / THREATEN event, as PLOVER's manual asks, and so does a cooperative act declared
not to happen ("will not release the prisoners": REJECT with the types table's
``refusal_mode``) or an agreement that failed ("failed to reach a deal":
``failure_is_refusal``). A thing stands for its owner ("rejected the call of X": X), an
event noun takes its verb's entries (``nominalizations``) and its light verb's tense and
negation, a reported "must" clause is a demand on its subject, and an agentless state act
("was arrested in Peru") is by the state of the place (``state_acts``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from .. import CODER
from ..errors import DataError
from ..plover import load_plover_types
from ..records import Actor, Document, Event, Span
from .actors import SPEAKER_PRONOUNS, own_subjects  # "X said it would ...": X

PLOVER_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
VERBAL_TYPES = frozenset({"AGREE", "CONSULT", "SUPPORT", "CONCEDE", "REQUEST", "ACCUSE", "REJECT", "THREATEN"})

SUBJECT_DEPS = ("nsubj", "csubj")
CLIMB_DEPS = ("xcomp", "advcl", "conj", "acl", "relcl", "pcomp", "prep", "pobj", "dobj", "appos", "npadvmod", "acomp")
NEGATIONS = frozenset({"not", "n't", "never", "no"})
#: modals that make a reported clause a demand on its subject ("Russia says Chile must withdraw");
#: "should" is left out: as often a forecast ("the talks should end soon") as a demand
OBLIGATION_AUX = frozenset({"must"})
#: auxiliaries that make a negated cooperative act a declared refusal ("will not", "won't", "cannot")
REFUSAL_AUX = frozenset({"will", "wo", "'ll", "shall", "would", "can", "ca"})
RELATIVE_TAGS = frozenset({"WP", "WDT", "WP$"})
OWN_POSSESSIVES = frozenset({"its", "their", "our", "my"})
DEEP_PREPS = frozenset({"to", "against", "with", "from", "on", "in"})  # a recipient phrase the parser may hang deep in the object
PROPERTY_TYPES = frozenset({"ASSAULT", "COERCE"})  # lexicon property_nouns: "struck a bus", "seized the stations"
INNER_PREPS = ("with", "between", "against", "by", "from")  # a party inside a thing's phrase
OWNER_PREPS = frozenset({"of", "by", "from"})  # "the call of X", "a request by/from X"
PRONOUNS = frozenset({"it", "they", "he", "she", "we", "i", "its", "their", "his", "her", "our", "them", "him", "us"})
ACTOR_POS = frozenset({"NOUN", "PROPN", "PRON", "NUM"})  # "thousands of Cubans" heads on a number
# types whose recipient can be the owner of the thing acted on ("shelled its border posts",
# "criticised her decision"); for the others ("met his targets", "funded their plans") it cannot
OWNER_TYPES = frozenset({"ASSAULT", "COERCE", "SANCTION", "ACCUSE", "SUPPORT", "REJECT", "THREATEN",
                         "REQUEST", "PROTEST", "CONCEDE"})  # "conceded to the demands of X": X


@dataclass(frozen=True, slots=True)
class LexEntry:
    """One line of the event lexicon."""

    lemma: str
    type: str
    pos: str = "VERB"
    mode: tuple[str, ...] = ()
    recipient: tuple[str, ...] = ("dobj",)
    objects: frozenset[str] | None = None
    embedded: frozenset[str] | None = None
    reciprocal: bool = False
    context: tuple[str, ...] = ()
    confidence: float = 0.7
    without: frozenset[str] = frozenset()  # children the trigger must not have: "dep" or "dep:word"
    party_only: bool = False  # the recipient must be a party (an agent), never a thing, coded or not

    @property
    def constrained(self) -> bool:
        return self.objects is not None or self.embedded is not None


@dataclass(slots=True)
class Lexicon:
    entries: dict[tuple[str, str], list[LexEntry]]
    light_verbs: frozenset[str]
    version: int = 1
    thing_names: frozenset[str] = frozenset()
    partitives: frozenset[str] = frozenset()
    state_verbs: frozenset[str] = frozenset()
    state_acts: frozenset[str] = frozenset()
    blame_harms: frozenset[str] = frozenset()
    property_nouns: frozenset[str] = frozenset()
    trip_verbs: frozenset[str] = frozenset()

    def lookup(self, lemma: str, pos: str) -> list[LexEntry]:
        return self.entries.get((lemma, pos), [])

    def types_of(self, lemma: str, pos: str = "VERB") -> set[str]:
        return {e.type for e in self.lookup(lemma, pos)}


def _entry(raw: dict[str, Any]) -> LexEntry:
    if raw.get("type") not in PLOVER_TYPES:
        raise DataError(f"event lexicon entry {raw!r} has an unknown type; use one of {', '.join(PLOVER_TYPES)}")
    return LexEntry(
        lemma=str(raw["lemma"]).lower(),
        type=raw["type"],
        pos=raw.get("pos", "VERB"),
        mode=tuple(raw.get("mode", ())),
        recipient=tuple(raw.get("recipient", ("dobj",))),
        objects=frozenset(raw["objects"]) if "objects" in raw else None,
        embedded=frozenset(raw["embedded"]) if "embedded" in raw else None,
        reciprocal=bool(raw.get("reciprocal", False)),
        context=tuple(raw.get("context", ())),
        confidence=float(raw.get("confidence", 0.7)),
        without=frozenset(raw.get("without", ())),
        party_only=bool(raw.get("party_only", False)),
    )


#: where a nominalization looks for what its verb's slot held
NOMINAL_SLOTS = {"dobj": ("prep:of", "prep:against", "prep:on", "prep:for"), "dative": ("prep:to",)}


def _nominal(noun: str, verb_entry: LexEntry) -> LexEntry:
    """The entry an event noun takes from its verb's ("suspension" from "suspend")."""
    slots: list[str] = []
    for slot in verb_entry.recipient:
        for s in NOMINAL_SLOTS.get(slot, (slot,) if slot.startswith("prep:") or slot == "none" else ()):
            if s not in slots:
                slots.append(s)
    return replace(verb_entry, lemma=noun, pos="NOUN", recipient=tuple(slots) or ("none",),
                   confidence=round(verb_entry.confidence - 0.1, 2))


@lru_cache(maxsize=2)
def load_lexicon(path: str | None = None) -> Lexicon:
    """Load the event lexicon (the packaged one unless ``path`` is given)."""
    try:
        if path is None:
            text = resources.files("eventwire").joinpath("data/lexicon/events.yaml").read_text("utf-8")
        else:
            with open(path, encoding="utf-8") as fh:
                text = fh.read()
        raw = yaml.safe_load(text)
    except (OSError, yaml.YAMLError) as e:
        raise DataError(f"cannot read the event lexicon ({path or 'packaged'}): {e}") from None
    entries: dict[tuple[str, str], list[LexEntry]] = {}
    for item in raw.get("entries", []):
        e = _entry(item)
        entries.setdefault((e.lemma, e.pos), []).append(e)
    for noun, verb in (raw.get("nominalizations") or {}).items():
        if (noun, "NOUN") not in entries:
            derived = [_nominal(noun, e) for e in entries.get((verb, "VERB"), []) if e.embedded is None]
            if derived:
                entries[(noun, "NOUN")] = derived
    for key, lst in entries.items():
        # constrained entries (theme / embedded clause) are tried before the general ones
        entries[key] = sorted(lst, key=lambda e: not e.constrained)
    return Lexicon(entries, frozenset(raw.get("light_verbs", ())), int(raw.get("version", 1)),
                   frozenset(raw.get("thing_names", ())), frozenset(raw.get("partitives", ())),
                   frozenset(raw.get("state_verbs", ())), frozenset(raw.get("state_acts", ())),
                   frozenset(raw.get("blame_harms", ())), frozenset(raw.get("property_nouns", ())),
                   frozenset(raw.get("trip_verbs", ())))


# --------------------------------------------------------------------------- parse helpers


def conjuncts(tok: Any) -> list[Any]:
    """The token and the tokens coordinated with it ("the U.S., Israel and Colombia")."""
    out = [tok]
    for c in tok.children:
        if c.dep_ == "conj" and c.pos_ in ("PROPN", "NOUN", "PRON"):
            out.extend(conjuncts(c))
    return out


#: entity labels of names that are things, not actors
THING_ENTS = frozenset({"LAW", "EVENT", "WORK_OF_ART", "PRODUCT", "DATE", "TIME", "MONEY", "QUANTITY",
                        "PERCENT", "CARDINAL", "ORDINAL", "LANGUAGE"})


def mention_span(document: Document, actor: Actor) -> Any | None:
    """The parsed tokens of a mention (character offsets expanded to whole tokens), or None
    when the document has no parse or the offsets cover no token."""
    if document.doc is None:
        return None
    span = document.doc.char_span(actor.start, actor.end, alignment_mode="expand")
    return span if span is not None and len(span) else None


def agentive(document: Document, actor: Actor, kb: Any) -> bool:
    """Can the phrase's head act or be acted on: a name, a pronoun, a country or person, or a
    role noun ("troops", "the government") -- not a thing that borrowed a code or sector from
    its modifiers ("the strength of the intelligence", "a phased withdrawal of troops")."""
    if actor.kind in ("country", "person", "pronoun", "group"):
        return True  # groups: "Cubans", "thousands of Cubans", "rebels"
    span = mention_span(document, actor)
    if span is None:
        return False
    head = span.root
    if head.pos_ == "PRON":
        return True
    if head.ent_type_ in THING_ENTS or head.lower_ in load_lexicon().thing_names:
        return False  # "the 1701 Act", "the Budget", "the Security Bill": a law, an event, a work
    role = any(kb.sector_of(k) or kb.agent_code(k) for k in (head.lower_, head.lemma_.lower()))
    if not role and any(c.dep_ == "poss" and c.pos_ == "PRON" for c in head.children):
        return False  # "his Budget": something someone owns
    return role or head.pos_ == "PROPN"


def is_passive(verb: Any) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)


def hyphen_lemmas(tok: Any) -> list[str]:
    """A word the tokenizer split at its hyphen ("cease-fire" -> cease, -, fire): the whole
    word and the word without its hyphen, as keys for the last piece; [] otherwise."""
    doc, i = tok.doc, tok.i
    if i < 2 or doc[i - 1].text != "-" or doc[i - 1].whitespace_ or doc[i - 2].whitespace_:
        return []
    first = doc[i - 2]
    if first.head.i != i or not first.is_alpha:
        return []
    word = f"{first.lower_}-{tok.lemma_.lower()}"
    return [word, word.replace("-", "")]


def particle_lemma(tok: Any) -> list[str]:
    """Candidate lexicon keys for a token: phrasal ("pull out", "call on") first, then a
    hyphenated whole ("cease-fire"), then the lemma."""
    keys = []
    for c in tok.children:
        if c.dep_ == "prt" or (c.dep_ in ("prep", "acomp", "oprd", "ccomp", "xcomp") and c.i == tok.i + 1):
            keys.append(f"{tok.lemma_.lower()} {c.lower_}")  # "pull out", "call on", "set free"
    keys.extend(hyphen_lemmas(tok))
    keys.append(tok.lemma_.lower())
    if tok.lower_ != tok.lemma_.lower():
        keys.append(tok.lower_)
    return keys


UNTIL_MARKS = frozenset({"until", "unless", "till"})
AFTER_MARKS = frozenset({"after", "once"})
DEAL_NOUNS = frozenset({"agreement", "deal", "accord", "talks", "negotiation", "negotiations"})


def _clause_subjects(tok: Any, dep: str, marks: frozenset[str] | None = None) -> list[Any]:
    """Subjects of the ``dep`` clauses of ``tok`` (only those introduced by one of ``marks``);
    of a passive clause, its agent ("until their demands are met by the government")."""
    out = []
    for c in tok.children:
        if c.dep_ != dep or (marks is not None and not any(m.dep_ == "mark" and m.lower_ in marks for m in c.children)):
            continue
        agents = [o for a in c.children if a.dep_ == "agent" for o in a.children if o.dep_ == "pobj"]
        subjects = agents or [x for x in c.children if x.dep_ in SUBJECT_DEPS]
        out += [h for x in subjects for h in conjuncts(x)]
    return out


def _children_and_marks(tok: Any) -> list[Any]:
    """A token's children and the marker right after it of a clause it governs ("called [for]
    the embargo to be lifted": "for" belongs to the clause in the parse, to the verb in meaning)."""
    out = list(tok.children)
    out += [m for c in tok.children if c.dep_ in ("advcl", "ccomp", "xcomp")
            for m in c.children if m.dep_ == "mark" and m.i == tok.i + 1]
    return out


def usable(actor: Actor | None) -> bool:
    """Can the events stage use this mention as a side: a country or sector, or a name."""
    return actor is not None and bool(actor.code or actor.sector or actor.kind == "named")


def governor(tok: Any) -> Any:
    """The light verb an event noun is the object of ("will not hold talks": hold), else the
    token itself: tense, modals and negation sit on it."""
    noun = _phrase_noun(tok) if tok.pos_ == "NOUN" and tok.dep_ == "pobj" else tok  # "began a round of talks"
    if noun.pos_ in ("NOUN", "PROPN") and noun.dep_ in ("dobj", "attr") and noun.head.pos_ in ("VERB", "AUX"):
        if any(k in load_lexicon().light_verbs for k in particle_lemma(noun.head)):
            return noun.head
    if tok.pos_ == "NOUN" and tok.dep_ == "pobj" and tok.head.lower_ == "on":
        verb = tok.head.head  # "troops remained on alert", "were put on high alert"
        if verb.pos_ in ("VERB", "AUX") and verb.lemma_.lower() in load_lexicon().state_verbs:
            return verb
    if tok.pos_ == "NOUN" and tok.dep_ == "pobj" and tok.head.lower_ == "for":
        verb = tok.head.head  # "flew to Lima for talks with X": the trip carries the talks
        if verb.pos_ == "VERB" and verb.lemma_.lower() in load_lexicon().trip_verbs:
            return verb
    return tok


def negation(tok: Any) -> Any | None:
    """The word that negates a trigger ("did not attack", "no talks", "will not hold talks",
    "failed to reach a deal"), or None."""
    gov = governor(tok)
    for t in (tok, gov) if gov is not tok else (tok,):
        neg = next((c for c in t.children if c.dep_ == "neg" or c.lower_ in NEGATIONS and c.dep_ in ("advmod", "det")), None)
        if neg is not None:
            return neg
    if gov.dep_ == "xcomp" and gov.head.lemma_.lower() == "fail":
        return gov.head
    if purpose_clause(gov) and gov.head.pos_ == "VERB":
        # the purpose of a deed not done is not done: "will not go to Lima to meet X"
        return next((c for c in gov.head.children if c.dep_ == "neg"), None)
    return None


def purpose_clause(tok: Any) -> bool:
    """Is ``tok`` the verb of an infinitive of purpose ("went to Lima [to meet X]")?"""
    return tok.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in tok.children)


def modal_future(verb: Any) -> bool:
    return any(c.dep_ == "aux" and c.lower_ in ("will", "would", "'ll", "shall") for c in verb.children)


# --------------------------------------------------------------------------- the coder


@dataclass(slots=True)
class _Candidate:
    trigger: Any
    entry: LexEntry
    actors: list[Actor]
    recipients: list[Actor]
    consumed: set[int] = field(default_factory=set)
    negated: Any = None
    rule: str = ""


class EventCoder:
    """The events stage. ``coder(document)`` fills ``document.events``."""

    name = "events"

    def __init__(self, actor_coder: Any, config: Any = None, lexicon: Lexicon | None = None) -> None:
        from ..config import Config

        self.actors = actor_coder
        self.config = config or Config()
        self.lexicon = lexicon or load_lexicon()

    # -- stage protocol
    def __call__(self, document: Document) -> Document:
        doc = document.doc
        if doc is None:
            raise ValueError("the events stage needs a parsed document (run the nlp stage first)")
        events: list[Event] = []
        for sent in doc.sents:
            events.extend(self._code_sentence(document, sent))
        self.set_events(document, events)
        return document

    def set_events(self, document: Document, events: list[Event]) -> None:
        """Deduplicate ``events`` into ``document.events`` and number them ``ARTICLE:N``."""
        document.events = self._dedupe(document, events)
        for n, ev in enumerate(document.events):
            ev.id = f"{document.article.id}:{n}"

    # -- per sentence
    def _code_sentence(self, document: Document, sent: Any) -> list[Event]:
        cands: list[_Candidate] = []
        for tok in sent:
            for entry in self._entries_for(tok):
                cand = self._match(document, tok, entry)
                if cand is not None:
                    cands.append(cand)
                    break
        consumed = set().union(*(c.consumed for c in cands)) if cands else set()
        out = []
        for c in cands:
            if c.trigger.i in consumed:
                continue
            out.append(self._to_event(document, sent, c))
        return out

    def _entries_for(self, tok: Any) -> Iterator[LexEntry]:
        pos = tok.pos_
        if pos in ("VERB", "AUX"):
            kinds = ["VERB"]
            if tok.tag_ == "VBN":
                kinds.append("ADJ")  # "concerned", "worried" tagged as participles
        elif pos in ("NOUN", "PROPN"):
            kinds = ["NOUN"]
        elif pos == "ADJ":
            kinds = ["ADJ"]
        else:
            return
        for key in particle_lemma(tok):
            for kind in kinds:
                yield from self.lexicon.lookup(key, kind)

    def _match(self, document: Document, tok: Any, entry: LexEntry) -> _Candidate | None:
        if entry.without and any(c.dep_ in entry.without or f"{c.dep_}:{c.lower_}" in entry.without
                                 for c in _children_and_marks(tok)):
            return None  # "called the envoy a liar" names, "called for talks" asks: no phone call
        if entry.pos == "VERB" and not self._objects_ok(tok, entry):
            return None
        if entry.pos == "NOUN" and not self._noun_ok(tok, entry):
            return None
        if entry.pos == "VERB" and not entry.constrained and self._is_light(tok) and any(
                c.dep_ == "dobj" and c.pos_ == "NOUN" and self._entries_exist(c) for c in tok.children):
            return None  # "ordered the arrest of X": the ordered deed is the event, not the order
        consumed: set[int] = set()
        if entry.pos == "VERB" and entry.objects is not None:
            # the object that makes the verb an event is part of it: "signed an agreement" is
            # one event, not also the noun "agreement"
            consumed |= {c.i for c in tok.children if c.dep_ in ("dobj", "nsubjpass", "attr")
                         and ({c.lemma_.lower(), *hyphen_lemmas(c)} & entry.objects)}
        if entry.embedded is not None:
            comp = self._embedded_event(tok, entry.embedded)
            if comp is None:
                return None
            consumed.add(comp.i)
        actors = self._actors_of(document, tok, entry)
        if not actors:
            return None
        if entry.type == "REJECT" and entry.pos == "VERB":
            # a refused event is not also asserted: "refused official talks with X" is no meeting
            consumed |= {c.i for c in tok.children if c.dep_ == "dobj" and self._entries_exist(c)}
        unresolved: list[Any] = []
        recipients, used = self._recipients_of(document, tok, entry, actors, unresolved)
        recipients = [r for r in recipients if not _same_entity(r, actors)]  # "declined to discuss his ..."
        if entry.party_only:  # "welcomed Peru's attempt" welcomes no visitor
            recipients = [r for r in recipients if agentive(document, r, self.actors.kb)]
        if used is not None:
            consumed.add(used)
        rule = f"{entry.pos.lower()}:{entry.lemma}->{entry.type}"
        if used is not None and entry.type in MUTUAL_TYPES and len(actors) > 1 and mutual_pair(actors)[1]:
            # "Chile and Peru agreed to share data on X": the pair agrees; X is only the topic
            recipients = []
        if not recipients and entry.type in MUTUAL_TYPES:
            actors, recipients = mutual_pair(actors)
            rule += " mutual" if recipients else ""
        if not recipients and unresolved and self.config.object_recipients:
            recipients = self._object_party(document, unresolved[0], entry, actors)
        if not recipients and "none" not in entry.recipient:
            return None
        if self.config.require_dyad and not recipients:
            return None
        return _Candidate(tok, entry, actors, recipients, consumed, negation(tok), rule=rule)

    # -- constraints
    def _objects_ok(self, verb: Any, entry: LexEntry) -> bool:
        if entry.objects is None:
            return True
        objs = [c for c in verb.children if c.dep_ in ("dobj", "nsubjpass", "attr")]
        if entry.recipient and any(s == "dative" for s in entry.recipient):
            objs += [c for c in verb.children if c.dep_ in ("dative", "iobj")]
        objs += self._prep_objects(verb, "to") + self._prep_objects(verb, "on")  # "agreed to/on a deal"
        if entry.lemma.endswith(" for"):
            objs += self._prep_objects(verb, "for")  # "called for sanctions"
        objs += self._prep_objects(verb, "as")  # "used civilians as human shields"
        if "ccomp_subj" in entry.recipient:  # "allowed the ship to dock"
            objs += _clause_subjects(verb, "ccomp")
        # a predicate adjective of a small clause, not negated: "found the consul guilty"
        objs += [c for c in verb.children if c.dep_ in ("ccomp", "oprd", "acomp") and c.pos_ == "ADJ"
                 and not any(n.dep_ == "neg" for n in c.children)]
        lemmas = set()
        for o in objs:
            for t in conjuncts(o) + [x for x in o.subtree if x.dep_ in ("compound", "pobj")][:3]:
                lemmas.add(t.lemma_.lower())
                lemmas.update(hyphen_lemmas(t))  # "a cease-fire"
        return bool(lemmas & entry.objects)

    def _noun_ok(self, noun: Any, entry: LexEntry) -> bool:
        # a nominal trigger that is the subject or agent of a verb is handled by that verb
        # ("an airstrike killed X", "killed by an airstrike")
        if noun.dep_ in ("nsubj", "nsubjpass") and noun.head.pos_ == "VERB" and self._entries_exist(noun.head):
            return False
        if noun.dep_ == "pobj" and noun.head.dep_ == "agent":
            return False
        if entry.objects is not None:
            # the theme of an event noun: "an air strike", "the suspension of aid"
            mods = {c.lemma_.lower() for c in noun.children if c.dep_ in ("compound", "amod", "nmod")}
            mods |= {o.lemma_.lower() for o in self._prep_objects(noun, "of")}
            # ...or what it is aimed at: "an attack on the cost of X's policy"
            mods |= {o.lemma_.lower() for p in ("on", "against") for o in self._prep_objects(noun, p)}
            if not mods & entry.objects:
                return False
        return True

    def _entries_exist(self, tok: Any) -> bool:
        return any(True for _ in self._entries_for(tok))

    def _embedded_event(self, verb: Any, wanted: frozenset[str]) -> Any | None:
        for c in verb.children:
            if c.dep_ not in ("ccomp", "xcomp"):
                continue
            if "FUTURE" in wanted and modal_future(c):
                return c
            if "OBLIGATION" in wanted and any(a.dep_ == "aux" and a.lower_ in OBLIGATION_AUX for a in c.children):
                return c
            if "BLAME" in wanted and c.dep_ == "ccomp" and self._blames(c):
                return c
            types = set()
            for key in particle_lemma(c):
                types |= self.lexicon.types_of(key)
            if types & wanted:
                return c
        return None

    def _blames(self, clause: Any) -> bool:
        """Does the clause say its subject is to blame: "X was responsible (for the attack)",
        "X was behind the bombing", "[holds] X responsible for the deaths"? Not when negated,
        nor for a duty ("responsible for the security of the border")."""
        if not any(c.dep_ in ("nsubj", "nsubjpass") for c in clause.children):
            return False
        preds = [clause, *(c for c in clause.children if c.dep_ == "acomp")]
        if any(c.dep_ == "neg" for p in preds for c in p.children):
            return False
        harms = self.lexicon.blame_harms
        for pred in preds:
            if pred.lemma_.lower() == "responsible":
                fors = self._prep_objects(pred, "for")
                if not fors or any(f.lemma_.lower() in harms for f in fors):
                    return True
        return clause.lemma_.lower() == "be" and any(h.lemma_.lower() in harms for h in self._prep_objects(clause, "behind"))

    # -- who did it
    def _actors_of(self, document: Document, tok: Any, entry: LexEntry) -> list[Actor]:
        if entry.pos == "VERB":
            if is_passive(tok):
                agent = next((c for c in tok.children if c.dep_ == "agent"), None)
                if agent is None:
                    return self._state_of_place(document, tok, entry)
                heads = [c for c in agent.children if c.dep_ == "pobj"]
                return self._code_all(document, [h for p in heads for h in conjuncts(p)])
            subj = self._subject(tok)
            if len(subj) == 1 and subj[0].pos_ == "NOUN" and self._entries_exist(subj[0]):
                # an event noun as subject stands for its agent: "a car bombing by the group killed ..."
                agents = self._prep_objects(subj[0], "by")
                if agents:
                    subj = agents
            return self._code_all(document, subj)
        if entry.pos == "ADJ":
            return self._code_all(document, self._subject(tok))
        # NOUN: the subject of a light verb that governs it, else its own modifiers
        noun = _phrase_noun(tok)
        if noun.dep_ in ("dobj", "attr") and self._is_light(noun.head):
            return self._code_all(document, self._subject(noun.head))
        if noun.dep_ == "nsubjpass" and self._is_light(noun.head):
            # "the attack on the base was carried out by X": the light verb's agent
            agents = [o for a in noun.head.children if a.dep_ == "agent" for o in a.children if o.dep_ == "pobj"]
            if agents:
                return self._code_all(document, agents)
        if noun.dep_ == "pobj" and governor(noun) is not noun:  # "troops remained on alert"
            verb = governor(noun)
            subj = [c for c in verb.children if c.dep_ == "nsubjpass"] if is_passive(verb) else self._subject(verb)
            return self._code_all(document, subj)
        if entry.reciprocal:
            between = self._prep_objects(tok, "between") + self._prep_objects(tok, "among")
            if between:
                return self._code_all(document, between[:1])
        agents = self._code_all(document, self._prep_objects(tok, "by"))  # "an airstrike by Turkish jets"
        if not agents and "prep:from" not in entry.recipient:
            agents = self._code_all(document, self._prep_objects(tok, "from"))  # "a request from the minister"
        if agents:
            return agents
        poss = [c for c in tok.children if c.dep_ == "poss"]
        if poss and entry.type not in OWNER_TYPES | {"CONSULT"}:
            # the owner of a cooperative act is who acts ("its withdrawal", "its aid"); for
            # conflict and support words the owner may be the target ("Peru's arrest"), left alone
            owners = self._code_all(document, poss)
            if owners:
                return owners
        if noun.dep_ in ("dobj", "attr") and noun.head.pos_ == "VERB" and not self._entries_exist(noun.head):
            # the event noun is what its verb's subject does: "completed its withdrawal", "left a meeting"
            subj = self._code_all(document, self._subject(noun.head))
            if subj:
                return subj
        own = self.actors.actor_for(document, tok)
        # the noun's own words may name who acts ("a Turkish airstrike", "a Chilean demand", "Peru's
        # crackdown"); a deed whose code is a guess from the sentence or comes from its victims
        # does not ("the killing of Peruvian civilians")
        if own is None or own.confidence < BORROWED_CONFIDENCE:
            return []
        victims = {a.code for o in self._prep_objects(tok, "of") if (a := self.actors.actor_for(document, o)) is not None}
        return [own] if own.code not in victims or agentive(document, own, self.actors.kb) else []

    def _merged_dative(self, document: Document, verb: Any, entry: LexEntry, taken: set[tuple[int, int]]) -> list[Actor]:
        """The parser read "granted [the Peruvian airline] permission" as one phrase, the
        recipient a compound of the theme: code the words from the theme's determiner to the
        compound as the recipient."""
        for o in verb.children:
            if o.dep_ != "dobj" or o.lemma_.lower() not in entry.objects:
                continue
            det = next((d for d in o.children if d.dep_ == "det" and d.i < o.i), None)
            comp = [c for c in o.children if c.dep_ == "compound" and c.pos_ in ("NOUN", "PROPN")]
            if det is None or not comp:
                continue
            span = document.doc[det.i : comp[-1].i + 1]
            if not hasattr(self.actors, "code_phrase"):  # a span-only coder (classify): its own answer
                a = self.actors.actor_for(document, comp[-1])
                if a is not None and (a.start, a.end) not in taken:
                    return [a]
                continue
            a = self.actors.code_phrase(span.text)
            if a is None or not usable(a):
                continue
            a = replace(a, start=span.start_char, end=span.end_char, entity_text=span.text,
                        evidence=[*a.evidence, f"'{span.text}' is the recipient the parser joined to '{o.text}'"])
            # an agent: a role noun (sector), a name or a country; not a thing ("the oil export permit")
            if (a.start, a.end) not in taken and (a.sector or a.kind in ("country", "person", "group", "named")
                                                  or comp[-1].pos_ == "PROPN"):
                return [a]
        return []

    def _no_party(self, document: Document, entry: LexEntry, a: Actor, actors: Sequence[Actor]) -> bool:
        """A slot's mention that is not the other party: the actor's own things ("its
        troops"), a command to the actor's own forces ("ordered troops to the border"), or
        "a meeting" one calls (a phone call reaches a party)."""
        return _owned_by(document, a, actors) \
            or (entry.type == "REQUEST" and a.sector in ("MIL", "COP") and guessed_own(a, actors)) \
            or ("phone" in entry.mode and self._names_an_event(document, a))

    def types_of(self, tok: Any) -> set[str]:
        """The event types of ``tok``'s lexicon entries (a noun's own, or its verb's)."""
        return {e.type for e in self._entries_for(tok)}

    def _names_an_event(self, document: Document, actor: Actor) -> bool:
        """Is the mention's head an event noun of the lexicon ("a meeting", "the talks")?"""
        span = mention_span(document, actor)
        return span is not None and span.root.pos_ == "NOUN" and self._entries_exist(span.root)

    def _state_of_place(self, document: Document, verb: Any, entry: LexEntry) -> list[Actor]:
        """Agentless passive of a state act ("a journalist was arrested in Peru", "two envoys
        were expelled from Chile"): the country where it happened, or that was left, acted."""
        if entry.lemma not in self.lexicon.state_acts:
            return []
        for prep in ("in", "from"):
            for place in self._prep_objects(verb, prep):
                a = self.actors.actor_for(document, place)
                if a is not None and a.code and (a.kind == "country" or place.ent_type_ in ("GPE", "LOC")):
                    why = f"agentless '{verb.text} {prep} {place.text}': a state act, by the state of the place"
                    return [replace(a, evidence=[*a.evidence, why])]
        return []

    def _is_light(self, verb: Any) -> bool:
        keys = particle_lemma(verb)
        return any(k in self.lexicon.light_verbs for k in keys)

    def _subject(self, tok: Any) -> list[Any]:
        """Subject tokens of a predicate, climbing control and coordination chains."""
        cur = tok
        for _ in range(6):
            subj = [c for c in cur.children if c.dep_ in SUBJECT_DEPS]
            if subj:
                s = subj[0]
                if s.tag_ in RELATIVE_TAGS and cur.dep_ == "relcl":
                    return conjuncts(cur.head)
                return conjuncts(s)
            if cur.dep_ == "relcl" and cur.head.pos_ in ("NOUN", "PROPN"):
                return conjuncts(cur.head)  # "the forces that attacked ..." when "that" is missing
            if cur.dep_ == "xcomp":
                obj = [c for c in cur.head.children if c.dep_ == "dobj"]
                # object control: "urged Chile to attack"; not an event noun ("started a hunger
                # strike to protest": the striker protests)
                if obj and cur.head.pos_ == "VERB" and not self._entries_exist(obj[0]):
                    return conjuncts(obj[0])
            if cur.dep_ in CLIMB_DEPS and cur.head.i != cur.i:
                cur = cur.head
                continue
            break
        return []

    # -- to whom
    def _recipients_of(self, document: Document, tok: Any, entry: LexEntry, actors: list[Actor],
                       unresolved: list[Any] | None = None) -> tuple[list[Actor], int | None]:
        taken = {(a.start, a.end) for a in actors}
        for slot in entry.recipient:
            used = None
            heads: list[Any] = []
            if slot == "dobj":
                deps = ("nsubjpass",) if (entry.pos == "VERB" and is_passive(tok)) else ("dobj",)
                heads = [h for c in tok.children if c.dep_ in deps for h in conjuncts(c)]
            elif slot == "dative":
                # a noun's dative is its light verb's: "gave Peru an ultimatum"
                owner = tok.head if entry.pos == "NOUN" and tok.dep_ == "dobj" and self._is_light(tok.head) else tok
                heads = [h for c in owner.children if c.dep_ in ("dative", "iobj") and c.pos_ != "ADP" for h in conjuncts(c)]
                if not heads and entry.objects is not None:
                    found = self._merged_dative(document, owner, entry, taken)
                    if found:
                        return found, None
                    continue
            elif slot == "poss" and entry.pos == "VERB":
                # the owner of the theme: "accepted Peru's offer", "rejected the proposal of Peru"
                objs = [c for c in tok.children if c.dep_ in ("dobj", "nsubjpass")]
                if entry.lemma.endswith(" for"):  # "called for the president's resignation"
                    objs += self._prep_objects(tok, "for")
                found = [o for o in (self._owner_actor(document, c) for c in objs)
                         if o is not None and (o.start, o.end) not in taken]
                if found:
                    return found, None
                continue
            elif slot == "poss":
                heads = [c for c in tok.children if c.dep_ == "poss"]
            elif slot == "acl_obj":
                heads = [o for c in tok.children if c.dep_ == "acl" for o in c.children if o.dep_ == "dobj"]
            elif slot.startswith("prep:"):
                prep = slot[5:]
                heads = self._prep_objects(tok, prep)
                theme = ("dobj",) if entry.pos == "VERB" else ()
                if entry.pos == "NOUN":  # "suspension of aid to Mali"
                    themes = self._prep_objects(tok, "of") if prep != "of" else []
                elif entry.objects is not None:  # "agreed to a deal with Peru"
                    # (a phrase before the verb is a setting, not its theme: "On a visit to X, ...")
                    themes = [o for p in ("to", "on", "for") if p != prep and (p != "for" or entry.lemma.endswith(" for"))
                              for o in self._prep_objects(tok, p) if o.i > tok.i]
                else:
                    themes = []
                for o in [*tok.children, *themes]:  # "imposed sanctions on Mali"
                    if o.dep_ in theme or o in themes:
                        heads += self._prep_objects(o, prep)
                        # "lifted the sanctions imposed on Mali": the theme's participle
                        # and its relative clause: "refused to lift the ban that it imposed on X"
                        heads += [h for a in o.children if (a.dep_ == "acl" and a.tag_ == "VBN") or a.dep_ == "relcl"
                                  for h in self._prep_objects(a, prep)]
                if not heads and entry.pos == "VERB" and prep in DEEP_PREPS:
                    # the parser hung the verb's last phrase inside its object: "returned a painting
                    # that was stolen from a gallery to the embassy" -- the object's rightmost one
                    deep = [p for o in tok.children if o.dep_ == "dobj" for p in o.subtree
                            if p.dep_ in ("prep", "dative") and p.lower_ == prep and p.i > o.i]
                    heads = [h for c in deep[-1:] for o in c.children if o.dep_ == "pobj" for h in conjuncts(o)]
                if not heads and entry.pos == "NOUN" and _phrase_noun(tok) is not tok:
                    heads = self._prep_objects(tok.head, prep)  # "a mediation effort between X and Y"
                if not heads and entry.pos == "NOUN" and governor(tok) is not tok:
                    # the parser hung the noun's phrase on its light verb:
                    # "launched [cyber warfare] [against Britain]", "remained on alert [near X]"
                    heads = self._prep_objects(governor(tok), prep)
                if heads:
                    # a thing in a phrase is the stance's object only when the verb has no direct object
                    # ("protested against the law"; not "struck a deal with 30,000 vehicles")
                    theme_slot = not any(c.dep_ == "dobj" for c in tok.children)
                    found = self._code_all(document, heads, owners=entry.type in OWNER_TYPES,
                                           unresolved=unresolved if theme_slot else None)
                    if not found:
                        found = self._first_actor_below(document, heads[0], taken, actors, skip_subject=False)
                    found = [a for a in found if (a.start, a.end) not in taken]
                    if found:
                        return found, None
                    continue
            elif slot == "after_party":
                # "called off the strike after the government accepted a pay deal" / "after an
                # agreement with the government": the party the concession answers
                heads = _clause_subjects(tok, "advcl", AFTER_MARKS) or [
                    w for deal in self._prep_objects(tok, "after") if deal.lemma_.lower() in DEAL_NOUNS
                    for w in self._prep_objects(deal, "with")]
            elif slot == "until_subj":
                # "will not call off the walkout until the government pays": the party the condition is on
                # "won't halt the stoppage before the owners raise pay" says until, negated only
                heads = _clause_subjects(tok, "advcl", UNTIL_MARKS | ({"before"} if negation(tok) is not None else set()))
            elif slot == "ccomp_subj":
                # "demanded that the minister apologise": the one asked is the clause's subject
                heads = _clause_subjects(tok, "ccomp")
            elif slot == "xcomp":
                comp = next((c for c in tok.children if c.dep_ in ("xcomp", "ccomp")), None)
                if comp is not None:
                    found = self._first_actor_below(document, comp, taken, actors)
                    if found:
                        return found, comp.i
                continue
            elif slot == "none":
                return [], used
            found = [a for a in self._code_all(document, heads, owners=entry.type in OWNER_TYPES,
                                               unresolved=unresolved if slot == "dobj" else None)
                     if (a.start, a.end) not in taken and not self._no_party(document, entry, a, actors)]
            if found:
                return found, used
        return [], None

    def _object_party(self, document: Document, head: Any, entry: LexEntry, actors: Sequence[Actor] = ()) -> list[Actor]:
        """The recipient when the event's object codes as no actor: an uncoded party ("arrested
        a 30-year-old woman", "freed 25 members") for any type; for the stance types whose object
        can be a policy, proposal, statement or act (types.yaml ``thing_target``: "rejected the
        referendum", "backed the plan", "condemned the attacks", "boycotted the vote") the thing
        itself, uncoded. Words from the phrase's first word to its head are the evidence."""
        inner = self._prep_objects(head, "of") if head.lemma_.lower() in self.lexicon.partitives else []
        last = inner[0] if inner and inner[0].pos_ == "NOUN" else head  # "a spate of killings"
        words = document.doc[head.left_edge.i:last.i + 1]
        kb = self.actors.kb
        keys = {head.lower_, head.lemma_.lower()}
        party = any(kb.sector_of(k) or k in kb.weak_nouns for k in keys)
        why = f"{words.text!r} names no country or sector: an uncoded party"
        if not party:
            t = load_plover_types().get(entry.type)
            if entry.type in PROPERTY_TYPES and last.lemma_.lower() in self.lexicon.property_nouns:
                source = "lexicon property_nouns"
            elif t is not None and t.thing_target:
                source = "types.yaml thing_target"
            else:
                return []
            if entry.pos != "VERB" or entry.party_only:
                return []
            # a party named inside the thing's phrase is the recipient: "refused direct talks
            # with the Chilean government", "rejected the deal between X and Y"
            spans = {(b.start, b.end) for b in actors}
            inside = [a for a in self._code_all(document, [o for p in INNER_PREPS for o in self._prep_objects(last, p)])
                      if not _same_entity(a, actors) and (a.start, a.end) not in spans]
            if inside:
                return inside
            why = f"{words.text!r} names no country or sector: an uncoded thing, the object of the {entry.type} ({source})"
        return [Actor(entity_text=words.text, start=words.start_char, end=words.end_char,
                      kind="group" if party else "thing", evidence=[why], confidence=0.4)]

    def _prep_objects(self, tok: Any, prep: str) -> list[Any]:
        out = []
        for c in tok.children:
            if c.dep_ in ("prep", "agent", "dative") and c.lower_ == prep:  # spaCy labels "to X" dative
                for o in c.children:
                    if o.dep_ in ("pobj", "pcomp"):
                        out.extend(conjuncts(o))
        return out

    def _first_actor_below(
        self, document: Document, root: Any, taken: set[tuple[int, int]], actors: Sequence[Actor] = (), skip_subject: bool = True
    ) -> list[Actor]:
        """Breadth-first: the nearest actor inside a phrase or clause.

        In a clausal complement the clause's own subject is usually the actor again
        ("warned that it would strike X"), so it is skipped, as is any mention coded
        like one of the actors."""
        own_codes = {a.code for a in actors}
        own_names = {a.canonical for a in actors if a.canonical}

        def is_own(act: Actor) -> bool:  # "X warned that it would ...": "it" is X again; "its troops"
            return (act.canonical in own_names) or (act.entity_text.lower() in PRONOUNS and act.code in own_codes) \
                or _owned_by(document, act, actors)

        queue = [root]
        seen = 0
        fallback: list[Actor] = []
        while queue and seen < 40:
            node = queue.pop(0)
            seen += 1
            if skip_subject and node.dep_ in SUBJECT_DEPS and node.head.i == root.i:
                continue
            if node.pos_ in ACTOR_POS:
                act = self.actors.actor_for(document, node)
                near = node.head.i == root.i or (node.dep_ == "pobj" and node.head.head.i == root.i)
                if act is not None and near and not agentive(document, act, self.actors.kb):
                    # the object is a thing that borrowed its owner's code ("refused to
                    # answer a request from X"): the owner is the party
                    act = self._owner_actor(document, node) or act
                if act is not None and (act.start, act.end) not in taken and not is_own(act):
                    extra = [self.actors.actor_for(document, c) for c in conjuncts(node)[1:]]
                    found = [act] + [a for a in extra if a is not None]
                    if act.code and not guessed_own(act, actors):
                        return found  # not the actor's own guessed people ("agreed to send troops to X")
                    # a sector without a country ("key elements of X's army"): look deeper first;
                    # people or places in general ("pensioners", "rural areas") are no fallback
                    if act.sector not in (None, "CVL"):
                        fallback = fallback or found
            queue.extend(node.children)
        return fallback

    def _code_all(self, document: Document, toks: Iterable[Any], owners: bool = False,
                  unresolved: list[Any] | None = None) -> list[Actor]:
        """Actors of the given heads; with ``owners``, a thing's owner stands for it
        ("attacked its border posts": the recipient is whoever "its" is). Common-noun heads
        that code as no actor are appended to ``unresolved`` when it is given."""
        out = []
        for t in toks:
            if t.pos_ not in ACTOR_POS:
                continue
            if t.lemma_.lower() in self.lexicon.partitives:
                inner = self._prep_objects(t, "of")  # "a number of Peruvian border posts": the posts
                found = self._code_all(document, inner, owners) if inner else []
                if found:
                    out.extend(found)
                    continue
            a = self.actors.actor_for(document, t)
            if owners and t.pos_ == "NOUN" and (a is None or not agentive(document, a, self.actors.kb)):
                # a thing stands for its owner: "rejected the call of the Andean senate",
                # "refused a request from the minister", "criticised Peru's policies"
                a = self._owner_actor(document, t) or a
            if a is None and self.config.uncoded_actors:
                a = _named_entity(document, t) or self._uncoded_speaker(document, t)
            if a is None and unresolved is not None and t.pos_ == "NOUN":
                unresolved.append(t)
                continue
            if usable(a):
                out.extend(self._split_modifiers(document, t, a))
        return out

    def _split_modifiers(self, document: Document, head: Any, actor: Actor) -> list[Actor]:
        """"Chilean and Peruvian forces" are two parties: the forces of each country (a
        distributive reading of coordinated country modifiers on a plural head); otherwise
        ``[actor]``. Each part is coded as its modifier with the head's words."""
        if head.tag_ not in ("NNS", "NNPS") or not hasattr(self.actors, "code_phrase"):
            return [actor]
        for m in head.children:
            if m.dep_ not in ("amod", "compound", "nmod", "poss") or m.i > head.i:
                continue
            conj = [c for c in m.children if c.dep_ == "conj"]
            if len(conj) != 1:
                continue
            rest = (" ".join(t.text for t in head.lefts if t.i > conj[0].i) + " " + head.text).strip()
            parts = self._one_party_each(document, [
                (f"{m.text} {rest}", m.idx, m.idx + len(m.text), None),
                (f"{conj[0].text} {rest}", conj[0].idx, head.idx + len(head.text), None),
            ], f"'{m.text} and {conj[0].text} {head.text}': one party per country")
            if parts is None:
                return [actor]
            if parts[0].code != parts[1].code:
                return parts
        return self._split_of_owners(document, head, actor)

    def _split_of_owners(self, document: Document, head: Any, actor: Actor) -> list[Actor]:
        """"the navies of Chile and Peru", "the foreign ministers of Chile and Peru": one party
        per coordinated country in the plural head's "of" phrase (as ``_split_modifiers``)."""
        of = next((c for c in head.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        pobj = next((c for c in of.children if c.dep_ == "pobj"), None) if of is not None else None
        conj = [c for c in pobj.children if c.dep_ == "conj"] if pobj is not None else []
        if len(conj) != 1:
            return [actor]
        first_start = min(t.idx for t in head.subtree if t.i <= head.i)
        second = list(conj[0].subtree)
        # each part must take its country's code (the document already coded the country)
        owners = [self.actors.actor_for(document, c) for c in (pobj, conj[0])]
        if any(o is None or o.code is None for o in owners):
            return [actor]
        parts = self._one_party_each(document, [
            (f"{head.text} of {pobj.text}", first_start, pobj.idx + len(pobj.text), owners[0].code),
            (f"{head.text} of {conj[0].text}", second[0].idx, second[-1].idx + len(second[-1].text), owners[1].code),
        ], f"'{head.text} of {pobj.text} and {conj[0].text}': one party per country")
        return parts if parts is not None and parts[0].code != parts[1].code else [actor]

    def _one_party_each(self, document: Document, pieces: list[tuple[str, int, int, str | None]],
                        why: str) -> list[Actor] | None:
        """Code each ``(phrase, start, end, expected code)`` piece as its own party, placed at
        ``start:end`` of the text; None when a piece gets no code (or not the expected one)."""
        parts = []
        for phrase, start, end, expected in pieces:
            a = self.actors.code_phrase(phrase)
            if a is None or a.code is None or (expected is not None and a.code != expected):
                return None
            parts.append(replace(a, start=start, end=end, entity_text=document.doc.text[start:end],
                                 evidence=[*a.evidence, why]))
        return parts

    def _uncoded_speaker(self, document: Document, pron: Any) -> Actor | None:
        """'it' or 'they', subject of what an uncoded named speaker says ("The Frente Azul has
        said it will free ..."): the speaker's name, when the number agrees."""
        if pron.lower_ not in SPEAKER_PRONOUNS or pron.dep_ not in SUBJECT_DEPS or pron.head.dep_ != "ccomp":
            return None
        subj = [c for c in pron.head.head.children if c.dep_ in SUBJECT_DEPS]
        if len(subj) != 1 or subj[0].i > pron.i:
            return None
        speaker = _named_entity(document, subj[0])
        if speaker is None or (pron.lower_ == "they") != (subj[0].tag_ in ("NNS", "NNPS") or subj[0].ent_type_ == "ORG"):
            return None
        return replace(speaker, evidence=[*speaker.evidence, f"{pron.text!r}, subject of what it says, is the speaker"])

    def _owner_actor(self, document: Document, thing: Any) -> Actor | None:
        """The actor a thing belongs to or comes from: its possessor, the object of its
        "of" / "by" / "from" phrase, or the agent of a participle on it ("an offer made
        by the rebels"); None when none of them is an actor."""
        heads = [c for c in thing.children if c.dep_ == "poss"]
        # "the killing of two journalists", "the arrest of X": of a harm, "of" names its victim
        harm = thing.pos_ == "NOUN" and bool(self.types_of(thing) & PROPERTY_TYPES)
        for c in thing.children:
            if c.dep_ == "prep" and c.lower_ in OWNER_PREPS and not (harm and c.lower_ == "of"):
                heads += [o for o in c.children if o.dep_ == "pobj"]
            elif c.dep_ == "acl" and c.tag_ == "VBN":
                heads += [o for a in c.children if a.dep_ == "agent" for o in a.children if o.dep_ == "pobj"]
        for h in heads:
            if h.pos_ not in ACTOR_POS:
                continue
            a = self.actors.actor_for(document, h)
            if a is None and self.config.uncoded_actors:
                a = _named_entity(document, h)
            if usable(a) and agentive(document, a, self.actors.kb):
                return a
        return None

    # -- records
    def _to_event(self, document: Document, sent: Any, c: _Candidate) -> Event:
        doc = document.doc
        trig = c.trigger
        words = [trig] + [x for x in trig.children if x.dep_ == "prt"]
        start = min(w.idx for w in words)
        end = max(w.idx + len(w.text) for w in words)
        actors = [_state_default(a) for a in _unborrow([self._speaker_for(document, a) for a in c.actors], c.recipients)]
        recipients = [_state_default(a) for a in _unborrow(c.recipients, c.actors)]
        ev = Event(
            id="",
            article_id=document.article.id,
            type=c.entry.type,
            actor=actors,
            recipient=recipients,
            trigger=Span(start, end, doc.text[start:end]),
            sentence=Span(sent.start_char, sent.end_char, sent.text),
            mode=list(c.entry.mode),
            context=list(c.entry.context),
            confidence=c.entry.confidence,
            coder=CODER,
            rule=c.rule,
        )
        if c.negated is not None and not self._refusal(ev, c):
            ev.modality = "negated"
            ev.modality_cue = Span(c.negated.idx, c.negated.idx + len(c.negated.text), c.negated.text)
        return ev

    @staticmethod
    def _refusal(ev: Event, c: _Candidate) -> bool:
        """A cooperative act declared not to happen ("will not release the prisoners", "won't
        meet the envoy", "cannot accept refugees") is a refusal: the single REJECT event, with
        the mode the types table gives (``refusal_mode``). Past negation ("did not meet") stays
        a negated event."""
        gov = governor(c.trigger)
        if any(x.dep_ in SUBJECT_DEPS and x.tag_ == "WDT" for x in gov.children):
            return False  # "a plan which will not help them": a thing's prospects, no one refusing
        # the auxiliary sits with the negation ("will not go to Lima to meet X": on "go")
        aux = next((a for a in [*gov.children, *c.negated.head.children] if a.dep_ == "aux" and a.lower_ in REFUSAL_AUX), None)
        ptype = load_plover_types().get(ev.type)
        if ptype is not None and ptype.failure_is_refusal and c.negated.lemma_.lower() == "fail":
            aux = c.negated  # "failed to reach agreement": a refusal in any tense
        if aux is None or ptype is None or ptype.refusal_mode is None:
            return False
        words = c.negated.text if aux is c.negated else f"{aux.text} {c.negated.text}"
        ev.rule = f"{ev.rule}; refusal '{words}' {ev.type} -> REJECT"
        ev.type, ev.mode = "REJECT", [ptype.refusal_mode] if ptype.refusal_mode else []
        return True

    def _speaker_for(self, document: Document, actor: Actor) -> Actor:
        """A pronoun subject of what its own sentence's speaker says or decides is that
        speaker ("Chile said it would free the prisoners", "the rebels announced they will
        leave"): the event names the speaker's mention, the words that say who acted."""
        person = actor.entity_text.lower() in ("he", "she")  # resolved by the actors stage
        if not (person or actor.entity_text.lower() in SPEAKER_PRONOUNS) or document.doc is None:
            return actor
        span = mention_span(document, actor)
        if span is None or len(span) != 1 or span[0].dep_ not in SUBJECT_DEPS:
            return actor
        clause = span[0].head
        if clause.dep_ not in ("ccomp", "xcomp") or clause.head.i == clause.i:
            return actor
        subj = [t for c in clause.head.children if c.dep_ in SUBJECT_DEPS for t in conjuncts(c)]
        if len(subj) != 1 or subj[0].i > span[0].i:
            return actor
        speaker = self.actors.actor_for(document, subj[0])
        if person:  # "Rivera said he will ...": the pronoun was resolved to the speaker himself
            if speaker is None or not speaker.canonical or speaker.canonical != actor.canonical:
                return actor
            return replace(speaker, evidence=[*speaker.evidence, f"{actor.entity_text!r}, subject of what he or she says, is the speaker"])
        if speaker is None or speaker.kind in ("pronoun", "person") or (speaker.code, speaker.sector) != (actor.code, actor.sector):
            return actor
        plural = actor.entity_text.lower() == "they"
        if plural != (subj[0].tag_ in ("NNS", "NNPS")) and speaker.kind != "country":
            return actor
        return replace(speaker, evidence=[*speaker.evidence, f"{actor.entity_text!r}, subject of what it says, is the speaker"])

    def _dedupe(self, document: Document, events: list[Event]) -> list[Event]:
        """One event per (type, actors, recipients, negation) in an article.

        A headline and the body, or two words of one sentence ("sending ... to help"),
        often describe the same event; keep the first body mention (headlines last).
        """
        title_end = _headline_end(document)
        ordered = sorted(events, key=lambda e: (e.sentence.start < title_end, e.sentence.start, -e.confidence))
        seen: dict[tuple, Event] = {}
        for ev in ordered:
            key = (
                ev.type,
                tuple(sorted({_side_key(a) for a in ev.actor})),
                tuple(sorted({_side_key(a) for a in ev.recipient})),
                ev.modality == "negated",
            )
            if key in seen:
                continue
            seen[key] = ev
        return sorted(seen.values(), key=lambda e: e.trigger.start)


#: types where coordinated subjects act on each other ("Chile and Peru signed an accord")
MUTUAL_TYPES = frozenset({"AGREE", "CONSULT", "COOPERATE", "SUPPORT"})


def mutual_pair(actors: list[Actor]) -> tuple[list[Actor], list[Actor]]:
    """Coordinated subjects of a mutual event with no other recipient: the first is the
    actor and the others its recipients, the dyadic reading of "X and Y agreed to ..." that
    "talks between X and Y" already gets (CAMEO coders wrote X->Y and Y->X). One entity
    named twice is not a pair."""
    first, rest = actors[:1], [a for a in actors[1:] if not _same_entity(a, actors[:1])]
    return (first, rest) if rest else (actors, [])


def _side_key(actor: Actor) -> str:
    """What makes two mentions the same side for de-duplication: the country (or IGO) code
    when there is one, else the name ("the referendum" and "the budget" are two targets)."""
    return actor.code or (actor.canonical or actor.entity_text).lower()


def _same_entity(recipient: Actor, actors: Sequence[Actor]) -> bool:
    """Is the recipient one of the actors again (a pronoun or name resolved to the same person)?"""
    return bool(recipient.canonical) and any(a.canonical == recipient.canonical for a in actors)


NAMED_LABELS = {"PERSON": "person", "ORG": "organization", "NORP": "group", "FAC": "organization"}


#: entity labels (or none) under which the small model often leaves a person's or group's name
#: it did not recognise ("Maria Ostos": no entity; a surname tagged GPE)
UNSURE_LABELS = frozenset({"", "GPE", "LOC"})


def _named_entity(document: Document, tok: Any) -> Actor | None:
    """A named person or organisation the knowledge cannot place: an actor with no code.

    Besides the parser's PERSON/ORG/NORP/FAC names, a proper-noun phrase it labelled as no
    entity or as a place counts when the actors stage knows no place by that name (it would
    have coded it): in the grammatical slot of an actor it is most often a person."""
    if tok.pos_ == "PRON" and tok.lower_ in ("he", "him", "she", "her") and tok.dep_ != "poss":
        return _named_antecedent(tok)
    if tok.pos_ not in ("PROPN", "NOUN"):
        return None
    if tok.ent_type_ in NAMED_LABELS:
        ent = next((e for e in tok.doc.ents if e.start <= tok.i < e.end), None)
        if ent is None:
            return None
        start, end, text, what = ent.start_char, ent.end_char, ent.text, NAMED_LABELS[tok.ent_type_]
    elif _acronym(tok):
        start, end, text, what = tok.idx, tok.idx + len(tok.text), tok.text, "acronym"
    elif tok.pos_ == "PROPN" and tok.ent_type_ in UNSURE_LABELS and tok.text[:1].isupper():
        run = [t for t in tok.lefts if t.dep_ in ("compound", "flat") and t.pos_ == "PROPN"] + [tok]
        if any(t.ent_type_ in THING_ENTS for t in run) or len(tok.text) < 3 or tok.lower_ in load_lexicon().thing_names:
            return None  # "the Security Bill": a law, not someone
        start, end = run[0].idx, tok.idx + len(tok.text)
        text, what = tok.doc.text[start:end], "name (no entity label)" if not tok.ent_type_ else "name tagged as an unknown place"
    else:
        return None
    return Actor(
        entity_text=text,
        start=start,
        end=end,
        kind="named",
        canonical=text,
        evidence=[f"named {what} {text!r} with no known country or sector"],
        confidence=0.5,
    )


def _named_antecedent(pron: Any) -> Actor | None:
    """A person pronoun the actors stage could not resolve (no coded person before it) stands
    for the last person the parser named earlier in its sentence, never its own verb's subject:
    "Lena Ostos was freed after the president pardoned her" -> Lena Ostos."""
    own = own_subjects(pron)
    ents = [e for e in pron.sent.ents if e.label_ == "PERSON" and e.end <= pron.i and e.root.i not in own]
    if not ents:
        return None
    ent = ents[-1]
    return Actor(
        entity_text=pron.text,
        start=pron.idx,
        end=pron.idx + len(pron.text),
        kind="named",
        canonical=ent.text,
        antecedent=(ent.start_char, ent.end_char),
        evidence=[f"coreference: {pron.text!r} -> named person {ent.text!r} earlier in the sentence, with no known country or sector"],
        confidence=0.5,
    )


def _acronym(tok: Any) -> bool:
    """An upper-case acronym the parser took for a common noun ("the NIB returned ...", "the
    DRC ordered ..."), in a sentence that is not itself written in capitals."""
    if not (tok.is_alpha and tok.text.isupper() and 2 <= len(tok.text) <= 8 and not tok.ent_type_):
        return False
    words = [t for t in tok.sent if t.is_alpha and len(t.text) > 1]
    return sum(t.text.isupper() for t in words) * 3 < len(words)


def _headline_end(document: Document) -> int:
    title = document.article.title
    text = document.article.text
    if title and text.lstrip().startswith(title):
        return text.index(title) + len(title)
    return 0


BORROWED_CONFIDENCE = 0.7  # the actors stage codes "no country in the phrase" guesses below this


def _phrase_noun(tok: Any) -> Any:
    """The noun whose phrase a nominal trigger stands in: its head noun when it is used as a
    compound ("a mediation effort": effort) or counted by a partitive ("a new round of
    talks", "a wave of arrests": round, wave), else itself."""
    if tok.dep_ == "compound" and tok.head.pos_ == "NOUN":
        return tok.head
    if tok.dep_ == "conj" and tok.pos_ == "NOUN" and tok.head.pos_ == "NOUN" and tok.head.dep_ in ("dobj", "attr", "pobj"):
        return _phrase_noun(tok.head)  # "expressed its rejection and condemnation of X"
    if tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.pos_ == "NOUN" \
            and tok.head.head.lemma_.lower() in load_lexicon().partitives:
        return tok.head.head
    return tok


def guessed_own(actor: Actor, actors: Sequence[Actor]) -> bool:
    """Is ``actor``'s country only a guess (no country word of its own) equal to one of the
    ``actors``' codes? Then it is their own people or things ("sending an army unit to Mali"),
    not the other party."""
    return actor.code is not None and actor.confidence < BORROWED_CONFIDENCE \
        and any(actor.code == a.code for a in actors)


def _owned_by(document: Document, thing: Actor, actors: Sequence[Actor]) -> bool:
    """Is ``thing`` the actor's own ("its troops", "our expertise"): a phrase owned by a
    pronoun that stands for the actor? Such a phrase is what the actor acts with, not on."""
    span = mention_span(document, thing) if actors else None
    if span is None:
        return False
    poss = next((c for c in span.root.children if c.dep_ == "poss" and c.lower_ in OWN_POSSESSIVES), None)
    if poss is None:
        return False
    if poss.lower_ in ("our", "my"):
        return True
    owner = document.mentions.get(poss.i)
    spans = {(a.start, a.end) for a in actors} | {a.antecedent for a in actors if a.antecedent}
    if owner is not None and owner.antecedent is not None and owner.antecedent in spans:
        return True  # "their banks", "their" being the uncoded actor itself
    codes = {a.code for a in actors if a.code}
    return bool(codes) and thing.code in codes


def _unborrow(side: Sequence[Actor], other: Sequence[Actor]) -> list[Actor]:
    """Drop a guessed country that is really the other party's ("a Turkish strike killed a
    militia commander": the commander is not Turkish because the sentence names Turkey)."""
    firm = {a.code for a in other if a.code and a.confidence >= BORROWED_CONFIDENCE}
    out = []
    for a in side:
        if a.code in firm and a.confidence < BORROWED_CONFIDENCE:
            a = replace(a, code=None, evidence=[*a.evidence, f"guessed country {a.code} is the other party's -> dropped"])
        out.append(a)
    return out


def _state_default(actor: Actor) -> Actor:
    """A bare country name acting as an actor is its government (the ICEWS convention)."""
    if actor.kind == "country" and actor.code and not actor.sector:
        return replace(actor, sector="GOV", evidence=[*actor.evidence, "country name as actor -> GOV"])
    return actor
