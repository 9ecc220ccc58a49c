"""A small built-in sample of wire-style articles, written for eventwire (invented events).

Used by ``eventwire demo`` and by the tests. The people in them are fictional.
"""

from __future__ import annotations

import json
from datetime import date
from importlib import resources

from ..records import Article


def load_samples() -> list[Article]:
    lines = resources.files("eventwire").joinpath("samples/articles.jsonl").read_text("utf-8").splitlines()
    out = []
    for line in lines:
        if not line.strip():
            continue
        raw = json.loads(line)
        text = raw["title"] + "\n\n" + "\n\n".join(raw["paragraphs"])
        out.append(
            Article(
                id=raw["id"],
                text=text,
                title=raw["title"],
                published=date.fromisoformat(raw["published"]),
                outlet=raw["outlet"],
                source=f"sample:{raw['id']}",
            )
        )
    return out
