"""Export a fine-tuned classifier to ONNX and quantize it dynamically to int8."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

ONNX_NAME = "dyad.onnx"


def export_onnx(model: Any, tokenizer: Any, out_dir: Path, keep_fp32: bool = False) -> Path:
    """Write ``dyad.onnx`` (int8, dynamic per-channel quantization) and ``tokenizer.json`` into ``out_dir``,
    removing ensemble members (``dyad-N.onnx``) an older model left there.

    The graph takes ``input_ids``, ``attention_mask`` and ``token_type_ids`` (int64,
    [batch, seq]) and returns ``logits`` [batch, labels]. With ``keep_fp32`` the float
    model is kept as ``dyad.fp32.onnx`` for comparison.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    for stale in out_dir.glob("dyad-*.onnx"):
        stale.unlink()  # ensemble members of an older model would be averaged with this one
    enc = tokenizer(["@ A @ met # B # ."], return_tensors="pt")
    args = (enc["input_ids"], enc["attention_mask"], enc["token_type_ids"])
    export_int8(model, args, {0: "batch"}, out_dir / ONNX_NAME,
                out_dir / "dyad.fp32.onnx" if keep_fp32 else None)
    tokenizer.backend_tokenizer.save(str(out_dir / "tokenizer.json"))
    return out_dir / ONNX_NAME


def export_int8(model: Any, args: tuple[Any, Any, Any], logits_axes: dict[int, str], out: Path,
                keep_fp32: Path | None = None) -> Path:
    """Export a BERT-style ``model`` (inputs ``input_ids``, ``attention_mask``,
    ``token_type_ids``: int64 [batch, seq]; output ``logits`` with ``logits_axes`` dynamic)
    to ONNX opset 17 and quantize it to int8 (dynamic, per channel) at ``out``.
    Per-tensor quantization agreed with fp32 on only 87 % of PLV answers; per channel keeps
    96-97 %. ``keep_fp32``: also copy the float graph there."""
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    axes = {n: {0: "batch", 1: "seq"} for n in ("input_ids", "attention_mask", "token_type_ids")}
    axes["logits"] = logits_axes
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "fp32.onnx"
        with torch.no_grad():
            torch.onnx.export(model, args, str(fp32), input_names=list(axes)[:3], output_names=["logits"],
                              dynamic_axes=axes, opset_version=17, dynamo=False)
        quantize_dynamic(str(fp32), str(out), weight_type=QuantType.QInt8, per_channel=True)
        if keep_fp32 is not None:
            shutil.copy(fp32, keep_fp32)
    return out
