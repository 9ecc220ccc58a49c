"""The HTTP API: a real uvicorn server on 127.0.0.1 (random free port, in a thread) over a
store of invented articles, and real HTTP requests with httpx."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree as ET

import httpx
import pytest
from conftest import running_server

TOKEN = "test-token-123"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from eventwire.server.demo import build_demo_store

    path = tmp_path_factory.mktemp("api") / "store"
    build_demo_store(path)
    return path


@pytest.fixture(scope="module")
def client(store: Path) -> Iterator[httpx.Client]:
    with running_server(store, TOKEN) as url, httpx.Client(base_url=url, timeout=30) as c:
        yield c


AUTH = {"Authorization": f"Bearer {TOKEN}"}


def test_events_filters_and_paging(client: httpx.Client) -> None:
    body = client.get("/api/events").json()
    assert body["total"] == len(body["events"]) >= 6
    ids = {e["id"] for e in body["events"]}
    assert {"kenya-1:0", "kenya-2:0", "kenya-3:0"} <= ids
    ken = client.get("/api/events", params={"actor": "KEN", "type": "ACCUSE"}).json()
    assert ken["total"] == 3 and {e["recipient_code"] for e in ken["events"]} == {"TZA"}
    page = client.get("/api/events", params={"limit": 2, "offset": 1}).json()
    assert len(page["events"]) == 2 and page["events"][0]["id"] == body["events"][1]["id"]
    said = client.get("/api/events", params={"attributed_to": "Wekesa"}).json()
    assert [e["id"] for e in said["events"]] == ["kenya-1:0"]
    april = client.get("/api/events", params={"date_from": "2024-04", "date_to": "2024-04-30"}).json()
    assert april["total"] >= 2 and all(e["published"].startswith("2024-04") for e in april["events"])
    health = client.get("/api/events", params={"context": "health"}).json()
    assert health["total"] >= 1 and all("health" in e["context"] for e in health["events"])
    detail = client.get(f"/api/events/{health['events'][0]['id']}").json()
    assert [c["context"] for c in detail["evidence"]["context"]] == detail["event"]["context"]


def test_validation_errors_are_json(client: httpx.Client) -> None:
    r = client.get("/api/events", params={"quad": 9})
    assert r.status_code == 422 and r.json()["status"] == 422 and "quad" in r.json()["error"]
    r = client.get("/api/events", params={"date_from": "March"})
    assert r.status_code == 422
    r = client.get("/api/events/no-such-event")
    assert r.status_code == 404 and r.json() == {"error": "no event with id 'no-such-event'", "status": 404}


def test_event_detail_has_evidence_and_article(client: httpx.Client) -> None:
    body = client.get("/api/events/kenya-1:0").json()
    text = body["article"]["text"]
    ev = body["evidence"]
    assert text[ev["trigger"]["start"]:ev["trigger"]["end"]] == "accused"
    assert text[ev["sentence"]["start"]:ev["sentence"]["end"]] == ev["sentence"]["text"]
    roles = {a["role"]: text[a["start"]:a["end"]] for a in ev["actors"]}
    assert roles == {"actor": "Kenya", "recipient": "Tanzania"}
    chain = ev["attribution"]
    assert chain[0]["kind"] == "outlet" and chain[0]["name"] == "Example Wire"
    speaker = chain[-1]
    assert "Amos Wekesa" in speaker["name"] and text[speaker["cue"]["start"]:speaker["cue"]["end"]] == "said"


def test_actors_dyads_places_stories(client: httpx.Client) -> None:
    actors = client.get("/api/actors").json()["actors"]
    tza = next(a for a in actors if a["code"] == "TZA")
    assert tza["as_recipient"] == 3 and tza["as_actor"] == 0
    # a thing an event is about ("protested against fuel prices") is no actor; a group is
    names = {a["name"] for a in actors}
    assert "fuel prices" not in names and "40 protesters" in names
    dyads = client.get("/api/dyads", params={"interval": "day"}).json()["dyads"]
    top = dyads[0]
    assert (top["actor"], top["recipient"], top["total"]) == ("KEN", "TZA", 3)
    assert top["by_quad"]["3"] == 3 and sum(s["count"] for s in top["series"]) == 3
    places = client.get("/api/places").json()["places"]
    lima = next(p for p in places if p["name"] == "Lima")
    assert lima["country_numeric"] == "604" and lima["lat"] < 0
    stories = client.get("/api/stories").json()["stories"]
    assert stories[0]["source_count"] == 3
    assert set(stories[0]["outlets"]) == {"Example Wire", "Lakeside Daily", "Savanna Times"}
    assert all(c["attribution"] for c in stories[0]["copies"])


def test_exports(client: httpx.Client) -> None:
    tsv = client.get("/api/export", params={"format": "gdelt", "actor": "KEN"}).text.splitlines()
    header = tsv[0].split("\t")
    row = dict(zip(header, tsv[1].split("\t")))
    assert len(tsv) == 4 and row["Actor1Code"] == "KENGOV" and row["EventRootCode"] == "11"
    assert row["QuadClass"] == "3" and row["SQLDATE"].startswith("202403")
    icews = client.get("/api/export", params={"format": "icews", "country": "PER"}).text.splitlines()
    assert icews[0].startswith("Event ID\tEvent Date\tSource Name")
    pq = client.get("/api/export", params={"format": "parquet"})
    assert pq.content[:4] == b"PAR1"


def test_writes_need_the_token(client: httpx.Client) -> None:
    r = client.post("/api/watchlists", json={"name": "x"})
    assert r.status_code == 401 and r.json()["status"] == 401
    r = client.post("/api/watchlists", json={"name": "x"}, headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 401
    r = client.post("/api/actors/corrections", json={"entity": "Kenya", "code": "kenya"}, headers=AUTH)
    assert r.status_code == 422


def test_watchlist_and_atom_feed(client: httpx.Client) -> None:
    r = client.post("/api/watchlists", json={"name": "Kenya <border>", "filters": {"actor": "KEN"}}, headers=AUTH)
    assert r.status_code == 201
    wl = r.json()
    assert wl["id"] in {w["id"] for w in client.get("/api/watchlists").json()["watchlists"]}
    feed = client.get(wl["feed"])
    assert feed.headers["content-type"].startswith("application/atom+xml")
    root = ET.fromstring(feed.content)
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert root.find("a:title", ns).text == "eventwire watchlist: Kenya <border>"
    entries = root.findall("a:entry", ns)
    assert len(entries) == 3
    assert {e.find("a:id", ns).text for e in entries} == {f"urn:eventwire:event:kenya-{i}:0" for i in (1, 2, 3)}
    assert client.get("/api/watchlists/nope/feed.atom").status_code == 404


def test_correction_is_applied_to_queries(client: httpx.Client) -> None:
    r = client.post("/api/actors/corrections", headers=AUTH,
                    json={"entity": "kenyan officials", "code": "UGA", "sector": "GOV", "note": "test"})
    assert r.status_code == 201
    ev = client.get("/api/events/kenya-2:0").json()["event"]
    assert ev["actor_code"] == "UGA" and ev["record"]["actor"][0]["code"] == "UGA"
    assert ev["record"]["actor"][0]["corrected"] is True
    assert client.get("/api/events", params={"actor": "UGA"}).json()["total"] == 1
    assert client.get("/api/events", params={"actor": "KEN", "type": "ACCUSE"}).json()["total"] == 2
    assert client.get("/api/actors/corrections").json()["corrections"][-1]["code"] == "UGA"


def test_post_article_codes_and_stores_it(client: httpx.Client) -> None:
    text = "Chile praised Peru on Friday for reopening the rail link to Arica, the envoy Rosa Quell said."
    r = client.post("/api/articles", headers=AUTH,
                    json={"text": text, "published": "2024-05-03", "outlet": "Test Desk", "id": "api-1"})
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["article_id"] == "api-1" and body["stored"] is True and body["events"]
    assert client.get("/api/events", params={"article_id": "api-1"}).json()["total"] == len(body["events"])
    again = client.post("/api/articles", headers=AUTH, json={"text": text, "id": "api-1"}).json()
    assert again["stored"] is False  # idempotent by article id


def test_web_app_and_openapi_are_served(client: httpx.Client) -> None:
    html = client.get("/")
    assert html.status_code == 200 and "<title>eventwire</title>" in html.text
    assert client.get("/static/app.js").status_code == 200
    spec = client.get("/openapi.json").json()
    assert {"/api/events", "/api/events/{event_id}", "/api/stories", "/api/dyads", "/api/watchlists",
            "/api/articles", "/api/actors/corrections"} <= set(spec["paths"])
