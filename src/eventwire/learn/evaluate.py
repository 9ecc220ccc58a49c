"""Score a dyad model on a PLV-format TSV (measurement only: never used for training)."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path
from typing import Any

from ..evaluate.plv import YIELD_TYPES, load_plv, macro_f1
from .infer import DyadModel


def evaluate_model(model: DyadModel, plv_path: Path, allow_none: bool = True) -> dict[str, Any]:
    """Accuracy, macro-F1, per-type scores and top confusions of ``model`` on a PLV file.

    CONCEDE and RETREAT score as YIELD; a NONE answer counts as wrong.
    """
    rows = load_plv(Path(plv_path))
    t0 = time.time()
    preds = model.predict([(r.text, r.source, r.target) for r in rows], allow_none=allow_none)
    secs = time.time() - t0
    gold = [YIELD_TYPES.get(r.label, r.label) for r in rows]
    pred = [YIELD_TYPES.get(p, p) for p, _ in preds]
    acc = sum(g == p for g, p in zip(gold, pred)) / len(rows)
    mf1, per = macro_f1(gold, pred)
    conf = Counter((g, p) for g, p in zip(gold, pred) if g != p).most_common(12)
    return {"n": len(rows), "accuracy": round(acc, 3), "macro_f1": round(mf1, 3), "per_type": per,
            "confusions": [f"{g}->{p}: {c}" for (g, p), c in conf], "seconds": round(secs, 1)}


def compare_models(a: DyadModel, b: DyadModel, plv_path: Path) -> dict[str, float]:
    """Agreement of two models' answers (e.g. int8 vs fp32) on a PLV file's dyads."""
    rows = load_plv(Path(plv_path))
    items = [(r.text, r.source, r.target) for r in rows]
    pa, pb = a.predict(items), b.predict(items)
    same = sum(x[0] == y[0] for x, y in zip(pa, pb))
    return {"n": len(rows), "agreement": round(same / len(rows), 4),
            "mean_abs_prob_diff": round(sum(abs(x[1] - y[1]) for x, y in zip(pa, pb)) / len(rows), 4)}


def throughput(model: DyadModel, items: list[tuple[str, tuple[int, int], tuple[int, int] | None]],
               batch_size: int = 32, repeats: int = 3) -> float:
    """Best-of-``repeats`` sentences per second for ``model.predict`` at ``batch_size``."""
    best = 0.0
    for _ in range(repeats):
        t0 = time.perf_counter()
        model.predict(items, batch_size=batch_size)
        best = max(best, len(items) / (time.perf_counter() - t0))
    return best
