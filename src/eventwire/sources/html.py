"""HTML pages and fragments to articles (main text by trafilatura)."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from ..errors import InputError
from ..records import Article
from ..stages.read import read_text, sniff_binary
from .base import SourceOptions

_BLOCK_END = re.compile(r"(?i)<\s*(?:br\s*/?|/p|/div|/li|/h[1-6]|/blockquote|/tr)\s*>")


def html_to_article(
    data: bytes,
    source: str,
    opts: SourceOptions,
    *,
    url: str | None = None,
    published: date | None = None,
    outlet: str | None = None,
) -> Article:
    """The main text of an HTML page as an Article; InputError when there is none.

    Metadata found in the page (title, date, site name, canonical URL) fills what the
    caller does not give.
    """
    if len(data) > opts.config.max_bytes:
        raise InputError(
            source,
            "too_large",
            f"is {len(data):,} bytes, over the limit of {opts.config.max_bytes:,} bytes "
            "(setting `max_bytes`)",
        )
    if not data.strip():
        raise InputError(source, "empty", "the page is empty")
    kind = sniff_binary(data)
    if kind is not None:
        raise InputError(source, "binary", f"looks like a binary file ({kind}), not an HTML page")
    extracted = _extract(data, source, url)
    text = (extracted.text or "").strip() if extracted is not None else ""
    if not text:
        raise InputError(
            source, "no_text", "no article text found in the HTML page (navigation or empty page?)"
        )
    return read_text(
        text,
        source,
        opts.config,
        url=url or getattr(extracted, "url", None),
        title=getattr(extracted, "title", None),
        published=published or _page_date(extracted),
        outlet=outlet or getattr(extracted, "sitename", None),
    )


def fragment_text(fragment: str) -> str:
    """Plain text of an HTML fragment (a feed summary), one paragraph per block element."""
    if "<" not in fragment:
        return fragment.strip()
    import lxml.html

    marked = _BLOCK_END.sub(lambda m: m.group(0) + "\n\n", fragment)
    try:
        root = lxml.html.fragment_fromstring(marked, create_parent="div")
    except Exception:  # noqa: BLE001 - lxml raises several types on junk markup
        return re.sub(r"<[^>]*>", " ", fragment).strip()
    text = root.text_content()
    text = re.sub(r"[ \t]+", " ", text)
    return re.sub(r"\n\s*\n+", "\n\n", text).strip()


def _extract(data: bytes, source: str, url: str | None) -> Any:
    import trafilatura

    try:
        return trafilatura.bare_extraction(data, url=url, with_metadata=True)
    except Exception as err:  # noqa: BLE001 - trafilatura/lxml raise many types on bad markup
        raise InputError(source, "bad_html", f"the HTML cannot be parsed ({err.__class__.__name__})") from None


def _page_date(extracted: Any) -> str | None:
    value = getattr(extracted, "date", None)
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value[:10]):
        return value[:10]
    return None
