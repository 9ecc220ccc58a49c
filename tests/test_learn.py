"""Tests for eventwire.learn: training data, markup, generator and the shipped ONNX model."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from eventwire.errors import ModelError
from eventwire.learn import LABELS
from eventwire.learn.generate import (
    DATA_DIR,
    Generator,
    cameo_phrases,
    load_gsr,
    read_jsonl,
    write_jsonl,
)
from eventwire.learn.markup import DyadExample, mark

SHARED = Path(__file__).resolve().parents[2] / "shared"
MODEL_DIR = Path(__file__).resolve().parents[1] / "src" / "eventwire" / "models"
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared is not present")
needs_model = pytest.mark.skipif(not (MODEL_DIR / "dyad.onnx").is_file(), reason="no shipped dyad model")


def _schema(name: str) -> dict:
    return json.loads((DATA_DIR / name).read_text())


@pytest.mark.parametrize("data,schema", [("templates.yaml", "templates.schema.json"),
                                         ("vocab.yaml", "vocab.schema.json")])
def test_yaml_data_matches_schema(data: str, schema: str) -> None:
    jsonschema.validate(yaml.safe_load((DATA_DIR / data).read_text()), _schema(schema))


def test_cameo_phrases_match_schema() -> None:
    phrases = json.loads((DATA_DIR / "cameo_phrases.json").read_text())
    jsonschema.validate(phrases, _schema("cameo_phrases.schema.json"))
    assert "attacked" in " ".join(phrases["ASSAULT"])


def test_shipped_jsonl_lines_match_schema() -> None:
    schema = _schema("dyad_example.schema.json")
    lines = (DATA_DIR / "dyad_synthetic.jsonl").read_text().splitlines()
    assert len(lines) > 10000
    for line in lines[::97]:
        d = json.loads(line)
        jsonschema.validate(d, schema)
        assert d["source"][1] <= len(d["text"])


def test_hand_written_set_is_valid_and_covers_every_label() -> None:
    schema = _schema("dyad_example.schema.json")
    counts: dict[str, int] = {}
    for line in (DATA_DIR / "dyad_written.jsonl").read_text(encoding="utf-8").splitlines():
        d = json.loads(line)
        jsonschema.validate(d, schema)
        spans = [d["source"]] + ([d["target"]] if d["target"] else [])
        for start, end in spans:
            piece = d["text"][start:end]
            assert end <= len(d["text"]) and piece and piece == piece.strip(), d
        counts[d["label"]] = counts.get(d["label"], 0) + 1
    assert set(counts) == set(LABELS)
    assert min(counts.values()) >= 150, counts


def test_every_label_has_templates() -> None:
    types = yaml.safe_load((DATA_DIR / "templates.yaml").read_text())["types"]
    assert set(types) == set(LABELS)


def test_mark_wraps_both_spans() -> None:
    text = "Varga police detained Ms. Holt in Kell."
    assert mark(text, (0, 12), (22, 30)) == "@ Varga police @ detained # Ms. Holt # in Kell."
    assert mark(text, (22, 30), (0, 12)) == "# Varga police # detained @ Ms. Holt @ in Kell."
    assert mark(text, (0, 12), None) == "@ Varga police @ detained Ms. Holt in Kell."
    with pytest.raises(ValueError):
        mark(text, (0, 99), None)


def test_generator_spans_are_exact_and_deterministic() -> None:
    a = list(Generator(5).generate(15))
    b = list(Generator(5).generate(15))
    assert a == b
    assert {e.label for e in a} == set(LABELS)
    for e in a:
        src = e.text[e.source[0]:e.source[1]]
        assert src and src == src.strip()
        if e.target:
            assert e.text[e.target[0]:e.target[1]].strip()
            assert not (e.source[0] < e.target[1] and e.target[0] < e.source[1])


def test_generator_adds_reversed_none() -> None:
    exs = list(Generator(1).generate(200))
    by_text: dict[str, list[DyadExample]] = {}
    for e in exs:
        by_text.setdefault(e.text, []).append(e)
    pairs = [v for v in by_text.values() if len(v) >= 2 and v[1].label == "NONE" and v[1].source == v[0].target]
    assert pairs, "expected some direction-swapped NONE examples"


def test_jsonl_round_trip_and_bad_label(tmp_path: Path) -> None:
    exs = [DyadExample("Rebels shelled Kell.", (0, 6), (15, 19), "ASSAULT"),
           DyadExample("Students protested.", (0, 8), None, "PROTEST")]
    p = tmp_path / "d.jsonl"
    write_jsonl(exs, p)
    assert read_jsonl(p) == exs
    p.write_text('{"text": "x y", "source": [0, 1], "target": null, "label": "FIGHT"}\n')
    with pytest.raises(ValueError, match="unknown label"):
        read_jsonl(p)


@needs_shared
def test_cameo_phrases_rebuild_from_shared() -> None:
    p = cameo_phrases(SHARED / "reference/phoenix-dictionaries/CAMEO.2.0.verbs.txt",
                      SHARED / "eval/plover-gsr/CAMEO2PLOVER-2021.txt")
    assert set(p) <= set(LABELS) and len(p) >= 16
    assert json.loads((DATA_DIR / "cameo_phrases.json").read_text()) == p


@needs_shared
def test_gsr_records_load_with_spans() -> None:
    recs = load_gsr(SHARED / "eval/plover-gsr/PLOVER_GSR_CAMEO.json")
    assert len(recs) > 250
    assert {r.label for r in recs} <= set(LABELS)


def test_missing_model_raises_model_error(tmp_path: Path) -> None:
    from eventwire.learn.infer import DyadModel

    with pytest.raises(ModelError, match="missing dyad.onnx"):
        DyadModel.load(tmp_path)


@needs_model
def test_an_ensemble_folder_averages_its_members(tmp_path: Path) -> None:
    # dyad.onnx + dyad-2.onnx: one network read twice must answer exactly as the one network
    import shutil

    import numpy as np

    from eventwire.learn.infer import DyadModel, member_files

    first = member_files(MODEL_DIR)[0]
    for name in ("tokenizer.json", "labels.json"):
        shutil.copy(MODEL_DIR / name, tmp_path / name)
    shutil.copy(first, tmp_path / "dyad.onnx")
    shutil.copy(first, tmp_path / "dyad-2.onnx")
    pair = DyadModel.load(tmp_path)
    items = [_item("Chile imposed fresh sanctions on Peru.", "Chile", "Peru")]
    assert [f.name for f in pair.files] == ["dyad.onnx", "dyad-2.onnx"] and pair.info()["members"] == "2"
    (tmp_path / "dyad-2.onnx").unlink()
    one_net = DyadModel.load(tmp_path)
    assert np.allclose(pair.logits(items), one_net.logits(items), atol=1e-5)


@pytest.fixture(scope="module")
def model():
    from eventwire.learn.infer import DyadModel

    return DyadModel.load()


def _item(text: str, src: str, tgt: str | None) -> tuple[str, tuple[int, int], tuple[int, int] | None]:
    s = text.index(src)
    t = None if tgt is None else (text.index(tgt), text.index(tgt) + len(tgt))
    return text, (s, s + len(src)), t


@needs_model
def test_model_types_invented_sentences(model) -> None:
    cases = [
        ("Insurgents ambushed a Chadian army patrol near the town of Brackenford on Sunday.", "Insurgents", "a Chadian army patrol", "ASSAULT"),
        ("Police in Norvik arrested the opposition leader Tomas Brandt late on Friday.", "Police in Norvik", "Tomas Brandt", "COERCE"),
        ("Thousands of farmers marched on the agriculture ministry to protest the new land tax.", "Thousands of farmers", "the agriculture ministry", "PROTEST"),
        ("Peruvian President Elena Duarte met her Bolivian counterpart in the capital to discuss water rights.", "Peruvian President Elena Duarte", "her Bolivian counterpart", "CONSULT"),
        ("The European Union imposed fresh sanctions on Belarus over the crackdown.", "The European Union", "Belarus", "SANCTION"),
        ("Japan sent tents and medical supplies to flood-hit Bangladesh.", "Japan", "flood-hit Bangladesh", "AID"),
    ]
    preds = model.predict([_item(t, s, g) for t, s, g, _ in cases])
    got = [p for p, _ in preds]
    assert sum(g == c[3] for g, c in zip(got, cases)) >= 5, got
    assert all(0.0 < p <= 1.0 for _, p in preds)


@needs_model
def test_model_output_shape_and_order(model) -> None:
    text = "Ugandan troops shelled rebel positions, while Kenya hosted talks with Ethiopia."
    items = [_item(text, "Ugandan troops", "rebel positions"), _item(text, "Kenya", "Ethiopia"),
             _item("Rebels protested.", "Rebels", None)]
    preds = model.predict(items, batch_size=2)
    assert len(preds) == 3 and all(p[0] in LABELS for p in preds)
    assert model.predict([]) == []
    forced = model.predict(items, allow_none=False)
    assert all(p != "NONE" for p, _ in forced)


@needs_model
def test_model_negation_and_direction_are_none(model) -> None:
    shelled = "Ghanaian troops shelled rebel positions near Kell."
    items = [_item("Rebels did not attack the convoy of Tanzanian aid workers.", "Rebels", "the convoy of Tanzanian aid workers"),
             _item(shelled, "rebel positions", "Ghanaian troops"),
             _item(shelled, "Ghanaian troops", "rebel positions"),
             _item("Chile refused to extradite the former general to Argentina.", "Chile", "Argentina")]
    got = [p for p, _ in model.predict(items)]
    assert got == ["NONE", "NONE", "ASSAULT", "REJECT"]


def test_length_bucketed_batches_cover_all_examples() -> None:
    import random

    from eventwire.learn.train import _batches

    exs = list(Generator(3).generate(4))
    batches = _batches(exs, 8, random.Random(0))
    assert all(len(b) <= 8 for b in batches)
    assert sorted(e.text for b in batches for e in b) == sorted(e.text for e in exs)


@needs_model
def test_evaluate_model_on_invented_plv_file(model, tmp_path: Path) -> None:
    from eventwire.learn.evaluate import evaluate_model

    rows = [("<s>Rebels</s> ambushed <t>a police convoy</t> near Kell.", "ASSAULT"),
            ("<s>Kenya</s> released <t>12 Somali fishermen</t> on Monday.", "YIELD"),
            ("<s>Workers</s> went on strike on Friday.", "PROTEST")]
    tsv = tmp_path / "plv.tsv"
    tsv.write_text("marked_sentence\tgold_root\n" + "".join(f"{m}\t{g}\n" for m, g in rows))
    res = evaluate_model(model, tsv)
    assert res["n"] == 3 and res["accuracy"] >= 2 / 3
    assert set(res["per_type"]) == {"ASSAULT", "YIELD", "PROTEST"}
