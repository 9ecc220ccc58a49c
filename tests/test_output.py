"""Tests for stages/output.py, the PLOVER type table and the output JSON Schema."""

from __future__ import annotations

import copy
import io
import json
from importlib import resources

import jsonschema
import pytest
import yaml

from eventwire.errors import DataError
from eventwire.plover import load_plover_types, quad_code
from eventwire.records import MODALITIES, Actor, Event, EventDate, Place, Span, Speaker
from eventwire.stages.output import (
    RECORD_KEYS,
    load_event_schema,
    render_table,
    to_plover,
    validate_record,
    write_jsonl,
)

TEXT = (
    "Velmora's defence minister Oren Kastell said on Monday that Tarsk had shipped rifles to "
    "rebels in Port Anselm, the state radio reported."
)


def _span(text: str, needle: str) -> Span:
    i = text.index(needle)
    return Span(i, i + len(needle), needle)


def _actor(
    needle: str,
    code: str | None,
    sector: str | None,
    kind: str = "country",
    canonical: str | None = None,
) -> Actor:
    s = _span(TEXT, needle)
    return Actor(
        needle,
        s.start,
        s.end,
        code=code,
        sector=sector,
        kind=kind,
        canonical=canonical,
        evidence=[f"lexicon: {needle}"],
    )


def make_event(**over: object) -> Event:
    """A hand-built, fully populated event over TEXT (invented countries and people)."""
    minister = _actor(
        "Oren Kastell", "VLM", "GOV", kind="person", canonical="Oren Kastell"
    )
    ev = Event(
        id="sha1:0123456789abcdef-e1",
        article_id="sha1:0123456789abcdef",
        type="AID",
        actor=[_actor("Tarsk", "TRK", None)],
        recipient=[_actor("rebels", "VLM", "REB", kind="group")],
        trigger=_span(TEXT, "shipped rifles"),
        sentence=Span(0, len(TEXT), TEXT),
        mode=[],
        context=["military"],
        modality="reported",
        modality_cue=_span(TEXT, "said"),
        attribution=[
            Speaker(
                actor=None,
                name="Velmora State Radio",
                cue=_span(TEXT, "reported"),
                kind="outlet",
            ),
            Speaker(
                actor=minister,
                name="Oren Kastell",
                cue=_span(TEXT, "said"),
                kind="source",
            ),
        ],
        date=EventDate(
            "2023-04-10", "day", _span(TEXT, "Monday"), how="weekday before publication"
        ),
        place=Place(
            "Port Anselm",
            _span(TEXT, "Port Anselm"),
            "VLM",
            "city",
            admin1="Coast",
            lat=12.5,
            lon=-70.25,
            geonames_id=1234567,
            how="prepositional phrase 'in'",
        ),
        confidence=0.8,
        coder="eventwire 0.1.0",
        rule="events.yaml:AID/ship",
    )
    for k, v in over.items():
        setattr(ev, k, v)
    return ev


def test_record_has_exactly_the_documented_keys() -> None:
    rec = to_plover(make_event())
    assert tuple(rec) == RECORD_KEYS
    assert rec["event"] == ["AID"] and rec["quad_code"] == 2
    assert rec["date"] == "2023-04-10" and rec["date_precision"] == "day"
    assert rec["event_text"] == ["shipped rifles"]
    assert rec["actor"][0] == {
        "code": "TRK",
        "sector": None,
        "entity_text": "Tarsk",
        "canonical": None,
        "start": TEXT.index("Tarsk"),
        "end": TEXT.index("Tarsk") + 5,
        "kind": "country",
        "antecedent": None,
        "evidence": ["lexicon: Tarsk"],
    }
    loc = rec["event_loc"]
    assert loc["country"] == "VLM" and TEXT[loc["start"] : loc["end"]] == "Port Anselm"
    assert [s["kind"] for s in rec["attribution"]] == ["outlet", "source"]
    assert (
        rec["attribution"][0]["code"] is None
        and rec["attribution"][1]["sector"] == "GOV"
    )
    trig = rec["evidence"]["trigger"]
    assert TEXT[trig["start"] : trig["end"]] == trig["text"] == "shipped rifles"
    assert rec["date_how"] == "weekday before publication" and rec[
        "place_how"
    ].startswith("prepositional")


def test_records_validate_against_schema() -> None:
    validate_record(to_plover(make_event()))
    minimal = make_event(
        place=None,
        modality_cue=None,
        attribution=[],
        date=EventDate(None),
        recipient=[],
        type="PROTEST",
        modality="asserted",
    )
    rec = to_plover(minimal)
    validate_record(rec)
    assert rec["event_loc"] is None and rec["date"] is None and rec["quad_code"] == 4


@pytest.mark.parametrize(
    "mutate",
    [
        lambda r: r.__setitem__("extra", 1),
        lambda r: r.__setitem__("event", ["FIGHT"]),
        lambda r: r["actor"][0].__setitem__("sector", "gov"),
        lambda r: r.__setitem__("modality", "rumoured"),
        lambda r: r.__setitem__("quad_code", 5),
        lambda r: r.__setitem__("date", "10 April 2023"),
        lambda r: r["evidence"]["trigger"].__setitem__("start", -1),
        lambda r: r.pop("rule"),
    ],
)
def test_schema_rejects_bad_records(mutate) -> None:  # type: ignore[no-untyped-def]
    rec = copy.deepcopy(to_plover(make_event()))
    mutate(rec)
    with pytest.raises(jsonschema.ValidationError):
        validate_record(rec)


def test_schema_enums_match_data_and_records() -> None:
    schema = load_event_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["additionalProperties"] is False
    assert set(schema["$defs"]["event_type"]["enum"]) == set(load_plover_types())
    assert tuple(schema["$defs"]["modality"]["enum"]) == MODALITIES


def test_plover_types_table() -> None:
    types = load_plover_types()
    assert len(types) == 16
    quads = {
        1: {"AGREE", "CONSULT", "SUPPORT", "CONCEDE"},
        2: {"COOPERATE", "AID", "RETREAT"},
        3: {"REQUEST", "ACCUSE", "REJECT", "THREATEN"},
        4: {"PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"},
    }
    for q, names in quads.items():
        assert {n for n, t in types.items() if t.quad == q} == names
    assert {n for n, t in types.items() if t.requires_recipient} == {
        "COOPERATE",
        "AID",
        "SANCTION",
    }
    assert "visit" in types["CONSULT"].modes and "aerial" in types["ASSAULT"].modes
    assert (
        types["ACCUSE"].cameo_roots == ("09", "11")
        and types["AID"].quad_name == "material cooperation"
    )
    with pytest.raises(DataError):
        quad_code("FIGHT")


def test_types_yaml_matches_its_schema() -> None:
    base = resources.files("eventwire") / "data" / "plover"
    data = yaml.safe_load((base / "types.yaml").read_text(encoding="utf-8"))
    jsonschema.validate(
        data, json.loads((base / "types.schema.json").read_text(encoding="utf-8"))
    )


def test_write_jsonl_round_trip() -> None:
    buf = io.StringIO()
    n = write_jsonl([make_event(), make_event(id="e2", type="ACCUSE")], buf)
    lines = buf.getvalue().splitlines()
    assert n == 2 and len(lines) == 2
    recs = [json.loads(line) for line in lines]
    assert recs[1]["event"] == ["ACCUSE"] and recs[1]["quad_code"] == 3
    for r in recs:
        validate_record(r)


def test_write_jsonl_keeps_unicode() -> None:
    buf = io.StringIO()
    write_jsonl([make_event(trigger=Span(0, 6, "envi\u00f3"))], buf)
    assert "envió" in buf.getvalue()


def test_render_table_shows_the_fields() -> None:
    out = render_table([make_event()], width=200)
    for needle in (
        "2023-04-10",
        "TRK",
        "AID",
        "VLM REB",
        "reported",
        "Oren Kastell",
        "VLM GOV",
        "Port Anselm (VLM)",
        "shipped rifles",
        "[said]",
    ):
        assert needle in out, needle
    assert "\x1b[" not in out  # no colour codes
    assert "no events" in render_table([])


def test_cameo_root_follows_the_types_table_and_modes():
    from eventwire.plover import cameo_root

    assert cameo_root("ACCUSE") == "11" and cameo_root("ACCUSE", ["investigate"]) == "09"
    assert cameo_root("ASSAULT") == "19" and cameo_root("ASSAULT", ["abduct"]) == "18"
    assert cameo_root("AID") == "07" and cameo_root("COERCE") == "17" and cameo_root("NOPE") == ""
