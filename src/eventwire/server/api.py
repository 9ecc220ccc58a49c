"""The analyst's HTTP API (FastAPI) over a store, and the static web app at ``/``.

Reads are open; writes (``POST``) need the token given to :func:`create_app`, sent as
``Authorization: Bearer TOKEN`` (or ``X-Eventwire-Token``). Without a token the app is
read-only. Errors are JSON ``{"error": "...", "status": N}``. OpenAPI docs at ``/docs``.
"""

from __future__ import annotations

import hmac
import json
import threading
import uuid
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any
from xml.etree import ElementTree as ET

from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import query as q
from ..errors import EventwireError
from ..store import Store
from ..stories import cluster_stories

STATIC = Path(__file__).parent / "static"
WATCHLISTS_FILE = "watchlists.json"
MAX_LIMIT = 5000
DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"


# ---------------------------------------------------------------------- models


class Filters(BaseModel):
    """Event filters (all optional; combined with AND)."""

    model_config = ConfigDict(extra="forbid")

    actor: str | None = Field(None, max_length=200, description="Actor code (KEN) or part of a name, either role.",
                              examples=["KEN"])
    country: str | None = Field(None, pattern=r"^[A-Za-z]{3}$", description="Country code in either role or as place.")
    sector: str | None = Field(None, max_length=10, description="Sector code, either role.", examples=["GOV"])
    type: str | None = Field(None, max_length=200, description="PLOVER type(s), comma separated.",
                             examples=["ACCUSE,THREATEN"])
    quad: int | None = Field(None, ge=1, le=4, description="Quad class 1-4.")
    date_from: str | None = Field(None, pattern=DATE_PATTERN, examples=["2024-03-01"])
    date_to: str | None = Field(None, pattern=DATE_PATTERN, examples=["2024-03-31"])
    modality: str | None = Field(None, max_length=200, description="Modality(ies), comma separated.",
                                 examples=["reported"])
    attributed_to: str | None = Field(None, max_length=200, description="Speaker name or code in the chain.")
    recipient: str | None = Field(None, max_length=200, description="Recipient code or part of a name.")
    article_id: str | None = Field(None, max_length=300)
    outlet: str | None = Field(None, max_length=200)
    context: str | None = Field(None, max_length=400, description="PLOVER context(s), comma separated; any of them.",
                                examples=["military,election"])

    def to_filter(self) -> q.EventFilter:
        return q.EventFilter(**{k: (v or None) if isinstance(v, str) else v for k, v in self.model_dump().items()})


class FilterQuery(Filters):
    """Filters given as query parameters (other parameters such as limit sit beside them)."""

    model_config = ConfigDict(extra="ignore")


class Watchlist(BaseModel):
    """A saved set of filters; its Atom feed lists the matching events."""

    id: str = Field(description="Assigned by the server.")
    name: str
    filters: Filters
    created: str


class WatchlistIn(BaseModel):
    """A new watchlist."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "examples": [{"name": "Kenya and Tanzania", "filters": {"actor": "KEN", "recipient": "TZA"}}]})

    name: str = Field(min_length=1, max_length=200)
    filters: Filters = Field(default_factory=Filters)


class ArticleIn(BaseModel):
    """An article to code and store."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{
        "text": "Kenya accused Tanzania of blocking trucks at the border on Monday.",
        "published": "2024-03-05", "outlet": "Example Wire", "title": "Border trucks"}]})

    text: str = Field(min_length=1, max_length=1_000_000)
    title: str | None = Field(None, max_length=1000)
    url: str | None = Field(None, max_length=2000)
    published: date | None = None
    outlet: str | None = Field(None, max_length=200)
    id: str | None = Field(None, max_length=300, description="Article id (default: a hash of the URL or text).")


class CorrectionIn(BaseModel):
    """Correct the code of every mention whose text is ``entity`` (case-insensitive)."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={
        "examples": [{"entity": "Kenyan officials", "code": "KEN", "sector": "GOV", "note": "ministry staff"}]})

    entity: str = Field(min_length=1, max_length=300)
    code: str | None = Field(None, pattern=r"^[A-Z]{3}$")
    sector: str | None = Field(None, pattern=r"^[A-Z]{3}$")
    note: str = Field("", max_length=1000)


class EventsPage(BaseModel):
    """A page of events."""

    events: list[dict[str, Any]]
    total: int
    limit: int
    offset: int


class ErrorOut(BaseModel):
    """Every error."""

    error: str
    status: int


ERRORS = {400: {"model": ErrorOut}, 401: {"model": ErrorOut}, 404: {"model": ErrorOut}, 422: {"model": ErrorOut}}


# ---------------------------------------------------------------------- state


class AppState:
    """The store and the app's files (watchlists) with a lock for writes."""

    def __init__(self, store_path: str | Path, token: str | None) -> None:
        self.store = Store(store_path)
        self.token = token
        self.lock = threading.Lock()

    @property
    def watchlists_path(self) -> Path:
        return self.store.path / q.APP_DIR / WATCHLISTS_FILE

    def watchlists(self) -> list[Watchlist]:
        if not self.watchlists_path.exists():
            return []
        return [Watchlist(**w) for w in json.loads(self.watchlists_path.read_text(encoding="utf-8"))]

    def add_watchlist(self, data: WatchlistIn) -> Watchlist:
        with self.lock:
            items = self.watchlists()
            wl = Watchlist(id=uuid.uuid4().hex[:12], name=data.name, filters=data.filters,
                           created=datetime.now(UTC).isoformat(timespec="seconds"))
            items.append(wl)
            self.watchlists_path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.watchlists_path.with_suffix(".tmp")
            tmp.write_text(json.dumps([w.model_dump() for w in items], indent=1), encoding="utf-8")
            tmp.replace(self.watchlists_path)
            return wl


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"error": message, "status": status}, status_code=status)


# ---------------------------------------------------------------------- app


def create_app(store_path: str | Path, token: str | None = None) -> FastAPI:
    """The FastAPI app over the store at ``store_path``; ``token`` enables the POST endpoints."""
    state = AppState(store_path, token)
    app = FastAPI(
        title="eventwire",
        version="0.1.0",
        description="Query PLOVER events coded by eventwire, with their evidence, stories, dyads and "
                    "watchlists. Writes need `Authorization: Bearer TOKEN`.",
        responses=ERRORS,
    )
    app.state.ew = state
    _handlers(app)
    _routes(app, state)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app


def _handlers(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return _error(exc.status_code, str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, exc: RequestValidationError) -> JSONResponse:
        parts = [f"{'.'.join(str(x) for x in e.get('loc', ()))}: {e.get('msg')}" for e in exc.errors()]
        return _error(422, "; ".join(parts) or "invalid input")

    @app.exception_handler(EventwireError)
    async def ew_error(_: Request, exc: EventwireError) -> JSONResponse:
        return _error(400, str(exc))


def _require_token(state: AppState) -> Any:
    def check(authorization: Annotated[str | None, Header()] = None,
              x_eventwire_token: Annotated[str | None, Header()] = None) -> None:
        if state.token is None:
            raise HTTPException(403, "this server is read-only: start it with --token to allow writes")
        given = x_eventwire_token or (authorization or "").removeprefix("Bearer ").strip()
        if not given or not hmac.compare_digest(given.encode(), state.token.encode()):
            raise HTTPException(401, "missing or wrong token (send Authorization: Bearer TOKEN)")
    return Depends(check)


def _routes(app: FastAPI, state: AppState) -> None:
    store = state.store
    auth = _require_token(state)

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)

    @app.get("/api/events", response_model=EventsPage, tags=["events"])
    def events(f: Annotated[FilterQuery, Query()], limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50,
               offset: Annotated[int, Query(ge=0)] = 0) -> dict[str, Any]:
        """Events matching the filters, ordered by date, with paging; ``total`` counts all matches.

        Example: `/api/events?actor=KEN&type=ACCUSE&date_from=2024-03-01&limit=20`"""
        flt = f.to_filter()
        rows = q.query_events(store, flt, limit=limit, offset=offset)
        return {"events": [_public(r) for r in rows], "total": q.count_events(store, flt),
                "limit": limit, "offset": offset}

    @app.get("/api/events/{event_id}", tags=["events"])
    def event(event_id: str) -> dict[str, Any]:
        """One event with its evidence (sentence, trigger, actor spans, attribution chain with
        cue offsets; all offsets index ``article.text``) and the article."""
        rows = q.query_events(store, q.EventFilter(event_id=event_id))
        if not rows:
            raise HTTPException(404, f"no event with id {event_id!r}")
        row = _public(rows[0])
        art = q.get_article(store, row["article_id"]) or {}
        return {"event": row, "evidence": _evidence(row["record"]), "article": _article_out(art)}

    @app.get("/api/actors", tags=["aggregates"])
    def actors(f: Annotated[FilterQuery, Query()], limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 200) -> dict[str, Any]:
        """Counts per actor code, sector and name, as source (``as_actor``) and target (``as_recipient``);
        recipients that are things (a plan, a bill) are not counted."""
        rows = _actor_counts(store, f.to_filter())
        return {"actors": rows[:limit]}

    @app.get("/api/stories", tags=["aggregates"])
    def stories(f: Annotated[FilterQuery, Query()], window_days: Annotated[int, Query(ge=0, le=60)] = 3,
                limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 100) -> dict[str, Any]:
        """Story clusters: events reporting the same happening across articles, biggest first."""
        found = cluster_stories(q.query_events(store, f.to_filter()), window_days=window_days)
        return {"stories": [s.as_dict() for s in found[:limit]], "total": len(found)}

    @app.get("/api/dyads", tags=["aggregates"])
    def dyads(f: Annotated[FilterQuery, Query()],
              interval: Annotated[str, Query(pattern="^(day|month|year)$")] = "month") -> dict[str, Any]:
        """Event counts per (actor code, recipient code) pair, per period and per quad class.

        Example: `/api/dyads?actor=KEN&interval=day`"""
        return {"interval": interval, "dyads": _dyads(store, f.to_filter(), interval)}

    @app.get("/api/places", tags=["aggregates"])
    def places(f: Annotated[FilterQuery, Query()]) -> dict[str, Any]:
        """Event counts per place (name, country, lat/lon; ISO numeric country id for the map)."""
        rows = q.aggregate(store, f.to_filter(),
                           "place_name AS name, place_country AS country, lat, lon, count(*) AS count, "
                           "list(id ORDER BY id) AS event_ids",
                           "place_name, place_country, lat, lon", "count DESC, name")
        for r in rows:
            r["country_numeric"] = _numeric(r["country"])
        return {"places": [r for r in rows if r["name"] or r["country"]]}

    @app.get("/api/export", tags=["events"])
    def export(f: Annotated[FilterQuery, Query()],
               format: Annotated[str, Query(pattern="^(jsonl|gdelt|icews|parquet|csv)$")] = "jsonl",
               limit: Annotated[int | None, Query(ge=1)] = None) -> Response:
        """The matching events as PLOVER JSONL, GDELT-style TSV, ICEWS-style TSV, CSV or Parquet."""
        rows = q.query_events(store, f.to_filter(), limit=limit)
        if format == "parquet":
            return Response(q.parquet_bytes(rows), media_type="application/vnd.apache.parquet",
                            headers={"Content-Disposition": "attachment; filename=events.parquet"})
        import io

        buf = io.StringIO()
        q.write_export(rows, format, buf, store)
        media = {"jsonl": "application/x-ndjson", "csv": "text/csv"}.get(format, "text/tab-separated-values")
        return Response(buf.getvalue(), media_type=media + "; charset=utf-8")

    @app.get("/api/watchlists", tags=["watchlists"])
    def watchlists() -> dict[str, Any]:
        """The saved watchlists, each with its feed's URL."""
        return {"watchlists": [_watchlist_out(w) for w in state.watchlists()]}

    @app.post("/api/watchlists", status_code=201, tags=["watchlists"], dependencies=[auth])
    def add_watchlist(data: WatchlistIn) -> dict[str, Any]:
        """Save a watchlist (needs the token)."""
        q.where_clause(data.filters.to_filter())  # validates the filters
        return _watchlist_out(state.add_watchlist(data))

    @app.get("/api/watchlists/{watchlist_id}/feed.atom", tags=["watchlists"],
             response_class=Response, responses={200: {"content": {"application/atom+xml": {}}}})
    def feed(watchlist_id: str, request: Request, limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> Response:
        """An Atom feed of the watchlist's events (newest first)."""
        wl = next((w for w in state.watchlists() if w.id == watchlist_id), None)
        if wl is None:
            raise HTTPException(404, f"no watchlist with id {watchlist_id!r}")
        rows = q.query_events(store, wl.filters.to_filter())
        rows.reverse()
        xml = atom_feed(wl, rows[:limit], str(request.base_url))
        return Response(xml, media_type="application/atom+xml; charset=utf-8")

    @app.post("/api/articles", status_code=201, tags=["write"], dependencies=[auth])
    async def add_article(data: ArticleIn) -> dict[str, Any]:
        """Code an article's text and store it with its events (needs the token)."""
        return await run_in_threadpool(_ingest, state, data)

    @app.get("/api/actors/corrections", tags=["write"])
    def corrections() -> dict[str, Any]:
        """The saved actor corrections, oldest first."""
        return {"corrections": [_corr_out(c) for c in q.load_corrections(store)]}

    @app.post("/api/actors/corrections", status_code=201, tags=["write"], dependencies=[auth])
    def correct(data: CorrectionIn) -> dict[str, Any]:
        """Correct an actor code; applied to every query's output from now on (needs the token)."""
        with state.lock:
            c = q.add_correction(store, q.Correction(data.entity, data.code, data.sector, data.note,
                                                     datetime.now(UTC).isoformat(timespec="seconds")))
        return _corr_out(c)


# ---------------------------------------------------------------------- helpers


def _corr_out(c: q.Correction) -> dict[str, Any]:
    return {"entity": c.entity, "code": c.code, "sector": c.sector, "note": c.note, "created": c.created}


def _public(row: dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    if isinstance(out.get("published"), date):
        out["published"] = out["published"].isoformat()
    return out


def _evidence(record: dict[str, Any]) -> dict[str, Any]:
    ev = record.get("evidence") or {}
    return {
        "sentence": ev.get("sentence"), "trigger": ev.get("trigger"),
        "actors": [{"role": role, **a} for role in ("actor", "recipient") for a in record.get(role) or []],
        "attribution": record.get("attribution") or [], "modality": record.get("modality"),
        "modality_cue": record.get("modality_cue"), "place": record.get("event_loc"),
        "context": ev.get("context") or [],  # records written before contexts had evidence: none
    }


def _article_out(art: dict[str, Any]) -> dict[str, Any]:
    keys = ("id", "title", "url", "outlet", "published", "byline", "text")
    out = {k: art.get(k) for k in keys}
    if isinstance(out["published"], date):
        out["published"] = out["published"].isoformat()
    return out


def _actor_counts(store: Store, f: q.EventFilter) -> list[dict[str, Any]]:
    rows = q.aggregate(store, f, "actor_code AS code, actor_sector AS sector, actor_text AS name, count(*) AS n",
                       "1, 2, 3", "n DESC")
    # a recipient that is a thing ("rejected the plans": types.yaml thing_target) is no actor
    rows_r = q.aggregate(store, f, "recipient_code AS code, recipient_sector AS sector, recipient_text AS name, "
                         "json_extract_string(record, '$.recipient[0].kind') AS kind, count(*) AS n",
                         "1, 2, 3, 4", "n DESC")
    counts: dict[tuple[Any, Any, Any], dict[str, Any]] = {}
    for role, part in (("as_actor", rows), ("as_recipient", rows_r)):
        for r in part:
            if (r["code"] is None and r["name"] is None) or r.get("kind") == "thing":
                continue
            key = (r["code"], r["sector"], r["name"])
            c = counts.setdefault(key, {"code": r["code"], "sector": r["sector"], "name": r["name"],
                                        "as_actor": 0, "as_recipient": 0})
            c[role] += int(r["n"])
    out = list(counts.values())
    for c in out:
        c["total"] = c["as_actor"] + c["as_recipient"]
    out.sort(key=lambda c: (-c["total"], str(c["code"]), str(c["name"])))
    return out


def _dyads(store: Store, f: q.EventFilter, interval: str) -> list[dict[str, Any]]:
    width = {"day": 10, "month": 7, "year": 4}[interval]
    period = f"left(({q.EFFECTIVE_DATE}), {width})"
    rows = q.aggregate(store, f, f"actor_code AS a, recipient_code AS b, {period} AS period, quad_code AS quad, "
                       "count(*) AS n", "1, 2, 3, 4", "1, 2, 3, 4")
    pairs: dict[tuple[str, str], dict[str, Any]] = {}
    for r in rows:
        if not r["a"] or not r["b"]:
            continue
        d = pairs.setdefault((r["a"], r["b"]), {"actor": r["a"], "recipient": r["b"], "total": 0,
                                                "by_quad": {str(k): 0 for k in range(1, 5)}, "series": {}})
        n = int(r["n"])
        d["total"] += n
        d["by_quad"][str(r["quad"])] = d["by_quad"].get(str(r["quad"]), 0) + n
        per = d["series"].setdefault(r["period"] or "unknown", {"period": r["period"] or "unknown", "count": 0,
                                                                "by_quad": {}})
        per["count"] += n
        per["by_quad"][str(r["quad"])] = per["by_quad"].get(str(r["quad"]), 0) + n
    out = sorted(pairs.values(), key=lambda d: (-d["total"], d["actor"], d["recipient"]))
    for d in out:
        d["series"] = sorted(d["series"].values(), key=lambda s: s["period"])
    return out


def _numeric(code: str | None) -> str | None:
    if not code:
        return None
    import pycountry

    c = pycountry.countries.get(alpha_3=code)
    return str(c.numeric) if c else None


def _watchlist_out(w: Watchlist) -> dict[str, Any]:
    return {**w.model_dump(), "feed": f"/api/watchlists/{w.id}/feed.atom"}


def _ingest(state: AppState, data: ArticleIn) -> dict[str, Any]:
    from ..pipeline import get_pipeline
    from ..sources.dedupe import Deduper
    from ..stages.read import read_text
    from ..store import Batch, CodedArticle

    article = read_text(data.text, "api", id=data.id, url=data.url, published=data.published,
                        outlet=data.outlet, title=data.title)
    doc = get_pipeline().process(article)
    signature = Deduper().check(article).signature
    with state.lock, state.store.writing() as st:
        written = st.write_batch(Batch(coded=[CodedArticle(article, doc.events, signature)], run_id="api"))
    rows = q.query_events(state.store, q.EventFilter(article_id=article.id))
    return {"article_id": article.id, "stored": written.articles == 1, "events": [_public(r) for r in rows]}


ATOM = "http://www.w3.org/2005/Atom"


def atom_feed(wl: Watchlist, rows: list[dict[str, Any]], base_url: str) -> bytes:
    """An Atom 1.0 document of the rows (built with ElementTree: every text is escaped)."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _sub(feed, "title", f"eventwire watchlist: {wl.name}")
    _sub(feed, "id", f"urn:eventwire:watchlist:{wl.id}")
    updated = max((str(r.get("published") or "") for r in rows), default="") or wl.created[:10]
    _sub(feed, "updated", _atom_time(updated))
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=f"{base_url}api/watchlists/{wl.id}/feed.atom")
    author = ET.SubElement(feed, f"{{{ATOM}}}author")
    _sub(author, "name", "eventwire")
    for r in rows:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        who = f"{r.get('actor_code') or '---'} {r['event']} {r.get('recipient_code') or '---'}"
        _sub(entry, "title", f"{who} ({r.get('date') or r.get('published') or 'undated'})")
        _sub(entry, "id", f"urn:eventwire:event:{r['id']}")
        _sub(entry, "updated", _atom_time(str(r.get("published") or updated)))
        ET.SubElement(entry, f"{{{ATOM}}}link", href=f"{base_url}#event={r['id']}")
        sentence = ((r["record"].get("evidence") or {}).get("sentence") or {}).get("text") or ""
        _sub(entry, "summary", f"{sentence} [{r.get('outlet') or ''}; {r.get('modality')}]")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def _sub(parent: ET.Element, tag: str, text: str) -> ET.Element:
    el = ET.SubElement(parent, f"{{{ATOM}}}{tag}")
    el.text = text
    return el


def _atom_time(day: str) -> str:
    return (day[:10] if len(day) >= 10 else "1970-01-01") + "T00:00:00Z"
