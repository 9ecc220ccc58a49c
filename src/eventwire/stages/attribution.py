"""Stage 5 — attribution and modality: who says so, and how sure the text is.

For each event we walk up the dependency tree from its trigger. Every reporting
verb we pass through as its clausal complement ("X says [Iran is sending ...]",
"[...], the paper reported") adds a speaker; "according to X" and quotations
("'...,' X said") add one too. The chain is stored outermost first and always
starts with the outlet (article metadata), so an event with no reported source
is asserted by the outlet.

Modality comes from the innermost cue: reporting verb class (say -> reported,
claim/allege -> claimed, deny -> denied), negation, modal and conditional
markers in the event's own clause (will -> future, if/could -> hypothetical), and
adverbs such as "previously" (historical). Reporting cues and modality cues are
data: ``data/lexicon/reporting.yaml``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from ..errors import DataError
from ..plover import load_plover_types
from ..records import Document, Event, Span, Speaker
from .actors import inside_quote
from .events import VERBAL_TYPES, governor, negation, purpose_clause

FIRST_PERSON = frozenset({"i", "we", "us", "me", "our", "my"})


@dataclass(frozen=True, slots=True)
class ReportingLexicon:
    verbs: dict[str, str]  # reporting verbs: attribute the events in their complement
    phrases: tuple[str, ...]
    nouns: dict[str, str]
    stance_verbs: dict[str, str]  # broader cues, for the attribution extractor only
    stance_nouns: dict[str, str]
    future: frozenset[str]
    hypothetical: frozenset[str]
    historical: frozenset[str]
    intention: frozenset[str] = frozenset()  # heads whose "to"-clause is an intention
    requested: frozenset[str] = frozenset()  # heads whose object is asked to do the "to"-clause
    backshifted: frozenset[str] = frozenset()  # "would" reported in the past: the report's future
    willingness: frozenset[str] = frozenset()  # intention heads that offer the act ("is willing to")


@lru_cache(maxsize=1)
def load_reporting() -> ReportingLexicon:
    try:
        raw = yaml.safe_load(resources.files("eventwire").joinpath("data/lexicon/reporting.yaml").read_text("utf-8"))
    except (OSError, yaml.YAMLError) as e:
        raise DataError(f"cannot read the reporting lexicon: {e}") from None
    cues = raw.get("modality_cues", {})
    return ReportingLexicon(
        verbs={str(k): str(v) for k, v in raw["verbs"].items()},
        phrases=tuple(raw.get("phrases", ())),
        nouns={str(k): str(v) for k, v in raw.get("nouns", {}).items()},
        stance_verbs={str(k): str(v) for k, v in raw.get("stance_verbs", {}).items()},
        stance_nouns={str(k): str(v) for k, v in raw.get("stance_nouns", {}).items()},
        future=frozenset(cues.get("future", ())),
        hypothetical=frozenset(cues.get("hypothetical", ())),
        historical=frozenset(cues.get("historical", ())),
        intention=frozenset(cues.get("intention", ())),
        requested=frozenset(cues.get("requested", ())),
        backshifted=frozenset(cues.get("backshifted", ())),
        willingness=frozenset(cues.get("willingness", ())),
    )


def _span(tok: Any) -> Span:
    return Span(tok.idx, tok.idx + len(tok.text), tok.text)


class Attributor:
    """The attribution stage: sets ``Event.attribution``, ``modality`` and ``modality_cue``."""

    name = "attribution"

    def __init__(self, actor_coder: Any, config: Any = None) -> None:
        from ..config import Config

        self.actors = actor_coder
        self.config = config or Config()
        self.lex = load_reporting()

    def __call__(self, document: Document) -> Document:
        doc = document.doc
        outlet = document.article.outlet or self.config.default_outlet
        kept = []
        for ev in document.events:
            trig = doc.char_span(ev.trigger.start, ev.trigger.end, alignment_mode="expand")
            tok = trig.root if trig is not None else doc[0]
            chain, inner_modality, inner_cue = self.speakers_for(document, tok)
            # A speaker's own speech act (X accused Y, "we are concerned about Y" said X) is
            # observed by whoever reports the speaking: the speaker is not a source of it.
            if chain and ev.type in VERBAL_TYPES and _same_actor(chain[-1], ev):
                chain, inner_modality, inner_cue = _without_speaker(chain)
            ev.attribution = [Speaker(actor=None, name=outlet, cue=None, kind="outlet"), *chain]
            if ev.modality != "negated":
                own, cue = self.clause_modality(tok, ev)
                if own is not None:
                    ev.modality, ev.modality_cue = own, cue
                else:
                    ev.modality, ev.modality_cue = inner_modality, inner_cue
            if ev.modality == "negated" and not self.config.keep_negated:
                continue
            if ev.modality in ("future", "hypothetical") and chain and _same_actor(chain[-1], ev) and _threat(ev):
                # the speaker declares its own act: the threat is what the outer sources report
                rest, ev.modality, ev.modality_cue = _without_speaker(chain)
                ev.attribution = ev.attribution[:1] + rest
            if ev.modality == "future":
                cue = doc.char_span(ev.modality_cue.start, ev.modality_cue.end, alignment_mode="expand") \
                    if ev.modality_cue is not None else None
                _future_type(ev, willing=cue is not None and cue.root.lemma_.lower() in self.lex.willingness)
            kept.append(ev)
        document.events = kept
        return document

    # -- speakers
    def speakers_for(self, document: Document, tok: Any) -> tuple[list[Speaker], str, Span | None]:
        """Reported sources of the clause holding ``tok``, outermost first, and the innermost modality."""
        chain: list[Speaker] = []  # innermost first while collecting
        modality, cue = "asserted", None
        cur = tok
        for _ in range(12):
            head = cur.head
            if head.i == cur.i:
                break
            if cur.dep_ in ("ccomp", "parataxis") or (cur.dep_ == "conj" and head.dep_ == "ccomp"):
                sp = self._reporting_speaker(document, head)
                if sp is not None and not (chain and _same_speaker(chain[-1], sp[0])):
                    chain.append(sp[0])
                    if modality == "asserted":
                        modality, cue = sp[1], sp[0].cue
            cur = head
        # the root may be a reporting verb whose complement we sit beside ("..., X reported")
        root = tok.sent.root
        for c in root.children:
            if c.dep_ == "parataxis" and tok not in list(c.subtree):
                sp = self._reporting_speaker(document, c)
                if sp is not None and all(s.cue != sp[0].cue for s in chain):
                    chain.append(sp[0])
                    if modality == "asserted":
                        modality, cue = sp[1], sp[0].cue
        acc = self._according_to(document, tok)
        if acc is not None and all(s.cue != acc.cue for s in chain):
            chain.insert(0, acc)
            modality, cue = "reported", acc.cue
        if not chain:
            quoted = self._quote_speaker(document, tok)
            if quoted is not None:
                chain.append(quoted)
                modality, cue = "reported", quoted.cue
        chain.reverse()
        return chain, modality, cue

    def _reporting_speaker(self, document: Document, verb: Any) -> tuple[Speaker, str] | None:
        if verb.pos_ not in ("VERB", "AUX"):
            noun_mod = self.lex.nouns.get(verb.lemma_.lower())
            if noun_mod is None:
                return None
            owner = next((c for c in verb.children if c.dep_ == "poss"), None)
            actor = self.actors.actor_for(document, owner) if owner is not None else None
            return Speaker(actor=actor, name=owner.text if owner is not None else verb.text, cue=_span(verb)), noun_mod
        keys = [f"{verb.lemma_.lower()} {c.lower_}" for c in verb.children if c.dep_ == "prt"] + [verb.lemma_.lower()]
        modality = next((self.lex.verbs[k] for k in keys if k in self.lex.verbs), None)
        if modality is None:
            return None
        subj = self._speaker_subject(verb)
        if subj is None:
            return None
        actor = self.actors.actor_for(document, subj)
        name = " ".join(t.text for t in subj.subtree if t.dep_ not in ("punct",) and t.i <= subj.i) or subj.text
        if actor is not None and actor.canonical:
            name = actor.canonical
        elif actor is not None:
            name = actor.entity_text
        return Speaker(actor=actor, name=name, cue=_span(verb)), modality

    def _speaker_subject(self, verb: Any) -> Any | None:
        cur = verb
        for _ in range(4):
            subj = next((c for c in cur.children if c.dep_ in ("nsubj", "nsubjpass")), None)
            if subj is not None:
                return subj
            if cur.dep_ in ("advcl", "conj", "xcomp") and cur.head.i != cur.i:
                cur = cur.head  # "..., adding that ..." inherits the subject of "said"
                continue
            return None
        return None

    def _according_to(self, document: Document, tok: Any) -> Speaker | None:
        sent = tok.sent
        for t in sent:
            if t.lower_ == "according" and t.i + 1 < len(document.doc) and document.doc[t.i + 1].lower_ == "to":
                to = document.doc[t.i + 1]
                obj = next((c for c in to.children if c.dep_ == "pobj"), None)
                if obj is None:
                    continue
                actor = self.actors.actor_for(document, obj)
                name = actor.canonical or actor.entity_text if actor else obj.text
                return Speaker(actor=actor, name=name, cue=Span(t.idx, to.idx + len(to.text), f"{t.text} {to.text}"))
        return None

    def _quote_speaker(self, document: Document, tok: Any) -> Speaker | None:
        """A trigger inside quotation marks, in a sentence with a reporting verb outside them."""
        sent = tok.sent
        if not inside_quote(tok):
            return None
        for t in sent:
            if t.pos_ == "VERB" and t.lemma_.lower() in self.lex.verbs and not inside_quote(t):
                sp = self._reporting_speaker(document, t)
                if sp is not None:
                    return sp[0]
        return None

    # -- modality of the event's own clause
    def _reported_in_past(self, verb: Any) -> bool:
        """Is ``verb``'s clause the complement of a past-tense reporting verb ("announced it
        would boycott"), with no if/unless condition on it?"""
        if verb.dep_ != "ccomp" or verb.head.tag_ not in ("VBD", "VBN") or verb.head.lemma_.lower() not in self.lex.verbs:
            return False
        return not any(d.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless") for m in d.children)
                       for d in verb.children)

    def clause_modality(self, tok: Any, ev: Event) -> tuple[str | None, Span | None]:
        clause = tok
        while clause.dep_ in ("xcomp", "conj", "acl") and clause.head.i != clause.i and clause.head.pos_ == "VERB":
            clause = clause.head
        gov = governor(tok)  # "would hold talks": the light verb carries the modal
        refusal = ev.type == "REJECT" and negation(tok) is not None  # "will not release": a refusal now
        for c in list(tok.children) + list(clause.children) + (list(gov.children) if gov is not tok else []):
            low = c.lower_
            if c.dep_ == "mark" and low in self.lex.hypothetical:
                return "hypothetical", _span(c)
            if c.dep_ == "aux" and low in self.lex.future and ev.type != "THREATEN" and not refusal:
                return "future", _span(c)
            if c.dep_ == "aux" and low in self.lex.hypothetical and ev.type != "THREATEN":
                if low in self.lex.backshifted and not refusal and self._reported_in_past(c.head):
                    return "future", _span(c)  # "said it would recognise X"
                return "hypothetical", _span(c)
            if c.dep_ == "advmod" and low in self.lex.historical and not (
                    c.i > 0 and c.doc[c.i - 1].lower_ in ("as", "so")):  # "as long as": a condition, not the past
                return "historical", _span(c)
        # "plans to attack", "agreed to lift the ban", "is ready to send troops"; also the purpose
        # of an intended act ("offered to send soldiers to assist X": the assistance is intended too)
        cur = tok
        for _ in range(4):
            if cur.dep_ == "xcomp" and cur.head.lemma_.lower() in self.lex.intention:
                return "future", _span(cur.head)
            # "urged Chile to attack Peru": the attack is asked for, not done
            if cur.dep_ == "xcomp" and cur.head.lemma_.lower() in self.lex.requested \
                    and any(c.dep_ == "dobj" for c in cur.head.children):
                return "hypothetical", _span(cur.head)
            if not (cur.dep_ == "xcomp" or purpose_clause(cur)) or cur.head.pos_ not in ("VERB", "AUX") or cur.head.i == cur.i:
                break
            cur = cur.head
        return None, None


def _future_type(ev: Event, willing: bool = False) -> None:
    """PLOVER 2.0: cooperative actions reported in the future tense are AGREE, announced
    retreats CONCEDE (the type table's ``future_as``), and with ``willing`` (the cue says the
    actor is willing, ready or offers to act) the type table's ``willing_as``; the event keeps
    modality "future" and its rule says what changed."""
    t = load_plover_types().get(ev.type)
    if t is None:
        return
    offered = willing and bool(t.willing_as)
    new = t.willing_as if offered else t.future_as
    if new and new != ev.type:
        how, field_ = ("offered", "willing_as") if offered else ("future", "future_as")
        ev.rule = f"{ev.rule}; {how} {ev.type} -> {new} (PLOVER 2.0 manual, {field_})"
        ev.type, ev.mode = new, []


def _without_speaker(chain: list[Speaker]) -> tuple[list[Speaker], str, Span | None]:
    """The chain without its innermost speaker, who is the event's actor (a speech act or a
    declared threat is observed by whoever reports it), and the modality that leaves."""
    rest = chain[:-1]
    return (rest, "reported", rest[-1].cue) if rest else (rest, "asserted", None)


def _threat(ev: Event) -> bool:
    """A conflict act its own actor says it will or would do ("said it would attack Peru if
    ...") is THREATEN with the type table's ``threat_mode``; True when the type changed."""
    types = load_plover_types()
    t = types.get(ev.type)
    if t is None or t.threat_mode is None:
        return False
    ev.rule = f"{ev.rule}; {ev.modality} {ev.type} declared by its actor -> THREATEN (PLOVER 2.0 manual: THREATEN = ASSAULT + hypothetical)"
    threat_modes = types["THREATEN"].modes
    ev.type, ev.mode = "THREATEN", [m for m in ev.mode if m in threat_modes][:1] or [t.threat_mode]
    return True


def _same_speaker(a: Speaker, b: Speaker) -> bool:
    """Two links naming one person ("Holt said, adding that ...")."""
    if a.actor is not None and b.actor is not None and a.actor.canonical and a.actor.canonical == b.actor.canonical:
        return True
    return a.name == b.name


def _same_actor(speaker: Speaker, ev: Event) -> bool:
    if speaker.actor is None:
        return False
    for a in ev.actor:
        if (a.start, a.end) == (speaker.actor.start, speaker.actor.end):
            return True
        if a.canonical and a.canonical == speaker.actor.canonical:
            return True
        if a.antecedent == (speaker.actor.start, speaker.actor.end):  # "Chile said it would ..."
            return True
        # "we"/"I" inside the speaker's own quotation, coded like the speaker
        if a.entity_text.lower() in FIRST_PERSON and (a.code, a.sector) == (speaker.actor.code, speaker.actor.sector):
            return True
    return False


__all__ = ["Attributor", "load_reporting"]
