"""Local inputs: text files, folders, JSON Lines, HTML pages; and the dispatch by kind."""

from __future__ import annotations

import json
import os
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

from ..stages.read import read_path, read_text
from .base import Item, Rejected, SourceOptions, guarded
from .html import html_to_article

Kind = Literal["text", "jsonl", "html", "feed", "warc"]

#: File name endings -> kind, longest first. Folders are searched for these endings only.
SUFFIXES: tuple[tuple[str, Kind], ...] = (
    (".warc.gz", "warc"),
    (".jsonl.gz", "jsonl"),
    (".ndjson.gz", "jsonl"),
    (".warc", "warc"),
    (".jsonl", "jsonl"),
    (".ndjson", "jsonl"),
    (".html", "html"),
    (".htm", "html"),
    (".rss", "feed"),
    (".atom", "feed"),
    (".xml", "feed"),
    (".txt", "text"),
)
JSONL_FIELDS = ("id", "url", "published", "outlet", "byline", "title")


def kind_of(path: Path) -> Kind | None:
    """The kind of a file from its name, or None when the name is not recognised."""
    name = path.name.lower()
    for suffix, kind in SUFFIXES:
        if name.endswith(suffix):
            return kind
    return None


def sniff_kind(path: Path) -> Kind:
    """The kind of a file with an unrecognised name, from its first bytes (text by default)."""
    from .feeds import looks_like_feed

    try:
        with path.open("rb") as fh:
            head = fh.read(2048)
    except OSError:
        return "text"  # read_path reports the error
    low = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if low.startswith(b"warc/"):
        return "warc"
    if looks_like_feed(head):
        return "feed"
    if low.startswith((b"<!doctype html", b"<html")):
        return "html"
    return "text"


def walk_folder(folder: Path) -> Iterator[Path]:
    """Files of recognised kinds under ``folder``, recursively, in sorted order.

    Hidden files and sidecar metadata (``*.meta.json``, ``meta.json``) are not inputs.
    """
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(root) / name
            if not name.startswith(".") and kind_of(path) is not None:
                yield path


def iter_file(path: Path, opts: SourceOptions) -> Iterator[Item]:
    """The items of one local file, by kind (name first, then content)."""
    kind = kind_of(path) or sniff_kind(path)
    if kind == "text":
        yield guarded(str(path), lambda: read_path(str(path), opts.config))
    elif kind == "jsonl":
        yield from iter_jsonl(path, opts)
    elif kind == "html":
        yield from _iter_html_file(path, opts)
    elif kind == "feed":
        from .feeds import iter_feed

        data = _read_container(path, opts)
        yield from (iter_feed(data, str(path), opts) if isinstance(data, bytes) else (data,))
    else:
        from .warc import iter_warc

        yield from iter_warc(path, opts)


def iter_jsonl(path: Path, opts: SourceOptions) -> Iterator[Item]:
    """One article per line: a JSON object with ``text`` and optional id, title, url,
    published, outlet, byline. Blank lines are skipped; every other bad line is Rejected.
    A ``.gz`` file that is cut short still gives its complete lines, then a Rejected record."""
    lineno = 0
    try:
        for lineno, line in _limited_lines(_chunks(path), 2 * opts.config.max_bytes + 1024):
            if line is None or line.strip():
                yield _jsonl_item(line, f"{path}:{lineno}", opts)
    except FileNotFoundError:
        yield Rejected(str(path), "not_found", "no such file; check the path")
    except (EOFError, zlib.error) as err:
        yield Rejected(
            f"{path}:{lineno + 1}",
            "truncated",
            f"the compressed file is cut or corrupted ({err}); the lines before it were read",
        )
    except OSError as err:
        yield Rejected(str(path), "unreadable", f"cannot read it ({err.strerror or err})")


def _jsonl_item(line: bytes | None, where: str, opts: SourceOptions) -> Item:
    if line is None:
        return Rejected(where, "too_large", f"the line is over {opts.config.max_bytes:,} bytes")
    try:
        raw = json.loads(line.decode("utf-8"))
    except UnicodeDecodeError as err:
        return Rejected(where, "encoding", f"the line is not valid UTF-8 ({err.reason})")
    except json.JSONDecodeError as err:
        return Rejected(where, "bad_json", f"the line is not valid JSON ({err.msg} at column {err.colno})")
    if not isinstance(raw, dict) or not isinstance(raw.get("text"), str):
        return Rejected(where, "bad_record", 'the line must be a JSON object with a string "text"')
    meta: dict[str, Any] = {}
    for key in JSONL_FIELDS:
        value = raw.get(key)
        if value in (None, ""):
            continue
        if not isinstance(value, str):
            return Rejected(where, "bad_record", f'field "{key}" must be a string')
        meta[key] = value
    return guarded(where, lambda: read_text(raw["text"], where, opts.config, **meta))


def _limited_lines(chunks: Iterator[bytes], limit: int) -> Iterator[tuple[int, bytes | None]]:
    """(line number, line) pairs from byte chunks; None for a line longer than ``limit``
    (which is skipped without being kept in memory)."""
    lineno = 0
    buf = b""
    skipping = False
    for chunk in chunks:
        buf += chunk
        while True:
            cut = buf.find(b"\n")
            if cut < 0:
                break
            line, buf = buf[: cut + 1], buf[cut + 1 :]
            lineno += 1
            yield lineno, (None if skipping else line)
            skipping = False
        if len(buf) > limit:
            skipping, buf = True, b""
    if buf or skipping:
        yield lineno + 1, (None if skipping else buf)


def _chunks(path: Path, size: int = 1 << 16) -> Iterator[bytes]:
    """The bytes of a file, decompressed when its name ends in .gz (all gzip members);
    EOFError when the compressed stream is cut short."""
    with path.open("rb") as fh:
        if not path.name.lower().endswith(".gz"):
            while block := fh.read(size):
                yield block
            return
        unzip, fed = zlib.decompressobj(wbits=47), False
        while block := fh.read(size):
            while block:
                fed = True
                yield unzip.decompress(block)
                block = b""
                if unzip.eof:  # next gzip member, if any (trailing NUL padding is allowed)
                    block = unzip.unused_data.lstrip(b"\x00")
                    unzip, fed = zlib.decompressobj(wbits=47), False
        if fed:
            raise EOFError("compressed file ended before the end-of-stream marker was reached")


def _iter_html_file(path: Path, opts: SourceOptions) -> Iterator[Item]:
    data = _read_container(path, opts, limit=opts.config.max_bytes)
    if isinstance(data, Rejected):
        yield data
        return
    yield guarded(str(path), lambda: html_to_article(data, str(path), opts))


def _read_container(path: Path, opts: SourceOptions, limit: int | None = None) -> bytes | Rejected:
    """The bytes of a file up to a limit (default: the container limit), or a Rejected record."""
    limit = opts.max_container_bytes if limit is None else limit
    try:
        size = path.stat().st_size
        if size > limit:
            return Rejected(str(path), "too_large", f"is {size:,} bytes, over the limit of {limit:,} bytes")
        with path.open("rb") as fh:
            return fh.read(limit + 1)
    except FileNotFoundError:
        return Rejected(str(path), "not_found", "no such file; check the path")
    except OSError as err:
        return Rejected(str(path), "unreadable", f"cannot read it ({err.strerror})")


__all__ = ["Kind", "iter_file", "iter_jsonl", "kind_of", "sniff_kind", "walk_folder"]
