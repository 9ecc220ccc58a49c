"""Query filters, read-only user SQL, exports (PLOVER JSONL, GDELT/ICEWS TSV, Parquet), actor
corrections and story clusters, on a store coded from invented articles."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from eventwire.errors import ConfigError
from eventwire.plover import cameo_root
from eventwire.query import (
    GDELT_COLUMNS,
    ICEWS_COLUMNS,
    Correction,
    EventFilter,
    add_correction,
    count_events,
    query,
    query_cli,
    sentence_number,
    write_export,
)
from eventwire.store import Store
from eventwire.stories import cluster_stories, jaccard


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    from eventwire.server.demo import build_demo_store

    path = tmp_path_factory.mktemp("query") / "store"
    build_demo_store(path)
    return Store(path)


def _ids(rows: list[dict]) -> list[str]:
    return [r["id"] for r in rows]


def test_filters(store: Store) -> None:
    everything = query(store)
    assert len(everything) == count_events(store, EventFilter()) >= 6
    assert set(_ids(query(store, actor="KEN"))) == {"kenya-1:0", "kenya-2:0", "kenya-3:0"}
    assert set(_ids(query(store, actor="kenyan"))) == {"kenya-2:0"}  # by mention text
    assert _ids(query(store, attributed_to="Wekesa")) == ["kenya-1:0"]
    assert _ids(query(store, attributed_to="transport minister")) == ["kenya-3:0"]
    assert {r["event"] for r in query(store, quad=3)} >= {"ACCUSE"}
    assert all(r["quad_code"] == 3 for r in query(store, quad=3))
    assert {r["modality"] for r in query(store, modality="reported,claimed")} == {"reported"}
    assert _ids(query(store, country="PER")) == [r["id"] for r in everything if "PER" in
                                                 (r["actor_code"], r["recipient_code"], r["place_country"])]
    april = query(store, date_from="2024-04", date_to="2024-04-30")
    assert april and all(r["published"].month == 4 for r in april)
    assert query(store, type="ACCUSE", limit=1)[0]["record"]["event"] == ["ACCUSE"]
    # contexts: any of the listed ones; "foreign minister" in kenya-1's sentence is diplomatic
    diplomatic = query(store, context="diplomatic")
    assert "kenya-1:0" in _ids(diplomatic) and all("diplomatic" in r["context"] for r in diplomatic)
    either = query(store, context="Diplomatic, health")
    assert set(_ids(either)) == {r["id"] for r in everything if {"diplomatic", "health"} & set(r["context"])}
    assert len(either) > len(diplomatic)
    assert query(store, context="lgbt") == []
    with pytest.raises(ConfigError, match="YYYY"):
        query(store, date_from="5 March")


def test_rows_carry_record_url_and_title(store: Store) -> None:
    row = query(store, actor="KEN", outlet="Example")[0]
    assert row["url"] == "https://news.example.org/kenya-1" and row["title"].startswith("Kenya accuses")
    assert row["record"]["id"] == row["id"] and row["record"]["attribution"][0]["name"] == "Example Wire"


def test_user_sql_is_read_only(store: Store) -> None:
    rows = query(store, sql="SELECT event, count(*) AS n FROM events GROUP BY event ORDER BY n DESC, event")
    assert rows[0] == {"event": "ACCUSE", "n": 3}
    joined = query(store, sql="SELECT e.id, a.outlet FROM events e JOIN articles a ON a.id = e.article_id "
                              "WHERE e.id = 'kenya-2:0'")
    assert joined == [{"id": "kenya-2:0", "outlet": "Lakeside Daily"}]
    for bad in ("DROP VIEW events", "SELECT 1; SELECT 2", "COPY (SELECT 1) TO '/tmp/x.csv'",
                "SELECT * FROM read_csv('/etc/passwd')", "SET enable_external_access = true"):
        with pytest.raises(ConfigError):
            query(store, sql=bad)


def test_jsonl_export_is_plover(store: Store) -> None:
    from eventwire.stages.output import validate_record

    buf = io.StringIO()
    n = write_export(query(store), "jsonl", buf)
    lines = buf.getvalue().splitlines()
    assert n == len(lines) >= 6
    for line in lines:
        validate_record(json.loads(line))


def test_gdelt_and_icews_exports(store: Store) -> None:
    rows = query(store, actor="KEN")
    buf = io.StringIO()
    write_export(rows, "gdelt", buf)
    gd = list(csv.DictReader(io.StringIO(buf.getvalue()), delimiter="\t"))
    assert list(gd[0]) == list(GDELT_COLUMNS) and len(gd) == 3
    first = next(r for r in gd if r["GLOBALEVENTID"] == "kenya-1:0")
    assert (first["Actor1Code"], first["Actor2Code"], first["EventRootCode"], first["QuadClass"]) == \
        ("KENGOV", "TZAGOV", "11", "3")  # ACCUSE exports as 11 (disapprove)
    assert first["SQLDATE"] == "20240305" and first["SOURCEURL"] == "https://news.example.org/kenya-1"
    assert first["AttributedTo"] == "Amos Wekesa" and "blocking trucks" in first["Evidence"]
    buf = io.StringIO()
    write_export(query(store, country="PER"), "icews", buf, store)
    ic = list(csv.DictReader(io.StringIO(buf.getvalue()), delimiter="\t"))
    assert list(ic[0]) == list(ICEWS_COLUMNS)
    lima = next(r for r in ic if r["City"] == "Lima")
    assert lima["Country"] == "Peru" and lima["Source Country"] == "Peru" and lima["Publisher"] == "Harbor Wire"
    assert float(lima["Latitude"]) < 0 and lima["Story ID"] == "peru-1" and lima["Sentence Number"] == "1"
    etype, *modes = lima["Event Text"].split()
    assert lima["CAMEO Code"] == cameo_root(etype, modes) != ""


def test_sentence_number() -> None:
    text = "One thing. Two things happened! Third \"one.\" Fourth."
    assert sentence_number(text, 0) == "1"
    assert sentence_number(text, text.index("Two")) == "2"
    assert sentence_number(text, text.index("Fourth")) == "4"
    assert sentence_number(None, 3) == ""


def test_parquet_and_cli(store: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "events.parquet"
    assert query_cli(store.path, fmt="parquet", output=out, type="ACCUSE") == 3
    table = pq.read_table(out)
    assert table.num_rows == 3 and {"record", "url", "actor_code"} <= set(table.column_names)
    assert query_cli(store.path, fmt="jsonl", actor="NOR") >= 1
    assert '"NOR"' in capsys.readouterr().out
    assert query_cli(store.path, sql="SELECT count(*) AS n FROM articles") == 1
    assert json.loads(capsys.readouterr().out) == {"n": 6}
    with pytest.raises(ConfigError, match="not an eventwire store"):
        query_cli(tmp_path / "nowhere")


def test_corrections_apply_to_filters_and_records(tmp_path: Path, store: Store) -> None:
    import shutil

    copy = Store(shutil.copytree(store.path, tmp_path / "copy"))
    add_correction(copy, Correction("Tanzania", "XYZ", None, "invented code for the test"))
    rows = query(copy, recipient="XYZ")
    assert len(rows) == 3 and all(r["record"]["recipient"][0]["code"] == "XYZ" for r in rows)
    assert rows[0]["recipient_sector"] == "GOV"  # sector kept when the correction gives none
    assert query(store, recipient="XYZ") == []  # the original store is untouched
    with pytest.raises(ConfigError, match="three capital letters"):
        add_correction(copy, Correction("Kenya", "kenya"))


def test_stories_fold_copies_across_outlets(store: Store) -> None:
    stories = cluster_stories(query(store))
    top = stories[0]
    assert top.type == "ACCUSE" and top.source_count == 3
    assert sorted(top.event_ids) == ["kenya-1:0", "kenya-2:0", "kenya-3:0"]
    assert {c.outlet for c in top.copies} == {"Example Wire", "Lakeside Daily", "Savanna Times"}
    assert all(c.attribution[0]["kind"] == "outlet" for c in top.copies)
    assert sum(len(s.event_ids) for s in stories) == len(query(store))  # each event in one story
    assert top.as_dict()["id"] == top.id and top.id.startswith("story-")


def _record(i: str, day: str, sentence: str, actor: str = "KEN", recipient: str = "TZA") -> dict:
    return {"id": i, "article_id": i.split(":")[0], "date": day, "event": ["ACCUSE"], "confidence": 0.5,
            "event_text": ["accused"], "actor": [{"code": actor, "entity_text": "Kenya"}],
            "recipient": [{"code": recipient, "entity_text": "Tanzania"}],
            "attribution": [{"kind": "outlet", "name": f"outlet-{i}"}],
            "evidence": {"sentence": {"start": 0, "end": len(sentence), "text": sentence}}}


def test_story_window_text_and_dyad_rules() -> None:
    s = "Kenya accused Tanzania of blocking trucks at the border crossing."
    recs = [_record("a:0", "2024-03-01", s), _record("b:0", "2024-03-03", s.replace("crossing", "post")),
            _record("c:0", "2024-03-20", s),  # outside the window
            _record("d:0", "2024-03-02", "Kenya accused Tanzania of rigging the football match."),  # other text
            _record("e:0", "2024-03-01", s, recipient="UGA")]  # other dyad
    stories = cluster_stories(recs, window_days=3)
    groups = sorted(sorted(x.event_ids) for x in stories)
    assert groups == [["a:0", "b:0"], ["c:0"], ["d:0"], ["e:0"]]
    assert cluster_stories(recs, window_days=30)[0].source_count == 3  # a, b and c
    assert jaccard(frozenset("ab"), frozenset("bc")) == pytest.approx(1 / 3)
