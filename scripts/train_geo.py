#!/usr/bin/env python
"""Train eventwire's learned location chooser (src/eventwire/data/places/location_model.json).

Data: Halterman's event_location annotations (MIT licence), ../shared/eval/event-location/
labeled_text.dev.jsonl. Only the fitted weights (feature name -> float) are written; no text.

1. parse every record with the project's spaCy pipeline (``load_pipeline("auto")``);
2. build candidates + features with :mod:`eventwire.learn_geo`;
3. report 5-fold cross-validated accuracy, folds split by source document (the
   ``XXX_ENG_YYYYMMDD.NNNN`` part of ``_id``) and never splitting one sentence across folds;
4. fit on everything and write the model.

Usage: python scripts/train_geo.py [--folds 5] [--l2 4.0] [--no-write] [--docbin CACHE.spacy]
Needs numpy (installed with spaCy).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from eventwire.evaluate.geo import read_items
from eventwire.learn_geo import (
    MODEL_PATH,
    LocationModel,
    RankerInput,
    build_input,
    fit_ranker,
    gold_indices,
)
from eventwire.stages.place import LocationChooser, load_gazetteer

DOC_ID = re.compile(r"^([A-Z]{3}_ENG_\d{8}\.\d{4})_")


def group_ids(records: list[dict]) -> list[int]:
    """A group per source document (``doc_id`` or the ``XXX_ENG_date.num`` prefix of ``_id``);
    records sharing a sentence share a group (union-find)."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent.setdefault(x, x) != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    keys = []
    for r in records:
        text_key = "T:" + r["text"]
        m = DOC_ID.match(str(r.get("_id", "")).strip())
        if m:
            parent[find(text_key)] = find("D:" + m.group(1))
        if r.get("doc_id") not in (None, ""):
            parent[find(text_key)] = find("D:" + str(r["doc_id"]))
        keys.append(text_key)
    roots = [find(k) for k in keys]
    index = {root: k for k, root in enumerate(dict.fromkeys(roots))}
    return [index[r] for r in roots]


def outcome(pred: tuple[int, int] | None, gold: list[tuple[int, int]]) -> str:
    """correct | false_none | false_place | wrong_place (as in eventwire eval geo)."""
    if (pred is None and not gold) or (pred is not None and pred in gold):
        return "correct"
    if pred is None:
        return "false_none"
    return "false_place" if not gold else "wrong_place"


def predict(model: LocationModel, item: RankerInput) -> tuple[int, int] | None:
    """The model's span for one item (None for NONE)."""
    best, _ = model.choose(item)
    return None if best.is_none else (best.start, best.end)


def rule_prediction(item: RankerInput) -> tuple[int, int] | None:
    """The hand-written rules' span for one item (the candidate they contributed)."""
    rule = next((c for c in item.candidates if "rule" in c.sources), None)
    return None if rule is None else (rule.start, rule.end)


def _args_without_cache(argv: list[str]) -> list[str]:
    """The command-line arguments minus ``--docbin PATH`` (a parse cache: it changes no result)."""
    out: list[str] = []
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--docbin":
            skip = True
        elif not arg.startswith("--docbin="):
            out.append(arg)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", type=Path, default=REPO.parent / "shared" / "eval" / "event-location" / "labeled_text.dev.jsonl")
    ap.add_argument("--out", type=Path, default=MODEL_PATH)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--l2", type=float, default=4.0)
    ap.add_argument("--min-count", type=int, default=3)
    ap.add_argument("--iterations", type=int, default=400)
    ap.add_argument("--docbin", type=Path, default=None, help="cache of parsed docs (spaCy DocBin)")
    ap.add_argument("--no-write", action="store_true")
    a = ap.parse_args()

    t0 = time.time()
    from eventwire.stages.nlp import load_pipeline

    nlp = load_pipeline("auto")
    text = a.data.read_text(encoding="utf-8").lstrip()
    records = json.loads(text) if text.startswith("[") else [json.loads(x) for x in text.splitlines() if x.strip()]
    records = [r for r in records if any(s.get("label") == "VERB" for s in r.get("spans", []))]
    items = list(read_items(a.data))
    assert len(items) == len(records), "records and items out of step"
    if a.docbin is not None and a.docbin.is_file():
        from spacy.tokens import DocBin

        docs = list(DocBin().from_disk(a.docbin).get_docs(nlp.vocab))
    else:
        docs = list(nlp.pipe((i.text for i in items), batch_size=256))
        if a.docbin is not None:
            from spacy.tokens import DocBin

            db = DocBin(store_user_data=False)
            for d in docs:
                db.add(d)
            db.to_disk(a.docbin)
    print(f"parsed {len(docs)} in {time.time() - t0:.0f}s", file=sys.stderr)

    chooser = LocationChooser()
    gaz = load_gazetteer()
    inputs: list[RankerInput] = []
    golds: list[set[int]] = []
    keep: list[int] = []
    for k, (item, doc) in enumerate(zip(items, docs)):
        span = doc.char_span(*item.verb, alignment_mode="expand")
        if span is None or len(span) == 0:
            continue
        ri = build_input(doc, span.root, chooser, gaz)
        inputs.append(ri)
        golds.append(gold_indices(ri, item.locations))
        keep.append(k)
    gold_spans = [items[k].locations for k in keep]
    all_groups = group_ids(records)
    groups = [all_groups[k] for k in keep]
    print(f"features in {time.time() - t0:.0f}s; reachable {sum(1 for g in golds if g) / len(golds):.3f}",
          file=sys.stderr)

    rule_out = Counter(outcome(rule_prediction(it), gs) for it, gs in zip(inputs, gold_spans))
    cv_out: Counter[str] = Counter()
    fold_acc = []
    for fold in range(a.folds):
        train = [i for i, g in enumerate(groups) if g % a.folds != fold]
        test = [i for i, g in enumerate(groups) if g % a.folds == fold]
        model = fit_ranker([inputs[i] for i in train], [golds[i] for i in train], l2=a.l2,
                           min_count=a.min_count, iterations=a.iterations)
        outs = Counter(outcome(predict(model, inputs[i]), gold_spans[i]) for i in test)
        fold_acc.append(outs["correct"] / len(test))
        cv_out += outs
    n = len(inputs) + (len(items) - len(keep))
    report = {
        "n": n,
        "skipped_unaligned_verb": len(items) - len(keep),
        "rules": {"accuracy": rule_out["correct"] / n, "errors": {k: v for k, v in rule_out.items() if k != "correct"}},
        "cv": {"folds": a.folds, "accuracy": cv_out["correct"] / n, "fold_accuracy": [round(x, 4) for x in fold_acc],
               "errors": {k: v for k, v in cv_out.items() if k != "correct"}},
        "reachable": sum(1 for g in golds if g) / len(golds),
    }
    model = fit_ranker(inputs, golds, l2=a.l2, min_count=a.min_count, iterations=a.iterations)
    in_sample = Counter(outcome(predict(model, it), gs) for it, gs in zip(inputs, gold_spans))
    report["in_sample"] = {"accuracy": in_sample["correct"] / n, "weights": len(model.weights)}
    print(json.dumps(report, indent=1))
    if not a.no_write:
        model.meta = {
            "trained_on": "event_location labeled_text (Halterman, MIT), ahalterman/event_location@444a2dfab7a82bc3ba4d42041a971ec1e6bb6b0c",
            "records": len(inputs), "command": " ".join(["python scripts/train_geo.py", *_args_without_cache(sys.argv[1:])]),
            "l2": a.l2, "min_count": a.min_count, "iterations": a.iterations,
            "cv_accuracy": round(report["cv"]["accuracy"], 4), "cv_split": "by source document / sentence",
            "in_sample_accuracy": round(report["in_sample"]["accuracy"], 4),
        }
        model.to_json(a.out)
        print(f"wrote {a.out} ({len(model.weights)} weights) in {time.time() - t0:.0f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
