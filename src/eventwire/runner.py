"""Code a corpus into a store: ``run(["news/", "feed.xml"], Path("store"), workers=4)``.

The driver reads the sources, rejects bad inputs, drops duplicates (exact and MinHash
near-copies) and cuts the rest into batches; the batches are coded in-process
(``workers=1``) or on Dask workers (a LocalCluster of processes, or an existing scheduler),
each worker loading the spaCy pipeline once; the driver writes every coded batch to the
store atomically. A run is resumable: after a crash or ``kill -9``, running the same
command again skips the articles already stored and finishes the rest, so no article or
event is lost or written twice.

Command line (used by tests; the main CLI is ``eventwire run``)::

    python -m eventwire.runner SOURCE... --store DIR [--workers N] [--scheduler ADDRESS]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .config import Config
from .errors import ConfigError, EventwireError
from .knowledge.memory import ActorMemory, MemoryEntry
from .records import Article, Event
from .sources import Rejected, SourceOptions, iter_sources
from .sources.dedupe import Deduper, Duplicate
from .store import Batch, CodedArticle, RunRecord, Store

#: Most rejected/duplicate records held before they are written without waiting for articles.
MAX_PENDING_RECORDS = 256


@dataclass(frozen=True, slots=True)
class RunSummary:
    """What a run did. ``skipped`` counts inputs already in the store (a rerun or a resume);
    ``duplicates`` includes the same text read again from another file (same id)."""

    run_id: str
    store: Path
    articles: int
    events: int
    rejected: int
    duplicates: int
    skipped: int
    seconds: float
    workers: int

    @property
    def articles_per_s(self) -> float:
        return self.articles / self.seconds if self.seconds > 0 else 0.0

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["store"] = str(self.store)
        d["articles_per_s"] = round(self.articles_per_s, 2)
        return d


@dataclass(slots=True)
class WorkUnit:
    """A batch before coding: articles to code (with their signatures) and records to keep."""

    articles: list[Article] = field(default_factory=list)
    signatures: dict[str, bytes] = field(default_factory=dict)
    rejected: list[Rejected] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class CodingResult:
    """What a worker returns for a list of articles."""

    coded: list[tuple[Article, list[Event]]]
    failed: list[Rejected]
    learned: list[MemoryEntry] = field(default_factory=list)  # actor memory, for the run's single writer


# ---------------------------------------------------------------------- worker side


def code_articles(articles: list[Article], config: Config, batch_size: int = 16) -> CodingResult:
    """Code articles with this process's pipeline (loaded once); an article whose coding
    raises becomes a Rejected record with reason ``coding_error``."""
    from .pipeline import get_pipeline

    pipeline = get_pipeline(config)
    memory = pipeline.actors.memory
    try:
        docs = list(pipeline.process_many(articles, batch_size=batch_size))
        return CodingResult([(d.article, d.events) for d in docs], [], memory.drain() if memory else [])
    except Exception:  # noqa: BLE001 - fall back to one by one to isolate the bad article
        coded: list[tuple[Article, list[Event]]] = []
        failed: list[Rejected] = []
        for art in articles:
            try:
                coded.append((art, pipeline.process(art).events))
            except Exception as err:  # noqa: BLE001
                failed.append(Rejected(art.source or art.id, "coding_error",
                                       f"the pipeline failed on it ({err.__class__.__name__}: {err})"))
        return CodingResult(coded, failed, memory.drain() if memory else [])


def warm_up(config: Config) -> int:
    """Load the pipeline in this process; return the process id."""
    from .pipeline import get_pipeline

    get_pipeline(config)
    return os.getpid()


def pipeline_info(config: Config) -> dict[str, Any]:
    """run_info() of this process's pipeline."""
    from .pipeline import get_pipeline

    return get_pipeline(config).run_info()


# ---------------------------------------------------------------------- planning


class Planner:
    """Turns the stream of source items into work units, skipping stored and duplicate articles."""

    def __init__(self, store: Store, deduper: Deduper, batch_size: int) -> None:
        self.store = store
        self.deduper = deduper
        self.batch_size = batch_size
        self.skipped = 0
        self._seen: dict[str, str | None] = {}

    def units(self, items: Iterable[Article | Rejected]) -> Iterator[WorkUnit]:
        unit = WorkUnit()
        quarantined = self.store.quarantined()
        for item in items:
            if isinstance(item, Rejected):
                if (item.source, item.reason) not in quarantined:
                    unit.rejected.append(item)
            else:
                self._plan_article(item, unit)
            if len(unit.articles) >= self.batch_size or len(unit.rejected) + len(unit.duplicates) >= MAX_PENDING_RECORDS:
                yield unit
                unit = WorkUnit()
        if unit.articles or unit.rejected or unit.duplicates:
            yield unit

    def _plan_article(self, article: Article, unit: WorkUnit) -> None:
        if self.store.knows(article.id, article.source) or self._seen.get(article.id, "") == article.source:
            self.skipped += 1
            return
        if article.id in self._seen or self.store.has_article(article.id):
            unit.duplicates.append(Duplicate(article.id, article.id, 1.0, article.source, article.url))
            return
        self._seen[article.id] = article.source
        verdict = self.deduper.check(article)
        if verdict.duplicate is not None:
            unit.duplicates.append(verdict.duplicate)
        else:
            unit.articles.append(article)
            unit.signatures[article.id] = verdict.signature


def load_deduper(store: Store) -> Deduper:
    """A deduper that knows every article already coded in the store."""
    deduper = Deduper()
    for article_id, signature in store.signatures():
        deduper.remember(article_id, signature or b"")
    return deduper


# ---------------------------------------------------------------------- executors


Coder = Callable[[Iterator[WorkUnit]], Iterator[tuple[WorkUnit, CodingResult]]]


def _in_process(config: Config, batch_size: int) -> Coder:
    def code(units: Iterator[WorkUnit]) -> Iterator[tuple[WorkUnit, CodingResult]]:
        for unit in units:
            yield unit, code_articles(unit.articles, config, batch_size) if unit.articles else CodingResult([], [])
    return code


def _on_dask(client: Any, config: Config, batch_size: int, in_flight: int) -> Coder:
    from distributed import as_completed

    def code(units: Iterator[WorkUnit]) -> Iterator[tuple[WorkUnit, CodingResult]]:
        pending = as_completed()
        owners: dict[str, WorkUnit] = {}

        def submit(unit: WorkUnit) -> None:
            fut = client.submit(code_articles, unit.articles, config, batch_size, pure=False)
            owners[fut.key] = unit
            pending.add(fut)

        for unit in units:
            if not unit.articles:
                yield unit, CodingResult([], [])
                continue
            submit(unit)
            while pending.count() >= in_flight:
                fut = next(pending)
                yield owners.pop(fut.key), fut.result()
        for fut in pending:
            yield owners.pop(fut.key), fut.result()
    return code


@contextmanager
def dask_client(workers: int, scheduler: str | None) -> Iterator[Any]:
    """A Dask client: to ``scheduler`` when given, else to a LocalCluster of worker processes.

    The local workers run without Dask's statistical profiler (a thread that samples the
    coding thread's Python stack every 10 ms: pure overhead for a batch job) and without the
    dashboard."""
    import dask
    from distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler) as client:
            yield client
        return
    with dask.config.set({"distributed.worker.profile.enabled": False}), \
            LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                         dashboard_address=None, silence_logs=logging.ERROR) as cluster, Client(cluster) as client:
        yield client


# ---------------------------------------------------------------------- run


def run(
    sources: list[str],
    store: Path,
    workers: int = 1,
    scheduler: str | None = None,
    progress: bool = True,
    *,
    config: Config | None = None,
    batch_size: int = 16,
    allow_private: bool = False,
) -> RunSummary:
    """Code every article of ``sources`` into the store at ``store`` (resumable)."""
    if workers < 1:
        raise ConfigError(f"workers must be at least 1, got {workers}")
    cfg = config or Config()
    started = datetime.now(UTC).isoformat(timespec="seconds")
    run_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:8]
    t0 = time.perf_counter()
    path = Path(store)
    with Store(path).writing() as st:
        planner = Planner(st, load_deduper(st), batch_size)
        units = planner.units(iter_sources(sources, SourceOptions(cfg, allow_private=allow_private)))
        with _coder(cfg, workers, scheduler, batch_size) as (coder, info):
            memory = ActorMemory(cfg.actor_memory) if cfg.actor_memory else None
            counts = _write_all(st, coder(units), run_id, progress, memory)
            run_info = info()
        summary = RunSummary(run_id, st.path, counts["articles"], counts["events"], counts["rejected"],
                             counts["duplicates"], planner.skipped, round(time.perf_counter() - t0, 3),
                             workers)
        finished = datetime.now(UTC).isoformat(timespec="seconds")
        st.write_run(RunRecord(run_id, started, finished, summary.articles, summary.events, summary.rejected,
                               summary.duplicates, summary.skipped,
                               {**run_info, "sources": list(sources), "workers": workers,
                                "scheduler": scheduler, "summary": summary.as_dict()}))
    return summary


@contextmanager
def _coder(cfg: Config, workers: int, scheduler: str | None, batch_size: int) -> Iterator[tuple[Coder, Callable[[], dict[str, Any]]]]:
    if workers == 1 and not scheduler:
        yield _in_process(cfg, batch_size), lambda: pipeline_info(cfg)
        return
    with dask_client(workers, scheduler) as client:
        client.run(warm_up, cfg)
        n = max(1, len(client.scheduler_info().get("workers", {})) or workers)
        yield _on_dask(client, cfg, batch_size, 2 * n), lambda: client.submit(pipeline_info, cfg, pure=False).result()


def _write_all(st: Store, results: Iterator[tuple[WorkUnit, CodingResult]], run_id: str, progress: bool,
               memory: ActorMemory | None = None) -> dict[str, int]:
    """Store each unit's results; the actor memory (if any) takes in what the workers learned
    and is written here, by this one process, after every unit."""
    counts = {"articles": 0, "events": 0, "rejected": 0, "duplicates": 0}
    with _progress(progress) as advance:
        for unit, result in results:
            if memory is not None and memory.merge(result.learned):
                memory.save()
            batch = Batch(
                coded=[CodedArticle(a, evs, unit.signatures.get(a.id, b"")) for a, evs in result.coded],
                rejected=unit.rejected + result.failed,
                duplicates=unit.duplicates,
                run_id=run_id,
            )
            written = st.write_batch(batch)
            for key in counts:
                counts[key] += getattr(written, key)
            advance(len(unit.articles) + len(unit.rejected) + len(unit.duplicates), counts)
    return counts


@contextmanager
def _progress(enabled: bool) -> Iterator[Callable[[int, dict[str, int]], None]]:
    if not enabled:
        yield lambda n, counts: None
        return
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn(), TextColumn("{task.fields[status]}"))
    with Progress(*columns, transient=False) as bar:
        task = bar.add_task("coding", total=None, status="")

        def advance(n: int, counts: dict[str, int]) -> None:
            status = ", ".join(f"{v} {k}" for k, v in counts.items())
            bar.update(task, advance=n, status=status)

        yield advance


# ---------------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> int:
    """``python -m eventwire.runner SOURCE... --store DIR``: print the summary as JSON."""
    parser = argparse.ArgumentParser(prog="python -m eventwire.runner", description=__doc__.split("\n\n")[0])
    parser.add_argument("sources", nargs="+", help="files, folders, feeds, WARC files or URLs")
    parser.add_argument("--store", required=True, type=Path, help="store folder (created when missing)")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--scheduler", default=None, help="address of a running Dask scheduler")
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--no-progress", action="store_true")
    parser.add_argument("--allow-private", action="store_true", help="allow URLs on private/loopback addresses")
    args = parser.parse_args(argv)
    try:
        summary = run(args.sources, args.store, args.workers, args.scheduler, not args.no_progress,
                      batch_size=args.batch_size, allow_private=args.allow_private)
    except EventwireError as err:
        print(f"eventwire: error: {err}", file=sys.stderr)
        return err.exit_code
    print(json.dumps(summary.as_dict()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
