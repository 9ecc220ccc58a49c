"""The dyads stage: the learned model types events the lexicon patterns miss; --fast turns it off."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest

from eventwire.config import Config
from eventwire.pipeline import get_pipeline
from eventwire.records import Article
from eventwire.stages.dyads import _embedded_in, load_cues


@pytest.fixture(scope="module")
def full():
    pipe = get_pipeline(Config())
    if pipe.dyad_model is None:
        pytest.skip("dyad model files or onnxruntime missing")
    return pipe


@pytest.fixture(scope="module")
def fast():
    return get_pipeline(Config(fast=True))


def _events(pipe, text):
    return pipe.process(Article(id="t", text=text)).events


def test_model_adds_an_event_for_a_cue_the_patterns_do_not_cover(full, fast):
    text = "The Turkish parliament ratified the accord with Azerbaijan on Tuesday."
    assert _events(fast, text) == []
    (ev,) = _events(full, text)
    assert ev.rule.startswith("model:ratify->")
    assert ev.type == "SUPPORT"
    assert ev.actor[0].code == "TUR" and ev.recipient[0].code == "AZE"
    assert text[ev.trigger.start:ev.trigger.end] == "ratified"
    assert ev.sentence.text == text
    assert 0 < ev.confidence <= 0.6  # 0.6 x the model probability


def test_model_event_with_a_verb_from_the_cue_list(full, fast):
    text = "Chilean jets blitzed the Peruvian navy on Tuesday."  # "blitz": cues.json only
    assert _events(fast, text) == []
    (ev,) = _events(full, text)
    assert ev.type == "ASSAULT" and ev.recipient[0].code == "PER"


def test_pattern_events_are_kept_and_not_duplicated(full, fast):
    text = "Rebels in northern Mali ambushed a convoy of Malian soldiers near the town."
    got, base = _events(full, text), _events(fast, text)
    assert [(e.type, e.rule) for e in got] == [(e.type, e.rule) for e in base]


def test_fast_pipeline_has_no_dyads_stage(fast):
    assert fast.dyad_model is None
    info = fast.run_info()
    assert "dyads" not in info["stages"] and info["dyad_model"] is None


def test_embedded_clause_of_a_coded_threat_is_not_typed_again(nlp):
    doc = nlp("The minister warned that the army would shell the villages.")
    warned = next(t for t in doc if t.text == "warned")
    shell = next(t for t in doc if t.text == "shell")
    assert _embedded_in(shell, [warned])
    assert not _embedded_in(warned, [shell])


def test_cue_list_matches_its_schema_and_leaves_out_object_dependent_verbs():
    data = resources.files("eventwire").joinpath("data/lexicon")
    raw = json.loads(data.joinpath("cues.json").read_text("utf-8"))
    jsonschema.validate(raw, json.loads(data.joinpath("cues.schema.json").read_text("utf-8")))
    cues = load_cues()
    assert "ASSAULT" in cues["pelt"]
    assert "make" not in cues and "take" in cues  # "take" has its own CAMEO block code


def test_reporting_words_are_not_event_cues(full):
    text = "Chile accused Peru of spying on its navy, according to the defence minister Ana Ruiz."
    events = _events(full, text)
    assert [e.trigger.text for e in events] == ["accused"]


def test_things_that_borrowed_a_code_are_not_paired(full):
    # "the strength of the Ruritanian army" has MIL from its 'of' phrase, but a strength does not act
    text = "The Chilean minister questioned the strength of the Peruvian army on Monday."
    assert all(e.recipient[0].entity_text != "the strength" for e in _events(full, text) if e.recipient)
    text = "The Chilean president will deliver his Budget to the Senate in March."
    assert all("Budget" not in e.recipient[0].entity_text for e in _events(full, text) if e.recipient)


def test_recipient_nested_in_the_object(full, fast):
    text = "The Turkish parliament ratified the accord with the government of Azerbaijan on Tuesday."
    assert _events(fast, text) == []
    (ev,) = _events(full, text)
    assert ev.rule.startswith("model:ratify->") and ev.type == "SUPPORT"
    assert (ev.actor[0].code, ev.recipient[0].code) == ("TUR", "AZE")


def test_the_content_of_an_accusation_is_not_an_event_of_the_accuser(full):
    for text in ("Bolivia's defence minister accused Chile on Monday of massing troops near the border.",
                 ("Bolivia accuses Chile of massing troops near border\n\nBolivia's defence minister accused "
                  "Chile on Monday of massing troops near the border.")):
        evs = _events(full, text)
        assert all(text[e.trigger.start:e.trigger.end] != "massing" for e in evs), [(e.type, e.rule) for e in evs]
        assert any(e.type == "ACCUSE" and e.recipient[0].code == "CHL" for e in evs)


def _candidate(pipe, text, cue, types=frozenset({"AID"})):
    """The candidate dyad the stage builds for the word ``cue`` (before the model types it)."""
    typer = dict(pipe.stages)["dyads"]
    document = pipe.process(Article(id="t", text=text))
    tok = next(t for t in document.doc if t.text == cue)
    return typer.candidate(document, tok.sent, tok, set(types))


def test_candidate_recipient_is_the_indirect_object_before_the_direct_one(full):
    c = _candidate(full, "The Chilean government sent Peru a delegation of Chilean diplomats.", "sent")
    assert [a.code for a in c.actor] == ["CHL"] and c.recipient[0].entity_text == "Peru"


def test_candidate_skips_the_actors_own_guessed_forces_for_the_real_recipient(full):
    # "an army unit" has no country word: its guessed code is Norway's, so it is not the recipient
    c = _candidate(full, "Norway is sending an army unit to Mali.", "sending")
    assert c.recipient[0].entity_text == "Mali"


def test_candidate_never_takes_the_actors_own_ships_or_drills_as_recipient(full):
    # nested inside the object too: the warships are Peru's own, the islands no party
    assert _candidate(full, "Peru sent warships to the disputed islands.", "sent") is None
    assert _candidate(full, "Peru conducted military drills near the border.", "conducted", {"MOBILIZE"}) is None
    # nor forces a possessive pronoun gives the actor
    c = _candidate(full, "Peru offered to withdraw its soldiers from the strip.", "withdraw", {"RETREAT"})
    assert c is None or c.recipient[0].entity_text != "its troops"


def test_model_pairs_coordinated_subjects_only_for_a_mutual_type(full):
    c = _candidate(full, "Chile and Peru combined their naval patrols last year.", "combined", {"COOPERATE", "AID"})
    assert c.mutual and [a.code for a in c.actor] == ["CHL"] and [a.code for a in c.recipient] == ["PER"]
    typer = dict(full.stages)["dyads"]
    assert typer.accept(c, "COOPERATE", 0.95) and not typer.accept(c, "ASSAULT", 0.99)
