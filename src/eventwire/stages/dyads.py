"""Stage 4b — dyads: the learned classifier types events the patterns missed.

The events stage (lexicon patterns) finds events whose grammar the lexicon spells
out: the trigger, its type, which slot holds the recipient, what objects it needs.
Many real sentences use a cue the lexicon knows in a frame it does not ("defended the
decision", "ended mediation in the dispute"). This stage takes every event cue (a word
of the event lexicon) that produced no pattern event and finds its arguments with the
same grammar the patterns use, but with generic slots: the actor is the cue's subject
(or passive agent, or the subject of the light verb of a nominal cue); the recipient
the first actor mention among its object, dative and prepositional arguments, else the
nearest named actor nested inside them ("ratified the accord with the government of X"). The
candidate dyads of a document go to the learned dyad model (``learn.infer.DyadModel``,
int8 ONNX) in one batch; a pair the model types (not NONE) with at least
``Config.model_threshold`` probability becomes an event whose trigger is the cue and
whose evidence is the sentence. Pattern events are kept as they are.

Reporting words ("said", "according to", the verbs of ``reporting.yaml``) are never cues
here: they belong to the attribution stage.

The model rarely answers NONE, so candidates are gated for precision: the actor must carry
a country (or international) code, the recipient must be a coded country, organisation,
person or institution (not civilians in general, a place, a thing or a possessive pronoun),
the two must not be one entity, both heads must be able to act (a name, pronoun, country,
person or role noun, not a thing that borrowed a code from its modifiers: "the strength of
the army", "his Budget", a law or an event), and the recipient must be an object, dative or
prepositional argument or inside one (not a clause). On 120 BBC politics articles the stage adds 8
events to the patterns' 158 (session 5); without the gates it once added 106, most of them wrong.
Coordinated subjects with no other recipient are paired (first -> the others) only for a mutual
type (AGREE, CONSULT, COOPERATE, SUPPORT).

One candidate per cue keeps the cost to one model call per unexplained cue and keeps
the model from typing pairs that merely share a sentence with an event.

Off with ``Config.fast`` (patterns only) or when the model files or runtime are missing
(the pipeline then records ``dyad_model: null`` in its run information).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from typing import Any

from ..errors import DataError
from ..records import Actor, Document, Event
from .attribution import load_reporting
from .events import (
    MUTUAL_TYPES,
    _owned_by,
    EventCoder,
    LexEntry,
    _same_entity,
    agentive,
    guessed_own,
    mutual_pair,
    negation,
    particle_lemma,
)
from .events import _Candidate as _EventCandidate

#: where a cue's recipient may sit when the lexicon entry's own slots did not match, in order
#: (an indirect object before the direct one: "gave Canada a deadline")
VERB_SLOTS = ("dative", "dobj", "prep:against", "prep:on", "prep:with", "prep:to", "prep:for",
              "prep:from", "prep:into", "prep:over", "prep:toward", "prep:towards")
NOUN_SLOTS = ("prep:against", "prep:on", "prep:with", "prep:to", "prep:for", "prep:over",
              "prep:toward", "prep:towards", "prep:of", "prep:from")
CLAUSE_DEPS = frozenset({"xcomp", "ccomp", "pcomp"})  # "accused X of massing troops": pcomp
#: where the search for a nested recipient stops: clauses and appositions
NESTED_STOP_DEPS = CLAUSE_DEPS | {"relcl", "acl", "advcl", "appos"}
#: verbal types whose complement clause is what is said, not a further event of the speaker
SPEECH_ACT_TYPES = frozenset({"ACCUSE", "THREATEN", "REQUEST", "REJECT"})
#: probability the model needs for a type none of the cue's lexicon entries has
OFF_LEXICON_THRESHOLD = 0.9


@lru_cache(maxsize=1)
def _cue_file() -> dict[str, Any]:
    try:
        raw: dict[str, Any] = json.loads(resources.files("eventwire").joinpath("data/lexicon/cues.json").read_text("utf-8"))
    except (OSError, ValueError) as e:
        raise DataError(f"cannot read the event-cue list data/lexicon/cues.json: {e}") from None
    return raw


@lru_cache(maxsize=1)
def load_cues() -> dict[str, frozenset[str]]:
    """Event-cue verbs beyond the event lexicon (``data/lexicon/cues.json``): lemma -> PLOVER types."""
    return {k: frozenset(v) for k, v in _cue_file()["cues"].items()}


def cue_list_version() -> int:
    """The ``version`` of ``data/lexicon/cues.json`` (recorded with every run)."""
    return int(_cue_file()["version"])


@dataclass(slots=True)
class Candidate:
    """One cue with the actor and recipient its grammar gives, waiting for the model's type."""

    sent: Any
    cue: Any
    actor: list[Actor]
    recipient: list[Actor]
    types: frozenset[str] = frozenset()  # the types the cue word can have
    mutual: bool = False  # coordinated subjects paired with each other (only mutual types count)


class DyadTyper:
    """The dyads stage: ``typer(document)`` adds model-typed events to ``document.events``."""

    name = "dyads"

    def __init__(self, events: EventCoder, model: Any, threshold: float = 0.5,
                 off_lexicon_threshold: float = OFF_LEXICON_THRESHOLD) -> None:
        self.events = events
        self.model = model
        self.threshold = threshold
        self.off_lexicon = max(threshold, off_lexicon_threshold)
        self.reporting = frozenset(load_reporting().verbs)
        self.cues = load_cues()
        self.generic = {
            "VERB": LexEntry(lemma="*", type="AGREE", pos="VERB", recipient=VERB_SLOTS),
            "NOUN": LexEntry(lemma="*", type="AGREE", pos="NOUN", recipient=NOUN_SLOTS, reciprocal=True),
        }

    def __call__(self, document: Document) -> Document:
        if self.model is None or document.doc is None:
            return document
        cands = [c for sent in document.doc.sents for c in self.candidates(document, sent)]
        if not cands:
            return document
        items = [(c.sent.text, _rel(c.actor[0], c.sent), _rel(c.recipient[0], c.sent) if c.recipient else None)
                 for c in cands]
        preds = self.model.predict(items, batch_size=32, allow_none=True)
        added = [self.to_event(document, c, t, p) for c, (t, p) in zip(cands, preds) if self.accept(c, t, p)]
        if added:
            self.events.set_events(document, [*document.events, *added])
        return document

    def accept(self, c: Candidate, type_: str, prob: float) -> bool:
        """A type the cue's lexicon entries allow needs ``threshold``; any other type, more."""
        if type_ == "NONE" or (c.mutual and type_ not in MUTUAL_TYPES):
            return False
        return prob >= (self.threshold if type_ in c.types else self.off_lexicon)

    def cue_types(self, tok: Any, lexicon_types: set[str] | None = None) -> set[str]:
        """The PLOVER types a word can cue: its event-lexicon entries (``lexicon_types`` when
        already known) and, for verbs, the cue list. Reporting words have none here
        ("according to", "said": attribution, not events)."""
        if tok.lemma_.lower() in self.reporting or tok.lower_ == "according":
            return set()
        types = set(self.lexicon_types(tok) if lexicon_types is None else lexicon_types)
        if tok.pos_ == "VERB":
            for key in particle_lemma(tok):
                types |= self.cues.get(key, frozenset())
        return types

    def lexicon_types(self, tok: Any) -> set[str]:
        """The types of the event-lexicon entries of ``tok``."""
        return self.events.types_of(tok)

    # -- candidates
    def candidates(self, document: Document, sent: Any) -> list[Candidate]:
        """One candidate per event cue of the sentence that no pattern event explains."""
        mine = [e for e in document.events if e.sentence.start == sent.start_char]
        triggers = {e.trigger.start for e in mine}
        pairs = {((a.start, a.end), (r.start, r.end)) for e in mine for a in e.actor for r in e.recipient}
        # a cue inside the complement of a trigger ("refused to ...") or of any accusation,
        # threat, demand or refusal word ("accused X of massing troops": the content, not an
        # event of the accuser) is not typed again
        lex = {t.i: self.lexicon_types(t) for t in sent if t.pos_ in ("VERB", "NOUN")}
        trig_toks = [t for t in sent if t.idx in triggers
                     or (t.pos_ == "VERB" and lex[t.i] & SPEECH_ACT_TYPES)]
        out: list[Candidate] = []
        for tok in sent:
            if tok.idx in triggers or tok.pos_ not in ("VERB", "NOUN"):
                continue
            if _embedded_in(tok, trig_toks):
                continue  # inside the clause of a refusal or threat the patterns coded
            types = self.cue_types(tok, lex[tok.i])
            if not types:
                continue
            c = self.candidate(document, sent, tok, types)
            if c is None:
                continue
            key = ((c.actor[0].start, c.actor[0].end), (c.recipient[0].start, c.recipient[0].end)) if c.recipient else None
            if key is not None and (key in pairs or key[::-1] in pairs):
                continue
            out.append(c)
        return out

    def candidate(self, document: Document, sent: Any, tok: Any, types: set[str]) -> Candidate | None:
        entry = self.generic["VERB" if tok.pos_ == "VERB" else "NOUN"]
        actors = self.events._actors_of(document, tok, entry)
        if not actors:
            return None
        recipients = self._recipient(document, tok, entry, actors)
        if not recipients:
            recipients = self._nested_recipient(document, tok, actors)
        mutual = False
        if not recipients and types & MUTUAL_TYPES:
            actors, recipients = mutual_pair(actors)
            mutual = bool(recipients)
        if not recipients and self.events.config.require_dyad:
            return None
        if not _firm(actors[0]) or (recipients and not _named(recipients[0])):
            return None
        kb = self.events.actors.kb
        if not agentive(document, actors[0], kb) or (recipients and not agentive(document, recipients[0], kb)):
            return None
        if recipients and _same(recipients[0], actors[0]):
            return None
        inside = all(sent.start_char <= a.start and a.end <= sent.end_char for a in (actors[0], *recipients[:1]))
        return Candidate(sent, tok, actors, recipients, frozenset(types), mutual) if inside else None

    def _recipient(self, document: Document, tok: Any, entry: LexEntry, actors: list[Actor]) -> list[Actor]:
        """The first slot of ``entry`` that holds a recipient other than the actor's own people
        or things: a phrase whose country is only a guess equal to the actor's ("Norway is
        sending an army unit to Mali": the unit is Norway's, Mali receives)."""
        for slot in entry.recipient:
            found, _ = self.events._recipients_of(document, tok, replace(entry, recipient=(slot,)), actors)
            found = [a for a in found if not guessed_own(a, actors)]
            if found:
                return found
        return []

    def _nested_recipient(self, document: Document, tok: Any, actors: list[Actor]) -> list[Actor]:
        """No recipient in the cue's own slots: the nearest named actor inside its object or
        prepositional phrases ("condemned the decision of the Ruritanian court"), not in a clause."""
        taken = {(a.start, a.end) for a in actors}
        frontier = [c for c in tok.children if c.dep_ in ("dobj", "prep", "dative", "nsubjpass", "attr")]
        for _ in range(3):
            nxt = []
            for t in frontier:
                if t.dep_ in NESTED_STOP_DEPS or (t.dep_ in ("prep", "agent") and t.lower_ == "by"):
                    continue  # clauses; "by X" names the agent, not the recipient
                if t.pos_ in ("NOUN", "PROPN"):
                    a = self.events.actors.actor_for(document, t)
                    own_force = a is not None and (a.sector == "MIL" and guessed_own(a, actors)
                                                   or a.sector in ("MIL", "COP") and _owned_by(document, a, actors))
                    if a is not None and (a.start, a.end) not in taken and _named(a) and not own_force:
                        return [a]  # not the actor's own ships, missiles or drills ("sent warships to X")
                nxt.extend(c for c in t.children if c.dep_ in ("poss", "compound", "prep", "pobj", "nmod", "amod", "conj"))
            frontier = nxt
        return []

    # -- events
    def to_event(self, document: Document, c: Candidate, type_: str, prob: float) -> Event:
        """The event the model's answer makes, built like a pattern event (trigger span,
        actors, negation); mode and context come from the cue's lexicon entry of that type."""
        lemma = c.cue.lemma_.lower()
        entry = next((e for e in self.events._entries_for(c.cue) if e.type == type_), None)
        confidence = round(0.6 * prob, 3)
        entry = replace(entry, confidence=confidence) if entry else LexEntry(lemma, type_, confidence=confidence)
        found = _EventCandidate(c.cue, entry, c.actor, c.recipient, negated=negation(c.cue),
                                rule=f"model:{lemma}->{type_} p={prob:.2f}")
        return self.events._to_event(document, c.sent, found)


POSSESSIVES = frozenset({"his", "her", "its", "their", "our", "my", "your"})


def _firm(actor: Actor) -> bool:
    """Sure enough to pair for the model: a country (or international) code, and not a
    possessive pronoun standing for its owner."""
    return actor.code is not None and actor.entity_text.lower() not in POSSESSIVES


NAMED_KINDS = frozenset({"country", "organization", "person", "named"})


def _named(actor: Actor) -> bool:
    """A recipient the model may pair: a coded country, organisation or person, or a coded
    institution ("the Peruvian police"); not civilians in general, a place or a thing."""
    return _firm(actor) and (actor.kind in NAMED_KINDS or actor.sector not in (None, "CVL"))


def _same(a: Actor, b: Actor) -> bool:
    """One entity on both sides ("Turkey ... Turkey", a pronoun resolved to the actor)."""
    return _same_entity(a, [b]) or a.kind == b.kind == "country" and a.code == b.code


def _embedded_in(tok: Any, triggers: list[Any]) -> bool:
    """Is ``tok`` inside a clausal complement (xcomp/ccomp) of one of ``triggers``?"""
    ids = {t.i for t in triggers}
    cur, clausal = tok, False
    for _ in range(8):
        if cur.head.i == cur.i:
            return False
        clausal = clausal or cur.dep_ in CLAUSE_DEPS
        cur = cur.head
        if cur.i in ids and clausal:
            return True
    return False


def _rel(actor: Actor, sent: Any) -> tuple[int, int]:
    """An actor's span relative to its sentence."""
    return actor.start - sent.start_char, actor.end - sent.start_char


__all__ = ["Candidate", "DyadTyper"]
