"""The PLOVER 2.0 event-type table (data/plover/types.yaml) as typed objects.

>>> types = load_plover_types()
>>> types["AID"].quad, types["AID"].requires_recipient
(2, True)
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from types import MappingProxyType
from typing import Any

import yaml

from .errors import DataError

QUAD_VERBAL_COOPERATION = 1
QUAD_MATERIAL_COOPERATION = 2
QUAD_VERBAL_CONFLICT = 3
QUAD_MATERIAL_CONFLICT = 4


@dataclass(frozen=True, slots=True)
class PloverType:
    """One PLOVER event type and its facts from the manual."""

    name: str
    quad: int  # 1 verbal coop, 2 material coop, 3 verbal conflict, 4 material conflict
    requires_recipient: bool
    modes: tuple[str, ...]
    cameo_roots: tuple[str, ...]  # CAMEO roots mapping to this type as a whole
    cameo_also: tuple[str, ...]  # CAMEO roots where only some sub-codes map here
    cameo_primary: str = ""  # the root an event of this type exports as (first root unless given)
    cameo_by_mode: tuple[tuple[str, str], ...] = ()  # (mode, root): modes that select another root
    quad_name: str = ""
    future_as: str = ""  # the type a future-tense event of this type is coded as ("" = itself)
    refusal_mode: str | None = None  # REJECT mode of a declared refusal ("will not X"); None: no refusal
    failure_is_refusal: bool = False  # "failed to X" is that refusal too ("failed to reach agreement")
    threat_mode: str | None = None  # THREATEN mode when the actor declares it will do this; None: never
    willing_as: str = ""  # the type when the actor offers or is willing to do it ("" = future_as)
    thing_target: bool = False  # the recipient may be an uncoded thing ("rejected the referendum")


def _data_file(name: str) -> Any:
    return resources.files("eventwire") / "data" / "plover" / name


def load_plover_yaml(stem: str) -> dict[str, Any]:
    """The parsed ``data/plover/<stem>.yaml``, validated against ``<stem>.schema.json``;
    a :class:`DataError` naming the file when it cannot be read or does not match."""
    import jsonschema

    try:
        raw = yaml.safe_load(_data_file(f"{stem}.yaml").read_text(encoding="utf-8"))
        schema = json.loads(_data_file(f"{stem}.schema.json").read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError, json.JSONDecodeError) as e:
        raise DataError(
            f"cannot read data/plover/{stem}.yaml or its schema: {e}"
        ) from None
    try:
        jsonschema.validate(raw, schema)
    except jsonschema.ValidationError as e:
        raise DataError(
            f"data/plover/{stem}.yaml does not match its schema: {e.message}"
        ) from None
    return raw


def load_plover_types_raw() -> dict[str, Any]:
    """The parsed types.yaml, validated against types.schema.json."""
    return load_plover_yaml("types")


@lru_cache(maxsize=1)
def load_plover_types() -> Mapping[str, PloverType]:
    """Return the 16 PLOVER types keyed by name (read-only mapping, cached)."""
    raw = load_plover_types_raw()
    names = raw["quad_names"]
    out: dict[str, PloverType] = {}
    for name, entry in raw["types"].items():
        out[name] = PloverType(
            name=name,
            quad=int(entry["quad"]),
            requires_recipient=bool(entry["requires_recipient"]),
            modes=tuple(entry["modes"]),
            cameo_roots=tuple(entry["cameo_roots"]),
            cameo_also=tuple(entry["cameo_also"]),
            quad_name=str(names[str(entry["quad"])]),
            cameo_primary=str(entry.get("cameo_primary") or (entry["cameo_roots"] or entry["cameo_also"])[0]),
            cameo_by_mode=tuple(sorted(entry.get("cameo_by_mode", {}).items())),
            future_as=str(entry.get("future_as", "")),
            refusal_mode=entry.get("refusal_mode"),
            failure_is_refusal=bool(entry.get("failure_is_refusal", False)),
            threat_mode=entry.get("threat_mode"),
            thing_target=bool(entry.get("thing_target", False)),
            willing_as=str(entry.get("willing_as", "")),
        )
    return MappingProxyType(out)


def cameo_root(event_type: str, modes: Sequence[str] = ()) -> str:
    """The two-digit CAMEO root an event exports as: a mode that selects a root wins,
    else the type's primary root (data/plover/types.yaml; README there)."""
    t = load_plover_types().get(event_type)
    if t is None:
        return ""
    by_mode = dict(t.cameo_by_mode)
    for m in modes:
        if m in by_mode:
            return by_mode[m]
    return t.cameo_primary


def plover_type_names() -> tuple[str, ...]:
    """The 16 type names in the table's order."""
    return tuple(load_plover_types())


def quad_code(event_type: str) -> int:
    """The quad class (1-4) of an event type; DataError for an unknown type."""
    try:
        return load_plover_types()[event_type].quad
    except KeyError:
        raise DataError(
            f"unknown PLOVER event type {event_type!r}; known: {', '.join(plover_type_names())}"
        ) from None
