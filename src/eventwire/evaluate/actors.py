"""``eventwire eval actors``: country and sector accuracy on PLOVER gold records.

Input: a PLOVER gold-standard JSON file (a list of records, as in the OEDA
``PLOVER_GSR_CAMEO.json``), where each record has ``text`` (one sentence) and
``source``/``target`` lists of ``{"actorText", "code", "sector"}``.

Each gold actor is coded *in the context of its sentence*: the sentence is parsed,
``actorText`` is located in it, and the head of that span is handed to
:meth:`ActorCoder.actor_for` (when the span is only a modifier — "Hungarian" in
"Hungarian officials" — the noun it modifies is used). If the text cannot be found,
the phrase is coded on its own with :meth:`ActorCoder.code_phrase`. When the gold span
leaves out a *name* among its noun's modifiers ("Egyptian" of "French and Egyptian
warships"), the span's own words decide the country; leaving out a common word
("militias in X" of "rival militias in X") does not count as partial.

Scoring rules:

* country: predicted ``code`` == gold ``code``. Gold codes that are neither ISO 3166
  alpha-3 nor a PLOVER extra (the file has a few typos such as "JAP") are not
  scored (counted in ``excluded_gold_code``). The gold file predates PLOVER's
  UNO/EUR split, so a prediction of UNO or EUR counts as IGO when the gold is IGO.
* sector: scored only where the gold actor has a sector (not empty, not "***");
  the first three letters are compared (gold "CVLalb" = CVL + ethnicity).
  A gold actor with no sector says nothing about sector and is not scored.
  Gold sectors in CAMEO-era codes are mapped to PLOVER first (CIV -> CVL, MOS -> REL...).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pycountry

from ..errors import EvalError
from ..records import Actor, Article, Document
from ..stages.actors import ActorCoder
from ..stages.nlp import load_pipeline

PLOVER_EXTRAS = {"KOS", "IGO", "UNO", "EUR", "NGO", "ISM", "IMG", "MNC"}
#: Gold sectors written with CAMEO-era agent codes, mapped to their PLOVER sector.
CAMEO_GOLD_SECTORS = {"CIV": "CVL", "MOS": "REL", "CHR": "REL", "JEW": "REL", "HLH": "MED"}


@dataclass(slots=True)
class GoldActor:
    """One gold source/target actor with its sentence."""

    record_id: str
    role: str
    sentence: str
    text: str
    code: str
    sector: str | None


def load_gold(path: Path) -> list[GoldActor]:
    """Read the gold actors of a PLOVER JSON file (skips DOCUMENT records)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise EvalError(f"{path} does not exist; pass a PLOVER gold JSON file") from None
    except json.JSONDecodeError as e:
        raise EvalError(f"{path} is not valid JSON: {e}") from None
    if not isinstance(data, list):
        raise EvalError(f"{path}: expected a JSON list of PLOVER records")
    out: list[GoldActor] = []
    for rec in data:
        if not isinstance(rec, dict) or rec.get("event") == "DOCUMENT" or not rec.get("text"):
            continue
        for role in ("source", "target"):
            actors = rec.get(role)
            if isinstance(actors, dict):
                actors = [actors]
            if not isinstance(actors, list):
                continue
            for a in actors:
                if isinstance(a, dict) and a.get("actorText") and a.get("code"):
                    out.append(GoldActor(str(rec.get("id", "")), role, rec["text"], a["actorText"].strip(),
                                         a["code"], a.get("sector") or None))
    if not out:
        raise EvalError(f"{path}: no source/target actors found; is this a PLOVER gold file?")
    return out


def _valid_code(code: str) -> bool:
    return code in PLOVER_EXTRAS or pycountry.countries.get(alpha_3=code) is not None


def _locate(sentence: str, text: str) -> tuple[int, int] | None:
    """Character span of the gold actor text in its sentence ("X ... Y": the last piece)."""
    piece = text.split("...")[-1].strip() if "..." in text else text
    for needle in (piece, piece.split("(")[0].strip()):
        if not needle:
            continue
        i = sentence.find(needle)
        if i < 0:
            i = sentence.lower().find(needle.lower())
        if i >= 0:
            return i, i + len(needle)
    return None


def span_head(doc: Any, start: int, end: int) -> Any | None:
    """The syntactic head of the tokens in [start, end), climbing from modifiers to their noun."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    head = span.root
    if head.pos_ == "ADP":  # "in central Baghdad": the place, not the preposition
        head = next((c for c in head.children if c.dep_ == "pobj"), head)
    while head.dep_ == "conj" and head.head.dep_ in ("amod", "compound", "nmod"):
        head = head.head
    while head.dep_ in ("amod", "compound", "nmod") and head.head.pos_ in ("NOUN", "PROPN") \
            and head.head.i != head.i:
        head = head.head
    return head


def code_gold_actor(coder: ActorCoder, nlp: Any, gold: GoldActor, cache: dict[str, Document]) -> Actor | None:
    """Code one gold actor in the context of its sentence."""
    document = cache.get(gold.sentence)
    if document is None:
        document = Document(article=Article(id=gold.record_id, text=gold.sentence), doc=nlp(gold.sentence))
        coder(document)
        cache[gold.sentence] = document
    loc = _locate(gold.sentence, gold.text)
    head = span_head(document.doc, *loc) if loc else None
    in_context = coder.actor_for(document, head) if head is not None else None
    alone = coder.code_phrase(gold.text) if loc is None or _partial(document.doc, head, loc) else None
    if in_context is None or alone is None:
        return in_context or alone
    # The gold span is only part of the noun phrase ("Egyptian" of "French and Egyptian
    # warships"): its own words decide the country, the sentence the rest. (A copy: the
    # document's mention is shared with the sentence's other gold actors.)
    in_context = replace(in_context, evidence=list(in_context.evidence))
    if alone.code:
        in_context.code = alone.code
        in_context.evidence = [*alone.evidence, *in_context.evidence]
    in_context.sector = in_context.sector or alone.sector
    return in_context


def _partial(doc: Any, head: Any, loc: tuple[int, int]) -> bool:
    """True when the gold span leaves out a name among the modifiers of its noun phrase
    ("Egyptian" of "French and Egyptian warships"); common words it leaves out ("rival")
    don't count."""
    if head is None:
        return True
    names = [t.idx for t in head.subtree if t.i < head.i and (t.pos_ == "PROPN" or t.ent_type_)
             and t.dep_ not in ("det", "punct")]
    return (bool(names) and min(names) < loc[0]) or head.idx >= loc[1]


def _same_country(pred: str | None, gold: str) -> bool:
    if pred == gold:
        return True
    return gold == "IGO" and pred in ("UNO", "EUR")


def evaluate_actors(path: Path, details: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Country and sector accuracy over the source and target actors of each record.

    Returns ``{"country_accuracy", "sector_accuracy", "n", "n_sector", "excluded_gold_code"}``;
    pass a list as ``details`` to receive one row per gold actor (for error analysis).
    """
    golds = load_gold(path)
    coder = ActorCoder()
    nlp = load_pipeline(coder.config.spacy_model)
    coder._nlp = nlp
    cache: dict[str, Document] = {}
    n = ok_c = n_s = ok_s = excluded = 0
    for g in golds:
        actor = code_gold_actor(coder, nlp, g, cache)
        pred_code = actor.code if actor else None
        pred_sector = actor.sector if actor else None
        row: dict[str, Any] = {"id": g.record_id, "text": g.text, "gold": [g.code, g.sector],
                               "pred": [pred_code, pred_sector]}
        if _valid_code(g.code):
            n += 1
            row["country_ok"] = _same_country(pred_code, g.code)
            ok_c += row["country_ok"]
        else:
            excluded += 1
        gold_sector = (g.sector or "")[:3].upper()
        gold_sector = CAMEO_GOLD_SECTORS.get(gold_sector, gold_sector)
        if gold_sector and gold_sector != "***":
            n_s += 1
            row["sector_ok"] = pred_sector == gold_sector
            ok_s += row["sector_ok"]
        if details is not None:
            details.append(row)
    return {
        "country_accuracy": round(ok_c / n, 4) if n else 0.0,
        "sector_accuracy": round(ok_s / n_s, 4) if n_s else 0.0,
        "n": n,
        "n_sector": n_s,
        "excluded_gold_code": excluded,
    }
