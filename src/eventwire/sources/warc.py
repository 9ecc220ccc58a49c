"""WARC and WARC.GZ archives (warcio): one article per HTML response record.

warcio is lenient with damaged archives, so every record is checked: a record shorter than
its Content-Length, bytes after the last readable record (a cut or corrupted gzip member) and
a file that is not a WARC at all each give a Rejected record. Request, metadata and warcinfo
records are not documents and are passed over; a response that is not HTML is rejected with
reason ``not_html``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from .base import Item, Rejected, SourceOptions, guarded
from .html import html_to_article

DOCUMENT_TYPES = ("response", "resource")


def iter_warc(path: Path, opts: SourceOptions) -> Iterator[Item]:
    """Articles of the HTML responses of a WARC file; Rejected records for damage."""
    from warcio.archiveiterator import ArchiveIterator
    from warcio.exceptions import ArchiveLoadFailed

    source = str(path)
    try:
        size = path.stat().st_size
        fh = path.open("rb")
    except OSError as err:
        yield Rejected(source, "unreadable", f"cannot read it ({err.strerror})")
        return
    if size == 0:
        fh.close()
        yield Rejected(source, "empty", "the WARC file is empty")
        return
    end = 0
    with fh:
        records = ArchiveIterator(fh)
        try:
            for record in records:
                item, damaged = _record_item(record, source, records, opts)
                end = records.get_record_offset() + records.get_record_length()
                if item is not None:
                    yield item
                if damaged:
                    return
        except (ArchiveLoadFailed, EOFError, OSError, ValueError, AttributeError) as err:
            yield Rejected(
                f"{source}#{end}",
                "malformed_warc",
                f"not a readable WARC record at byte {end} ({err.__class__.__name__}: {err}); "
                "the rest of the file is skipped",
            )
            return
        fh.seek(end)
        if fh.read(65536).strip(b"\r\n\x00 "):
            yield Rejected(
                f"{source}#{end}",
                "truncated",
                f"the archive is cut or corrupted after byte {end} (a damaged record or gzip "
                "member); the records before it were read",
            )


def _record_item(record: Any, source: str, records: Any, opts: SourceOptions) -> tuple[Item | None, bool]:
    """(the item of one record or None when it is not a document, whether it is damaged).

    The content is read before asking the iterator for the record's offset: warcio's
    ``get_record_offset`` reads the record to its end.
    """
    protocol = getattr(record.rec_headers, "protocol", "") or ""
    if getattr(record, "format", "warc") != "warc" or not protocol.startswith("WARC/"):
        where = f"{source}#{records.get_record_offset()}"
        return Rejected(
            where, "malformed_warc", "not a WARC record (an old ARC file, or not a web archive at all)"
        ), True
    if record.rec_type not in DOCUMENT_TYPES:
        record.content_stream().read()
        return None, False
    stream = record.content_stream()
    data = stream.read(opts.config.max_bytes + 1)
    too_large = len(data) > opts.config.max_bytes
    while stream.read(1 << 20):
        pass
    cut = record.raw_stream.limit > 0
    where = f"{source}#{records.get_record_offset()}"
    if cut:
        return Rejected(
            where, "truncated", "the record is shorter than its Content-Length (cut archive)"
        ), True
    if too_large:
        return Rejected(where, "too_large", f"the record is over {opts.config.max_bytes:,} bytes"), False
    problem = _http_problem(record, where)
    if problem is not None:
        return problem, False
    url = record.rec_headers.get_header("WARC-Target-URI")
    return guarded(where, lambda: html_to_article(data, where, opts, url=url)), False


def _http_problem(record: Any, where: str) -> Rejected | None:
    headers = record.http_headers
    if record.rec_type == "resource":
        ctype = (record.rec_headers.get_header("Content-Type") or "").lower()
    elif headers is None:
        return Rejected(where, "malformed_warc", "the response record has no HTTP headers")
    else:
        status = headers.get_statuscode() or ""
        if not status.startswith("2"):
            return Rejected(where, "http_status", f"the archived response has HTTP status {status}")
        ctype = (headers.get_header("Content-Type") or "").lower()
    if "html" not in ctype:
        return Rejected(where, "not_html", f"the archived response is {ctype or 'untyped'}, not HTML")
    return None

