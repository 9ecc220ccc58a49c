"""RSS and Atom feeds (feedparser): one article per entry, from its content or summary."""

from __future__ import annotations

import calendar
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from typing import Any

from ..errors import InputError
from ..stages.read import read_text, sniff_binary
from .base import Item, Rejected, SourceOptions, guarded
from .html import fragment_text


def looks_like_feed(data: bytes) -> bool:
    """True when the first bytes look like RSS, Atom or RDF XML."""
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<rss", b"<feed", b"<rdf:rdf")) or (
        head.startswith(b"<?xml") and any(tag in head for tag in (b"<rss", b"<feed", b"<rdf"))
    )


def iter_feed(data: bytes, source: str, opts: SourceOptions) -> Iterator[Item]:
    """Articles of a feed's entries; a Rejected record for the feed or for each bad entry."""
    problem = _container_problem(data, source, opts)
    if problem is not None:
        yield problem
        return
    import feedparser

    parsed = feedparser.parse(data)
    if not parsed.get("version"):
        what = "an HTML page" if b"<html" in data[:4096].lower() else "not RSS or Atom"
        yield Rejected(
            source,
            "not_a_feed",
            f"is not an RSS or Atom feed ({what}); give a feed URL/file, or the page itself as .html",
        )
        return
    entries = parsed.get("entries") or []
    if not entries:
        yield Rejected(source, "no_entries", "the feed has no entries")
        return
    outlet = (parsed.get("feed") or {}).get("title") or None
    for i, entry in enumerate(entries):
        where = f"{source}#entry-{i}"
        yield guarded(where, lambda e=entry, w=where: _entry_article(e, w, outlet, opts))


def _container_problem(data: bytes, source: str, opts: SourceOptions) -> Rejected | None:
    if not data.strip():
        return Rejected(source, "empty", "the feed is empty")
    if len(data) > opts.max_container_bytes:
        return Rejected(
            source,
            "too_large",
            f"is {len(data):,} bytes, over the feed limit of {opts.max_container_bytes:,} bytes",
        )
    kind = sniff_binary(data)
    if kind is not None:
        return Rejected(source, "binary", f"looks like a binary file ({kind}), not a feed")
    return None


def _entry_article(entry: Any, where: str, outlet: str | None, opts: SourceOptions):  # type: ignore[no-untyped-def]
    title = (entry.get("title") or "").strip() or None
    body = fragment_text(_longest_body(entry))
    if not body:
        raise InputError(where, "no_text", "the feed entry has no content or summary")
    text = body if title is None or body.startswith(title) else f"{title}\n\n{body}"
    return read_text(
        text,
        where,
        opts.config,
        url=entry.get("link") or None,
        title=title,
        published=_entry_date(entry),
        outlet=outlet,
    )


def _longest_body(entry: Any) -> str:
    candidates = [c.get("value", "") for c in entry.get("content") or []]
    candidates.append(entry.get("summary") or "")
    return max(candidates, key=len)


def _entry_date(entry: Any) -> date | None:
    for key in ("published_parsed", "updated_parsed"):
        value = entry.get(key)
        if isinstance(value, time.struct_time):
            return datetime.fromtimestamp(calendar.timegm(value), tz=UTC).date()
    return None
