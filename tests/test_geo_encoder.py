"""Tests for the location encoder runtime (eventwire.learn.geo_encoder) and its ranker hook.

Invented sentences only. A tiny hand-built ONNX graph stands in for ``geo.onnx`` so the
runtime path (tokenizer, markers, offsets, scores, combination) is tested whether or not the
real model is shipped; the shipped model, when present, gets its own smoke test.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from eventwire.errors import ModelError
from eventwire.learn.geo_encoder import (
    FORMAT,
    MODEL_DIR,
    ONNX_NAME,
    SIDECAR_NAME,
    TOKENIZER_NAME,
    GeoEncoder,
    load_geo_encoder,
    mark_verb,
    piece_mask,
    span_scores,
    unmark_offsets,
)
from eventwire.learn_geo import LearnedLocationChooser, build_input, load_location_model
from eventwire.stages.place import LocationChooser, load_gazetteer

SENTENCE = "Rebels attacked a convoy near Velmora on Sunday."
VERB = (7, 15)  # "attacked"
PLACE = (30, 37)  # "Velmora"


def test_mark_verb_wraps_the_verb():
    assert mark_verb(SENTENCE, VERB) == "Rebels [ attacked ] a convoy near Velmora on Sunday."
    with pytest.raises(ValueError):
        mark_verb("short", (2, 40))


def test_unmark_offsets_maps_back_and_drops_markers():
    marked = mark_verb(SENTENCE, VERB)
    # hand-made "pieces" of the marked text: Rebels, [, attacked, ], Velmora, special (0, 0)
    pieces = [(0, 6), (7, 8), (9, 17), (18, 19), (marked.index("Velmora"), marked.index("Velmora") + 7), (0, 0)]
    got = unmark_offsets(pieces, VERB).tolist()
    assert got == [[0, 6], [-1, -1], [7, 15], [-1, -1], [30, 37], [-1, -1]]
    assert SENTENCE[30:37] == "Velmora"


def test_piece_mask_overlap():
    offs = np.array([[-1, -1], [0, 6], [30, 33], [33, 37], [38, 40]])
    assert piece_mask(offs, PLACE).tolist() == [False, False, True, True, False]


def test_span_scores_is_the_independent_piece_likelihood():
    inside = np.array([0.0, -3.0, 2.0, 1.5, -4.0])
    offs = np.array([[-1, -1], [0, 6], [30, 33], [33, 37], [38, 40]])
    none_logit = -1.0
    s_place, s_none, s_rebels, s_far = span_scores(inside, none_logit, offs, [PLACE, None, (0, 6), (90, 95)])
    p_none = 1 / (1 + math.exp(1.0))
    assert s_none == pytest.approx(math.log(p_none))
    assert s_place == pytest.approx(math.log(1 - p_none) + 3.5)
    assert s_rebels == pytest.approx(math.log(1 - p_none) - 3.0)
    assert s_far < s_rebels  # a span with no surviving piece gets the missing-piece penalty


def test_missing_model_gives_none(tmp_path):
    assert load_geo_encoder(tmp_path) is None
    with pytest.raises(ModelError):
        GeoEncoder.load(tmp_path)


# --------------------------------------------------------------------------- a stand-in model


def _tiny_model(dirpath: Path, place_ids: list[int], none_logit: float = -2.0) -> None:
    """An ONNX graph mapping each input id to (inside, none) logits through a lookup table:
    pieces in ``place_ids`` get inside +4, others -4; [CLS] (id 101) carries ``none_logit``."""
    onnx = pytest.importorskip("onnx")
    from onnx import TensorProto, helper, numpy_helper

    table = np.full((30522, 2), -4.0, dtype=np.float32)
    table[place_ids, 0] = 4.0
    table[101, 1] = none_logit
    nodes = [helper.make_node("Gather", ["table", "input_ids"], ["g"], axis=0),
             helper.make_node("Cast", ["attention_mask"], ["m"], to=TensorProto.FLOAT),
             helper.make_node("Cast", ["token_type_ids"], ["t"], to=TensorProto.FLOAT),
             helper.make_node("Add", ["m", "t"], ["mt"]),
             helper.make_node("Unsqueeze", ["mt", "axis"], ["mt3"]),
             helper.make_node("Mul", ["g", "mt3"], ["logits"])]
    ins = [helper.make_tensor_value_info(n, TensorProto.INT64, ["batch", "seq"])
           for n in ("input_ids", "attention_mask", "token_type_ids")]
    out = helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", "seq", 2])
    inits = [numpy_helper.from_array(table, "table"), numpy_helper.from_array(np.array([2], dtype=np.int64), "axis")]
    graph = helper.make_graph(nodes, "tiny_geo", ins, [out], inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.save(model, str(dirpath / ONNX_NAME))
    (dirpath / TOKENIZER_NAME).write_bytes((MODEL_DIR / TOKENIZER_NAME).read_bytes())
    meta = {"format": FORMAT, "markers": ["[ ", " ]"], "max_len": 128, "weight": 10.0, "none_bias": 0.0}
    (dirpath / SIDECAR_NAME).write_text(json.dumps(meta), encoding="utf-8")


def _ids(word: str) -> list[int]:
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(MODEL_DIR / TOKENIZER_NAME))
    return [i for i in tok.encode(word, add_special_tokens=False).ids]


@pytest.fixture(scope="module")
def tiny_encoder(tmp_path_factory: Any) -> GeoEncoder:
    d = tmp_path_factory.mktemp("tinygeo")
    _tiny_model(d, _ids("Velmora") + _ids("Tarvik"))
    return GeoEncoder.load(d)


def test_runtime_scores_prefer_the_marked_pieces(tiny_encoder):
    out = tiny_encoder.encode(SENTENCE, VERB)
    assert out.offsets.shape == (len(out.inside), 2)
    s_place, s_none, s_rebels = out.scores([PLACE, None, (0, 6)])
    assert s_place > s_none > s_rebels
    bonus = tiny_encoder.combined_bonus(SENTENCE, VERB, [PLACE, None])
    assert bonus == pytest.approx([10.0 * s_place, 10.0 * s_none])
    assert tiny_encoder.info()["path"] is not None


def test_check_sha_rejects_a_mismatch(tiny_encoder):
    with pytest.raises(ModelError):
        GeoEncoder.load(tiny_encoder.path, check_sha=True)


# --------------------------------------------------------------------------- the ranker hook


@pytest.fixture(scope="module")
def ranker_parts(nlp: Any) -> tuple[Any, LocationChooser]:
    model = load_location_model()
    if model is None:
        pytest.skip("location_model.json not shipped")
    return model, LocationChooser()


def test_hook_absent_keeps_the_ranker_answer(nlp, ranker_parts):
    model, chooser = ranker_parts
    doc = nlp("Gunmen stormed a bank in Tarvik after fleeing Velmora on Monday.")
    verb = doc[1]
    plain = LearnedLocationChooser(model, chooser)
    assert plain.encoder is None
    item = build_input(doc, verb, chooser, load_gazetteer())
    best, prob = model.choose(item)
    span, how = plain.choose(doc, verb)
    assert span == (None if best.is_none else (best.start, best.end))
    assert f"p={prob:.2f}" in how


def test_hook_present_adds_the_encoder_bonus(nlp, ranker_parts, tiny_encoder):
    model, chooser = ranker_parts
    text = "Gunmen stormed a bank in Tarvik after fleeing Velmora on Monday."
    doc = nlp(text)
    verb = doc[1]
    # a stand-in that only knows "Velmora", with a large weight, must pull the choice there
    d = Path(tiny_encoder.path).parent / "velmora_only"
    d.mkdir(exist_ok=True)
    _tiny_model(d, _ids("Velmora"))
    enc = GeoEncoder.load(d)
    plain, _ = LearnedLocationChooser(model, chooser).choose(doc, verb)
    assert plain is None or text[plain[0]:plain[1]] != "Velmora"  # the ranker alone says otherwise
    span, _ = LearnedLocationChooser(model, chooser, encoder=enc).choose(doc, verb)
    assert span is not None and text[span[0]:span[1]] == "Velmora"


def test_hook_on_a_sentence_span_uses_sentence_offsets(nlp, ranker_parts):
    model, chooser = ranker_parts
    doc = nlp("The talks ended. Rebels attacked a convoy near Velmora on Sunday.")
    sent = list(doc.sents)[-1]
    verb = next(t for t in sent if t.text == "attacked")
    seen: dict[str, Any] = {}

    class Spy:
        def combined_bonus(self, text: str, verb_span: tuple[int, int], spans: list[Any]) -> list[float]:
            seen.update(text=text, verb=verb_span, spans=spans)
            return [0.0] * len(spans)

    plain, _ = LearnedLocationChooser(model, chooser).choose(sent, verb)
    hooked, _ = LearnedLocationChooser(model, chooser, encoder=Spy()).choose(sent, verb)
    assert plain == hooked  # a zero bonus changes nothing
    assert seen["text"][seen["verb"][0]:seen["verb"][1]] == "attacked"
    assert seen["spans"][-1] is None
    assert all(seen["text"][s:e].strip() for s, e in (x for x in seen["spans"] if x is not None))


# --------------------------------------------------------------------------- the shipped model


@pytest.mark.skipif(not (MODEL_DIR / ONNX_NAME).is_file(), reason="geo.onnx not shipped")
def test_shipped_model_loads_and_prefers_the_event_place():
    enc = GeoEncoder.load(check_sha=True)
    s_place, s_none, s_rebels = enc.scores(SENTENCE, VERB, [PLACE, None, (0, 6)])
    assert s_place > s_rebels
    assert s_place > s_none
