"""Tests for evaluate/attribution.py: brat parsing, token scoring, and a run on PolNeAR."""

from __future__ import annotations

from pathlib import Path

import pytest

from eventwire.errors import EvalError
from eventwire.evaluate.attribution import (
    RoleCounts,
    evaluate_attribution,
    load_polnear,
    parse_ann,
    token_labels,
)

SHARED = Path(__file__).resolve().parents[2] / "shared"
POLNEAR_DEV = SHARED / "eval" / "polnear" / "dev"

TEXT = "Edda Villiers said that the bridge would reopen. Rain fell."
ANN = (
    "T1\tSource 0 13\tEdda Villiers\n"
    "T2\tCue 14 18\tsaid\n"
    "T3\tContent 19 47\tthat the bridge would reopen\n"
    "T4\tAttribution 14 18\tsaid\n"
    "E1\tAttribution:T4 Content:T3 Cue:T2 Source:T1\n"
    "T5\tDiscuss 49 58\tRain fell\n"
    "#1\tAnnotatorNotes T5\ta note\n"
)


def make_folder(root: Path) -> Path:
    (root / "text").mkdir(parents=True)
    (root / "attributions").mkdir()
    (root / "text" / "villiers.txt").write_text(TEXT, encoding="utf-8")
    (root / "attributions" / "villiers_ab12.ann").write_text(ANN, encoding="utf-8")
    (root / "attributions" / "villiers_zz99.ann").write_text("", encoding="utf-8")  # second annotator: ignored
    (root / "text" / "unannotated.txt").write_text("No annotations here.", encoding="utf-8")
    return root


def test_parse_ann_roles_and_discontinuous_spans() -> None:
    spans = parse_ann(ANN + "T6\tContent 0 4;10 13\tEdda ars\n")
    assert spans["source"] == [(0, 13)]
    assert spans["cue"] == [(14, 18)]
    assert spans["content"] == [(19, 47), (0, 4), (10, 13)]


def test_parse_ann_bad_offsets() -> None:
    with pytest.raises(EvalError):
        parse_ann("T1\tCue 4 x\tsaid\n")


def test_token_labels_by_token_start() -> None:
    starts = [0, 5, 14, 19, 24]
    assert token_labels(starts, [(14, 18)]) == [False, False, True, False, False]
    assert token_labels(starts, [(3, 20)]) == [False, True, True, True, False]
    assert token_labels(starts, []) == [False] * 5


def test_role_counts_f1() -> None:
    c = RoleCounts()
    c.add([True, True, False, False], [True, False, True, False])
    assert (c.tp, c.fp, c.fn) == (1, 1, 1)
    assert c.f1 == pytest.approx(0.5)
    assert RoleCounts().f1 == 1.0


def test_role_counts_precision_and_recall() -> None:
    c = RoleCounts()
    c.add([True, True, True, False], [True, False, False, True])
    assert c.precision == pytest.approx(0.5)
    assert c.recall == pytest.approx(1 / 3)
    assert RoleCounts().precision == 1.0 and RoleCounts().recall == 1.0


def test_load_polnear_picks_first_annotator(tmp_path: Path) -> None:
    docs = load_polnear(make_folder(tmp_path / "pn"))
    assert [d.name for d in docs] == ["villiers"]
    assert docs[0].spans["cue"] == [(14, 18)]


def test_load_polnear_errors(tmp_path: Path) -> None:
    with pytest.raises(EvalError):
        load_polnear(tmp_path)
    (tmp_path / "text").mkdir()
    (tmp_path / "attributions").mkdir()
    with pytest.raises(EvalError):
        load_polnear(tmp_path)


def test_evaluate_on_invented_folder(tmp_path: Path) -> None:
    result = evaluate_attribution(make_folder(tmp_path / "pn"))
    assert result["n"] == 1
    assert result["source_f1"] == 1.0
    assert result["cue_f1"] == 1.0
    assert result["content_f1"] == 1.0
    assert result["cue_p"] == 1.0 and result["cue_r"] == 1.0


@pytest.mark.skipif(not POLNEAR_DEV.is_dir(), reason="../shared/eval/polnear/dev is not present")
def test_polnear_dev_sample() -> None:
    result = evaluate_attribution(POLNEAR_DEV, limit=8)
    assert result["n"] == 8
    assert result["source_f1"] > 0.5
    assert result["cue_f1"] > 0.4
    assert result["content_f1"] > 0.35
