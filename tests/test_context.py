"""Tests for stages/context.py and data/plover/contexts.yaml (invented sentences)."""

from __future__ import annotations

import pytest

from eventwire.api import code_text
from eventwire.records import Actor, Event, Span
from eventwire.stages.context import ContextTagger, load_contexts
from eventwire.stages.output import to_plover, validate_record

#: The 37 general contexts of the PLOVER 2.0 manual's table, in its order.
MANUAL_CONTEXTS = [
    "military", "intelligence", "executive", "legislative", "election", "political_institutions",
    "pro_democracy", "pro_autocracy", "economic", "legal", "reparations", "human_rights",
    "rights_freedoms", "repression", "human_security", "gender", "lgbt", "religion_ethnicity",
    "inequality", "diplomatic", "territory", "peacekeeping", "health", "asylum", "migration",
    "disasters", "natural_resource", "environment", "technology", "terrorism", "cbrn", "cyber",
    "misinformation", "crime", "corruption", "illegal_drugs", "trafficking",
]


def test_table_has_the_manuals_contexts_in_order_and_each_has_cues():
    table = load_contexts()
    assert list(table.names) == MANUAL_CONTEXTS
    assert all(r.pattern is not None for r in table.rules)
    assert table.version >= 1


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Turnout at the polling stations was low.", {"election"}),  # plural, two words
        ("A cyber attack and a cyber-attack", {"cyber"}),  # space or hyphen
        ("TARIFFS on steel", {"economic"}),  # case and plural
        ("The coalition met on its importance.", set()),  # no cue inside a word: coal, import
        ("The ruling party said more plans are in the pipeline.", set()),  # ambiguous words left out
        ("The political climate was a disaster for the cabinet.", {"executive"}),
    ],
)
def test_cues_match_whole_words(text, want):
    found = ContextTagger().cues_in(text)
    assert {c.context for c in found} == want
    for c in found:  # the evidence is the matched words
        assert text[c.span.start:c.span.end] == c.span.text


def _event(text: str, trigger: str, actor: Actor, context: list[str] | None = None) -> Event:
    i = text.index(trigger)
    return Event(id="e1", article_id="a1", type="COERCE", actor=[actor], recipient=[],
                 trigger=Span(i, i + len(trigger), trigger), sentence=Span(0, len(text), text),
                 context=list(context or []))


def test_trigger_cue_and_sector_evidence_in_manual_order():
    text = "Soldiers detained a smuggler at the border crossing near the oil terminal."
    soldiers = Actor("Soldiers", 0, 8, code="MDA", sector="MIL", kind="group")
    ev = ContextTagger().tag(_event(text, "detained", soldiers, ["legal"]), text)
    assert ev.context == ["military", "legal", "natural_resource", "trafficking"]
    how = {c.context: (c.how, c.span.text) for c in ev.context_evidence}
    assert how["legal"] == ("trigger", "detained")
    assert how["natural_resource"] == ("cue", "oil")
    assert how["trafficking"] == ("cue", "smuggler")
    assert how["military"] == ("cue", "Soldiers")  # a cue word is preferred to the sector


def test_sector_alone_gives_the_context_with_the_mention_as_evidence():
    text = "The judges froze the accounts."
    judges = Actor("The judges", 0, 10, code=None, sector="JUD", kind="group")
    ev = ContextTagger().tag(_event(text, "froze", judges), text)
    assert ev.context == ["legal"]
    assert ev.context_evidence[0].how == "cue"  # "judges" is also a cue word of legal
    other = "The magistrates froze the accounts."
    ev2 = ContextTagger().tag(_event(other, "froze", Actor("The magistrates", 0, 15, sector="JUD")), other)
    assert [(c.context, c.how, c.span.text) for c in ev2.context_evidence] == [
        ("legal", "sector JUD", "The magistrates")]


def test_more_specific_crime_context_replaces_crime():
    text = "Detectives arrested a gang member over a bribery scheme."
    ev = ContextTagger().tag(_event(text, "arrested", Actor("Detectives", 0, 10, sector="COP")), text)
    assert "corruption" in ev.context and "crime" not in ev.context
    plain = "Detectives arrested a gang member after a robbery."
    ev2 = ContextTagger().tag(_event(plain, "arrested", Actor("Detectives", 0, 10, sector="COP")), plain)
    assert ev2.context == ["crime"]


def test_pipeline_records_contexts_with_evidence_offsets():
    text = ("Lorvian troops shelled a refugee camp near the disputed border town of Kesh on Monday, "
            "Zemblan officials said.")
    events = code_text(text, published="2025-03-05")
    assert events, "expected the shelling to be coded"
    ev = events[0]
    assert ev.type == "ASSAULT"
    assert "military" in ev.context and "migration" in ev.context
    record = to_plover(ev)
    validate_record(record)
    assert record["context"] == [c["context"] for c in record["evidence"]["context"]]
    for c in record["evidence"]["context"]:
        assert text[c["start"]:c["end"]] == c["text"]


def test_event_with_no_cue_gets_no_context():
    events = code_text("Kenyan police arrested three traders in Busia on Monday.", published="2025-03-05")
    assert events and all(ev.context == [] and ev.context_evidence == [] for ev in events)
    # a meeting of two states' officials is diplomatic with no cue word
    met = code_text("Chilean officials met their Peruvian counterparts in Lima on Monday.", published="2025-03-05")
    assert met and met[0].type == "CONSULT"
    assert [(c.context, c.how) for c in met[0].context_evidence] == [("diplomatic", "between states")]


def test_nouns_only_cue_needs_a_noun():
    from eventwire.config import Config
    from eventwire.stages import nlp

    tagger = ContextTagger()
    pipe = nlp.load_pipeline(Config().spacy_model)
    verb = "Residents will judge the mayor harshly."
    assert tagger.cues_in(verb, doc=pipe(verb)) == []
    assert [c.context for c in tagger.cues_in(verb)] == ["legal"]  # without a parse: words only
    noun = "The judge froze the accounts."
    assert [c.context for c in tagger.cues_in(noun, doc=pipe(noun))] == ["legal"]
    name = "Her solicitor, Ruth Christian, spoke to reporters in Leeds."
    assert [c.context for c in tagger.cues_in(name)] == ["religion_ethnicity"]
    assert tagger.cues_in(name, doc=pipe(name)) == []  # a surname is no faith


def test_verbal_event_between_two_states_governments_is_diplomatic():
    text = "Chile accused Peru of moving the maritime boundary markers."
    chile = Actor("Chile", 0, 5, code="CHL", sector="GOV", kind="country")
    peru = Actor("Peru", 14, 18, code="PER", sector="GOV", kind="country")
    ev = _event(text, "accused", chile)
    ev.type, ev.recipient = "ACCUSE", [peru]
    ContextTagger().tag(ev, text)
    assert [(c.context, c.how, c.span.text) for c in ev.context_evidence] == [
        ("diplomatic", "between states", "accused")]
    # not between states: one state's own government and people, or a material act
    farmers = Actor("Chilean farmers", 0, 15, code="CHL", sector="AGR", kind="group")
    ev2 = _event(text, "accused", chile)
    ev2.type, ev2.recipient = "ACCUSE", [farmers]
    assert ContextTagger().tag(ev2, text).context == []
    ev3 = _event(text, "accused", chile)
    ev3.type, ev3.recipient = "ASSAULT", [peru]
    assert ContextTagger().tag(ev3, text).context == []
