"""Where articles come from: files, folders, JSON Lines, HTML, RSS/Atom feeds, WARC archives.

``iter_sources(["news/", "feed.xml", "crawl.warc.gz"])`` yields :class:`~eventwire.records.Article`
objects and, for every input that cannot become one, a :class:`Rejected` record with a reason —
nothing is dropped silently and no bad input raises. :mod:`eventwire.sources.dedupe` finds exact
and near-duplicate articles.

Kinds are chosen from the file name (``.txt``, ``.jsonl[.gz]``, ``.html``/``.htm``,
``.rss``/``.atom``/``.xml``, ``.warc[.gz]``) and, for an unrecognised name given explicitly,
from the first bytes. Folders are searched recursively for recognised names only. http(s)
URLs are fetched with a time-out and a size limit, and only from public addresses unless
``SourceOptions.allow_private``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from ..errors import InputError
from ..stages.read import read_bytes
from .base import Item, Rejected, SourceOptions, guarded
from .feeds import iter_feed, looks_like_feed
from .fetch import fetch, is_url
from .files import iter_file, kind_of, walk_folder
from .html import html_to_article

__all__ = [
    "Item",
    "Rejected",
    "SourceOptions",
    "iter_source",
    "iter_sources",
    "iter_url",
    "kind_of",
]


def iter_sources(sources: Iterable[str], opts: SourceOptions | None = None) -> Iterator[Item]:
    """The items of every source, in the order given."""
    options = opts or SourceOptions()
    for source in sources:
        yield from iter_source(source, options)


def iter_source(source: str, opts: SourceOptions | None = None) -> Iterator[Item]:
    """The items of one source: a URL, a folder (recursive) or a file."""
    options = opts or SourceOptions()
    if is_url(source):
        yield from iter_url(source, options)
        return
    path = Path(source)
    if path.is_dir():
        found = False
        for file in walk_folder(path):
            found = True
            yield from iter_file(file, options)
        if not found:
            yield Rejected(source, "no_inputs", "the folder holds no .txt, .jsonl, .html, feed or WARC files")
    elif not path.exists():
        yield Rejected(source, "not_found", "no such file or folder; check the path")
    else:
        yield from iter_file(path, options)


def iter_url(url: str, opts: SourceOptions) -> Iterator[Item]:
    """Fetch a URL and read it as a feed, an HTML page or a text by its content."""
    try:
        got = fetch(url, max_bytes=opts.max_container_bytes, timeout=opts.timeout, allow_private=opts.allow_private)
    except InputError as err:
        yield Rejected.from_error(err)
        return
    if any(t in got.content_type for t in ("rss", "atom")) or looks_like_feed(got.data):
        yield from iter_feed(got.data, url, opts)
    elif "html" in got.content_type or got.data[:1024].lstrip().lower().startswith((b"<!doctype html", b"<html")):
        yield guarded(url, lambda: html_to_article(got.data, url, opts, url=got.url))
    else:
        yield guarded(url, lambda: read_bytes(got.data, url, opts.config, url=got.url))
