"""Classify a dyad: given a sentence, a source span and a target span, the PLOVER
event type between them (or None).

By default the learned dyad model decides (``learn.infer.DyadModel``: MiniLM-L6
fine-tuned on data the project may ship, int8 ONNX, onnxruntime), informed by the
lexicon patterns: where they find an event from the source (to the target), the
model's logit for that type gets ``Config.pattern_weight`` (4.0) added -- the two
experts agree on most pairs and each is right where the other fails (on PLV's
training file the patterns' type is right for 89 % of the 685 pairs they find an event
between; overall the model alone is right 79.5 % of the time, the two together 82.3 %;
the weight was chosen there among 0.5-12, with 3-6 within half a point). The pattern
coder runs the events and attribution stages, so the manual's tense rules (future
cooperation is AGREE, a declared attack THREATEN) shape its answer. With
``Config.fast`` (or when the model files are missing) the pattern coder answers: the
same lexicon and parse rules as the events stage, with the two spans standing in for
coded actors; when the patterns find no event from source to target, the trigger
word closest to the dependency path between them decides, and failing that the
nearest trigger in the sentence.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .config import Config
from .knowledge import get_kb
from .learn.infer import load_dyad_model
from .records import Actor, Article, Document
from .stages import nlp as nlp_stage
from .stages.attribution import Attributor
from .stages.events import EventCoder, load_lexicon


#: pattern answers that inform the model: an event from the source to the target, or from the source
PRIOR_HOWS = frozenset({"pattern", "source"})


@dataclass(frozen=True, slots=True)
class DyadResult:
    type: str | None
    how: str  # "model" | "model+pattern" | "pattern" | "source" | "reverse" | "path" | "nearest" | "none"
    trigger: str | None = None
    probability: float | None = None  # the model's, when it decided


class _SpanActors:
    """An actor coder that knows only two spans: SRC and TGT."""

    def __init__(self, src: tuple[int, int], tgt: tuple[int, int] | None) -> None:
        self.spans = {"SRC": src} if tgt is None else {"SRC": src, "TGT": tgt}
        self.kb = get_kb()  # role nouns, for the events stage's "can it act" checks

    def actor_for(self, document: Document, token: Any) -> Actor | None:
        for code, (s, e) in self.spans.items():
            if s <= token.idx < e:
                return Actor(entity_text=token.text, start=s, end=e, code=code, kind="span")
        return None


class DyadClassifier:
    """``DyadClassifier()(text, (s0, s1), (t0, t1))`` -> DyadResult."""

    def __init__(self, config: Config | None = None, nlp: Any = None) -> None:
        self.config = config or Config()
        self.nlp = nlp or nlp_stage.load_pipeline(self.config.spacy_model)
        self.lexicon = load_lexicon()
        self.model = None if self.config.fast else load_dyad_model()

    def __call__(self, text: str, source: tuple[int, int], target: tuple[int, int] | None, allow_none: bool = True) -> DyadResult:
        return self.classify_many([(text, source, target)], allow_none=allow_none)[0]

    def classify_many(
        self,
        items: Sequence[tuple[str, tuple[int, int], tuple[int, int] | None]],
        batch_size: int = 64,
        allow_none: bool = True,
    ) -> list[DyadResult]:
        """``allow_none=False`` when every pair is known to be an event (only its type is asked)."""
        if self.model is not None and not self.config.pattern_weight:
            preds = self.model.predict(list(items), batch_size=32, allow_none=allow_none)
            return [DyadResult(None if t == "NONE" else t, "model", None, p) for t, p in preds]
        docs = self.nlp.pipe((t for t, _, _ in items), batch_size=batch_size)
        patterns = [self.classify_doc(doc, s, t) for doc, (_, s, t) in zip(docs, items)]
        if self.model is None:
            return patterns
        # the patterns' answer where they found an event from the source is the model's prior
        prior = [r.type if r.how in PRIOR_HOWS else None for r in patterns]
        preds = self.model.predict(list(items), batch_size=32, allow_none=allow_none,
                                   prior=prior, weight=self.config.pattern_weight)
        return [DyadResult(None if t == "NONE" else t, "model" if pr is None else "model+pattern", r.trigger, p)
                for (t, p), pr, r in zip(preds, prior, patterns)]

    def classify_doc(self, doc: Any, source: tuple[int, int], target: tuple[int, int] | None) -> DyadResult:
        """Target None: the recipient is implicit; any event of the source counts."""
        actors = _SpanActors(source, target)
        cfg = self.config.with_overrides(keep_negated=True, require_dyad=False)
        coder = EventCoder(actors, cfg, self.lexicon)
        document = coder(Document(Article(id="dyad", text=doc.text), doc=doc))
        # tense and speaker rules of the attribution stage: future cooperation is AGREE, a
        # declared attack THREATEN (PLOVER 2.0 manual), as in the pipeline
        document = Attributor(actors, cfg)(document)
        forward = [e for e in document.events if _has(e.actor, "SRC") and _has(e.recipient, "TGT")]
        if forward:
            e = max(forward, key=lambda e: e.confidence)
            return DyadResult(e.type, "pattern", e.trigger.text)
        src_only = [e for e in document.events if _has(e.actor, "SRC")]
        if src_only:
            e = max(src_only, key=lambda e: e.confidence)
            return DyadResult(e.type, "source", e.trigger.text)
        reverse = [e for e in document.events if _has(e.actor, "TGT") and _has(e.recipient, "SRC")]
        if reverse:
            e = max(reverse, key=lambda e: e.confidence)
            return DyadResult(e.type, "reverse", e.trigger.text)
        return self._by_path(doc, source, target, coder)

    def _by_path(self, doc: Any, source: tuple[int, int], target: tuple[int, int] | None, coder: EventCoder) -> DyadResult:
        s_tok = _span_root(doc, source)
        t_tok = _span_root(doc, target) if target is not None else s_tok.head if s_tok is not None else None
        if s_tok is None or t_tok is None:
            return DyadResult(None, "none")
        s_anc = [s_tok, *s_tok.ancestors]
        t_anc = [t_tok, *t_tok.ancestors]
        t_ids = {t.i for t in t_anc}
        lca = next((t for t in s_anc if t.i in t_ids), None)
        path = [t for t in s_anc if lca is None or t.i != lca.i and t.i not in t_ids]
        if lca is not None:
            path += [lca] + [t for t in t_anc if t.i != lca.i and t.i not in {x.i for x in s_anc}]
        # the trigger on the path nearest the common ancestor, then its lexical neighbours
        ordered = sorted(path, key=lambda t: 0 if lca is not None and t.i == lca.i else 1)
        for tok in ordered:
            entry = _cue_entry(coder, tok)
            if entry is not None:
                return DyadResult(entry.type, "path", tok.text)
        mid = (s_tok.i + t_tok.i) / 2
        by_distance = sorted(doc, key=lambda t: abs(t.i - mid))
        for checked in (True, False):  # last resort: any cue word, its constraint unchecked
            for tok in by_distance:
                entry = _cue_entry(coder, tok, checked)
                if entry is not None:
                    return DyadResult(entry.type, "nearest", tok.text)
        return DyadResult(None, "none")


def _cue_entry(coder: EventCoder, tok: Any, checked: bool = True) -> Any | None:
    """The first lexicon entry of a cue word whose constraint holds here (``checked``): "said"
    is REQUEST only with a "must" clause, "signed" SUPPORT only with an agreement as object."""
    for entry in coder._entries_for(tok):
        if checked and entry.embedded is not None and coder._embedded_event(tok, entry.embedded) is None:
            continue
        if checked and entry.pos == "VERB" and not coder._objects_ok(tok, entry):
            continue
        return entry
    return None


def _has(actors: Sequence[Actor], code: str) -> bool:
    return any(a.code == code for a in actors)


def _span_root(doc: Any, span: tuple[int, int]) -> Any | None:
    sp = doc.char_span(span[0], span[1], alignment_mode="expand")
    return sp.root if sp is not None and len(sp) else None
