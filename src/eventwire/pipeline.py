"""The pipeline: one typed record (``Document``) through named stages.

    read -> nlp -> actors -> events -> dyads -> context -> attribution -> time -> place -> output

``Pipeline`` loads every model and data file once (``open``), then codes articles
one by one or in batches (``process`` / ``process_many``). ``run_info()`` records
the configuration and model versions of a run.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from . import CODER, __version__
from .config import Config
from .learn.infer import load_dyad_model
from .records import Article, Document, Event
from .stages import nlp as nlp_stage
from .stages.actors import ActorCoder
from .stages.attribution import Attributor
from .stages.context import ContextTagger, load_contexts
from .stages.dyads import DyadTyper, cue_list_version
from .stages.events import EventCoder, load_lexicon
from .stages.place import PlaceResolver
from .stages.time import date_events


class Pipeline:
    """Codes articles into events. Create once, reuse for many articles."""

    def __init__(self, config: Config | None = None) -> None:
        self.config = config or Config()
        self.nlp = nlp_stage.load_pipeline(self.config.spacy_model)
        self.actors = ActorCoder(self.config)
        events = EventCoder(self.actors, self.config)
        self.dyad_model = None if self.config.fast else load_dyad_model()
        self.places = PlaceResolver(use_encoder=not self.config.fast)
        self.stages: list[tuple[str, Any]] = [
            ("actors", self.actors),
            ("events", events),
            *([("dyads", DyadTyper(events, self.dyad_model, self.config.model_threshold))] if self.dyad_model else []),
            ("context", ContextTagger()),
            ("attribution", Attributor(self.actors, self.config)),
            ("time", date_events),
            ("place", self.places),
        ]

        #: CPU seconds spent in each stage since the pipeline was made ("nlp" included); the
        #: benchmark reads it to report what each stage costs (e.g. the actor look-up share).
        self.stage_seconds: dict[str, float] = {"nlp": 0.0, **{n: 0.0 for n, _ in self.stages}}

    def process(self, article: Article) -> Document:
        t0 = time.process_time()
        document = nlp_stage.parse(Document(article), self.nlp)
        self.stage_seconds["nlp"] += time.process_time() - t0
        return self._after_nlp(document)

    def process_many(self, articles: Iterable[Article], batch_size: int = 16) -> Iterator[Document]:
        batch: list[Document] = []
        for art in articles:
            batch.append(Document(art))
            if len(batch) >= batch_size:
                yield from self._run_batch(batch, batch_size)
                batch = []
        if batch:
            yield from self._run_batch(batch, batch_size)

    def _run_batch(self, batch: list[Document], batch_size: int) -> Iterator[Document]:
        t0 = time.process_time()
        parsed = list(nlp_stage.parse_many(batch, self.nlp, batch_size=batch_size))
        self.stage_seconds["nlp"] += time.process_time() - t0
        for d in parsed:
            yield self._after_nlp(d)

    def _after_nlp(self, document: Document) -> Document:
        for name, stage in self.stages:
            t0 = time.process_time()
            document = stage(document)
            self.stage_seconds[name] += time.process_time() - t0
        events = [e for e in document.events if e.confidence >= self.config.min_confidence]
        document.events = events
        return document

    def run_info(self) -> dict[str, Any]:
        return {
            "coder": CODER,
            "eventwire_version": __version__,
            "started": datetime.now(UTC).isoformat(timespec="seconds"),
            "config": self.config.as_dict(),
            "spacy": nlp_stage.model_info(self.nlp),
            "event_lexicon_version": load_lexicon().version,
            "cue_list_version": cue_list_version(),
            "context_table_version": load_contexts().version,
            "dyad_model": None if self.dyad_model is None else self.dyad_model.info(),
            "location_model": self.places.model_info(),
            "stages": ["read", "nlp", *[n for n, _ in self.stages], "output"],
        }


_DEFAULT: dict[Config, Pipeline] = {}


def get_pipeline(config: Config | None = None) -> Pipeline:
    """A process-wide pipeline per configuration (models load once)."""
    cfg = config or Config()
    if cfg not in _DEFAULT:
        _DEFAULT[cfg] = Pipeline(cfg)
    return _DEFAULT[cfg]


def code_article(article: Article, config: Config | None = None) -> list[Event]:
    """Events of one article."""
    return get_pipeline(config).process(article).events
