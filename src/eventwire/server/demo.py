"""A small demo store of invented articles (fictional people; real country names only).

Used by the app's tests and screenshots, and handy for trying the app::

    python -m eventwire.server.demo /tmp/demo-store && eventwire serve --store /tmp/demo-store
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from ..store import Batch, CodedArticle, Store, WriteResult


@dataclass(frozen=True, slots=True)
class DemoArticle:
    """An invented article."""

    id: str
    title: str
    text: str
    published: date
    outlet: str
    url: str


DEMO_ARTICLES: tuple[DemoArticle, ...] = (
    DemoArticle(
        "kenya-1", "Kenya accuses Tanzania over border trucks",
        "Kenya accused Tanzania of blocking trucks at the border near Namanga on Monday, the foreign "
        "minister Amos Wekesa said. Officials said 300 lorries had waited for four days at the crossing.",
        date(2024, 3, 5), "Example Wire", "https://news.example.org/kenya-1"),
    DemoArticle(
        "kenya-2", "Nairobi blames Dodoma for truck queues",
        "Kenyan officials accused Tanzania on Monday of blocking trucks at the border, the ministry said. "
        "Drivers said the queue stretched for ten kilometres.",
        date(2024, 3, 5), "Lakeside Daily", "https://lakeside.example.net/kenya-2"),
    DemoArticle(
        "kenya-3", "Truck dispute deepens",
        "Kenya accused Tanzania of blocking trucks at the border crossing, according to the transport "
        "minister Lina Okafor. Tanzania later agreed to reopen the crossing.",
        date(2024, 3, 6), "Savanna Times", "https://savanna.example.com/kenya-3"),
    DemoArticle(
        "peru-1", "Navy clash off the coast",
        "Police in Lima arrested 40 protesters who marched against fuel prices. "
        "<script>window.__pwned = 1</script> Peru's navy attacked a Chilean ship on Tuesday, "
        "according to officials.",
        date(2024, 3, 7), "Harbor Wire", "https://harbor.example.org/peru-1"),
    DemoArticle(
        "norway-1", "Oslo sends aid",
        "Norway sent medical aid to Poland on Wednesday, the health minister Tomas Brandt said. "
        "Germany praised Norway for the quick response.",
        date(2024, 4, 11), "Fjord Post", "https://fjord.example.no/norway-1"),
    DemoArticle(
        "ghana-1", "Ghana and Jordan sign accord",
        "Ghana signed a trade agreement with Jordan in Accra on Thursday, the trade envoy Kofi Aberle said. "
        "Jordan threatened to impose sanctions on Vietnam over the fishing dispute.",
        date(2024, 4, 18), "Coastline News", "https://coastline.example.com/ghana-1"),
)


def build_demo_store(path: str | Path) -> WriteResult:
    """Code the demo articles with the default pipeline and write them to the store at ``path``."""
    from ..pipeline import get_pipeline
    from ..stages.read import read_text

    pipeline = get_pipeline()
    coded = []
    for a in DEMO_ARTICLES:
        article = read_text(a.text, f"demo:{a.id}", id=a.id, url=a.url, published=a.published,
                            outlet=a.outlet, title=a.title)
        coded.append(CodedArticle(article, pipeline.process(article).events))
    with Store(path).writing() as st:
        return st.write_batch(Batch(coded=coded, run_id="demo"))


if __name__ == "__main__":
    print(build_demo_store(sys.argv[1] if len(sys.argv) > 1 else "demo-store"))
