"""The whole pipeline on the built-in samples: valid PLOVER JSON, run records, batching."""

from __future__ import annotations

import pytest

from eventwire.pipeline import get_pipeline
from eventwire.samples import load_samples
from eventwire.stages.output import to_plover, validate_record


@pytest.fixture(scope="module")
def coded():
    pipe = get_pipeline()
    return pipe, [pipe.process(a) for a in load_samples()]


def test_every_record_is_valid_plover_json(coded):
    _, docs = coded
    records = [to_plover(e) for d in docs for e in d.events]
    assert len(records) >= 6
    for rec in records:
        validate_record(rec)


def test_evidence_offsets_point_into_the_article(coded):
    _, docs = coded
    for d in docs:
        text = d.article.text
        for e in d.events:
            assert text[e.trigger.start : e.trigger.end] == e.trigger.text
            assert text[e.sentence.start : e.sentence.end] == e.sentence.text
            for a in e.actor + e.recipient:
                assert 0 <= a.start < a.end <= len(text)
            for s in e.attribution[1:]:
                assert s.cue is not None and text[s.cue.start : s.cue.end] == s.cue.text
            if e.date.span is not None:
                assert text[e.date.span.start : e.date.span.end] == e.date.span.text


def test_every_event_starts_its_chain_with_the_outlet(coded):
    _, docs = coded
    for d in docs:
        for e in d.events:
            assert e.attribution[0].kind == "outlet"
            assert e.attribution[0].name == d.article.outlet


def test_batch_and_single_give_the_same_events(coded):
    pipe, docs = coded
    batch = list(pipe.process_many(load_samples(), batch_size=2))
    assert [[to_plover(e) for e in d.events] for d in batch] == [[to_plover(e) for e in d.events] for d in docs]


def test_run_info_records_config_and_model_versions(coded):
    pipe, _ = coded
    info = pipe.run_info()
    assert info["config"]["spacy_model"] == "auto"
    assert info["spacy"]["version"] and info["spacy"]["spacy_version"].startswith("3.8")
    assert info["stages"] == ["read", "nlp", "actors", "events", "dyads", "context", "attribution", "time", "place",
                              "output"]
    assert isinstance(info["event_lexicon_version"], int)
    assert len(info["dyad_model"]["sha256"]) == 16
    assert isinstance(info["cue_list_version"], int)
    assert isinstance(info["context_table_version"], int)
    assert len(info["location_model"]["sha256"]) == 16


def test_fast_mode_runs_no_transformer():
    from eventwire.config import Config
    from eventwire.pipeline import get_pipeline

    info = get_pipeline(Config(fast=True)).run_info()
    assert info["dyad_model"] is None and info["location_model"] is None
    assert "dyads" not in info["stages"]


def test_a_wire_dateline_is_not_the_subject_of_the_first_sentence():
    from eventwire.api import code_text

    for text in ("LIMA, Peru (Andes Wire) -- A Chilean judge has charged two Peruvian mayors with fraud.",
                 "LIMA -- A Chilean judge has charged two Peruvian mayors with fraud."):
        (ev,) = code_text(text, published="2024-03-08")
        assert ev.type == "ACCUSE" and ev.actor[0].entity_text == "A Chilean judge"
    from eventwire.stages.nlp import dateline_end, load_pipeline

    nlp = load_pipeline("auto")
    assert dateline_end(nlp("Iran-backed militias attacked Iraqi troops."), 0) is None
    assert dateline_end(nlp("Peru - the country hit by floods - asked Chile for help."), 0) is None
