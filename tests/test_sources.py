"""Sources: every input kind, every bad input becomes a Rejected record, dedupe, guarded URLs."""

from __future__ import annotations

import gzip
import http.server
import io
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from eventwire.config import Config
from eventwire.records import Article
from eventwire.sources import Rejected, SourceOptions, iter_source, iter_sources
from eventwire.sources.dedupe import Deduper

STORY = (
    "Veloria recalls ambassador from Kestania\n\n"
    "The foreign minister of Veloria, Anton Brask, said on Tuesday that talks with Kestania had "
    "stalled after the border dispute flared again. Officials in Kestania denied the claim and "
    "accused Veloria of massing troops near the river crossing at Dunmor. The ministry said it "
    "would recall its ambassador for consultations."
)
OTHER = (
    "Harbour strike enters third day in Dunmor\n\n"
    "Dock workers in Dunmor stayed off the job for a third day on Wednesday, and the union leader "
    "Mira Talvi said no ship would be unloaded until wages rose. The port authority warned that "
    "fuel stocks in the region would run low within a week."
)
HTML = (
    "<html><head><title>Strike in Dunmor</title>"
    '<meta property="article:published_time" content="2024-03-06"></head><body>'
    "<nav>Home | World | Sport</nav><article><h1>Strike in Dunmor</h1>"
    + "".join(f"<p>{s}.</p>" for s in OTHER.split("\n\n")[1].split(". "))
    + "</article><footer>All rights reserved</footer></body></html>"
)
RSS = (
    '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Daily Veloria</title>'
    "<item><title>Veloria recalls ambassador</title><link>https://news.example/a</link>"
    "<pubDate>Tue, 05 Mar 2024 10:00:00 GMT</pubDate>"
    f"<description>&lt;p&gt;{STORY.split(chr(10) * 2)[1]}&lt;/p&gt;</description></item>"
    "<item><title>Strike</title><link>https://news.example/b</link>"
    f"<description>{OTHER.split(chr(10) * 2)[1]}</description></item>"
    "<item><title>Stub</title><link>https://news.example/c</link><description>Too short.</description></item>"
    "</channel></rss>"
)


def _warc(records: list[tuple[str, str, bytes]], gz: bool = True) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    for url, ctype, body in records:
        headers = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                      length=len(body), http_headers=headers))
    return buf.getvalue()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with one good input of each kind and one bad input of each failure."""
    root = tmp_path_factory.mktemp("corpus")
    (root / "good.txt").write_text(STORY, encoding="utf-8")
    (root / "empty.txt").write_bytes(b"")
    (root / "binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
    (root / "latin1.txt").write_bytes(STORY.replace("Brask", "Br\xe5sk").encode("latin-1"))
    with (root / "huge.txt").open("wb") as fh:  # 50 MB, sparse: cheap to make
        fh.truncate(50 * 1024 * 1024)
    (root / "README.md").write_text("not an input")
    sub = root / "nested" / "deeper"
    sub.mkdir(parents=True)
    (sub / "other.txt").write_text(OTHER, encoding="utf-8")
    lines = [
        json.dumps({"id": "wire-1", "text": OTHER, "url": "https://wire.example/1", "published": "2024-03-06",
                    "outlet": "Wire"}),
        "{not json",
        json.dumps({"title": "no text field"}),
        json.dumps(["a", "list"]),
        json.dumps({"text": STORY, "published": "yesterday"}),
        "",
    ]
    (root / "articles.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    line = (json.dumps({"text": OTHER}) + "\n").encode()
    second = gzip.compress(line * 20)  # a complete gzip member, then one cut in half
    (root / "cut.jsonl.gz").write_bytes(gzip.compress(line * 3) + second[: len(second) // 2])
    (root / "page.html").write_text(HTML, encoding="utf-8")
    (root / "menu.html").write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>")
    (root / "feed.xml").write_text(RSS, encoding="utf-8")
    (root / "fake.rss").write_text(HTML, encoding="utf-8")
    good = _warc([("https://news.example/p1", "text/html; charset=utf-8", HTML.encode()),
                  ("https://news.example/logo.png", "image/png", b"\x89PNG....")])
    (root / "crawl.warc.gz").write_bytes(good)
    (root / "cut.warc.gz").write_bytes(good[:-60])
    (root / "junk.warc").write_bytes(b"this is not a web archive\n" * 3)
    return root


@pytest.fixture(scope="module")
def items(corpus: Path) -> list[Article | Rejected]:
    return list(iter_source(str(corpus)))


def _by_name(items: list[Article | Rejected], name: str) -> list[Article | Rejected]:
    return [i for i in items if Path((i.source or "").split("#")[0].split(":")[0]).name == name]


def _reasons(items: list[Article | Rejected], name: str) -> list[str]:
    return [i.reason if isinstance(i, Rejected) else "ok" for i in _by_name(items, name)]


def test_bad_files_are_rejected_with_reasons(items: list[Article | Rejected]) -> None:
    assert _reasons(items, "empty.txt") == ["empty"]
    assert _reasons(items, "binary.txt") == ["binary"]
    assert _reasons(items, "latin1.txt") == ["encoding"]
    assert _reasons(items, "huge.txt") == ["too_large"]
    assert _reasons(items, "good.txt") == ["ok"]
    assert _reasons(items, "other.txt") == ["ok"], "folders are read recursively"
    assert not _by_name(items, "README.md"), "unrecognised names in folders are not inputs"


def test_jsonl_lines(items: list[Article | Rejected]) -> None:
    assert _reasons(items, "articles.jsonl") == ["ok", "bad_json", "bad_record", "bad_record", "bad_meta"]
    art = _by_name(items, "articles.jsonl")[0]
    assert isinstance(art, Article)
    assert (art.id, art.outlet, str(art.published), art.url) == ("wire-1", "Wire", "2024-03-06", "https://wire.example/1")
    assert art.source.endswith("articles.jsonl:1")
    cut = _reasons(items, "cut.jsonl.gz")
    assert cut[-1] == "truncated" and cut[:3] == ["ok"] * 3


def test_html_pages(items: list[Article | Rejected]) -> None:
    page = _by_name(items, "page.html")[0]
    assert isinstance(page, Article)
    assert "third day on Wednesday" in page.text and "All rights reserved" not in page.text
    assert str(page.published) == "2024-03-06"
    assert _reasons(items, "menu.html") in (["no_text"], ["too_short"])


def test_feeds(items: list[Article | Rejected]) -> None:
    assert _reasons(items, "feed.xml") == ["ok", "ok", "too_short"]
    first = _by_name(items, "feed.xml")[0]
    assert isinstance(first, Article)
    assert first.outlet == "Daily Veloria" and first.url == "https://news.example/a"
    assert str(first.published) == "2024-03-05" and "<p>" not in first.text
    assert first.text.startswith("Veloria recalls ambassador\n\n")
    fake = _by_name(items, "fake.rss")
    assert [r.reason for r in fake] == ["not_a_feed"] and "HTML" in fake[0].message


def test_warc(items: list[Article | Rejected]) -> None:
    assert _reasons(items, "crawl.warc.gz") == ["ok", "not_html"]
    art = _by_name(items, "crawl.warc.gz")[0]
    assert isinstance(art, Article) and art.url == "https://news.example/p1"
    assert _reasons(items, "cut.warc.gz")[-1] == "truncated"
    assert _reasons(items, "junk.warc") == ["malformed_warc"]


def test_every_rejection_is_explained(items: list[Article | Rejected]) -> None:
    for item in items:
        if isinstance(item, Rejected):
            assert item.source and item.reason and len(item.message) > 10


def test_missing_paths_and_empty_folders(tmp_path: Path) -> None:
    got = list(iter_sources([str(tmp_path / "nope.txt"), str(tmp_path)]))
    assert [r.reason for r in got] == ["not_found", "no_inputs"]


def test_dedupe_exact_and_near_copies() -> None:
    dd = Deduper()
    body = STORY.split("\n\n")[1]
    near = "VELORIA TALKS STALL\n\n" + body.replace("on Tuesday", "on Tuesday evening")
    verdicts = [dd.check(Article(id=f"a{i}", text=t)) for i, t in enumerate([STORY, near, STORY, OTHER])]
    assert verdicts[0].duplicate is None and verdicts[3].duplicate is None
    assert verdicts[1].duplicate is not None and verdicts[1].duplicate.duplicate_of == "a0"
    assert 0.7 <= verdicts[1].duplicate.similarity < 1.0
    assert verdicts[2].duplicate is not None and verdicts[2].duplicate.similarity == 1.0
    reloaded = Deduper()
    reloaded.remember("a0", verdicts[0].signature)
    again = reloaded.check(Article(id="z", text=near)).duplicate
    assert again is not None and again.duplicate_of == "a0"


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = RSS.encode() if self.path == "/feed" else HTML.encode() * 50
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml" if self.path == "/feed" else "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def local_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_urls_refuse_loopback_unless_allowed(local_server: str) -> None:
    refused = list(iter_source(f"{local_server}/feed"))
    assert [r.reason for r in refused] == ["forbidden_address"]
    allowed = list(iter_source(f"{local_server}/feed", SourceOptions(allow_private=True, timeout=5)))
    assert [type(i).__name__ for i in allowed] == ["Article", "Article", "Rejected"]
    small = SourceOptions(Config(max_bytes=2000), allow_private=True, container_factor=1, timeout=5)
    assert [r.reason for r in iter_source(f"{local_server}/big", small)] == ["too_large"]
    assert [r.reason for r in iter_source("ftp://example.org/x")] == ["not_found"]
