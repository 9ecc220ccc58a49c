"""Query a store and export its events: filters -> parameterised SQL over DuckDB -> rows / files.

>>> rows = query(Store("store"), actor="KEN", type="ACCUSE", date_from="2024-03-01")
>>> write_export(rows, "gdelt", sys.stdout)

A row is the ``events`` table's columns (see ``eventwire.store.EVENT_SCHEMA``) plus the
article's ``url`` and ``title``, with ``record`` parsed into the PLOVER JSON dict. Actor
corrections saved with :func:`add_correction` are applied to every row (codes, sectors and
the record's actor/recipient entries), and filters see the corrected codes.

User SQL (``sql=``) runs on a fresh in-memory DuckDB connection with views ``events``,
``articles``, ``quarantine``, ``duplicates``, ``runs``; one SELECT statement only; file
access outside the store folder is disabled and the configuration is locked.
Column mappings of the exports are in docs/exports.md.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, fields
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import IO, Any

from .errors import ConfigError
from .store import TABLES, Store

EXPORT_FORMATS: tuple[str, ...] = ("jsonl", "gdelt", "icews", "parquet", "csv")
APP_DIR = "app"  # DIR/app/: the web app's state (corrections.jsonl, watchlists.json)
CORRECTIONS_FILE = "corrections.jsonl"
_DATE_RE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_CODE_RE = re.compile(r"^[A-Z]{3}$")


@dataclass(slots=True)
class EventFilter:
    """Filters of an event query; every field is optional and they combine with AND.

    ``actor``: an actor code (three capitals, ``KEN``: matched on the code only) or part of a
    name (``kenya``, ``Wekesa``: matched on the code or the mention text), in either role.
    ``country``: a country code in either role or as the event's place.
    ``sector``: a sector code (``GOV``, ``MIL``...) in either role.
    ``type``/``modality``: one value or several separated by commas.
    ``quad``: 1-4. ``date_from``/``date_to``: YYYY[-MM[-DD]], inclusive, on the event date
    (the publication date when the event has none). ``attributed_to``: a speaker's name
    (part of it) or code in the attribution chain. ``recipient``: like actor, target role only.
    ``context``: a PLOVER context (``military``, ``election``...) or several separated by
    commas; an event matches when it has any of them.
    """

    actor: str | None = None
    country: str | None = None
    sector: str | None = None
    type: str | None = None
    quad: int | None = None
    date_from: str | None = None
    date_to: str | None = None
    modality: str | None = None
    attributed_to: str | None = None
    recipient: str | None = None
    article_id: str | None = None
    outlet: str | None = None
    event_id: str | None = None
    context: str | None = None

    def as_dict(self) -> dict[str, Any]:
        """The filters that are set."""
        return {k: v for k, v in asdict(self).items() if v not in (None, "")}


@dataclass(frozen=True, slots=True)
class Correction:
    """An analyst's correction: every mention whose text is ``entity`` gets ``code``/``sector``."""

    entity: str
    code: str | None
    sector: str | None = None
    note: str = ""
    created: str = ""


# ---------------------------------------------------------------------- connection


def connect(store: Store) -> Any:
    """An in-memory DuckDB connection with the store's views (no lock on ``catalog.duckdb``,
    so a run can write while the app reads)."""
    import duckdb

    con = duckdb.connect(":memory:")
    for table in TABLES:
        con.execute(f"CREATE VIEW {table} AS SELECT * FROM {_scan_sql(store, table)}")
    return con


def _scan_sql(store: Store, table: str) -> str:
    scan = getattr(store, "scan_sql", None) or store._scan
    return str(scan(table))


def _sandbox(con: Any, store: Store) -> None:
    """Forbid file access outside the store, then lock the configuration."""
    root = str(store.path).replace("'", "''")
    con.execute(f"SET allowed_directories = ['{root}']")
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")


# ---------------------------------------------------------------------- filters -> SQL


def _values(value: str | Sequence[str] | None) -> list[str]:
    if value is None:
        return []
    items = value.split(",") if isinstance(value, str) else list(value)
    return [v.strip() for v in items if v and v.strip()]


def _check_date(name: str, value: str | None) -> None:
    if value is not None and not _DATE_RE.match(value):
        raise ConfigError(f"{name} {value!r} is not YYYY, YYYY-MM or YYYY-MM-DD, e.g. 2024-03-06")


def _pad_date(value: str, end: bool) -> str:
    if len(value) == 4:
        return value + ("-12-31" if end else "-01-01")
    if len(value) == 7:
        return value + ("-31" if end else "-01")
    return value


EFFECTIVE_DATE = (
    "CASE WHEN length(e.date) = 4 THEN e.date || '-01-01' WHEN length(e.date) = 7 THEN e.date || '-01' "
    "WHEN e.date IS NOT NULL THEN e.date ELSE CAST(e.published AS VARCHAR) END"
)
_ATTRIBUTION = (
    "EXISTS (SELECT 1 FROM unnest(from_json(json_extract(e.record, '$.attribution'), "
    "'[{\"kind\":\"VARCHAR\",\"name\":\"VARCHAR\",\"code\":\"VARCHAR\",\"entity_text\":\"VARCHAR\"}]')) AS t(s) "
    "WHERE s.kind = 'source' AND (s.name ILIKE ? OR s.entity_text ILIKE ? OR s.code = ?))"
)


def where_clause(f: EventFilter) -> tuple[str, list[Any]]:
    """The SQL condition (over alias ``e`` of the corrected events) and its parameters."""
    conds: list[str] = []
    params: list[Any] = []

    def party(value: str, roles: tuple[str, ...]) -> None:
        ors = []
        for role in roles:
            if _CODE_RE.match(value):  # "KEN": the code only (not "Kenyan" by name)
                ors.append(f"e.{role}_code = ?")
                params.append(value)
            else:
                ors.append(f"e.{role}_code = ? OR e.{role}_text ILIKE ?")
                params.extend([value.upper(), f"%{value}%"])
        conds.append("(" + " OR ".join(ors) + ")")

    if f.actor:
        party(f.actor, ("actor", "recipient"))
    if f.recipient:
        party(f.recipient, ("recipient",))
    if f.country:
        conds.append("(e.actor_code = ? OR e.recipient_code = ? OR e.place_country = ?)")
        params.extend([f.country.upper()] * 3)
    if f.sector:
        conds.append("(e.actor_sector = ? OR e.recipient_sector = ?)")
        params.extend([f.sector.upper()] * 2)
    for column, value in (("event", f.type), ("modality", f.modality)):
        vals = _values(value)
        if vals:
            conds.append(f"e.{column} IN ({', '.join('?' for _ in vals)})")
            params.extend(v.upper() if column == "event" else v.lower() for v in vals)
    contexts = _values(f.context)
    if contexts:
        conds.append("list_has_any(e.context, [" + ", ".join("?" for _ in contexts) + "])")
        params.extend(v.lower() for v in contexts)
    if f.quad is not None:
        conds.append("e.quad_code = ?")
        params.append(int(f.quad))
    _check_date("date_from", f.date_from)
    _check_date("date_to", f.date_to)
    if f.date_from:
        conds.append(f"({EFFECTIVE_DATE}) >= ?")
        params.append(_pad_date(f.date_from, end=False))
    if f.date_to:
        conds.append(f"({EFFECTIVE_DATE}) <= ?")
        params.append(_pad_date(f.date_to, end=True))
    if f.attributed_to:
        conds.append(_ATTRIBUTION)
        params.extend([f"%{f.attributed_to}%", f"%{f.attributed_to}%", f.attributed_to.upper()])
    if f.article_id:
        conds.append("e.article_id = ?")
        params.append(f.article_id)
    if f.event_id:
        conds.append("e.id = ?")
        params.append(f.event_id)
    if f.outlet:
        conds.append("e.outlet ILIKE ?")
        params.append(f"%{f.outlet}%")
    return (" AND ".join(conds) or "TRUE"), params


def _corrected_events_sql() -> str:
    """``events`` with the corrections (temporary table ``corr``) applied to codes and sectors."""
    return (
        "SELECT ev.* REPLACE ("
        " COALESCE(ca.code, ev.actor_code) AS actor_code, COALESCE(ca.sector, ev.actor_sector) AS actor_sector,"
        " COALESCE(cr.code, ev.recipient_code) AS recipient_code,"
        " COALESCE(cr.sector, ev.recipient_sector) AS recipient_sector)"
        " FROM events ev"
        " LEFT JOIN corr ca ON lower(ev.actor_text) = ca.key"
        " LEFT JOIN corr cr ON lower(ev.recipient_text) = cr.key"
    )


def _register_corrections(con: Any, corrections: Sequence[Correction]) -> None:
    con.execute("CREATE TEMP TABLE corr (key VARCHAR, code VARCHAR, sector VARCHAR)")
    latest = {c.entity.lower(): c for c in corrections}  # the last correction of an entity wins
    if latest:
        con.executemany("INSERT INTO corr VALUES (?, ?, ?)", [[k, c.code, c.sector] for k, c in latest.items()])


# ---------------------------------------------------------------------- queries


def query(
    store: Store | str | Path,
    actor: str | None = None,
    country: str | None = None,
    sector: str | None = None,
    type: str | None = None,
    quad: int | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
    modality: str | None = None,
    attributed_to: str | None = None,
    sql: str | None = None,
    limit: int | None = None,
    *,
    offset: int = 0,
    recipient: str | None = None,
    article_id: str | None = None,
    outlet: str | None = None,
    context: str | None = None,
) -> list[dict[str, Any]]:
    """Events of the store matching the filters (corrections applied), ordered by date then id.

    With ``sql`` the filters are ignored: the user's SELECT runs read-only against the views
    and its rows are returned as dicts (a ``record`` column is parsed when present)."""
    st = _as_store(store)
    if sql is not None:
        return run_sql(st, sql, limit)
    f = EventFilter(actor, country, sector, type, quad, date_from, date_to, modality, attributed_to,
                    recipient, article_id, outlet, context=context)
    return query_events(st, f, limit=limit, offset=offset)


def query_events(store: Store, f: EventFilter, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]:
    """Rows of the events matching ``f`` (see the module docstring), with paging."""
    where, params = where_clause(f)
    sql = (f"WITH e AS ({_corrected_events_sql()}) "
           "SELECT e.*, a.url AS url, a.title AS title FROM e LEFT JOIN articles a ON a.id = e.article_id "
           f"WHERE {where} ORDER BY ({EFFECTIVE_DATE}) NULLS LAST, e.id")
    if limit is not None:
        sql += " LIMIT ? OFFSET ?"
        params = [*params, int(limit), int(offset)]
    corrections = load_corrections(store)
    con = connect(store)
    try:
        _register_corrections(con, corrections)
        rows = _fetch(con.execute(sql, params))
    finally:
        con.close()
    return [_finish_row(r, corrections) for r in rows]


def count_events(store: Store, f: EventFilter) -> int:
    """How many events match ``f``."""
    where, params = where_clause(f)
    con = connect(store)
    try:
        _register_corrections(con, load_corrections(store))
        sql = f"WITH e AS ({_corrected_events_sql()}) SELECT count(*) FROM e WHERE {where}"
        return int(con.execute(sql, params).fetchone()[0])
    finally:
        con.close()


def aggregate(store: Store, f: EventFilter, select: str, group_by: str, order_by: str) -> list[dict[str, Any]]:
    """``SELECT {select} ... GROUP BY {group_by}`` over the filtered, corrected events (alias
    ``e``). ``select``/``group_by``/``order_by`` are trusted SQL written in this package."""
    where, params = where_clause(f)
    sql = (f"WITH e AS ({_corrected_events_sql()}) SELECT {select} FROM e WHERE {where} "
           f"GROUP BY {group_by} ORDER BY {order_by}")
    con = connect(store)
    try:
        _register_corrections(con, load_corrections(store))
        return _fetch(con.execute(sql, params))
    finally:
        con.close()


def run_sql(store: Store, sql: str, limit: int | None = None) -> list[dict[str, Any]]:
    """Run one user SELECT read-only against the views; ConfigError when it is not a single
    SELECT or fails."""
    import duckdb

    con = connect(store)
    try:
        _sandbox(con, store)
        try:
            statements = con.extract_statements(sql)
        except duckdb.Error as err:
            raise ConfigError(f"the SQL does not parse: {err}") from None
        if len(statements) != 1 or statements[0].type != duckdb.StatementType.SELECT:
            raise ConfigError("only one SELECT (or WITH ... SELECT) statement is allowed")
        try:
            rel = con.sql(sql)
            if limit is not None:
                rel = rel.limit(int(limit))
            rows = _fetch_rel(rel)
        except duckdb.Error as err:
            raise ConfigError(f"the SQL failed: {err}") from None
    finally:
        con.close()
    for r in rows:
        if isinstance(r.get("record"), str):
            r["record"] = json.loads(r["record"])
    return rows


def get_article(store: Store, article_id: str) -> dict[str, Any] | None:
    """An article's row (without its MinHash signature), or None."""
    con = connect(store)
    try:
        rows = _fetch(con.execute("SELECT * EXCLUDE (signature) FROM articles WHERE id = ?", [article_id]))
    finally:
        con.close()
    return rows[0] if rows else None


def _fetch(cursor: Any) -> list[dict[str, Any]]:
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row)) for row in cursor.fetchall()]


def _fetch_rel(rel: Any) -> list[dict[str, Any]]:
    names = list(rel.columns)
    return [dict(zip(names, row)) for row in rel.fetchall()]


def _as_store(store: Store | str | Path) -> Store:
    return store if isinstance(store, Store) else Store(store)


def _finish_row(row: dict[str, Any], corrections: Sequence[Correction]) -> dict[str, Any]:
    record = json.loads(row["record"]) if isinstance(row.get("record"), str) else row.get("record") or {}
    row["record"] = apply_corrections(record, corrections)
    return row


# ---------------------------------------------------------------------- corrections


def corrections_path(store: Store) -> Path:
    """``DIR/app/corrections.jsonl``."""
    return store.path / APP_DIR / CORRECTIONS_FILE


def load_corrections(store: Store) -> list[Correction]:
    """The corrections saved in the store, oldest first."""
    path = corrections_path(store)
    if not path.exists():
        return []
    out = []
    names = {f.name for f in fields(Correction)}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            raw = json.loads(line)
            out.append(Correction(**{k: v for k, v in raw.items() if k in names}))
    return out


def add_correction(store: Store, correction: Correction) -> Correction:
    """Validate and append a correction (``code``: 3 capital letters, or None to clear)."""
    if not correction.entity.strip():
        raise ConfigError("a correction needs the entity text it applies to")
    if correction.code is not None and not _CODE_RE.match(correction.code):
        raise ConfigError(f"actor code {correction.code!r} is not three capital letters, e.g. KEN")
    path = corrections_path(store)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(asdict(correction), ensure_ascii=False) + "\n")
    return correction


def apply_corrections(record: dict[str, Any], corrections: Sequence[Correction]) -> dict[str, Any]:
    """The PLOVER record with corrected actor/recipient/speaker codes (each changed entry gets
    ``"corrected": true``)."""
    if not corrections:
        return record
    latest = {c.entity.lower(): c for c in corrections}
    for role in ("actor", "recipient", "attribution"):
        for entity in record.get(role) or []:
            c = latest.get(str(entity.get("entity_text") or "").lower())
            if c is not None:
                entity["code"] = c.code
                if c.sector is not None:
                    entity["sector"] = c.sector
                entity["corrected"] = True
    return record


# ---------------------------------------------------------------------- exports


def cameo_root_of(row: dict[str, Any]) -> str:
    """The event's CAMEO root: the record's own (modes can select it), else the type's primary."""
    from .plover import cameo_root

    rec = row.get("record") or {}
    return rec.get("cameo_root") or cameo_root(row["event"], row.get("mode") or ())


@lru_cache(maxsize=512)
def country_name(code: str | None) -> str:
    """A country's short name from its alpha-3 code ("" when unknown)."""
    if not code:
        return ""
    import pycountry

    c = pycountry.countries.get(alpha_3=code)
    return str(getattr(c, "name", "")) if c else ""


def _yyyymmdd(row: dict[str, Any]) -> str:
    value = row.get("date") or (row["published"].isoformat() if row.get("published") else "")
    return _pad_date(value, end=False).replace("-", "") if value else ""


def _iso_date(row: dict[str, Any]) -> str:
    value = row.get("date") or (row["published"].isoformat() if row.get("published") else "")
    return _pad_date(value, end=False) if value else ""


def _cameo_actor(code: str | None, sector: str | None) -> str:
    return (code or "") + (sector or "")


def _entity_name(record: dict[str, Any], role: str) -> str:
    ents = record.get(role) or []
    if not ents:
        return ""
    return str(ents[0].get("canonical") or ents[0].get("entity_text") or "")


def _speaker(record: dict[str, Any]) -> str:
    chain = [s for s in record.get("attribution") or [] if s.get("kind") == "source"]
    return str(chain[-1].get("name") or "") if chain else ""


def _evidence(record: dict[str, Any]) -> str:
    sentence = ((record.get("evidence") or {}).get("sentence") or {}).get("text") or ""
    return " ".join(sentence.split())


GDELT_COLUMNS: tuple[str, ...] = (
    "GLOBALEVENTID", "SQLDATE", "MonthYear", "Year", "Actor1Code", "Actor1Name", "Actor1CountryCode",
    "Actor1Type1Code", "Actor2Code", "Actor2Name", "Actor2CountryCode", "Actor2Type1Code", "IsRootEvent",
    "EventCode", "EventBaseCode", "EventRootCode", "QuadClass", "GoldsteinScale", "ActionGeo_Type",
    "ActionGeo_FullName", "ActionGeo_CountryCode", "ActionGeo_Lat", "ActionGeo_Long", "DATEADDED",
    "SOURCEURL", "PLOVER_Type", "Modality", "AttributedTo", "Evidence",
)
_GEO_TYPE = {"country": "1", "admin1": "2", "city": "4"}


def gdelt_row(row: dict[str, Any]) -> dict[str, Any]:
    """A GDELT-1.0-style row (CAMEO-ish codes) of a query row; see docs/exports.md."""
    rec = row["record"]
    loc = rec.get("event_loc") or {}
    day = _yyyymmdd(row)
    root = cameo_root_of(row)
    return {
        "GLOBALEVENTID": row["id"], "SQLDATE": day, "MonthYear": day[:6], "Year": day[:4],
        "Actor1Code": _cameo_actor(row.get("actor_code"), row.get("actor_sector")),
        "Actor1Name": _entity_name(rec, "actor"), "Actor1CountryCode": row.get("actor_code") or "",
        "Actor1Type1Code": row.get("actor_sector") or "",
        "Actor2Code": _cameo_actor(row.get("recipient_code"), row.get("recipient_sector")),
        "Actor2Name": _entity_name(rec, "recipient"), "Actor2CountryCode": row.get("recipient_code") or "",
        "Actor2Type1Code": row.get("recipient_sector") or "", "IsRootEvent": "1",
        "EventCode": root, "EventBaseCode": root, "EventRootCode": root,
        "QuadClass": row.get("quad_code") or "", "GoldsteinScale": "",
        "ActionGeo_Type": _GEO_TYPE.get(str(loc.get("resolution")), "") if loc else "",
        "ActionGeo_FullName": row.get("place_name") or "", "ActionGeo_CountryCode": row.get("place_country") or "",
        "ActionGeo_Lat": _num(row.get("lat")), "ActionGeo_Long": _num(row.get("lon")),
        "DATEADDED": row["published"].strftime("%Y%m%d") if row.get("published") else "",
        "SOURCEURL": row.get("url") or "", "PLOVER_Type": row["event"], "Modality": row.get("modality") or "",
        "AttributedTo": _speaker(rec), "Evidence": _evidence(rec),
    }


ICEWS_COLUMNS: tuple[str, ...] = (
    "Event ID", "Event Date", "Source Name", "Source Sectors", "Source Country", "Event Text", "CAMEO Code",
    "Intensity", "Target Name", "Target Sectors", "Target Country", "Story ID", "Sentence Number",
    "Publisher", "City", "District", "Province", "Country", "Latitude", "Longitude",
)


def icews_row(row: dict[str, Any], article_text: str | None = None) -> dict[str, Any]:
    """An ICEWS-style row of a query row; see docs/exports.md."""
    rec = row["record"]
    loc = rec.get("event_loc") or {}
    return {
        "Event ID": row["id"], "Event Date": _iso_date(row),
        "Source Name": _entity_name(rec, "actor"), "Source Sectors": row.get("actor_sector") or "",
        "Source Country": country_name(row.get("actor_code")),
        "Event Text": " ".join([row["event"], *(row.get("mode") or [])]).strip(),
        "CAMEO Code": cameo_root_of(row), "Intensity": "",
        "Target Name": _entity_name(rec, "recipient"), "Target Sectors": row.get("recipient_sector") or "",
        "Target Country": country_name(row.get("recipient_code")),
        "Story ID": row["article_id"],
        "Sentence Number": sentence_number(article_text, row.get("sentence_start")),
        "Publisher": row.get("outlet") or "",
        "City": row.get("place_name") or "" if loc.get("resolution") == "city" else "",
        "District": "",
        "Province": loc.get("admin1") or "" if loc else "",
        "Country": country_name(row.get("place_country")),
        "Latitude": _num(row.get("lat")), "Longitude": _num(row.get("lon")),
    }


def sentence_number(text: str | None, start: int | None) -> str:
    """1-based number of the sentence starting at ``start`` (counted by end punctuation and
    paragraph breaks before it); "" when the text is unknown."""
    if text is None or start is None:
        return ""
    before = text[:start]
    return str(1 + len(re.findall(r"[.!?][\"'”’)]*\s+|\n\s*\n", before)))


def _num(value: Any) -> str:
    return "" if value is None else f"{float(value):.5f}"


def _write_tsv(rows: Iterable[dict[str, Any]], columns: Sequence[str], fh: IO[str]) -> int:
    writer = csv.DictWriter(fh, fieldnames=list(columns), delimiter="\t", lineterminator="\n",
                            quoting=csv.QUOTE_MINIMAL)
    writer.writeheader()
    n = 0
    for r in rows:
        writer.writerow({k: _clean_cell(v) for k, v in r.items()})
        n += 1
    return n


def _clean_cell(value: Any) -> Any:
    return " ".join(value.split()) if isinstance(value, str) else value


def _article_texts(store: Store, rows: Sequence[dict[str, Any]]) -> dict[str, str]:
    ids = sorted({r["article_id"] for r in rows})
    if not ids:
        return {}
    con = connect(store)
    try:
        got = con.execute("SELECT id, text FROM articles WHERE list_contains(?, id)", [ids]).fetchall()
    finally:
        con.close()
    return dict(got)


def flat_rows(rows: Sequence[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Rows with the record serialised back to JSON (for Parquet/CSV)."""
    for r in rows:
        yield {**r, "record": json.dumps(r["record"], ensure_ascii=False),
               "published": r.get("published")}


def write_export(rows: Sequence[dict[str, Any]], fmt: str, out: IO[Any], store: Store | None = None) -> int:
    """Write query rows as ``fmt`` (one of EXPORT_FORMATS) to ``out`` (text, or binary for
    parquet); return the number of events written."""
    if fmt == "jsonl":
        for r in rows:
            out.write(json.dumps(r["record"], ensure_ascii=False) + "\n")
        return len(rows)
    if fmt == "gdelt":
        return _write_tsv((gdelt_row(r) for r in rows), GDELT_COLUMNS, out)
    if fmt == "icews":
        texts = _article_texts(store, rows) if store is not None else {}
        return _write_tsv((icews_row(r, texts.get(r["article_id"])) for r in rows), ICEWS_COLUMNS, out)
    if fmt == "csv":
        flat = list(flat_rows(rows))
        cols = list(flat[0]) if flat else ["id"]
        w = csv.DictWriter(out, fieldnames=cols, lineterminator="\n")
        w.writeheader()
        w.writerows(flat)
        return len(flat)
    if fmt == "parquet":
        out.write(parquet_bytes(rows))
        return len(rows)
    raise ConfigError(f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")


def parquet_bytes(rows: Sequence[dict[str, Any]]) -> bytes:
    """The rows as a Parquet file (the events schema, plus url and title)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from .store import EVENT_SCHEMA

    schema = EVENT_SCHEMA.append(pa.field("url", pa.string())).append(pa.field("title", pa.string()))
    cols = set(schema.names)
    table = pa.Table.from_pylist([{k: v for k, v in r.items() if k in cols} for r in flat_rows(rows)],
                                 schema=schema)
    buf = io.BytesIO()
    pq.write_table(table, buf, compression="zstd")
    return buf.getvalue()


# ---------------------------------------------------------------------- command line


def query_cli(
    store: str | Path,
    *,
    fmt: str = "jsonl",
    output: str | Path | None = None,
    sql: str | None = None,
    limit: int | None = None,
    **filters: Any,
) -> int:
    """``eventwire query --store DIR [filters] [--sql S] [--format F] [--output FILE]``:
    write the matching events (or the SQL's rows, as JSON lines) and return the count.

    ``filters`` are EventFilter's fields (actor, country, sector, type, quad, date_from,
    date_to, modality, attributed_to, recipient, article_id, outlet, context). Parquet needs --output."""
    path = Path(store)
    if not (path / "store.json").exists():
        raise ConfigError(f"{path} is not an eventwire store (no store.json); create one with eventwire run")
    st = Store(path)
    if fmt not in EXPORT_FORMATS:
        raise ConfigError(f"unknown export format {fmt!r}; use one of {', '.join(EXPORT_FORMATS)}")
    if sql is not None:
        rows = run_sql(st, sql, limit)
        return _write_sql_rows(rows, output)
    rows = query_events(st, EventFilter(**{k: v for k, v in filters.items() if v is not None}), limit=limit)
    if fmt == "parquet":
        if output is None:
            raise ConfigError("--format parquet needs --output FILE")
        Path(output).write_bytes(parquet_bytes(rows))
        return len(rows)
    if output is None:
        return write_export(rows, fmt, sys.stdout, st)
    with open(output, "w", encoding="utf-8", newline="") as fh:
        return write_export(rows, fmt, fh, st)


def _write_sql_rows(rows: list[dict[str, Any]], output: str | Path | None) -> int:
    text = "".join(json.dumps(r, ensure_ascii=False, default=_json_default) + "\n" for r in rows)
    if output is None:
        sys.stdout.write(text)
    else:
        Path(output).write_text(text, encoding="utf-8")
    return len(rows)


def _json_default(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    return str(value)
