"""Export a fine-tuned classifier to ONNX and quantize it dynamically to int8."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

ONNX_NAME = "dyad.onnx"


def export_onnx(model: Any, tokenizer: Any, out_dir: Path, keep_fp32: bool = False) -> Path:
    """Write ``dyad.onnx`` (int8, dynamic per-channel quantization) and ``tokenizer.json`` into ``out_dir``.

    The graph takes ``input_ids``, ``attention_mask`` and ``token_type_ids`` (int64,
    [batch, seq]) and returns ``logits`` [batch, labels]. With ``keep_fp32`` the float
    model is kept as ``dyad.fp32.onnx`` for comparison.
    """
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic

    out_dir.mkdir(parents=True, exist_ok=True)
    enc = tokenizer(["@ A @ met # B # ."], return_tensors="pt")
    args = (enc["input_ids"], enc["attention_mask"], enc["token_type_ids"])
    axes = {n: {0: "batch", 1: "seq"} for n in ("input_ids", "attention_mask", "token_type_ids")}
    axes["logits"] = {0: "batch"}
    with tempfile.TemporaryDirectory() as tmp:
        fp32 = Path(tmp) / "fp32.onnx"
        with torch.no_grad():
            torch.onnx.export(model, args, str(fp32), input_names=list(axes)[:3], output_names=["logits"],
                              dynamic_axes=axes, opset_version=17, dynamo=False)
        quantize_dynamic(str(fp32), str(out_dir / ONNX_NAME), weight_type=QuantType.QInt8, per_channel=True)
        if keep_fp32:
            shutil.copy(fp32, out_dir / "dyad.fp32.onnx")
    tokenizer.backend_tokenizer.save(str(out_dir / "tokenizer.json"))
    return out_dir / ONNX_NAME
