"""The store: Parquet partitions, DuckDB catalog, atomic idempotent batches, recovery."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from eventwire.records import Actor, Article, Event, EventDate, Span
from eventwire.sources import Rejected
from eventwire.sources.dedupe import Deduper, Duplicate
from eventwire.store import Batch, CodedArticle, RunRecord, Store

TEXT = "Kenya accused Tanzania of blocking trucks at the border, the Kenyan foreign minister Amos Wekesa said."


def _coded(article_id: str, published: date | None, n_events: int = 1) -> CodedArticle:
    art = Article(id=article_id, text=TEXT, title="Border row", published=published, outlet="Daily Example",
                  source=f"{article_id}.txt")
    events = [
        Event(
            id=f"{article_id}:{i}",
            article_id=article_id,
            type="ACCUSE",
            actor=[Actor("Kenya", 0, 5, code="KEN", kind="country")],
            recipient=[Actor("Tanzania", 15, 23, code="TZA", kind="country")],
            trigger=Span(6, 13, "accused"),
            sentence=Span(0, len(TEXT), TEXT),
            date=EventDate(str(published) if published else None, "day" if published else "unknown"),
            confidence=0.8,
        )
        for i in range(n_events)
    ]
    return CodedArticle(art, events, Deduper().signature(TEXT).tobytes())


def _batch(run_id: str = "r1") -> Batch:
    return Batch(
        coded=[_coded("a1", date(2024, 3, 5), 2), _coded("a2", date(2023, 12, 1)), _coded("a3", None)],
        rejected=[Rejected("bad.txt", "binary", "looks like a binary file")],
        duplicates=[Duplicate("a9", "a1", 0.91, "copy.txt", None)],
        run_id=run_id,
    )


def test_layout_partitions_and_catalog(tmp_path: Path) -> None:
    store = Store(tmp_path / "st")
    result = store.write_batch(_batch())
    assert (result.articles, result.events, result.rejected, result.duplicates) == (3, 4, 1, 1)
    parts = sorted(p.parent.relative_to(tmp_path / "st" / "events").as_posix()
                   for p in (tmp_path / "st" / "events").glob("*/*/part-*.parquet"))
    assert parts == ["year=0/month=0", "year=2023/month=12", "year=2024/month=03"]
    con = store.connect()
    try:
        assert (tmp_path / "st" / "catalog.duckdb").is_file()
        rows = con.execute("SELECT year, month, count(*) FROM events GROUP BY ALL ORDER BY ALL").fetchall()
        assert rows == [(0, 0, 1), (2023, 12, 1), (2024, 3, 2)]
        assert con.execute("SELECT reason FROM quarantine").fetchall() == [("binary",)]
        assert con.execute("SELECT article_id, duplicate_of, similarity FROM duplicates").fetchall() == [("a9", "a1", 0.91)]
        assert con.execute("SELECT sum(n_events) FROM articles").fetchone() == (4,)
    finally:
        con.close()


def test_events_filters_and_records(tmp_path: Path) -> None:
    store = Store(tmp_path / "st")
    store.write_batch(_batch())
    march = store.events("year = ? AND month = ?", [2024, 3])
    assert march.column("id").to_pylist() == ["a1:0", "a1:1"]
    assert set(march.column("actor_code").to_pylist()) == {"KEN"}
    record = store.records("article_id = ?", ["a2"])[0]
    assert record["event"] == ["ACCUSE"] and record["actor"][0]["code"] == "KEN"
    assert record["evidence"]["trigger"] == {"start": 6, "end": 13, "text": "accused"}


def test_writes_are_idempotent_by_article_id(tmp_path: Path) -> None:
    store = Store(tmp_path / "st")
    store.write_batch(_batch("r1"))
    again = Store(tmp_path / "st").write_batch(_batch("r2"))
    assert again.batch_id is None and again.articles == 0
    more = Batch(coded=[_coded("a1", date(2024, 3, 5)), _coded("a4", date(2024, 3, 9))], run_id="r3")
    assert store.write_batch(more).articles == 1
    assert store.events().num_rows == 5
    assert store.article_ids() == {"a1", "a2", "a3", "a4"}
    assert dict(Store(tmp_path / "st").signatures())["a4"] == _coded("a4", None).signature


def test_recover_removes_uncommitted_batches(tmp_path: Path) -> None:
    store = Store(tmp_path / "st")
    store.write_batch(_batch())
    orphan_dir = tmp_path / "st" / "events" / "year=2024" / "month=04"
    orphan_dir.mkdir(parents=True)
    orphan = orphan_dir / "part-deadbeefdeadbeef.parquet"
    pq.write_table(pa.table({"id": ["x:0"]}), orphan)
    tmp = tmp_path / "st" / "articles" / ".part-0123.parquet.999.tmp"
    tmp.write_bytes(b"half a file")
    removed = Store(tmp_path / "st").recover()
    assert not orphan.exists() and not tmp.exists()
    assert Store(tmp_path / "st").events().num_rows == 4
    assert removed == [] or all(p.name.endswith(".tmp") or "deadbeef" in p.name for p in removed)


def test_runs_table(tmp_path: Path) -> None:
    store = Store(tmp_path / "st")
    store.write_run(RunRecord("r1", "2024-03-05T10:00:00+00:00", "2024-03-05T10:01:00+00:00",
                              3, 4, 1, 1, 0, {"coder": "eventwire test", "config": {"max_bytes": 5}}))
    con = store.connect()
    try:
        run_id, info = con.execute("SELECT run_id, info FROM runs").fetchone()
    finally:
        con.close()
    assert run_id == "r1" and json.loads(info)["config"]["max_bytes"] == 5
    assert json.loads((tmp_path / "st" / "runs" / "r1.json").read_text())["articles"] == 3


def test_empty_store_is_queryable(tmp_path: Path) -> None:
    store = Store(tmp_path / "empty")
    assert store.events().num_rows == 0
    con = store.connect()
    try:
        for table in ("events", "articles", "quarantine", "duplicates", "runs"):
            assert con.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,)
    finally:
        con.close()


@pytest.mark.parametrize("bad", ["events", "articles"])
def test_schema_files_do_not_leak_rows(tmp_path: Path, bad: str) -> None:
    store = Store(tmp_path / "st")
    store.write_batch(_batch())
    con = store.connect()
    try:
        assert con.execute(f"SELECT count(*) FROM {bad} WHERE id IS NULL").fetchone() == (0,)
    finally:
        con.close()


def test_writer_lock_protects_batches_in_flight(tmp_path: Path) -> None:
    from eventwire.errors import ConfigError

    store = Store(tmp_path / "st")
    in_flight = tmp_path / "st" / "events" / "year=2024" / "month=05" / "part-0000aaaa0000aaaa.parquet"
    with store.writing():
        in_flight.parent.mkdir(parents=True)
        pq.write_table(pa.table({"id": ["y:0"]}), in_flight)
        reader = Store(tmp_path / "st")  # a reader must not delete a writer's uncommitted files
        assert in_flight.exists() and reader.recover() == []
        with pytest.raises(ConfigError, match="another run"):
            with reader.writing():
                pass
    assert Store(tmp_path / "st").recover() == [] and not in_flight.exists()


def test_a_same_text_copy_recorded_before_its_original_does_not_drop_the_original(tmp_path: Path) -> None:
    # with two workers the copy of a text read from a second file can be written while the first
    # file is still being coded; the coded original must still be stored, in this store and after
    # a reopen (resume)
    store = Store(tmp_path / "st")
    store.write_batch(Batch(duplicates=[Duplicate("a5", "a5", 1.0, "second.txt", None)], run_id="r1"))
    assert store.write_batch(Batch(coded=[_coded("a5", date(2024, 3, 5))], run_id="r1")).articles == 1
    assert "a5" in store.article_ids()
    reopened = Store(tmp_path / "st")
    assert not reopened.knows("a6", "first.txt")
    reopened.write_batch(Batch(duplicates=[Duplicate("a6", "a6", 1.0, "second.txt", None)], run_id="r2"))
    assert not Store(tmp_path / "st").knows("a6", "a6.txt"), "the original file is still to be coded"
    # a near-duplicate copy (another article's id) stays known and is not coded again
    store.write_batch(Batch(duplicates=[Duplicate("a7", "a1", 0.9, "near.txt", None)], run_id="r3"))
    assert Store(tmp_path / "st").knows("a7", "elsewhere.txt")
