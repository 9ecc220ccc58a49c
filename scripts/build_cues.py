#!/usr/bin/env python
"""Build src/eventwire/data/lexicon/cues.json: event-cue verbs derived from the Phoenix CAMEO
verb dictionary (MIT) and the CAMEO->PLOVER table (PLOVER, CC BY-SA 4.0).

Usage: python scripts/build_cues.py [--reference ../shared/reference] [--table ../shared/eval/plover-gsr]
Only lemma -> PLOVER types facts are written (no dictionary text).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from eventwire.learn.generate import cameo_cues  # noqa: E402


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--reference", type=Path, default=REPO.parent / "shared" / "reference")
    p.add_argument("--table", type=Path, default=REPO.parent / "shared" / "eval" / "plover-gsr")
    p.add_argument("--out", type=Path, default=REPO / "src" / "eventwire" / "data" / "lexicon" / "cues.json")
    a = p.parse_args()
    cues = cameo_cues(a.reference / "phoenix-dictionaries" / "CAMEO.2.0.verbs.txt", a.table / "CAMEO2PLOVER-2021.txt")
    doc = {
        "version": 1,
        "source": "MIT Phoenix CAMEO verb dictionary (CAMEO.2.0.txt, petrarch2, MIT) via CAMEO2PLOVER-2021 "
                  "(openeventdata/PLOVER, CC BY-SA 4.0); built by scripts/build_cues.py",
        "cues": cues,
    }
    body = ",\n".join(f"  {json.dumps(k)}: {json.dumps(v)}" for k, v in cues.items())
    a.out.write_text(f'{{\n"version": {doc["version"]},\n"source": {json.dumps(doc["source"])},\n"cues": {{\n{body}\n}}\n}}\n',
                     encoding="utf-8")
    print(f"{len(cues)} cue lemmas -> {a.out}")


if __name__ == "__main__":
    main()
