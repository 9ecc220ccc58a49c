"""The web app in a real headless Chromium (Debian's /usr/bin/chromium, driven by Playwright):
load the page, filter, open an event, see the highlighted evidence; screenshots go to
artifacts/screenshots/; with EVENTWIRE_UPDATE_DOCS=1 two are copied for the README
(docs/img/network.png, evidence.png)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from conftest import running_server

if TYPE_CHECKING:
    from playwright.sync_api import Page

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[1]
SHOTS = ROOT / "artifacts" / "screenshots"
DOC_IMG = ROOT / "docs" / "img"

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="needs Debian's Chromium at /usr/bin/chromium (run scripts/install_browser.sh)")


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A uvicorn server in a thread over a demo store of invented articles."""
    from eventwire.server.demo import build_demo_store

    store = tmp_path_factory.mktemp("webapp") / "store"
    build_demo_store(store)
    with running_server(store, "s3cret") as url:
        yield url


@pytest.fixture(scope="module")
def page(base_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Page]:
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"]
    with sync_playwright() as pw:
        ctx = pw.chromium.launch_persistent_context(str(profile), executable_path=str(CHROMIUM), headless=True,
                                                    args=args, viewport={"width": 1400, "height": 900})
        pg = ctx.new_page()
        pg.set_default_timeout(10_000)
        errors: list[str] = []
        pg.on("pageerror", lambda e: errors.append(str(e)))
        pg.goto(base_url + "/")
        pg.page_errors = errors  # type: ignore[attr-defined]
        yield pg
        ctx.close()


def _shot(page: Page, name: str, doc: str | None = None) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    target = SHOTS / f"{name}.png"
    page.screenshot(path=str(target), full_page=False)
    assert target.stat().st_size > 5_000
    # the README's screenshots are refreshed on request, so a test run leaves the tree clean
    if doc and (os.environ.get("EVENTWIRE_UPDATE_DOCS") or not (DOC_IMG / doc).exists()):
        DOC_IMG.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(target, DOC_IMG / doc)


def test_table_loads_and_filters(page: Page) -> None:
    pg = page
    pg.wait_for_selector("#events-table tbody tr")
    all_rows = pg.locator("#events-table tbody tr").count()
    assert all_rows >= 6
    pg.fill("#filters [name=actor]", "KEN")
    pg.click("#apply")
    pg.wait_for_function("document.querySelectorAll('#events-table tbody tr').length === 3")
    types = pg.locator("#events-table tbody tr td:nth-child(2)").all_inner_texts()
    assert {t.strip() for t in types} == {"ACCUSE"}
    assert "3 events" in pg.inner_text("#status")
    _shot(pg, "table-filtered")


def test_open_event_highlights_evidence(page: Page) -> None:
    pg = page
    pg.click("#events-table tbody tr[data-id='kenya-1:0']")
    pg.wait_for_selector("#article-text .ev-trigger")
    assert pg.inner_text("#article-text .ev-trigger").strip() == "accused"
    actors = pg.locator("#article-text .ev-actor").all_inner_texts()
    assert "Kenya" in [a.strip() for a in actors]
    assert "Tanzania" in "".join(pg.locator("#article-text .ev-recipient").all_inner_texts())
    assert "said" in "".join(pg.locator("#article-text .ev-cue").all_inner_texts())
    assert "Amos Wekesa" in "".join(pg.locator("#article-text .ev-speaker").all_inner_texts())
    assert "Amos Wekesa" in pg.inner_text("#detail-chain")
    # the context and the words that show it
    assert "foreign minister" in "".join(pg.locator("#article-text .ev-context").all_inner_texts())
    assert 'diplomatic ("foreign minister", cue)' in pg.inner_text("#detail-facts")
    # the whole article is shown, byte for byte
    text = pg.inner_text("#article-text")
    assert "300 lorries had waited" in text
    _shot(pg, "evidence", doc="evidence.png")


def test_script_in_article_is_text_not_code(page: Page, base_url: str) -> None:
    pg = page
    pg.goto(base_url + "/#event=" + "peru-1:0")
    pg.wait_for_function("document.getElementById('detail-title').textContent.includes('Navy clash')")
    assert "<script>window.__pwned = 1</script>" in pg.inner_text("#article-text")
    assert pg.evaluate("window.__pwned === undefined")
    assert pg.locator("#article-text script").count() == 0
    assert not pg.page_errors  # type: ignore[attr-defined]


def test_network_timeline_map_stories(page: Page) -> None:
    pg = page
    pg.click("#reset-filters")
    pg.click("#tabs [data-tab=network]")
    pg.wait_for_selector("#network .node")
    nodes = pg.locator("#network .node text").all_text_contents()
    assert {"KEN", "TZA", "NOR", "POL"} <= set(nodes)
    assert pg.locator("#network line.edge[data-quad='3']").count() >= 1
    _shot(pg, "network", doc="network.png")
    pg.click("#tabs [data-tab=timeline]")
    pg.wait_for_selector("#timeline rect.bar")
    assert "KEN → TZA" in (pg.text_content("#timeline") or "")
    _shot(pg, "timeline")
    pg.click("#tabs [data-tab=map]")
    pg.wait_for_selector("#map circle.place")
    assert pg.locator("#map path.land").count() > 100
    assert pg.locator("#map circle.place").count() >= 4
    _shot(pg, "map")
    pg.click("#tabs [data-tab=stories]")
    pg.wait_for_selector("#stories-list li")
    assert "3 sources" in pg.inner_text("#stories-list > li:first-child")
    _shot(pg, "stories")


def test_watchlist_with_token_and_feed_link(page: Page) -> None:
    pg = page
    pg.click("#tabs [data-tab=watchlists]")
    pg.fill("#token", "s3cret")
    pg.fill("#filters [name=actor]", "KEN")
    pg.fill("#watch-form [name=name]", "Border trucks")
    pg.click("#watch-form button")
    pg.wait_for_selector("#watch-list li a.feed")
    href = pg.get_attribute("#watch-list li a.feed", "href")
    assert href and href.endswith("/feed.atom")
    assert "actor=KEN" in pg.inner_text("#watch-list")
    _shot(pg, "watchlists")
