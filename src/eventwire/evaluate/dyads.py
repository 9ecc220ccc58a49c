"""Score the dyad classifier on labelled dyads in the ``eventwire train`` JSONL format.

Each line gives a sentence, the source span, the target span (or null) and the label (one of
the 16 PLOVER 2.0 types or NONE). The classifier answers with NONE allowed, so NONE is one
more class here; CONCEDE and RETREAT are kept apart (PLV's YIELD merge does not apply).
Use it on your own labelled data before and after ``eventwire train``, or on the project's
hand-written set (``data/training/dyad_written.jsonl``, which the shipped model never saw).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..errors import EvalError
from .plv import accuracy, confusions, macro_f1


def evaluate_dyads(path: Path, fast: bool = False, limit: int | None = None) -> dict[str, Any]:
    """Accuracy and macro-F1 (17 labels) of ``eventwire classify`` on a JSONL file of dyads."""
    from ..classify import DyadClassifier
    from ..config import Config
    from ..learn.generate import read_jsonl

    try:
        examples = read_jsonl(Path(path))[:limit]
    except (OSError, ValueError, KeyError, TypeError, IndexError) as e:
        what = f"a line lacks the field {e}" if isinstance(e, KeyError) else str(e)
        raise EvalError(f"cannot read {path} as dyad JSONL (text, source, target, label per line): {what}") from None
    if not examples:
        raise EvalError(f"{path} has no labelled dyads")
    clf = DyadClassifier(Config(fast=fast))
    results = clf.classify_many([(e.text, e.source, e.target) for e in examples], allow_none=True)
    gold = [e.label for e in examples]
    pred = [r.type or "NONE" for r in results]
    mf1, per = macro_f1(gold, pred)
    return {
        "accuracy": round(accuracy(gold, pred), 4),
        "macro_f1": round(mf1, 4),
        "n": len(gold),
        "classifier": "patterns" if clf.model is None else "model",
        "per_type": per,
        "confusions": confusions(gold, pred),
    }
