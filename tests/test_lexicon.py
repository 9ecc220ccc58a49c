"""The event and reporting lexicons: valid against their schemas, covering every PLOVER type."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema
import yaml

from eventwire.stages.attribution import load_reporting
from eventwire.stages.events import PLOVER_TYPES, load_lexicon

DATA = resources.files("eventwire").joinpath("data/lexicon")


def _load(name: str):
    return yaml.safe_load(DATA.joinpath(name).read_text("utf-8"))


def test_event_lexicon_matches_its_schema():
    jsonschema.validate(_load("events.yaml"), json.loads(DATA.joinpath("events.schema.json").read_text("utf-8")))


def test_reporting_lexicon_matches_its_schema():
    jsonschema.validate(_load("reporting.yaml"), json.loads(DATA.joinpath("reporting.schema.json").read_text("utf-8")))


def test_every_plover_type_has_verb_triggers():
    lex = load_lexicon()
    types = {e.type for entries in lex.entries.values() for e in entries if e.pos == "VERB"}
    assert types == set(PLOVER_TYPES)


def test_constrained_entries_are_tried_first():
    lex = load_lexicon()
    for entries in lex.entries.values():
        flags = [e.constrained for e in entries]
        assert flags == sorted(flags, reverse=True)


def test_event_attribution_uses_reporting_verbs_only():
    lex = load_reporting()
    # stance cues such as "urge" or "condemn" are events themselves, not reports
    for word in ("urge", "condemn", "plan", "want"):
        assert word not in lex.verbs and word in lex.stance_verbs
    assert lex.verbs["say"] == "reported" and lex.verbs["claim"] == "claimed" and lex.verbs["deny"] == "denied"


def test_every_mode_in_the_lexicon_is_one_its_type_has_in_plover_2():
    # types.yaml lists the PLOVER 2.0 manual's modes per type; an entry may not invent one
    types = yaml.safe_load(resources.files("eventwire").joinpath("data/plover/types.yaml").read_text("utf-8"))
    types = types.get("types", types)
    bad = [(e["lemma"], e["type"], m) for e in _load("events.yaml")["entries"]
           for m in e.get("mode") or [] if m not in (types[e["type"]].get("modes") or [])]
    assert bad == []
