"""The Python API. The CLI is a thin skin over these functions.

>>> from eventwire.api import code_text
>>> events = code_text("Peru's navy attacked a Chilean ship on Monday.", published="2024-03-06")
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from .config import Config, load_config
from .pipeline import get_pipeline
from .records import Article, Document, Event
from .stages import read


def _as_date(value: date | str | None) -> date | None:
    if value is None or isinstance(value, date):
        return value
    from .errors import ConfigError

    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ConfigError(f"publication date {value!r} is not YYYY-MM-DD, e.g. 2024-03-06") from None


def code_document(article: Article, config: Config | None = None) -> Document:
    """Run every stage on one article; the Document keeps the parse and the actors.

    With an actor memory configured, what the article taught is saved at once."""
    pipe = get_pipeline(config)
    document = pipe.process(article)
    if pipe.actors.memory is not None:
        pipe.actors.memory.save()
    return document


def code_text(
    text: str,
    *,
    published: date | str | None = None,
    outlet: str | None = None,
    title: str | None = None,
    config: Config | None = None,
    **settings: Any,
) -> list[Event]:
    """Events of one text."""
    cfg = config or load_config(**settings)
    art = read.read_text(text, "<text>", cfg, published=_as_date(published), outlet=outlet, title=title)
    return code_document(art, cfg).events


def code_file(
    path: str | Path,
    *,
    published: date | str | None = None,
    outlet: str | None = None,
    config: Config | None = None,
    **settings: Any,
) -> list[Event]:
    """Events of one file ("-" reads standard input)."""
    cfg = config or load_config(**settings)
    art = read.read_path(str(path), cfg, published=_as_date(published), outlet=outlet)
    return code_document(art, cfg).events
