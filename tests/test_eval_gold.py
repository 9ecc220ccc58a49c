"""Tests for evaluate/gold.py: matching and field scoring on invented gold and predictions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from eventwire.errors import EvalError
from eventwire.evaluate.gold import (
    GoldAttribution,
    GoldEvent,
    GoldSide,
    gold_event_from_dict,
    load_gold,
    match_events,
    parse_gold_lines,
    score,
)
from eventwire.records import Actor, Event, EventDate, Place, Span, Speaker
from eventwire.stages.output import to_plover, validate_record

SHARED = Path(__file__).resolve().parents[2] / "shared"
EXAMPLE = SHARED / "examples" / "iran-venezuela"


def ent(code: str | None, sector: str | None = None, text: str = "x") -> Actor:
    return Actor(text, 0, len(text), code=code, sector=sector)


def pred(
    pid: str,
    type_: str,
    actors: list[Actor],
    recipients: list[Actor],
    *,
    date: str | None = None,
    loc: str | None = None,
    speaker: Actor | None = None,
    speaker_name: str | None = None,
) -> dict[str, Any]:
    """A real output record (Event -> to_plover) with the given fields."""
    chain = [Speaker(None, "The Example Post", None, kind="outlet")]
    if speaker is not None:
        chain.append(
            Speaker(
                speaker,
                speaker_name or speaker.entity_text,
                Span(0, 4, "said"),
                kind="source",
            )
        )
    ev = Event(
        id=pid,
        article_id="a",
        type=type_,
        actor=actors,
        recipient=recipients,
        trigger=Span(0, 1, "x"),
        sentence=Span(0, 1, "x"),
        attribution=chain,
        date=EventDate(date, "day" if date and len(date) == 10 else "unknown"),
        place=Place(loc, None, loc) if loc else None,
    )
    rec = to_plover(ev)
    validate_record(rec)
    return rec


def gold(
    gid: str,
    types: list[str],
    src: list[str],
    tgt: list[str],
    *,
    required: bool = True,
    src_sec: list[str] | None = None,
    tgt_sec: list[str] | None = None,
    date: str | None = None,
    location: list[str] | None = None,
    att: GoldAttribution | None = None,
) -> GoldEvent:
    return GoldEvent(
        gid,
        required,
        tuple(types),
        GoldSide(tuple(src), tuple(src_sec or ())),
        GoldSide(tuple(tgt), tuple(tgt_sec or ())),
        date,
        tuple(location) if location else None,
        att,
        "",
    )


# --------------------------------------------------------------------------- matching


def test_match_requires_type_source_and_target() -> None:
    g = [gold("G1", ["AID", "SUPPORT"], ["TRK"], ["VLM"])]
    assert (
        score(g, [pred("p", "ACCUSE", [ent("TRK")], [ent("VLM")])])["matched"] == 0
    )  # type
    assert (
        score(g, [pred("p", "AID", [ent("OSK")], [ent("VLM")])])["matched"] == 0
    )  # source
    assert (
        score(g, [pred("p", "AID", [ent("TRK")], [ent("OSK")])])["matched"] == 0
    )  # target
    r = score(
        g, [pred("p", "SUPPORT", [ent("OSK"), ent("TRK")], [ent("VLM")])]
    )  # any actor may match
    assert (r["matched"], r["recall"], r["precision"]) == (1, 1.0, 1.0)


def test_empty_country_list_accepts_any_actor() -> None:
    g = [gold("G1", ["SUPPORT"], [], ["VLM"])]
    assert score(g, [pred("p", "SUPPORT", [ent(None)], [ent("VLM")])])["matched"] == 1
    assert score(g, [pred("p", "SUPPORT", [], [ent("VLM")])])["matched"] == 1


def test_one_to_one_and_order_independent() -> None:
    # G1 accepts p1 and p2, G2 accepts only p1: greedy G1->p1 would leave G2 unmatched.
    g = [gold("G1", ["AID"], ["TRK"], []), gold("G2", ["AID"], ["TRK"], ["VLM"])]
    p = [
        pred("p1", "AID", [ent("TRK")], [ent("VLM")]),
        pred("p2", "AID", [ent("TRK")], [ent("OSK")]),
    ]
    for preds in (p, p[::-1]):
        r = score(g, preds)
        assert (r["matched"], r["recall"], r["precision"]) == (2, 1.0, 1.0)
        assert {d["gold"]: d["predicted"] for d in r["details"]} == {
            "G1": "p2",
            "G2": "p1",
        }
    # one prediction cannot satisfy two identical gold events
    r = score([g[1], gold("G3", ["AID"], ["TRK"], ["VLM"])], p[:1])
    assert (r["matched"], r["recall"]) == (1, 0.5)


def test_required_gold_preferred_over_optional() -> None:
    g = [
        gold("Gopt", ["ACCUSE"], ["TRK"], [], required=False),
        gold("Greq", ["ACCUSE"], ["TRK"], ["VLM"]),
    ]
    p = [pred("p1", "ACCUSE", [ent("TRK")], [ent("VLM")])]
    assert match_events(g, p) == {1: 0}
    r = score(g, p)
    assert (r["recall"], r["required"], r["matched_required"], r["missed"]) == (
        1.0,
        1,
        1,
        [],
    )


def test_precision_counts_optional_matches_and_duplicates() -> None:
    g = [
        gold("G1", ["AID"], ["TRK"], ["VLM"]),
        gold("G2", ["ASSAULT"], ["TRK"], ["OSK"], required=False),
    ]
    p = [
        pred("p1", "AID", [ent("TRK")], [ent("VLM")]),
        pred(
            "p2", "ASSAULT", [ent("TRK")], [ent("OSK")]
        ),  # optional: not a false positive
        pred("p3", "AID", [ent("TRK")], [ent("VLM")]),  # duplicate: gold already used
        pred("p4", "PROTEST", [ent("VLM")], []),
    ]
    r = score(g, p)
    assert r["recall"] == 1.0 and r["precision"] == 0.5
    assert r["unmatched_predicted"] == ["p3", "p4"] and r["predicted"] == 4


def test_nothing_to_score_gives_nulls() -> None:
    r = score([], [])
    assert (
        r["recall"] is None
        and r["precision"] is None
        and r["sector"] is None
        and r["attribution"] is None
    )
    r = score([gold("G1", ["AID"], ["TRK"], ["VLM"])], [])
    assert r["recall"] == 0.0 and r["precision"] is None and r["missed"] == ["G1"]


# --------------------------------------------------------------------------- field rules


def test_sector_rule() -> None:
    g = [gold("G1", ["AID"], ["TRK"], ["VLM"], src_sec=["MIL"], tgt_sec=["GOV", "SPY"])]
    ok = pred("p", "AID", [ent("TRK", "MIL")], [ent("VLM", "CVL"), ent("VLM", "SPY")])
    bad = pred("p", "AID", [ent("TRK", "MIL")], [ent("VLM", "CVL")])
    assert score(g, [ok])["sector"] == 1.0
    assert score(g, [bad])["sector"] == 0.0
    unscored = [gold("G1", ["AID"], ["TRK"], ["VLM"])]
    assert score(unscored, [bad])["sector"] is None


@pytest.mark.parametrize(
    "gold_date,pred_date,expected",
    [
        ("2020-12", "2020-12-02", 1.0),
        ("2020-12", "2020-12", 1.0),
        ("2020", "2020-03-01", 1.0),
        ("2020-12", "2020", 0.0),  # less precise: not inside the month
        ("2020-12", "2020-11-30", 0.0),
        ("2020-01", "2020-10-05", 0.0),  # prefix trap
        ("2020-12", None, 0.0),
        (None, "2020-12-02", None),  # gold null: not scored
    ],
)
def test_date_rule(
    gold_date: str | None, pred_date: str | None, expected: float | None
) -> None:
    g = [gold("G1", ["AID"], ["TRK"], ["VLM"], date=gold_date)]
    assert (
        score(g, [pred("p", "AID", [ent("TRK")], [ent("VLM")], date=pred_date)])["date"]
        == expected
    )


def test_location_rule() -> None:
    g = [gold("G1", ["ASSAULT"], ["TRK"], ["VLM"], location=["VLM", "OSK"])]
    mk = lambda loc: pred("p", "ASSAULT", [ent("TRK")], [ent("VLM")], loc=loc)
    assert score(g, [mk("OSK")])["location"] == 1.0
    assert score(g, [mk("TRK")])["location"] == 0.0
    assert score(g, [mk(None)])["location"] == 0.0
    assert (
        score([gold("G1", ["ASSAULT"], ["TRK"], ["VLM"])], [mk("TRK")])["location"]
        is None
    )


def test_attribution_rule() -> None:
    g_null = [gold("G1", ["ACCUSE"], ["TRK"], ["VLM"])]
    outlet_only = pred("p", "ACCUSE", [ent("TRK")], [ent("VLM")])
    quoted = pred(
        "p",
        "ACCUSE",
        [ent("TRK")],
        [ent("VLM")],
        speaker=ent("TRK", "MIL", "General Ilse Varn"),
    )
    assert score(g_null, [outlet_only])["attribution"] == 1.0
    assert score(g_null, [quoted])["attribution"] == 0.0

    att = GoldAttribution("TRK", "MIL", "Varn")
    g_att = [gold("G1", ["ACCUSE"], ["TRK"], ["VLM"], att=att)]
    assert score(g_att, [quoted])["attribution"] == 1.0  # code and sector
    by_text = pred(
        "p", "ACCUSE", [ent("TRK")], [ent("VLM")], speaker=ent(None, None, "Varn")
    )
    assert score(g_att, [by_text])["attribution"] == 1.0  # text only
    wrong = pred(
        "p",
        "ACCUSE",
        [ent("TRK")],
        [ent("VLM")],
        speaker=ent("TRK", "GOV", "the ministry"),
    )
    assert (
        score(g_att, [wrong])["attribution"] == 0.0
    )  # right country, wrong sector, other text
    assert score(g_att, [outlet_only])["attribution"] == 0.0


def test_innermost_source_speaker_is_used() -> None:
    att = GoldAttribution("VLM", "GOV", "Sorel")
    g = [gold("G1", ["AID"], ["TRK"], ["VLM"], att=att)]
    p = pred(
        "p",
        "AID",
        [ent("TRK")],
        [ent("VLM")],
        speaker=ent("VLM", "GOV", "Minister Sorel"),
    )
    # put a second, outer source before the innermost one
    outer = {
        **p["attribution"][1],
        "name": "Radio Tarsk",
        "entity_text": "Radio Tarsk",
        "code": "TRK",
        "sector": "JRN",
    }
    p["attribution"] = [p["attribution"][0], outer, p["attribution"][1]]
    assert score(g, [p])["attribution"] == 1.0
    p["attribution"] = [
        p["attribution"][0],
        outer,
    ]  # now the outer source is the innermost
    assert score(g, [p])["attribution"] == 0.0


def test_fractions_over_scored_pairs_only() -> None:
    g = [
        gold("G1", ["AID"], ["TRK"], ["VLM"], date="2021-05"),
        gold("G2", ["AID"], ["OSK"], ["VLM"]),
    ]
    p = [
        pred("a", "AID", [ent("TRK")], [ent("VLM")], date="2021-05-07"),
        pred("b", "AID", [ent("OSK")], [ent("VLM")], date="1999"),
    ]
    r = score(g, p)
    assert r["date"] == 1.0  # G2 has no gold date: not counted
    assert [d["date"] for d in r["details"]] == [True, None]


# --------------------------------------------------------------------------- loading


ARTICLE = (
    "Tarsk sends engineers to Velmora\n\n"
    "Tarsk sent forty engineers to Velmora on Tuesday to repair the Anselm dam, the ministry said.\n"
)


def _write_folder(folder: Path, gold_lines: list[str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "article.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "meta.json").write_text(
        '{"outlet": "The Example Post", "published": "2024-02-08"}', encoding="utf-8"
    )
    (folder / "gold.jsonl").write_text("\n".join(gold_lines) + "\n", encoding="utf-8")
    return folder


def test_load_gold_folder(tmp_path: Path) -> None:
    line = json.dumps(
        {
            "id": "G1",
            "required": True,
            "type": ["AID"],
            "source": {"country": ["TRK"]},
            "target": {"country": ["VLM"], "sector": ["GOV"]},
            "date": "2024-02",
            "location": ["VLM"],
            "attributed_to": {"country": "VLM", "sector": "GOV", "text": "ministry"},
            "evidence": "sent forty engineers to Velmora",
        }
    )
    article, events = load_gold(_write_folder(tmp_path / "ex", [line]))
    assert (
        article.outlet == "The Example Post" and str(article.published) == "2024-02-08"
    )
    (g,) = events
    assert (
        g.types == ("AID",) and g.target.sectors == ("GOV",) and g.location == ("VLM",)
    )
    assert g.attributed_to == GoldAttribution("VLM", "GOV", "ministry")


def test_load_gold_errors(tmp_path: Path) -> None:
    bad_ev = json.dumps({"id": "G1", "type": ["AID"], "evidence": "not in the article"})
    with pytest.raises(EvalError, match="evidence"):
        load_gold(_write_folder(tmp_path / "a", [bad_ev]))
    with pytest.raises(EvalError, match=r"gold.jsonl:2"):
        load_gold(
            _write_folder(
                tmp_path / "b", [json.dumps({"id": "G1", "type": ["AID"]}), "{oops"]
            )
        )
    with pytest.raises(EvalError, match="missing"):
        load_gold(tmp_path / "nothing")
    with pytest.raises(EvalError, match="unique"):
        parse_gold_lines(['{"id": "G1", "type": "AID"}', '{"id": "G1", "type": "AID"}'])


def test_gold_defaults() -> None:
    g = gold_event_from_dict({"id": "G9", "type": "PROTEST", "location": []})
    assert (
        g.required
        and g.types == ("PROTEST",)
        and g.location is None
        and g.source == GoldSide()
    )


@pytest.mark.skipif(
    not EXAMPLE.is_dir(), reason="../shared/examples/iran-venezuela not present"
)
def test_shared_example_loads_and_perfect_predictions_score_one() -> None:
    article, events = load_gold(EXAMPLE)
    assert article.published is not None and article.outlet
    assert len(events) >= 1 and any(g.required for g in events)
    # predictions built from the gold itself must score perfectly
    preds = []
    for g in events:
        att = g.attributed_to
        speaker = ent(att.country, att.sector, att.text or "x") if att else None
        preds.append(
            pred(
                g.id,
                g.types[0],
                [
                    ent(
                        g.source.countries[0] if g.source.countries else None,
                        g.source.sectors[0] if g.source.sectors else None,
                    )
                ],
                [
                    ent(
                        g.target.countries[0] if g.target.countries else None,
                        g.target.sectors[0] if g.target.sectors else None,
                    )
                ],
                date=g.date,
                loc=g.location[0] if g.location else None,
                speaker=speaker,
            )
        )
    r = score(events, preds)
    assert r["recall"] == 1.0 and r["precision"] == 1.0
    assert all(
        r[f] in (1.0, None) for f in ("sector", "date", "location", "attribution")
    )
