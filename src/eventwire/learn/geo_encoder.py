"""A small fine-tuned encoder that scores an event's LOCATION candidates (int8 ONNX).

One (sentence, verb) pair is one encoder pass: the verb is wrapped in plain-text markers
(``[ … ]`` by default, see :func:`mark_verb`) and the MiniLM-L6 encoder gives, for every word
piece, a logit "this piece is inside the event's location" and, at ``[CLS]``, a logit "the
event has no location". Treating pieces as independent, the log-likelihood of "the location is
exactly candidate *c*" relative to "no piece is inside" is

    score(c)    = log(1 - p_none) + sum of the inside logits of c's pieces
    score(NONE) = log p_none

(:func:`span_scores`). :class:`eventwire.learn_geo.LearnedLocationChooser` adds
``weight · score`` (and ``none_bias`` on NONE) to the linear ranker's scores; ``weight`` and
``none_bias`` were chosen by cross-validation (``scripts/train_geo_encoder.py``) and are read
from the sidecar ``geo.json``.

Run time needs onnxruntime, tokenizers and numpy only. The tokenizer is the project's shared
``models/tokenizer.json`` (the same MiniLM WordPiece vocabulary as ``dyad.onnx``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ModelError
from .infer import onnx_session

MODEL_DIR = Path(__file__).resolve().parents[1] / "models"
ONNX_NAME = "geo.onnx"
SIDECAR_NAME = "geo.json"
TOKENIZER_NAME = "tokenizer.json"
FORMAT = "eventwire-geo-encoder/1"
MARK_OPEN, MARK_CLOSE = "[ ", " ]"
MAX_LEN = 128
#: Inside-logit given to a candidate none of whose pieces survived truncation.
MISSING_LOGIT = -8.0

CharSpan = tuple[int, int]


def mark_verb(text: str, verb: CharSpan, open_: str = MARK_OPEN, close: str = MARK_CLOSE) -> str:
    """``text`` with the verb wrapped in the plain-text markers: ``... was [ shot ] in ...``."""
    start, end = verb
    if not 0 <= start <= end <= len(text):
        raise ValueError(f"verb span {verb} outside text of length {len(text)}")
    return text[:start] + open_ + text[start:end] + close + text[end:]


def unmark_offsets(offsets: Sequence[tuple[int, int]], verb: CharSpan, open_: str = MARK_OPEN,
                   close: str = MARK_CLOSE) -> np.ndarray:
    """Map piece offsets in the marked text back to the original text ([n, 2] int array).

    Pieces of the markers themselves (and special tokens, offsets (0, 0)) get (-1, -1).
    """
    start, end = verb
    a, b = start + len(open_), end + len(open_)  # verb inside the marked text
    out = np.full((len(offsets), 2), -1, dtype=np.int64)
    for k, (s, e) in enumerate(offsets):
        if e <= s:
            continue
        if e <= start:
            out[k] = (s, e)
        elif s >= a and e <= b:
            out[k] = (s - len(open_), e - len(open_))
        elif s >= b + len(close):
            out[k] = (s - len(open_) - len(close), e - len(open_) - len(close))
    return out


def piece_mask(offsets: np.ndarray, span: CharSpan) -> np.ndarray:
    """Boolean mask of the pieces (original-text offsets) overlapping ``span``."""
    s, e = span
    return (offsets[:, 0] >= 0) & (offsets[:, 0] < e) & (offsets[:, 1] > s)


def log_sigmoid(x: float) -> float:
    """log(1 / (1 + exp(-x))), stable for large |x|."""
    return -float(np.logaddexp(0.0, -x))


def span_scores(inside: np.ndarray, none_logit: float, offsets: np.ndarray,
                spans: Sequence[CharSpan | None]) -> list[float]:
    """The encoder score of each candidate (None = NONE); see the module docstring."""
    some = log_sigmoid(-none_logit)
    out: list[float] = []
    for span in spans:
        if span is None:
            out.append(log_sigmoid(none_logit))
            continue
        mask = piece_mask(offsets, span)
        out.append(some + (float(inside[mask].sum()) if mask.any() else MISSING_LOGIT))
    return out


@dataclass(slots=True)
class PairOutput:
    """Encoder output for one (sentence, verb): per-piece inside logits, NONE logit, offsets."""

    inside: np.ndarray
    none_logit: float
    offsets: np.ndarray

    def scores(self, spans: Sequence[CharSpan | None]) -> list[float]:
        """Encoder scores of candidate spans (None = NONE), in the sentence's coordinates."""
        return span_scores(self.inside, self.none_logit, self.offsets, spans)


class GeoEncoder:
    """The shipped ``geo.onnx`` with its sidecar (markers, combination weight, sha256)."""

    def __init__(self, session: Any, tokenizer: Any, meta: dict[str, Any], path: Path | None = None) -> None:
        self._session = session
        self._tok = tokenizer
        self.meta = meta
        self.path = path
        self.weight = float(meta.get("weight", 1.0))
        self.none_bias = float(meta.get("none_bias", 0.0))
        markers = meta.get("markers", [MARK_OPEN, MARK_CLOSE])
        self.markers = (str(markers[0]), str(markers[1]))

    @classmethod
    def load(cls, path: Path | None = None, threads: int = 1, check_sha: bool = False) -> GeoEncoder:
        """Load ``geo.onnx`` and ``geo.json`` from ``path`` (default: the packaged models folder)
        and ``tokenizer.json`` from ``path`` when there, else the packaged shared one.

        Raises :class:`~eventwire.errors.ModelError` when a file or runtime package is missing,
        or (with ``check_sha``) when the ONNX file does not match the sidecar's sha256.
        """
        d = Path(path) if path is not None else MODEL_DIR
        tokenizer = d / TOKENIZER_NAME if (d / TOKENIZER_NAME).is_file() else MODEL_DIR / TOKENIZER_NAME
        files = [d / ONNX_NAME, d / SIDECAR_NAME, tokenizer]
        missing = [f.name for f in files if not f.is_file()]
        if missing:
            raise ModelError(f"geo encoder incomplete in {d}: missing {', '.join(missing)}")
        try:
            meta = json.loads(files[1].read_text(encoding="utf-8"))
        except ValueError as exc:
            raise ModelError(f"{files[1]}: not valid JSON ({exc})") from None
        if meta.get("format") != FORMAT:
            raise ModelError(f"{files[1]}: not a {FORMAT} sidecar")
        if check_sha and meta.get("sha256") != hashlib.sha256(files[0].read_bytes()).hexdigest():
            raise ModelError(f"{files[0]}: sha256 does not match {files[1].name}")
        session, tok = onnx_session(files[0], files[2], threads, "geo encoder")
        tok.no_padding()
        tok.enable_truncation(int(meta.get("max_len", MAX_LEN)))
        return cls(session, tok, meta, d)

    def info(self) -> dict[str, str | None]:
        """Which model this is, for a run's record: path and sha256 prefix (from the sidecar)."""
        sha = self.meta.get("sha256")
        return {"path": str(self.path) if self.path else None, "sha256": sha[:16] if sha else None}

    def encode(self, text: str, verb: CharSpan) -> PairOutput:
        """Run the encoder once for the verb at ``verb`` (character offsets into ``text``)."""
        enc = self._tok.encode(mark_verb(text, verb, *self.markers))
        feeds = {
            "input_ids": np.array([enc.ids], dtype=np.int64),
            "attention_mask": np.array([enc.attention_mask], dtype=np.int64),
            "token_type_ids": np.array([enc.type_ids], dtype=np.int64),
        }
        logits = self._session.run(["logits"], feeds)[0][0]  # [seq, 2]: inside, none
        offsets = unmark_offsets(enc.offsets, verb, *self.markers)
        return PairOutput(logits[:, 0].astype(np.float64), float(logits[0, 1]), offsets)

    def scores(self, text: str, verb: CharSpan, spans: Sequence[CharSpan | None]) -> list[float]:
        """Encoder scores of candidate spans (None = NONE) for the verb at ``verb``."""
        return self.encode(text, verb).scores(spans)

    def combined_bonus(self, text: str, verb: CharSpan, spans: Sequence[CharSpan | None]) -> list[float]:
        """What to add to the ranker's scores: ``weight · score`` (+ ``none_bias`` on NONE)."""
        raw = self.scores(text, verb, spans)
        return [self.weight * s + (self.none_bias if span is None else 0.0) for s, span in zip(raw, spans)]


@lru_cache(maxsize=2)
def load_geo_encoder(path: Path | None = None) -> GeoEncoder | None:
    """The packaged encoder on one thread (loaded once), or None when ``geo.onnx`` (or its
    runtime) is absent."""
    try:
        return GeoEncoder.load(path, threads=1)
    except ModelError:
        return None
