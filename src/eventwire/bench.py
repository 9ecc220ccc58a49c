"""Throughput and memory of the pipeline on a folder of articles.

``bench(dir, workers=2)`` codes the same articles three ways and reports:

- ``articles_per_s``: the full pipeline (read text already in memory -> PLOVER events) on
  ``workers`` processes (in-process for 1, Dask LocalCluster workers otherwise);
- ``parse_only_articles_per_s``: spaCy's own ``nlp.pipe`` on the same texts with the same
  process count and batches — the floor any spaCy-based coder pays;
- ``ratio``: the first over the second (1.0 would mean coding costs nothing beyond parsing);
- ``speedup``: full-pipeline throughput on ``workers`` processes over one process;
- ``peak_rss_mb``: the largest peak resident memory of a coding process (per worker);
- ``stage_cpu_ms_per_article``: CPU per article in each stage of the one-process run (``nlp`` is
  spaCy's parse) and ``actor_lookup_share``: the actors stage's part of the whole pipeline's CPU.

Wall-clock rates depend on what else the machine runs, so the CPU seconds each mode spent per
article (summed over the coding processes) are reported too (``*_cpu_ms_per_article``,
``cpu_ratio``), with the 1-minute load average before and after.

Pipelines are loaded and warmed up before timing; reading files is not timed.
"""

from __future__ import annotations

import os
import resource
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .config import Config
from .records import Article
from .sources import iter_source

WARM_UP_ARTICLES = 4


def bench(dir: Path, workers: int = 1, fast: bool = False, limit: int | None = None,
          *, batch_size: int = 8, repeat: int = 1, config: Config | None = None) -> dict[str, Any]:
    """Measure the pipeline on the articles under ``dir`` (see the module docstring).

    Articles go to the workers in tasks of ``batch_size`` (also spaCy's batch): on few cores,
    small tasks leave less idle time at the end of the run (measured on 2 cores: speed-up
    1.67 with tasks of 8 against 1.65 with 16; 1.62 against 1.55 with ``fast``).
    ``fast`` codes with the lexicon patterns only (``Config.fast``: no learned dyad model).
    Each mode is timed ``repeat`` times and the fastest pass is kept (a shared machine is noisy).
    """
    cfg = (config or Config()).with_overrides(fast=fast or None)
    articles = load_articles(Path(dir), limit, cfg)
    if not articles:
        raise ValueError(f"no readable articles under {dir}")
    chunks = [articles[i : i + batch_size] for i in range(0, len(articles), batch_size)]
    load_before = os.getloadavg()[0]
    one = _in_process_rate(articles, chunks, cfg, batch_size, repeat)
    res = one if workers == 1 else _dask_rates(chunks, len(articles), cfg, workers, batch_size, repeat)
    full, parse, rss = res["full"], res["parse"], res["rss"]
    n = len(articles)
    stages = one["stages"]
    total = sum(stages.values())
    return {
        "dir": str(dir),
        "articles": len(articles),
        "workers": workers,
        "fast": fast,
        "batch_size": batch_size,
        "repeat": repeat,
        "articles_per_s": round(full, 2),
        "parse_only_articles_per_s": round(parse, 2),
        "ratio": round(full / parse, 3) if parse else None,
        "one_worker_articles_per_s": round(one["full"], 2),
        "speedup": round(full / one["full"], 3) if one["full"] else None,
        "peak_rss_mb": round(rss, 1),
        "full_cpu_ms_per_article": round(1000 * res["full_cpu"] / n, 1),
        "parse_cpu_ms_per_article": round(1000 * res["parse_cpu"] / n, 1),
        "cpu_ratio": round(res["parse_cpu"] / res["full_cpu"], 3) if res["full_cpu"] else None,
        "stage_cpu_ms_per_article": {k: round(1000 * v / n, 1) for k, v in stages.items()},
        "actor_lookup_share": round(stages.get("actors", 0.0) / total, 3) if total else None,
        "load_avg_1m": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "driver_peak_rss_mb": round(peak_rss_mb(), 1),
        "cpus": _cpus(),
    }


def load_articles(folder: Path, limit: int | None, config: Config) -> list[Article]:
    """The readable articles under ``folder`` (rejected inputs are left out), at most ``limit``."""
    out: list[Article] = []
    for item in iter_source(str(folder)):
        if isinstance(item, Article):
            out.append(item)
            if limit is not None and len(out) >= limit:
                break
    return out


def peak_rss_mb() -> float:
    """Peak resident memory of this process, in MB.

    On Linux this is VmHWM of /proc/self/status: ``ru_maxrss`` survives exec, so a worker
    started by fork+exec from a large parent would report the parent's peak.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def code_chunk(articles: list[Article], config: Config, batch_size: int) -> int:
    """Code a chunk with this process's pipeline; return the number of events (worker task)."""
    from .pipeline import get_pipeline

    return sum(len(d.events) for d in get_pipeline(config).process_many(articles, batch_size=batch_size))


def parse_chunk(articles: list[Article], config: Config, batch_size: int) -> int:
    """Parse a chunk with spaCy's nlp.pipe only; return the number of tokens (worker task)."""
    from .pipeline import get_pipeline

    nlp = get_pipeline(config).nlp
    return sum(len(doc) for doc in nlp.pipe((a.text for a in articles), batch_size=batch_size))


def cpu_seconds() -> float:
    """User + system CPU seconds used by this process so far."""
    ru = resource.getrusage(resource.RUSAGE_SELF)
    return ru.ru_utime + ru.ru_stime


def _timed(fn: Callable[[], Any], cpu: Callable[[], float] = cpu_seconds) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of ``fn()``."""
    c0, t0 = cpu(), time.perf_counter()
    fn()
    return time.perf_counter() - t0, cpu() - c0


def _best(fn: Callable[[], Any], repeat: int, cpu: Callable[[], float] = cpu_seconds) -> tuple[float, float]:
    """The fastest of ``repeat`` timed passes: (wall seconds, CPU seconds)."""
    return min((_timed(fn, cpu) for _ in range(max(1, repeat))), key=lambda wc: wc[0])


def _in_process_rate(articles: list[Article], chunks: list[list[Article]], cfg: Config, batch_size: int,
                     repeat: int) -> dict[str, float]:
    from .pipeline import get_pipeline

    code_chunk(articles[:WARM_UP_ARTICLES], cfg, batch_size)
    n = len(articles)
    parse_wall, parse_cpu = _best(lambda: [parse_chunk(c, cfg, batch_size) for c in chunks], repeat)
    stages = get_pipeline(cfg).stage_seconds
    before = dict(stages)
    full_wall, full_cpu = _best(lambda: [code_chunk(c, cfg, batch_size) for c in chunks], repeat)
    passes = max(1, repeat)
    spent = {k: (stages[k] - before.get(k, 0.0)) / passes for k in stages}
    return {"full": n / full_wall, "parse": n / parse_wall, "rss": peak_rss_mb(),
            "full_cpu": full_cpu, "parse_cpu": parse_cpu, "stages": spent}


def _dask_rates(chunks: list[list[Article]], n: int, cfg: Config, workers: int, batch_size: int,
                repeat: int) -> dict[str, float]:
    from .runner import dask_client

    with dask_client(workers, None) as client:
        warm = chunks[0][:WARM_UP_ARTICLES]
        client.run(code_chunk, warm, cfg, batch_size)
        futures_of: Callable[[Callable[..., int]], list[Any]] = lambda fn: [
            client.submit(fn, c, cfg, batch_size, pure=False) for c in chunks
        ]
        workers_cpu: Callable[[], float] = lambda: sum(client.run(cpu_seconds).values())
        parse_wall, parse_cpu = _best(lambda: client.gather(futures_of(parse_chunk)), repeat, workers_cpu)
        full_wall, full_cpu = _best(lambda: client.gather(futures_of(code_chunk)), repeat, workers_cpu)
        rss = max(client.run(peak_rss_mb).values())
    return {"full": n / full_wall, "parse": n / parse_wall, "rss": rss,
            "full_cpu": full_cpu, "parse_cpu": parse_cpu}


def _cpus() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


if __name__ == "__main__":
    import argparse
    import json

    p = argparse.ArgumentParser(prog="python -m eventwire.bench")
    p.add_argument("dir", type=Path)
    p.add_argument("--workers", type=int, default=1)
    p.add_argument("--fast", action="store_true")
    p.add_argument("--limit", type=int, default=None)
    p.add_argument("--repeat", type=int, default=1)
    a = p.parse_args()
    print(json.dumps(bench(a.dir, a.workers, a.fast, a.limit, repeat=a.repeat), indent=2))
