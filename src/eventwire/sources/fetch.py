"""Minimal, guarded http(s) fetching for feeds and pages.

Only http and https; a time-out on every request; a size limit on every body; and no
private, loopback, link-local or reserved address unless ``allow_private`` (checked for the
URL and for every redirect).
"""

from __future__ import annotations

import ipaddress
import socket
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlsplit

from .. import __version__
from ..errors import InputError

USER_AGENT = f"eventwire/{__version__} (+https://pypi.org/project/eventwire)"


@dataclass(frozen=True, slots=True)
class Fetched:
    """The body of a fetched URL and its declared content type."""

    url: str
    data: bytes
    content_type: str


def is_url(source: str) -> bool:
    """True for an http(s) URL."""
    return source.lower().startswith(("http://", "https://"))


def check_address(url: str, allow_private: bool) -> None:
    """Raise InputError unless ``url`` is http(s) and resolves to public addresses only."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(url, "bad_url", "only http:// and https:// URLs with a host can be fetched")
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 80, proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError) as err:
        raise InputError(url, "fetch_failed", f"the host cannot be resolved ({err})") from None
    for info in infos:
        addr = ipaddress.ip_address(info[4][0])
        if not addr.is_global or addr.is_multicast:
            raise InputError(
                url,
                "forbidden_address",
                f"the host resolves to a non-public address ({addr}); pass allow_private=True "
                "to fetch from local or private networks",
            )


class _CheckedRedirects(urllib.request.HTTPRedirectHandler):
    def __init__(self, allow_private: bool) -> None:
        self.allow_private = allow_private

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        check_address(newurl, self.allow_private)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch(url: str, *, max_bytes: int, timeout: float, allow_private: bool = False) -> Fetched:
    """GET ``url`` (at most ``max_bytes``); InputError on any failure."""
    check_address(url, allow_private)
    opener = urllib.request.build_opener(_CheckedRedirects(allow_private))
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
    try:
        with opener.open(request, timeout=timeout) as resp:
            declared = resp.headers.get("Content-Length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise _too_large(url, int(declared), max_bytes)
            data = resp.read(max_bytes + 1)
            content_type = resp.headers.get("Content-Type", "")
            final_url = resp.geturl()
    except InputError:
        raise
    except urllib.error.HTTPError as err:
        raise InputError(url, "fetch_failed", f"the server answered HTTP {err.code}") from None
    except (urllib.error.URLError, OSError, ValueError) as err:
        reason = getattr(err, "reason", err)
        raise InputError(url, "fetch_failed", f"cannot fetch it ({reason})") from None
    if len(data) > max_bytes:
        raise _too_large(url, len(data), max_bytes)
    return Fetched(final_url, data, content_type.lower())


def _too_large(url: str, size: int, limit: int) -> InputError:
    return InputError(url, "too_large", f"the body is {size:,}+ bytes, over the limit of {limit:,} bytes")
