"""Tests for the learned location ranker (eventwire.learn_geo), on invented sentences."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from conftest import choose_place

from eventwire.learn_geo import (
    MODEL_PATH,
    LearnedLocationChooser,
    LocationCandidate,
    LocationModel,
    RankerInput,
    build_input,
    fit_ranker,
    gold_indices,
    load_location_model,
)
from eventwire.stages.place import (
    DATA_DIR,
    LocationChooser,
    PlaceResolver,
    load_gazetteer,
)

SHARED = Path(__file__).resolve().parents[2] / "shared"
DEV = SHARED / "eval" / "event-location" / "labeled_text.dev.jsonl"




def test_model_file_matches_schema():
    body = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    schema = json.loads((DATA_DIR / "location_model.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(body, schema)
    assert body["meta"]["cv_accuracy"] > 0.7


def test_resolver_uses_the_shipped_model(resolver):
    assert resolver.learned is not None
    assert PlaceResolver(use_model=False).learned is None


def test_missing_model_file_gives_none(tmp_path):
    assert load_location_model(tmp_path / "absent.json") is None


@pytest.mark.parametrize(
    ("text", "verb", "place"),
    [
        ("Militants ambushed a patrol near Oruro on Friday.", "ambushed", "Oruro"),
        ("Farmers protested outside the ministry in Asuncion.", "protested", "Asuncion"),
        ("Teachers marched through the centre of Cordoba on Friday.", "marched", "Cordoba"),
        ("The minister praised the new budget plan.", "praised", None),
        ("Peru said in Paris that Chile attacked a fishing boat.", "attacked", None),
        ("A bomb exploded in a market in Quetzaltenango on Monday.", "exploded", "Quetzaltenango"),
    ],
)
def test_learned_choice(nlp, resolver, text, verb, place):
    assert choose_place(nlp, resolver, text, verb) == place


def test_candidates_include_rule_choice_and_none(nlp):
    doc = nlp("Rebels attacked a convoy in Valencia after leaving Madrid.")
    item = build_input(doc, doc[1], LocationChooser(), load_gazetteer())
    names = [doc.text[c.start : c.end] for c in item.candidates if not c.is_none]
    assert "Valencia" in names and "Madrid" in names
    assert item.candidates[-1].is_none
    valencia = next(c for c in item.candidates if doc.text[c.start : c.end] == "Valencia")
    assert "rule" in valencia.sources
    assert len(item.features) == len(item.candidates)


def test_explanation_names_the_ranker(nlp):
    doc = nlp("Gunmen attacked a police post near Cusco on Tuesday.")
    chooser = LearnedLocationChooser(load_location_model(), LocationChooser())
    span, how = chooser.choose(doc, doc[1])
    assert span is not None and doc.text[span[0] : span[1]] == "Cusco"
    assert how.startswith("learned ranker") and "near" in how


def _fake(feats: list[list[str]]) -> RankerInput:
    cands = [LocationCandidate(k, k + 1, object()) for k in range(len(feats) - 1)]
    return RankerInput([*cands, LocationCandidate(-1, -1, None)], feats)


def test_fit_ranker_learns_a_preference():
    items = [_fake([["CAND", "prep=in"], ["CAND", "prep=from"], ["NONE"]]) for _ in range(20)]
    items += [_fake([["CAND", "prep=from"], ["NONE"]]) for _ in range(20)]
    gold = [{0}] * 20 + [{1}] * 20
    model = fit_ranker(items, gold, l2=0.1, min_count=1, iterations=200)
    best, prob = model.choose(_fake([["CAND", "prep=from"], ["CAND", "prep=in"], ["NONE"]]))
    assert (best.start, prob > 0.5) == (1, True)
    best, _ = model.choose(_fake([["CAND", "prep=from"], ["NONE"]]))
    assert best.is_none


def test_gold_indices_and_round_trip(tmp_path):
    item = _fake([["CAND"], ["CAND"], ["NONE"]])
    assert gold_indices(item, [(1, 2)]) == {1}
    assert gold_indices(item, []) == {2}
    path = tmp_path / "m.json"
    LocationModel({"CAND": 0.5, "NONE": -0.25}, {"records": 1}).to_json(path)
    assert LocationModel.from_json(path).weights == {"CAND": 0.5, "NONE": -0.25}


@pytest.mark.shared
@pytest.mark.skipif(not DEV.exists(), reason="../shared/eval/event-location is not present")
def test_ranker_on_dev_sample_in_sample(nlp):
    """In-sample sanity check only: the shipped model was trained on this file
    (the unseen-data estimate is the cross-validated figure in the model's meta)."""
    from eventwire.evaluate.geo import evaluate_geo

    result = evaluate_geo(DEV, nlp=nlp, limit=400)
    assert result["accuracy"] > 0.75


def test_direction_variants_are_candidates(nlp):
    doc = nlp("Gunmen attacked a bus in northern Tarapaca on Monday.")
    item = build_input(doc, doc[1], LocationChooser(), load_gazetteer())
    names = {doc.text[c.start : c.end] for c in item.candidates if not c.is_none}
    assert {"Tarapaca", "northern Tarapaca"} <= names


def test_place_noun_variant_is_a_candidate(nlp):
    doc = nlp("Soldiers raided the Pucallpa district before dawn.")
    item = build_input(doc, doc[1], LocationChooser(), load_gazetteer())
    names = {doc.text[c.start : c.end] for c in item.candidates if not c.is_none}
    assert "Pucallpa" in names and "Pucallpa district" in names


def test_feature_names_carry_no_text(nlp):
    doc = nlp("Three farmers were killed in clashes near Ayacucho, the police said on Monday.")
    verb = next(t for t in doc if t.text == "killed")
    item = build_input(doc, verb, LocationChooser(), load_gazetteer())
    names = {f for feats in item.features for f in feats}
    assert all(" " not in f and "Ayacucho" not in f for f in names)
    assert "NONE&bow=clash" in names  # generic nouns only (lemmas), never names


def test_date_swallowed_by_a_name_is_dropped_in_a_variant(nlp):
    doc = nlp("Hundreds of miners demonstrated in Oruro Thursday against the new tax.")
    item = build_input(doc, doc[3], LocationChooser(), load_gazetteer())
    names = {doc.text[c.start : c.end] for c in item.candidates if not c.is_none}
    assert "Oruro" in names
