"""Shared records of the sources package: what a source yields.

A source yields :class:`~eventwire.records.Article` objects, or a :class:`Rejected` record
for every input that cannot become an article (quarantine), so nothing is dropped silently.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeAlias

from ..config import Config
from ..errors import InputError
from ..records import Article


@dataclass(frozen=True, slots=True)
class Rejected:
    """An input that could not be read as an article, and why.

    ``source`` names the input precisely (a path, ``path:LINE`` for a JSONL line,
    ``path#OFFSET`` for a WARC record, ``url`` for a feed entry); ``reason`` is a short
    machine-readable tag (the ``InputError`` reasons of the read stage plus ``bad_json``,
    ``bad_record``, ``truncated``, ``malformed_warc``, ``not_a_feed``, ``not_html``,
    ``no_text``, ``fetch_failed``, ``forbidden_address``, ``coding_error``...).
    """

    source: str
    reason: str
    message: str

    @classmethod
    def from_error(cls, err: InputError) -> Rejected:
        """The quarantine record of an InputError raised by the read stage."""
        message = str(err)
        prefix = f"{err.source}: "
        message = message.removeprefix(prefix)
        return cls(err.source, err.reason, message)


Item: TypeAlias = Article | Rejected


@dataclass(frozen=True, slots=True)
class SourceOptions:
    """How sources are read: the article checks, and the limits of network fetching."""

    config: Config = field(default_factory=Config)
    #: Allow http(s) URLs that resolve to private, loopback or link-local addresses.
    allow_private: bool = False
    #: Seconds before a network request gives up.
    timeout: float = 10.0
    #: A feed or WARC container may hold many articles: its size limit is this many
    #: times ``Config.max_bytes``.
    container_factor: int = 10

    @property
    def max_container_bytes(self) -> int:
        return self.config.max_bytes * self.container_factor


def guarded(source: str, make: Callable[[], Article]) -> Item:
    """``make()``, or the Rejected record of the InputError it raises."""
    try:
        return make()
    except InputError as err:
        return Rejected.from_error(err)
