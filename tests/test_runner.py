"""The runner: coding a corpus into a store, dedupe, resuming after kill -9, Dask workers."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from eventwire.runner import run
from eventwire.store import Store

COUNTRIES = [("Kenya", "Nairobi"), ("Tanzania", "Dodoma"), ("Uganda", "Kampala"), ("Ghana", "Accra"),
             ("Peru", "Lima"), ("Chile", "Santiago"), ("Norway", "Oslo"), ("Poland", "Warsaw"),
             ("Vietnam", "Hanoi"), ("Jordan", "Amman")]
PEOPLE = ["Amos Wekesa", "Lina Okafor", "Tomas Brandt", "Mira Talvi", "Ivo Santner", "Rosa Quell",
          "Petra Dunmore", "Kofi Aberle", "Nadia Voss", "Oren Malik"]
OPENERS = [
    "{a} accused {b} of blocking trucks at the border near {city} on Monday.",
    "The foreign minister of {a}, {p}, met officials from {b} in {city} to discuss fishing rights.",
    "Police in {city} arrested {n} protesters who marched against fuel prices.",
    "{a} threatened to impose sanctions on {b} over the disputed dam.",
    "{p}, the trade envoy of {a}, praised {b} for reopening the rail link to {city}.",
    "Thousands of teachers protested outside parliament in {city} demanding higher pay.",
]
MIDDLES = [
    "Officials said {n} lorries had waited for {d} days at the crossing.",
    "The talks lasted {d} hours and ended without a joint statement.",
    "A spokesman for the ministry declined to comment on the figures.",
    "Local radio reported that {n} families had left the valley since spring.",
    "Analysts in {city} said the dispute could hurt exports of tea and coffee.",
    "The opposition leader {p} called the response weak and late.",
]
CLOSERS = [
    "Both governments are expected to meet again in {month}.",
    "The United Nations urged calm and offered to mediate.",
    "Markets in {city} fell sharply after the announcement.",
    "Aid groups said shelters near the border were already full.",
]
MONTHS = ["January", "February", "March", "April", "May", "June"]


def invented_article(i: int) -> str:
    """An invented article; every one differs in its people, places, numbers and sentences."""
    (a, city), (b, _) = COUNTRIES[i % 10], COUNTRIES[(i * 3 + 1) % 10]
    fill = {"a": a, "b": b, "city": city, "p": PEOPLE[(i * 7) % 10], "n": 12 + 17 * i, "d": 2 + i % 9,
            "month": MONTHS[i % 6]}
    title = f"Report {i}: {a} and {b}"
    body = [OPENERS[i % 6], MIDDLES[(i // 6) % 6], MIDDLES[(i + 3) % 6], CLOSERS[i % 4]]
    return title + "\n\n" + " ".join(s.format(**fill) for s in body)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """31 invented articles (30 in JSONL over three months, one in two identical .txt files),
    one exact and one near copy in the JSONL, a bad JSON line and two bad files."""
    root = tmp_path_factory.mktemp("runner_corpus")
    lines = [json.dumps({"id": f"story-{i:02d}", "text": invented_article(i),
                         "published": f"2024-0{1 + i % 3}-{1 + i % 28:02d}", "outlet": "Example Wire"})
             for i in range(30)]
    lines.append(json.dumps({"id": "copy-exact", "text": invented_article(4), "published": "2024-02-05"}))
    near = invented_article(7).replace("Report 7", "Republished: report 7").replace("on Monday", "early on Monday")
    lines.append(json.dumps({"id": "copy-near", "text": near, "published": "2024-02-08"}))
    lines.append("{broken json")
    (root / "wire.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "same1.txt").write_text(invented_article(30), encoding="utf-8")
    (root / "same2.txt").write_text(invented_article(30), encoding="utf-8")  # same text: same id
    (root / "zero.txt").write_bytes(b"")
    (root / "binary.txt").write_bytes(b"%PDF-1.7\n" + bytes(200))
    return root


def _events(store: Path) -> list[tuple[str, str]]:
    table = Store(store).events()
    return list(zip(table.column("id").to_pylist(), table.column("record").to_pylist()))


@pytest.fixture(scope="module")
def reference(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An uninterrupted in-process run."""
    store = tmp_path_factory.mktemp("reference") / "store"
    summary = run([str(corpus)], store, workers=1, progress=False, batch_size=4)
    assert (summary.articles, summary.duplicates, summary.rejected) == (31, 3, 3)
    assert summary.events > 20
    return store


def test_reference_run_content(reference: Path) -> None:
    con = Store(reference).connect()
    try:
        dups = con.execute("SELECT article_id, duplicate_of, similarity, source FROM duplicates "
                           "WHERE article_id LIKE 'copy-%' ORDER BY 1").fetchall()
        assert [(a, b) for a, b, _, _ in dups] == [("copy-exact", "story-04"), ("copy-near", "story-07")]
        assert dups[0][2] == 1.0 and 0.7 <= dups[1][2] < 1.0
        same = con.execute("SELECT d.source, a.source FROM duplicates d JOIN articles a ON a.id = d.article_id "
                           "WHERE d.article_id = d.duplicate_of").fetchall()
        assert [(Path(x).name, Path(y).name) for x, y in same] == [("same2.txt", "same1.txt")]
        reasons = sorted(r for (r,) in con.execute("SELECT reason FROM quarantine").fetchall())
        assert reasons == ["bad_json", "binary", "empty"]
        months = con.execute("SELECT DISTINCT year, month FROM events ORDER BY ALL").fetchall()
        assert months[1:] == [(2024, 1), (2024, 2), (2024, 3)] and months[0] == (0, 0)  # .txt: no date
        assert con.execute("SELECT count(*) - count(DISTINCT id) FROM events").fetchone() == (0,)
        assert con.execute("SELECT count(*) FROM runs").fetchone() == (1,)
    finally:
        con.close()


def test_rerun_adds_nothing(corpus: Path, reference: Path, tmp_path: Path) -> None:
    before = _events(reference)
    again = run([str(corpus)], reference, workers=1, progress=False)
    assert (again.articles, again.events, again.rejected, again.duplicates) == (0, 0, 0, 0)
    assert again.skipped == 34
    assert _events(reference) == before


def test_kill_9_then_resume_equals_uninterrupted(corpus: Path, reference: Path, tmp_path: Path) -> None:
    store = tmp_path / "store"
    cmd = [sys.executable, "-m", "eventwire.runner", str(corpus), "--store", str(store),
           "--batch-size", "1", "--no-progress"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            if len(list((store / "articles").glob("part-*.parquet"))) >= 4:
                break
            time.sleep(0.02)
        assert proc.poll() is None, f"the run ended before it could be killed: {proc.stderr.read()!r}"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    partial = len(Store(store).article_ids())
    assert 0 < partial < 31
    resumed = run([str(corpus)], store, workers=1, progress=False, batch_size=4)
    assert resumed.articles == 31 - partial and resumed.skipped >= 1
    assert _events(store) == _events(reference)
    assert Store(store).article_ids() == Store(reference).article_ids()
    con = Store(store).connect()
    try:
        assert con.execute("SELECT count(*), count(DISTINCT article_id) FROM duplicates").fetchone() == (3, 3)
        assert con.execute("SELECT count(*) FROM quarantine").fetchone() == (3,)
    finally:
        con.close()


def test_dask_workers_give_the_same_events(corpus: Path, reference: Path, tmp_path: Path) -> None:
    store = tmp_path / "dask_store"
    summary = run([str(corpus / "wire.jsonl")], store, workers=2, progress=False, batch_size=8)
    assert (summary.articles, summary.duplicates, summary.rejected) == (30, 2, 1)
    assert _events(store) == [e for e in _events(reference) if e[0].startswith("story-")]


def test_bench_reports_the_figures(corpus: Path, tmp_path: Path) -> None:
    from eventwire.bench import bench

    folder = tmp_path / "bench"
    folder.mkdir()
    for i in range(6):
        (folder / f"{i}.txt").write_text(invented_article(i), encoding="utf-8")
    result = bench(folder, workers=1, fast=True, limit=5)
    assert result["articles"] == 5 and result["fast"] is True and result["speedup"] == 1.0
    for key in ("articles_per_s", "parse_only_articles_per_s", "ratio", "peak_rss_mb"):
        assert result[key] > 0, key
    stages = result["stage_cpu_ms_per_article"]
    assert set(stages) == {"nlp", "actors", "events", "context", "attribution", "time", "place"}  # fast: no dyads
    assert stages["nlp"] > 0 and 0 < result["actor_lookup_share"] < 1
