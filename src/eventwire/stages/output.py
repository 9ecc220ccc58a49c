"""Stage 8 — output: PLOVER 2.0 JSON records, JSON Lines, and a readable table.

A record has PLOVER's fields (id, date, actor, recipient, event, mode, context, quad_code,
event_loc, event_text; manual chapter "Data Fields") plus eventwire's evidence fields
(offsets into ``Article.text``, modality, attribution chain, the rule that fired). The exact
shape is data/schema/event.schema.json.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import resources
from typing import IO, Any

from ..errors import DataError
from ..plover import PloverType, cameo_root, load_plover_types, quad_code
from ..records import Actor, Event, Place, Span, Speaker

__all__ = [
    "PloverType",
    "load_event_schema",
    "load_plover_types",
    "render_table",
    "to_plover",
    "validate_record",
    "write_jsonl",
]

RECORD_KEYS: tuple[str, ...] = (
    "id",
    "article_id",
    "date",
    "date_precision",
    "actor",
    "recipient",
    "event",
    "mode",
    "context",
    "quad_code",
    "cameo_root",
    "event_loc",
    "event_text",
    "modality",
    "modality_cue",
    "attribution",
    "evidence",
    "confidence",
    "coder",
    "rule",
    "date_how",
    "place_how",
)


def to_plover(event: Event) -> dict[str, Any]:
    """The PLOVER JSON record of one event (keys in ``RECORD_KEYS`` order)."""
    record: dict[str, Any] = {
        "id": event.id,
        "article_id": event.article_id,
        "date": event.date.value,
        "date_precision": event.date.precision,
        "actor": [_entity(a) for a in event.actor],
        "recipient": [_entity(a) for a in event.recipient],
        "event": [event.type],
        "mode": list(event.mode),
        "context": list(event.context),
        "quad_code": quad_code(event.type),
        "cameo_root": cameo_root(event.type, event.mode),
        "event_loc": _place(event.place),
        "event_text": [event.trigger.text],
        "modality": event.modality,
        "modality_cue": _span(event.modality_cue),
        "attribution": [_speaker(s) for s in event.attribution],
        "evidence": {
            "sentence": _span(event.sentence),
            "trigger": _span(event.trigger),
            "context": [{"context": c.context, **_span(c.span), "how": c.how} for c in event.context_evidence],
        },
        "confidence": round(float(event.confidence), 4),
        "coder": event.coder,
        "rule": event.rule,
        "date_how": event.date.how,
        "place_how": event.place.how if event.place else "",
    }
    return record


def write_jsonl(events: Iterable[Event], fh: IO[str]) -> int:
    """Write one PLOVER record per line (UTF-8 text, not ASCII-escaped); return the count."""
    n = 0
    for ev in events:
        fh.write(json.dumps(to_plover(ev), ensure_ascii=False) + "\n")
        n += 1
    return n


def render_table(events: Sequence[Event], width: int | None = None) -> str:
    """A plain-text table (rich, no colour codes) of the events for people to read."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(show_lines=True, expand=False)
    for name in (
        "date",
        "actor",
        "type/mode",
        "recipient",
        "modality",
        "attributed to",
        "place",
        "evidence",
    ):
        table.add_column(name, overflow="fold")
    for ev in events:
        cells = (
            ev.date.value or "?",
            _actors_cell(ev.actor),
            ev.type + (f"\n{', '.join(ev.mode)}" if ev.mode else "")
            + (f"\ncontext: {', '.join(ev.context)}" if ev.context else ""),
            _actors_cell(ev.recipient),
            ev.modality,
            _speaker_cell(ev.attribution),
            _place_cell(ev.place),
            ev.trigger.text,
        )
        table.add_row(*(Text(c) for c in cells))  # Text: no markup parsing of "[...]"
    buf = io.StringIO()
    console = Console(
        file=buf,
        width=width or 120,
        color_system=None,
        force_terminal=False,
        legacy_windows=False,
        highlight=False,
    )
    if not events:
        console.print("no events found")
    else:
        console.print(table)
    return buf.getvalue()


@lru_cache(maxsize=1)
def load_event_schema() -> dict[str, Any]:
    """The JSON Schema of an output record (data/schema/event.schema.json)."""
    try:
        ref = resources.files("eventwire") / "data" / "schema" / "event.schema.json"
        return json.loads(ref.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as e:
        raise DataError(
            f"data/schema/event.schema.json is missing or malformed: {e}"
        ) from None


def validate_record(record: dict[str, Any]) -> None:
    """Raise jsonschema.ValidationError when ``record`` does not match the output schema."""
    import jsonschema

    jsonschema.validate(
        record, load_event_schema(), cls=jsonschema.Draft202012Validator
    )


# --------------------------------------------------------------------------- internals


def _span(span: Span | None) -> dict[str, Any] | None:
    if span is None:
        return None
    return {"start": span.start, "end": span.end, "text": span.text}


def _entity(actor: Actor) -> dict[str, Any]:
    return {
        "code": actor.code,
        "sector": actor.sector,
        "entity_text": actor.entity_text,
        "canonical": actor.canonical,
        "start": actor.start,
        "end": actor.end,
        "kind": actor.kind,
        "antecedent": list(actor.antecedent) if actor.antecedent else None,
        "evidence": list(actor.evidence),
    }


def _place(place: Place | None) -> dict[str, Any] | None:
    if place is None:
        return None
    return {
        "name": place.name,
        "country": place.country,
        "admin1": place.admin1,
        "lat": place.lat,
        "lon": place.lon,
        "geonames_id": place.geonames_id,
        "resolution": place.resolution,
        "start": place.span.start if place.span else None,
        "end": place.span.end if place.span else None,
    }


def _speaker(speaker: Speaker) -> dict[str, Any]:
    a = speaker.actor
    return {
        "kind": speaker.kind,
        "name": speaker.name,
        "code": a.code if a else None,
        "sector": a.sector if a else None,
        "entity_text": a.entity_text if a else None,
        "start": a.start if a else None,
        "end": a.end if a else None,
        "cue": _span(speaker.cue),
    }


def _actors_cell(actors: Sequence[Actor]) -> str:
    if not actors:
        return "-"
    return "\n".join(f"{a.label} {a.canonical or a.entity_text}" for a in actors)


def _speaker_cell(chain: Sequence[Speaker]) -> str:
    sources = [s for s in chain if s.kind == "source"]
    who = sources[-1] if sources else (chain[-1] if chain else None)
    if who is None:
        return "-"
    code = f" ({who.actor.label})" if who.actor and who.actor.code else ""
    cue = f" [{who.cue.text}]" if who.cue else ""
    return f"{who.name}{code}{cue}"


def _place_cell(place: Place | None) -> str:
    if place is None:
        return "-"
    return f"{place.name} ({place.country or '?'})"
