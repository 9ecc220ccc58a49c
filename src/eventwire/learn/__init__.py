"""Learned dyad event-type classifier: data generation, training, ONNX export, inference.

Inference (:mod:`eventwire.learn.infer`) needs only onnxruntime and tokenizers; training
(:mod:`eventwire.learn.train`, :mod:`eventwire.learn.export`) needs the ``train`` extra
(torch, transformers).
"""

from __future__ import annotations

LABELS: tuple[str, ...] = (
    "NONE", "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
