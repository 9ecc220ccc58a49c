"""Inference with the shipped int8 ONNX dyad classifier (onnxruntime + tokenizers only)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from ..errors import ModelError
from .markup import Span, mark

MODEL_DIR = Path(__file__).resolve().parents[1] / "models"
MAX_LEN = 128
Item = tuple[str, Span, Span | None]


def onnx_session(model: Path, tokenizer: Path, threads: int, what: str) -> tuple[object, object]:
    """An onnxruntime CPU session for ``model`` on ``threads`` threads, and the tokenizer in
    ``tokenizer``. Raises :class:`~eventwire.errors.ModelError` (naming ``what``) when a runtime
    package is missing or a file does not load."""
    try:
        import onnxruntime as ort
        from tokenizers import Tokenizer
    except ImportError as exc:
        raise ModelError(f"the {what} needs onnxruntime and tokenizers ({exc.name} is missing)") from None
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    try:
        session = ort.InferenceSession(str(model), sess_options=opts, providers=["CPUExecutionProvider"])
        tok = Tokenizer.from_file(str(tokenizer))
    except Exception as exc:  # noqa: BLE001 - any load failure is a model problem for the user
        raise ModelError(f"cannot load the {what} from {model.parent}: {exc}") from None
    return session, tok


def member_files(d: Path) -> list[Path]:
    """The dyad model's member networks in folder ``d``: ``dyad.onnx`` and, for an ensemble,
    ``dyad-2.onnx``, ``dyad-3.onnx`` ... (same tokenizer and labels; their logits are averaged)."""
    extra = sorted(d.glob("dyad-*.onnx"), key=lambda p: (len(p.name), p.name))
    return [d / "dyad.onnx", *extra]


class DyadModel:
    """PLOVER 2.0 event type (or NONE) of an (actor, recipient) pair in a sentence; one network
    or an ensemble of networks whose logits are averaged."""

    def __init__(self, session: object | Sequence[object], tokenizer: object, labels: list[str],
                 path: Path | None = None, files: Sequence[Path] = ()) -> None:
        self._sessions = list(session) if isinstance(session, (list, tuple)) else [session]
        self._tok = tokenizer
        self.labels = labels
        self.path = path
        self.files = list(files)

    def info(self) -> dict[str, str | None]:
        """Which model this is, for a run's record: folder, and a sha256 prefix of its weights
        (of all member files, in order, for an ensemble)."""
        if self.path is None:
            return {"path": None, "sha256": None}
        import hashlib

        h = hashlib.sha256()
        for f in self.files or [self.path / "dyad.onnx"]:
            h.update(f.read_bytes())
        return {"path": str(self.path), "sha256": h.hexdigest()[:16], "members": str(len(self._sessions))}

    @classmethod
    def load(cls, path: Path | None = None, threads: int = 1) -> DyadModel:
        """Load ``dyad.onnx`` (and any ``dyad-N.onnx`` ensemble members), ``tokenizer.json``
        and ``labels.json`` from ``path``.

        ``path`` defaults to the model packaged in ``eventwire/models``. Raises
        :class:`~eventwire.errors.ModelError` when a file or a runtime package is missing.
        """
        d = Path(path) if path is not None else MODEL_DIR
        files = [d / "dyad.onnx", d / "tokenizer.json", d / "labels.json"]
        missing = [f.name for f in files if not f.is_file()]
        if missing:
            raise ModelError(f"dyad model incomplete in {d}: missing {', '.join(missing)}; "
                             "reinstall eventwire or train one with `eventwire train DATA.jsonl --out DIR`")
        members = member_files(d)
        sessions = []
        for m in members:
            session, tok = onnx_session(m, files[1], threads, "dyad model")
            sessions.append(session)
        try:
            labels = json.loads(files[2].read_text(encoding="utf-8"))
        except ValueError as exc:
            raise ModelError(f"cannot load dyad model from {d}: {exc}") from None
        tok.enable_truncation(MAX_LEN)
        tok.enable_padding(pad_id=0, pad_token="[PAD]")
        return cls(sessions, tok, list(labels), d, members)

    def logits(self, items: Sequence[Item], batch_size: int = 32) -> np.ndarray:
        """Raw logits [n, labels] for ``(text, source, target)`` items."""
        out: list[np.ndarray] = []
        order = sorted(range(len(items)), key=lambda i: len(items[i][0]))
        for b in range(0, len(order), batch_size):
            idx = order[b:b + batch_size]
            encs = self._tok.encode_batch([mark(*items[i]) for i in idx])  # type: ignore[attr-defined]
            feeds = {
                "input_ids": np.array([e.ids for e in encs], dtype=np.int64),
                "attention_mask": np.array([e.attention_mask for e in encs], dtype=np.int64),
                "token_type_ids": np.array([e.type_ids for e in encs], dtype=np.int64),
            }
            runs = [sess.run(["logits"], feeds)[0] for sess in self._sessions]  # type: ignore[attr-defined]
            out.append(runs[0] if len(runs) == 1 else np.mean(runs, axis=0))
        if not out:
            return np.zeros((0, len(self.labels)), dtype=np.float32)
        stacked = np.concatenate(out)
        result = np.empty_like(stacked)
        result[np.array(order)] = stacked
        return result

    def predict(self, items: Sequence[Item], batch_size: int = 32, allow_none: bool = True,
                prior: Sequence[str | None] | None = None, weight: float = 0.0) -> list[tuple[str, float]]:
        """``(type or "NONE", probability)`` per item; a target of None is an implicit recipient.

        With ``allow_none=False`` the best event type is returned even when NONE scores
        higher (use when the pair is known to carry an event); its probability is renormalised
        over the event types. ``prior`` names, per item, a type another coder found (or None);
        its logit gets ``weight`` added (a product of the two experts' opinions).
        """
        lg = self.logits(items, batch_size)
        if prior is not None and weight:
            for i, t in enumerate(prior):
                if t is not None and t in self.labels:
                    lg[i, self.labels.index(t)] += weight
        if not allow_none and "NONE" in self.labels:
            lg[:, self.labels.index("NONE")] = -np.inf
        p = np.exp(lg - lg.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        best = p.argmax(axis=1)
        return [(self.labels[k], float(p[i, k])) for i, k in enumerate(best)]


def load_dyad_model() -> DyadModel | None:
    """The packaged model on one thread, or None when its files or runtime are missing
    (callers then fall back to the lexicon patterns)."""
    try:
        return DyadModel.load(threads=1)
    except ModelError:
        return None
