"""A store folder: events, articles, quarantine, duplicates and runs as Parquet, with a DuckDB catalog.

Layout of ``DIR``::

    events/year=YYYY/month=MM/part-<batch>.parquet   events, by the article's publication month
                                                      (year=0/month=0: no publication date)
    articles/part-<batch>.parquet                     coded articles (text, metadata, MinHash)
    quarantine/part-<batch>.parquet                   inputs rejected with a reason
    duplicates/part-<batch>.parquet                   copies: article_id, duplicate_of, similarity
    runs/<run_id>.parquet (+ .json)                   run_info and counts of each run
    catalog.duckdb                                    views events, articles, quarantine,
                                                      duplicates, runs over the Parquet files

Every batch is written atomically: each file goes to a temporary name and is renamed; the
``articles`` file is renamed last and is the batch's commit mark. Opening a store deletes
temporary files and the files of uncommitted batches (left by a crash or ``kill -9``), unless
another process is writing (it holds ``DIR/.lock``; see :meth:`Store.writing`).
Writes are idempotent by article id (and by quarantine source, and by duplicate id).
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
from collections import defaultdict
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from .errors import ConfigError
from .records import Article, Event
from .sources.base import Rejected
from .sources.dedupe import Duplicate
from .stages.output import to_plover

FORMAT_VERSION = 1
TABLES = ("events", "articles", "quarantine", "duplicates", "runs")
SCHEMA_FILE = "_schema.parquet"
UNKNOWN_PARTITION = ("year=0", "month=0")

EVENT_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("article_id", pa.string()),
        ("published", pa.date32()),
        ("outlet", pa.string()),
        ("date", pa.string()),
        ("date_precision", pa.string()),
        ("event", pa.string()),
        ("quad_code", pa.int64()),
        ("mode", pa.list_(pa.string())),
        ("context", pa.list_(pa.string())),
        ("actor_code", pa.string()),
        ("actor_sector", pa.string()),
        ("actor_text", pa.string()),
        ("recipient_code", pa.string()),
        ("recipient_sector", pa.string()),
        ("recipient_text", pa.string()),
        ("modality", pa.string()),
        ("confidence", pa.float64()),
        ("place_name", pa.string()),
        ("place_country", pa.string()),
        ("lat", pa.float64()),
        ("lon", pa.float64()),
        ("trigger_start", pa.int64()),
        ("trigger_end", pa.int64()),
        ("sentence_start", pa.int64()),
        ("sentence_end", pa.int64()),
        ("coder", pa.string()),
        ("rule", pa.string()),
        ("record", pa.string()),  # the full PLOVER JSON record (stages.output.to_plover)
    ]
)
ARTICLE_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("source", pa.string()),
        ("url", pa.string()),
        ("title", pa.string()),
        ("published", pa.date32()),
        ("outlet", pa.string()),
        ("byline", pa.string()),
        ("language", pa.string()),
        ("text", pa.string()),
        ("n_events", pa.int64()),
        ("signature", pa.binary()),
        ("run_id", pa.string()),
        ("batch_id", pa.string()),
    ]
)
QUARANTINE_SCHEMA = pa.schema(
    [("source", pa.string()), ("reason", pa.string()), ("message", pa.string()),
     ("run_id", pa.string()), ("batch_id", pa.string())]
)
DUPLICATE_SCHEMA = pa.schema(
    [("article_id", pa.string()), ("duplicate_of", pa.string()), ("similarity", pa.float64()),
     ("source", pa.string()), ("url", pa.string()), ("run_id", pa.string()), ("batch_id", pa.string())]
)
RUN_SCHEMA = pa.schema(
    [("run_id", pa.string()), ("started", pa.string()), ("finished", pa.string()),
     ("articles", pa.int64()), ("events", pa.int64()), ("rejected", pa.int64()),
     ("duplicates", pa.int64()), ("skipped", pa.int64()), ("info", pa.string())]
)
SCHEMAS = {
    "events": EVENT_SCHEMA,
    "articles": ARTICLE_SCHEMA,
    "quarantine": QUARANTINE_SCHEMA,
    "duplicates": DUPLICATE_SCHEMA,
    "runs": RUN_SCHEMA,
}


@dataclass(slots=True)
class CodedArticle:
    """An article, the events coded from it and its MinHash signature (for dedupe on resume)."""

    article: Article
    events: list[Event]
    signature: bytes = b""


@dataclass(slots=True)
class Batch:
    """What one unit of work adds to the store."""

    coded: list[CodedArticle] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    run_id: str = ""

    def __len__(self) -> int:
        return len(self.coded) + len(self.rejected) + len(self.duplicates)


@dataclass(frozen=True, slots=True)
class WriteResult:
    """Counts of what ``Store.write_batch`` actually added (already-stored rows are skipped)."""

    batch_id: str | None
    articles: int = 0
    events: int = 0
    rejected: int = 0
    duplicates: int = 0


@dataclass(frozen=True, slots=True)
class RunRecord:
    """One row of the runs table."""

    run_id: str
    started: str
    finished: str
    articles: int
    events: int
    rejected: int
    duplicates: int
    skipped: int
    info: dict[str, Any]


class Store:
    """A store folder (created when missing). Only one process should write to it at a time."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path).resolve()
        self._lock: Any = None
        self._init_layout()
        self.recover()
        self._article_ids: set[str] | None = None
        self._duplicate_keys: set[tuple[str, str]] | None = None
        self._copy_ids: set[str] | None = None
        self._sources: dict[str, str] | None = None
        self._quarantined: set[tuple[str, str]] | None = None

    # ------------------------------------------------------------------ layout and recovery
    @property
    def catalog_path(self) -> Path:
        return self.path / "catalog.duckdb"

    def _init_layout(self) -> None:
        self.path.mkdir(parents=True, exist_ok=True)
        for table, schema in SCHEMAS.items():
            folder = self.path / table
            if table == "events":
                folder = folder.joinpath(*UNKNOWN_PARTITION)
            folder.mkdir(parents=True, exist_ok=True)
            if not (folder / SCHEMA_FILE).exists():
                _write_atomic(schema.empty_table(), folder / SCHEMA_FILE)
        meta = self.path / "store.json"
        if not meta.exists():
            meta.write_text(json.dumps({"format": "eventwire-store", "version": FORMAT_VERSION}) + "\n")

    @contextmanager
    def writing(self) -> Iterator[Store]:
        """Hold the store's lock (``DIR/.lock``, released by the OS even on ``kill -9``) and
        recover; ConfigError when another process is writing."""
        fh = (self.path / ".lock").open("w")
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.close()
            raise ConfigError(f"the store {self.path} is being written by another run; wait for it to finish") from None
        self._lock = fh
        try:
            self.recover()
            yield self
        finally:
            self._lock = None
            fh.close()

    def recover(self) -> list[Path]:
        """Delete temporary files and files of uncommitted batches; return what was deleted.

        Does nothing while another process holds the lock (its batches are in flight)."""
        if self._lock is not None:
            return self._recover()
        with (self.path / ".lock").open("w") as fh:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return []
            return self._recover()

    def _recover(self) -> list[Path]:
        committed = {_batch_of(p) for p in (self.path / "articles").glob("part-*.parquet")}
        removed: list[Path] = []
        for table in ("events", "quarantine", "duplicates", "articles", "runs"):
            for p in (self.path / table).rglob("*"):
                stale = p.name.endswith(".tmp") or (
                    p.name.startswith("part-") and table not in ("articles", "runs")
                    and _batch_of(p) not in committed
                )
                if p.is_file() and stale:
                    p.unlink()
                    removed.append(p)
        return removed

    # ------------------------------------------------------------------ what is stored
    def article_ids(self) -> set[str]:
        """Ids of the coded articles."""
        if self._article_ids is None:
            self._article_ids = set(self._column("articles", "id"))
        return self._article_ids

    def duplicate_keys(self) -> set[tuple[str, str]]:
        """(article id, source) of the copies recorded. A copy with the same id as a coded
        article (the same text in another file) has ``duplicate_of`` equal to its id."""
        if self._duplicate_keys is None:
            t = self._table("duplicates", ["article_id", "duplicate_of", "source"])
            ids = t.column("article_id").to_pylist()
            self._duplicate_keys = set(zip(ids, (s or "" for s in t.column("source").to_pylist())))
            self._copy_ids = {i for i, o in zip(ids, t.column("duplicate_of").to_pylist()) if i != o}
        return self._duplicate_keys

    def duplicate_ids(self) -> set[str]:
        """Ids of the articles recorded as copies of another article. The same text read from a
        second file is no such copy: its id is the coded article's own, and that article may
        still be on its way from a worker when the copy is recorded."""
        self.duplicate_keys()
        assert self._copy_ids is not None
        return self._copy_ids

    def article_source(self, article_id: str) -> str | None:
        """Where a coded article was read from (None when it is not stored)."""
        if self._sources is None:
            t = self._table("articles", ["id", "source"])
            self._sources = dict(zip(t.column("id").to_pylist(), t.column("source").to_pylist()))
        return self._sources.get(article_id)

    def knows(self, article_id: str, source: str | None) -> bool:
        """True when this input (id and source) is already stored, coded or as a copy."""
        if article_id in self.article_ids() and self.article_source(article_id) == source:
            return True
        return (article_id, source or "") in self.duplicate_keys() or (
            article_id not in self.article_ids() and article_id in self.duplicate_ids()
        )

    def quarantined(self) -> set[tuple[str, str]]:
        """(source, reason) of the quarantined inputs."""
        if self._quarantined is None:
            t = self._table("quarantine", ["source", "reason"])
            self._quarantined = set(zip(t.column("source").to_pylist(), t.column("reason").to_pylist()))
        return self._quarantined

    def has_article(self, article_id: str) -> bool:
        """True when the article was coded or recorded as a duplicate."""
        return article_id in self.article_ids() or article_id in self.duplicate_ids()

    def signatures(self) -> Iterator[tuple[str, bytes]]:
        """(article id, MinHash signature) of the coded articles, for a deduper."""
        t = self._table("articles", ["id", "signature"])
        yield from zip(t.column("id").to_pylist(), t.column("signature").to_pylist())

    def _files(self, table: str) -> list[Path]:
        pattern = "*/*/part-*.parquet" if table == "events" else "part-*.parquet"
        return sorted((self.path / table).glob(pattern))

    def _table(self, table: str, columns: list[str]) -> pa.Table:
        files = self._files(table)
        if not files:
            return SCHEMAS[table].empty_table().select(columns)
        return pa.concat_tables(pq.read_table(f, columns=columns) for f in files)

    def _column(self, table: str, column: str) -> list[Any]:
        return self._table(table, [column]).column(column).to_pylist()

    # ------------------------------------------------------------------ writing
    def write_batch(self, batch: Batch) -> WriteResult:
        """Add a batch atomically; rows already in the store are skipped (idempotent)."""
        coded = self._new_articles(batch.coded)
        keys, coded_ids = self.duplicate_keys(), self.article_ids()
        duplicates = _unique(
            [d for d in batch.duplicates if (d.article_id, d.source or "") not in keys
             and (d.article_id not in coded_ids or d.article_id == d.duplicate_of)],
            lambda d: (d.article_id, d.source or ""),
        )
        quarantined = self.quarantined()
        rejected = _unique([r for r in batch.rejected if (r.source, r.reason) not in quarantined],
                           lambda r: (r.source, r.reason))
        if not (coded or duplicates or rejected):
            return WriteResult(None)
        batch_id = _batch_id(coded, duplicates, rejected)
        n_events = self._write_events(coded, batch_id)
        if rejected:
            _write_atomic(_quarantine_table(rejected, batch.run_id, batch_id),
                          self.path / "quarantine" / f"part-{batch_id}.parquet")
        if duplicates:
            _write_atomic(_duplicate_table(duplicates, batch.run_id, batch_id),
                          self.path / "duplicates" / f"part-{batch_id}.parquet")
        _write_atomic(_article_table(coded, batch.run_id, batch_id),
                      self.path / "articles" / f"part-{batch_id}.parquet")  # commit mark: last
        self.article_ids().update(c.article.id for c in coded)
        keys.update((d.article_id, d.source or "") for d in duplicates)
        self.duplicate_ids().update(d.article_id for d in duplicates if d.article_id != d.duplicate_of)
        if self._sources is not None:
            self._sources.update((c.article.id, c.article.source or "") for c in coded)
        quarantined.update((r.source, r.reason) for r in rejected)
        return WriteResult(batch_id, len(coded), n_events, len(rejected), len(duplicates))

    def _new_articles(self, coded: Sequence[CodedArticle]) -> list[CodedArticle]:
        known = self.article_ids() | self.duplicate_ids()
        return _unique([c for c in coded if c.article.id not in known], lambda c: c.article.id)

    def _write_events(self, coded: list[CodedArticle], batch_id: str) -> int:
        by_month: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
        for c in coded:
            for ev in c.events:
                by_month[_partition(c.article.published)].append(_event_row(ev, c.article))
        for (year, month), rows in sorted(by_month.items()):
            table = pa.Table.from_pylist(rows, schema=EVENT_SCHEMA)
            _write_atomic(table, self.path / "events" / year / month / f"part-{batch_id}.parquet")
        return sum(len(rows) for rows in by_month.values())

    def write_run(self, record: RunRecord) -> Path:
        """Record one run (a Parquet row, and the same as readable JSON)."""
        row = {**{k: getattr(record, k) for k in RUN_SCHEMA.names if k != "info"},
               "info": json.dumps(record.info, ensure_ascii=False, default=str)}
        target = self.path / "runs" / f"{record.run_id}.parquet"
        _write_atomic(pa.Table.from_pylist([row], schema=RUN_SCHEMA), target)
        human = {**row, "info": record.info}
        (self.path / "runs" / f"{record.run_id}.json").write_text(
            json.dumps(human, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8"
        )
        return target

    # ------------------------------------------------------------------ reading with SQL
    def connect(self, read_only: bool = False) -> Any:
        """A DuckDB connection to the catalog, with views events, articles, quarantine,
        duplicates and runs over the Parquet files (``events`` has year and month columns)."""
        import duckdb

        if read_only and self.catalog_path.exists():
            return duckdb.connect(str(self.catalog_path), read_only=True)
        con = duckdb.connect(str(self.catalog_path))
        for table in TABLES:
            con.execute(f"CREATE OR REPLACE VIEW {table} AS SELECT * FROM {self._scan(table)}")
        return con

    def _scan(self, table: str) -> str:
        base = str(self.path / table).replace("'", "''")
        if table == "events":
            return (f"read_parquet('{base}/*/*/*.parquet', hive_partitioning = true, union_by_name = true, "
                    "hive_types = {'year': INTEGER, 'month': INTEGER})")
        return f"read_parquet('{base}/*.parquet', union_by_name = true)"

    def events(self, where: str | None = None, params: Sequence[Any] | None = None) -> pa.Table:
        """Events as an Arrow table, optionally filtered by a SQL condition, e.g.
        ``store.events("year = 2024 AND event = ?", ["PROTEST"])``; ordered by id."""
        con = self.connect()
        try:
            sql = "SELECT * FROM events" + (f" WHERE {where}" if where else "") + " ORDER BY id"
            return con.sql(sql, params=list(params or [])).to_arrow_table()
        finally:
            con.close()

    def records(self, where: str | None = None, params: Sequence[Any] | None = None) -> list[dict[str, Any]]:
        """The PLOVER JSON records of the (filtered) events."""
        return [json.loads(r) for r in self.events(where, params).column("record").to_pylist()]


# ---------------------------------------------------------------------- rows


def _event_row(ev: Event, article: Article) -> dict[str, Any]:
    record = to_plover(ev)
    actor = ev.actor[0] if ev.actor else None
    recipient = ev.recipient[0] if ev.recipient else None
    return {
        "id": ev.id,
        "article_id": ev.article_id,
        "published": article.published,
        "outlet": article.outlet,
        "date": ev.date.value,
        "date_precision": ev.date.precision,
        "event": ev.type,
        "quad_code": record.get("quad_code"),
        "mode": list(ev.mode),
        "context": list(ev.context),
        "actor_code": actor.code if actor else None,
        "actor_sector": actor.sector if actor else None,
        "actor_text": actor.entity_text if actor else None,
        "recipient_code": recipient.code if recipient else None,
        "recipient_sector": recipient.sector if recipient else None,
        "recipient_text": recipient.entity_text if recipient else None,
        "modality": ev.modality,
        "confidence": float(ev.confidence),
        "place_name": ev.place.name if ev.place else None,
        "place_country": ev.place.country if ev.place else None,
        "lat": ev.place.lat if ev.place else None,
        "lon": ev.place.lon if ev.place else None,
        "trigger_start": ev.trigger.start,
        "trigger_end": ev.trigger.end,
        "sentence_start": ev.sentence.start,
        "sentence_end": ev.sentence.end,
        "coder": ev.coder,
        "rule": ev.rule,
        "record": json.dumps(record, ensure_ascii=False),
    }


def _article_table(coded: list[CodedArticle], run_id: str, batch_id: str) -> pa.Table:
    rows = [
        {
            "id": a.id, "source": a.source, "url": a.url, "title": a.title, "published": a.published,
            "outlet": a.outlet, "byline": a.byline, "language": a.language, "text": a.text,
            "n_events": len(c.events), "signature": c.signature, "run_id": run_id, "batch_id": batch_id,
        }
        for c in coded
        for a in (c.article,)
    ]
    return pa.Table.from_pylist(rows, schema=ARTICLE_SCHEMA)


def _quarantine_table(rejected: list[Rejected], run_id: str, batch_id: str) -> pa.Table:
    rows = [{"source": r.source, "reason": r.reason, "message": r.message, "run_id": run_id,
             "batch_id": batch_id} for r in rejected]
    return pa.Table.from_pylist(rows, schema=QUARANTINE_SCHEMA)


def _duplicate_table(duplicates: list[Duplicate], run_id: str, batch_id: str) -> pa.Table:
    rows = [{"article_id": d.article_id, "duplicate_of": d.duplicate_of, "similarity": d.similarity,
             "source": d.source, "url": d.url, "run_id": run_id, "batch_id": batch_id} for d in duplicates]
    return pa.Table.from_pylist(rows, schema=DUPLICATE_SCHEMA)


# ---------------------------------------------------------------------- helpers


def _partition(published: date | None) -> tuple[str, str]:
    if published is None:
        return UNKNOWN_PARTITION
    return (f"year={published.year:04d}", f"month={published.month:02d}")


def _batch_id(coded: list[CodedArticle], duplicates: list[Duplicate], rejected: list[Rejected]) -> str:
    keys = sorted([f"a:{c.article.id}" for c in coded] + [f"d:{d.article_id}:{d.source}" for d in duplicates]
                  + [f"q:{r.source}:{r.reason}" for r in rejected])
    return hashlib.sha1("\n".join(keys).encode("utf-8")).hexdigest()[:16]


def _batch_of(path: Path) -> str:
    return path.name.removeprefix("part-").split(".", 1)[0]


def _unique(items: list[Any], key: Any) -> list[Any]:
    seen: set[Any] = set()
    out = []
    for item in items:
        k = key(item)
        if k not in seen:
            seen.add(k)
            out.append(item)
    return out


def _write_atomic(table: pa.Table, target: Path) -> None:
    """Write ``table`` to a temporary name beside ``target``, then rename it into place."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    pq.write_table(table, tmp, compression="zstd")
    os.replace(tmp, target)
