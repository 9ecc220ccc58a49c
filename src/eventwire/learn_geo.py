"""A learned ranker choosing the LOCATION span of an event verb.

For one (sentence, verb) pair the candidates are every place-like span of the
sentence — spaCy GPE/LOC/FAC entities, gazetteer hits on capitalised words, the
rule chooser's own pick (:class:`eventwire.stages.place.LocationChooser`), boundary
variants ("northern X" with and without the direction word, "X district") — plus
NONE. Each candidate is described by binary features read off the parse (the
dependency path from the verb, the prepositions on it, clause boundaries and
reporting verbs crossed, linear distance, entity label, whether the rules chose
it, nesting "X in Y", sentence position, the verb's class and lemma, the generic
words around the span...). NONE has features of the verb's clause (tag,
auxiliaries, arguments) and the sentence's common nouns ("clash", "conflict"),
alone and with the verb lemma. Words enter features only as lemmas of common
nouns or as lower-case function words; names become ``NAME``. A linear model
scores the candidates and the best one wins (a conditional-logit / softmax ranker).

Run time needs pure Python only: the weights are a JSON file
(``data/places/location_model.json``) mapping feature names to floats. Training
(:func:`fit_ranker`, used by ``scripts/train_geo.py``) needs numpy.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .stages.nlp import entity_bounds
from .stages.place import (
    DATA_DIR,
    Gazetteer,
    LocationChooser,
    PlaceRules,
    load_gazetteer,
    place_token_span,
    trim_tokens,
)

MODEL_PATH = DATA_DIR / "location_model.json"
MODEL_FORMAT = "eventwire-location-ranker/1"
PLACE_ENT_LABELS = frozenset({"GPE", "LOC", "FAC"})
#: Entity labels the small model gives to places it misreads; their spans are candidates too.
LOOSE_ENT_LABELS = frozenset({"ORG", "NORP", "PERSON"})
#: Relations that open a new clause when crossed on the way up from the verb.
CLAUSE_DEPS = frozenset({"ccomp", "advcl", "relcl", "acl", "xcomp", "conj", "parataxis", "pcomp", "csubj"})
DASHES = frozenset({"--", "-", "\u2014", "\u2013", "(AP)", "AP", "("})
NONE_KEY = "NONE"

CharSpan = tuple[int, int]


@dataclass(slots=True)
class LocationCandidate:
    """One possible answer: a character span (doc offsets) with its root token, or NONE."""

    start: int
    end: int
    root: Any | None
    sources: set[str] = field(default_factory=set)

    @property
    def is_none(self) -> bool:
        """True for the NONE candidate."""
        return self.root is None


@dataclass(slots=True)
class RankerInput:
    """The candidates of one (sentence, verb) pair and their feature names."""

    candidates: list[LocationCandidate]
    features: list[list[str]]
    rule_how: str = ""


# --------------------------------------------------------------------------- candidates


def _scope(doc_or_span: Any) -> tuple[Any, int, int]:
    """(doc, first token index, end token index) of a Doc or a Span."""
    doc = getattr(doc_or_span, "doc", doc_or_span)
    if doc is doc_or_span:
        return doc, 0, len(doc)
    return doc, doc_or_span.start, doc_or_span.end


def ents_within(doc: Any, lo: int, hi: int) -> list[Any]:
    """The named entities wholly inside tokens [lo, hi), read off the tokens' IOB tags: the
    same spans as ``doc.ents`` filtered to the range, without building every entity of a
    long article for each event."""
    from spacy.tokens import Span

    out = []
    i = lo
    while i < hi:
        if doc[i].ent_iob_ != "B":
            i += 1
            continue
        j = entity_bounds(doc[i])[1]
        if j <= hi:
            out.append(Span(doc, i, j, label=doc[i].ent_type_))
        i = j
    return out


def _gazetteer_hits(doc: Any, start: int, end: int, gaz: Gazetteer) -> Iterable[tuple[int, int]]:
    """Token ranges [i, j) of capitalised word runs (1-3 words) the gazetteer knows."""
    i = start
    while i < end:
        tok = doc[i]
        if not (tok.is_title or tok.is_upper) or not tok.is_alpha:
            i += 1
            continue
        hit = None
        for n in (3, 2, 1):
            j = i + n
            if j > end:
                continue
            words = doc[i:j]
            if not all((t.is_title or t.is_upper) and t.is_alpha for t in words):
                continue
            key = words.text.lower()
            if key in gaz.countries or key in gaz.admin1 or key in gaz.cities:
                hit = (i, j)
                break
        if hit is None:
            i += 1
            continue
        yield hit
        i = hit[1]


def _joined(tok: Any) -> bool:
    """True if ``tok`` touches both neighbours without spaces ("Mazar-e-Sharif", "al-Sham")."""
    doc = tok.doc
    return 0 < tok.i < len(doc) - 1 and not doc[tok.i - 1].whitespace_ and not tok.whitespace_


def _proper_runs(doc: Any, start: int, end: int) -> Iterable[tuple[int, int]]:
    """Token ranges [i, j) of maximal proper-noun runs (hyphen-joined parts included)."""
    i = start
    while i < end:
        if doc[i].pos_ != "PROPN":
            i += 1
            continue
        j = i + 1
        while j < end and (doc[j].pos_ == "PROPN" or (_joined(doc[j]) and j + 1 < end and doc[j + 1].pos_ in ("PROPN", "NOUN", "X", "ADJ"))):
            j += 1
        yield i, j
        i = j


def _add_variants(doc: Any, cand: LocationCandidate, lo: int, hi: int, rules: PlaceRules, add_range: Any) -> None:
    """Boundary variants of a candidate: without / with a leading direction word
    ("northern X"), with a trailing lower-case place noun ("X province"), without a
    trailing date ("X Thursday")."""
    span = doc.char_span(cand.start, cand.end, alignment_mode="expand")
    if span is None:
        return
    i, j = span.start, span.end
    if j - i > 1 and doc[i].lower_ in rules.direction_words:
        add_range(i + 1, j, "var_nodir")
    if i - 1 >= lo and doc[i - 1].lower_ in rules.direction_words and doc[i - 1].is_lower:
        add_range(i - 1, j, "var_dir")
    if j < hi and doc[j].is_lower and doc[j].lower_ in rules.place_nouns:
        add_range(i, j + 1, "var_noun")
    k = j
    while k - i > 1 and doc[k - 1].ent_type_ in ("DATE", "TIME"):
        k -= 1
    if k < j:  # "X Thursday": a proper-noun run that swallowed a date
        add_range(i, k, "var_nodate")


def location_candidates(
    doc_or_span: Any, rule_token: Any | None, rules: PlaceRules, gaz: Gazetteer | None
) -> list[LocationCandidate]:
    """Place-like spans of ``doc_or_span`` (entities, gazetteer hits, the rule's pick) and NONE."""
    doc, lo, hi = _scope(doc_or_span)
    found: dict[CharSpan, LocationCandidate] = {}

    def add(tok: Any, source: str) -> None:
        span = place_token_span(tok, rules)
        cand = found.get(span)
        if cand is None:
            root = doc.char_span(span[0], span[1], alignment_mode="expand")
            cand = found[span] = LocationCandidate(span[0], span[1], root.root if root is not None else tok)
        cand.sources.add(source)

    def add_range(i: int, j: int, source: str) -> None:
        while i < j and (doc[i].lower_ == "the" or doc[i].is_punct):
            i += 1
        while j > i and (doc[j - 1].is_punct or doc[j - 1].tag_ == "POS"):
            j -= 1
        if i >= j:
            return
        span = trim_tokens(doc[i], doc[j - 1])
        cand = found.get(span)
        if cand is None:
            cand = found[span] = LocationCandidate(span[0], span[1], doc[i:j].root)
        cand.sources.add(source)

    for ent in ents_within(doc, lo, hi):
        if ent.label_ in PLACE_ENT_LABELS:
            add(ent.root, "ent")
        elif ent.label_ in LOOSE_ENT_LABELS:
            add_range(ent.start, ent.end, "ent_other")
    for i, j in _proper_runs(doc, lo, hi):
        add_range(i, j, "propn")
        if j - i > 1 and doc[j - 1].lower_ in rules.place_nouns:
            add_range(i, j - 1, "propn_core")
    if gaz is not None:
        for i, j in _gazetteer_hits(doc, lo, hi, gaz):
            add(doc[i:j].root, "gaz")
    if rule_token is not None:
        add(rule_token, "rule")
    for cand in list(found.values()):
        _add_variants(doc, cand, lo, hi, rules, add_range)
    out = sorted(found.values(), key=lambda c: (c.start, c.end))
    return [*out, LocationCandidate(-1, -1, None, {NONE_KEY})]


# --------------------------------------------------------------------------- features


def _ancestors(tok: Any) -> list[Any]:
    """``tok`` and its heads up to the root."""
    chain = [tok]
    while chain[-1].head.i != chain[-1].i and len(chain) < 40:
        chain.append(chain[-1].head)
    return chain


def _dep_path(verb: Any, target: Any) -> tuple[list[Any], list[Any]]:
    """Tokens going up from ``verb`` to the common ancestor (excluded), then down to ``target``."""
    up = _ancestors(verb)
    down = _ancestors(target)
    down_ids = {t.i: k for k, t in enumerate(down)}
    for k, tok in enumerate(up):
        if tok.i in down_ids:
            return up[:k], list(reversed(down[: down_ids[tok.i]]))
    return up, list(reversed(down))


def _bucket(n: int) -> str:
    """Coarse size bucket: 0, 1, 2, 3-4, 5-8, 9+."""
    for limit, name in ((0, "0"), (1, "1"), (2, "2"), (4, "3-4"), (8, "5-8")):
        if n <= limit:
            return name
    return "9+"


def _arc(tok: Any) -> str:
    """A path step: the relation, with the preposition word for ``prep``/``agent``."""
    return f"{tok.dep_}:{tok.lower_}" if tok.dep_ in ("prep", "agent", "mark") else tok.dep_


def verb_class(verb: Any, rules: PlaceRules) -> str:
    """movement | reporting | place_object | other (from rules.yaml word lists)."""
    lemma = verb.lemma_.lower()
    if lemma in rules.movement_verbs:
        return "movement"
    if lemma in rules.reporting_verbs:
        return "reporting"
    if lemma in rules.place_object_verbs:
        return "place_object"
    return "other"


def _is_place_tok(tok: Any) -> bool:
    return tok.ent_type_ in PLACE_ENT_LABELS


def _nesting(root: Any) -> list[str]:
    """ "X in Y" / "X, Y" relations between this candidate and other place tokens."""
    feats = []
    head = root.head
    if root.dep_ == "pobj" and head.dep_ == "prep" and _is_place_tok(head.head):
        feats.append(f"nested_in_place:{head.lower_}")
    if root.dep_ in ("appos", "npadvmod", "conj") and _is_place_tok(head):
        feats.append(f"attached_to_place:{root.dep_}")
    for child in root.children:
        if child.dep_ == "prep" and any(_is_place_tok(g) for g in child.children):
            feats.append(f"has_place_inside:{child.lower_}")
        elif child.dep_ in ("appos", "npadvmod") and _is_place_tok(child):
            feats.append("has_place_appos")
    return feats


def _path_features(verb: Any, root: Any, rules: PlaceRules) -> list[str]:
    up, down = _dep_path(verb, root)
    feats = [f"up_len={_bucket(len(up))}", f"down_len={_bucket(len(down))}"]
    up_arcs = [t.dep_ for t in up]
    down_arcs = [_arc(t) for t in down]
    if len(up_arcs) <= 3 and len(down_arcs) <= 4:
        feats.append("path=" + ">".join(up_arcs) + "|" + ">".join(down_arcs))
    else:
        feats.append("path=long")
    feats.append("down=" + ">".join(down_arcs[:2]))
    feats.append("down_first=" + (down_arcs[0] if down_arcs else "-"))
    feats += [f"up_has={d}" for d in sorted(set(up_arcs) & CLAUSE_DEPS)]
    preps = [t.lower_ for t in down if t.dep_ in ("prep", "agent")]
    feats.append("last_prep=" + (preps[-1] if preps else "-"))
    feats += [f"path_prep={p}" for p in sorted(set(preps))]
    if any(t.lemma_.lower() in rules.reporting_verbs and t.pos_ == "VERB" for t in up[1:]) or (
        up and up[-1].head.lemma_.lower() in rules.reporting_verbs
    ):
        feats.append("crosses_reporting")
    lca = up[-1].head if up else verb
    if up and lca.lemma_.lower() in rules.reporting_verbs and [t.dep_ for t in down] == ["prep", "pobj"]:
        feats.append("reporting_site")  # "said in Paris that ...": where the report was made
    clause_down = [t for t in down[:-1] if t.dep_ in CLAUSE_DEPS or t.pos_ in ("VERB", "AUX")]
    if clause_down:
        feats.append("down_crosses_clause")
    feats += sorted({f"path_word={t.lemma_.lower()}" for t in [*up[1:], *down[:-1]]
                     if _noun(t) or (t.pos_ == "VERB" and t.lemma_.isalpha())})
    if any(t.dep_ == "relcl" for t in down):
        feats.append("down_relcl")
    return feats


def candidate_features(
    verb: Any, cand: LocationCandidate, rule_cand: LocationCandidate | None, rules: PlaceRules, gaz: Gazetteer | None,
    context: dict[str, Any],
) -> list[str]:
    """Feature names of one candidate for the event verb ``verb``."""
    vclass = context["vclass"]
    if cand.is_none:
        feats = [NONE_KEY, f"NONE&rule={'none' if rule_cand is None else 'some'}",
                 f"NONE&ncand={_bucket(context['ncand'])}", f"NONE&vclass={vclass}",
                 f"NONE&vpos={verb.pos_}", f"NONE&vlemma={verb.lemma_.lower()}",
                 f"NONE&nearest_prep={context['nearest_prep']}"]
        if rule_cand is None and context["ncand"] == 0:
            feats.append("NONE&empty")
        feats.append(f"NONE&vdep={verb.dep_}")
        feats += _none_extra(verb, context)
        feats += [f"NONE&aux={c.lower_}" for c in verb.children if c.dep_ in ("aux", "neg") and c.tag_ in ("MD", "RB", "TO")]
        return feats
    root = cand.root
    label = root.ent_type_ or "-"
    feats = ["CAND", f"label={label}"]
    feats += [f"src={s}" for s in sorted(cand.sources)]
    words = _cand_text(context, cand).split()
    if "var_noun" in cand.sources:
        feats.append(f"var_noun={words[-1].lower()}")
    if words and words[0].lower() in rules.direction_words:
        feats += ["starts_direction", f"starts_direction&label={root.ent_type_ or '-'}"]
    if "rule" in cand.sources:
        feats += ["rule_chose", f"rule_chose&how={context['rule_how']}", f"rule_chose&label={label}"]
    elif rule_cand is not None:
        feats.append("rule_chose_other")
    path = _path_features(verb, root, rules)
    feats += path
    feats += [f"{f}&vclass={vclass}" for f in path if f.startswith(("last_prep=", "down_first="))]
    feats += [f"{f}&vlemma={verb.lemma_.lower()}" for f in path if f.startswith(("path=", "up_has="))]
    feats += [f"{f}&label={label}" for f in path if f.startswith(("last_prep=", "path="))]
    dist = root.i - verb.i
    feats.append(f"dist={'-' if dist < 0 else '+'}{_bucket(abs(dist))}")
    feats.append(f"dep={root.dep_}")
    if root.dep_ == "pobj":
        feats.append(f"own_prep={root.head.lower_}")
        governor = root.head.head
        if governor.pos_ == "NOUN":  # "the town of X", "the outskirts of X"
            feats.append(f"governor_noun={governor.lemma_.lower()}")
    elif root.head.pos_ == "NOUN" and root.head.i != root.i:
        feats.append(f"head_noun={root.head.lemma_.lower()}")
    for child in root.children:
        if child.dep_ in ("compound", "amod", "det") and child.pos_ != "PROPN":
            feats.append(f"modifier={child.lower_}")
    feats.append(f"first_step&vlemma={path_first(path)}&{verb.lemma_.lower()}")
    feats += _nesting(root)
    sent_start = context["scope_start"]
    if root.i - sent_start <= 1 or cand.start <= context["scope_start_char"] + 4:
        feats.append("sent_initial")
    if context["dash_at"] is not None and root.i < context["dash_at"]:
        feats.append("dateline")
    if cand.end - cand.start > 1 and _cand_text(context, cand).isupper():
        feats.append("all_caps")
    if gaz is not None:
        feats.append("gaz=" + _gaz_kind(_cand_text(context, cand), gaz))
    if root.is_ancestor(verb):
        feats.append("governs_verb")
    if verb.is_ancestor(root):
        feats.append("in_verb_subtree")
    feats.append(f"rank={context['ranks'][(cand.start, cand.end)]}")
    feats += _candidate_extra(verb, cand, label, path, context)
    if context["nearest"] == (cand.start, cand.end):
        feats.append("nearest")
    return feats


def _none_extra(verb: Any, context: dict[str, Any]) -> list[str]:
    """More NONE features: the verb's tag, auxiliaries, its arguments' entity labels."""
    feats = [f"NONE&vtag={verb.tag_}", f"NONE&nplace={_bucket(context['nplace'])}"]
    for child in verb.children:
        if child.dep_ in ("aux", "auxpass"):
            feats.append(f"NONE&auxlemma={child.lemma_.lower()}")
        elif child.dep_ in ("dobj", "nsubj", "nsubjpass"):
            feats.append(f"NONE&{child.dep_}_label={child.ent_type_ or child.pos_}")
            feats.append(f"NONE&{child.dep_}_label&vlemma={child.ent_type_ or child.pos_}&{verb.lemma_.lower()}")
        elif child.dep_ == "prep":
            objs = [g for g in child.children if g.dep_ == "pobj"]
            kind = "place" if any(_is_place_tok(g) for g in objs) else "other"
            feats.append(f"NONE&prep={child.lower_}:{kind}")
            feats.append(f"NONE&prep&vlemma={child.lower_}:{kind}&{verb.lemma_.lower()}")
            nouns = [n for g in objs if (n := _noun(g))]
            feats += [f"NONE&prep_noun={child.lower_}:{n}" for n in nouns]
            feats += [f"NONE&prep_noun&vlemma={child.lower_}:{n}&{verb.lemma_.lower()}" for n in nouns]
        if child.dep_ in ("dobj", "nsubj", "nsubjpass") and _noun(child):
            feats.append(f"NONE&{child.dep_}_noun={_noun(child)}")
    if context["has_date"]:
        feats.append("NONE&has_date")
    doc = verb.doc
    left = _word_shape(doc[verb.i - 1]) if verb.i > 0 else "BOS"
    right = _word_shape(doc[verb.i + 1]) if verb.i + 1 < len(doc) else "EOS"
    right2 = _word_shape(doc[verb.i + 2]) if verb.i + 2 < len(doc) else "EOS"
    feats += [f"NONE&vleft1={left}", f"NONE&vright1={right}", f"NONE&vright2={right}_{right2}"]
    feats += [f"NONE&bow={w}" for w in context["bow"]]
    feats += [f"NONE&bow&vlemma={w}&{verb.lemma_.lower()}" for w in context["bow"]]
    return feats


def _noun(tok: Any) -> str:
    """The lower-case lemma of a common noun (a generic word, never a name), else ""."""
    lemma = tok.lemma_.lower()
    return lemma if tok.pos_ == "NOUN" and lemma.isalpha() and not tok.ent_type_ else ""


def _word_shape(tok: Any) -> str:
    """A generic word as itself (lower case); names, numbers and symbols as a class."""
    if tok.pos_ == "PROPN" or tok.ent_type_ in PLACE_ENT_LABELS | LOOSE_ENT_LABELS:
        return "NAME"
    if tok.like_num:
        return "NUM"
    return tok.lower_ if tok.is_alpha or tok.is_punct else "SYM"


def _window(doc: Any, cand: LocationCandidate) -> list[str]:
    """The words just before and after the candidate span (generic words only)."""
    span = doc.char_span(cand.start, cand.end, alignment_mode="expand")
    if span is None:
        return []
    left = [_word_shape(doc[i]) if i >= 0 else "BOS" for i in (span.start - 1, span.start - 2)]
    right = _word_shape(doc[span.end]) if span.end < len(doc) else "EOS"
    label = span.root.ent_type_ or "-"
    return [f"left1={left[0]}", f"left2={left[1]}_{left[0]}", f"right1={right}", f"ntok={_bucket(len(span))}",
            f"left1&label={left[0]}&{label}", f"right1&label={right}&{label}"]


def _candidate_extra(verb: Any, cand: LocationCandidate, label: str, path: Sequence[str],
                     context: dict[str, Any]) -> list[str]:
    """Conjunctions with the verb lemma, what lies between verb and candidate, place rank."""
    lemma = verb.lemma_.lower()
    root = cand.root
    doc = context["doc"]
    last_prep = path_value(path, "last_prep")
    feats = [f"last_prep&vlemma={last_prep}&{lemma}", f"label&vlemma={label}&{lemma}",
             f"label&dep={label}&{root.dep_}", f"down_first&vlemma={path_first(path)}&{lemma}",
             f"dist&vlemma={_bucket(abs(root.i - verb.i))}&{lemma}"]
    lo, hi = sorted((root.i, verb.i))
    between = doc[lo + 1 : hi]
    if any(t.text in (";", ":") or (t.text == "." and t.is_sent_end) for t in between):
        feats.append("between_stop")
    n_verbs = sum(1 for t in between if t.pos_ == "VERB")
    feats.append(f"between_verbs={_bucket(n_verbs)}")
    if any(t.text == "," for t in between):
        feats.append("between_comma")
    if root.dep_ == "pobj" and root.head.head.i != verb.i and _noun(root.head.head):
        feats.append(f"attach_noun={root.head.lower_}:{_noun(root.head.head)}")
    feats += _window(doc, cand)
    place_rank = context["place_ranks"].get((cand.start, cand.end))
    feats.append(f"place_rank={place_rank if place_rank is not None else 'x'}")
    if context["nplace"] == 1 and place_rank is not None:
        feats.append("only_place")
    return feats


def path_value(path: Sequence[str], name: str) -> str:
    """The value of the ``name=`` feature among path features, or "-"."""
    return next((f.split("=", 1)[1] for f in path if f.startswith(name + "=")), "-")


def path_first(path: Sequence[str]) -> str:
    """The ``down_first=`` value among path features."""
    return path_value(path, "down_first")


def _gaz_kind(name: str, gaz: Gazetteer) -> str:
    key = " ".join(name.split()).lower()
    if key in gaz.countries:
        return "country"
    if key in gaz.admin1:
        return "admin1"
    if key in gaz.cities:
        return "city"
    return "none"


def _cand_text(context: dict[str, Any], cand: LocationCandidate) -> str:
    """The words of a candidate (doc offsets) from the scope's text."""
    base = context["scope_start_char"]
    return context["text"][cand.start - base: cand.end - base]


def _context(doc_or_span: Any, verb: Any, cands: Sequence[LocationCandidate], rule_cand: LocationCandidate | None,
             rule_how: str, rules: PlaceRules) -> dict[str, Any]:
    """Facts shared by all candidates of one pair."""
    doc, lo, hi = _scope(doc_or_span)
    real = [c for c in cands if not c.is_none]
    dash_at = next((t.i for t in doc[lo : min(hi, lo + 12)] if t.text in DASHES and t.i < verb.i), None)
    by_dist = sorted(real, key=lambda c: abs(c.root.i - verb.i))
    ranks = {(c.start, c.end): min(k, 3) for k, c in enumerate(by_dist)}
    places = [c for c in by_dist if c.root.ent_type_ in PLACE_ENT_LABELS]
    place_ranks = {(c.start, c.end): min(k, 3) for k, c in enumerate(places)}
    nearest_prep = "-"
    for child in verb.children:
        if child.dep_ == "prep":
            nearest_prep = child.lower_ if child.lower_ in rules.locative_preps or child.lower_ in rules.destination_preps else "other"
            break
    return {
        "doc": doc, "text": doc[lo:hi].text, "scope_start": lo, "scope_start_char": doc[lo].idx if lo < len(doc) else 0,
        "vclass": verb_class(verb, rules), "ncand": len(real), "dash_at": dash_at, "ranks": ranks,
        "nearest": (by_dist[0].start, by_dist[0].end) if by_dist else None, "rule_how": rule_how,
        "nearest_prep": nearest_prep, "place_ranks": place_ranks, "nplace": len(places),
        "bow": sorted({n for t in doc[lo:hi] if (n := _noun(t))}),
        "has_date": any(doc[k].ent_iob_ == "B" and doc[k].ent_type_ in ("DATE", "TIME") for k in range(lo, hi)),
    }


def _how_kind(how: str) -> str:
    """A coarse name for the rule that fired (from LocationChooser's ``how`` text)."""
    kind = "prep" if "+ place attached" in how else "destination" if how.startswith("destination") else (
        "object" if how.startswith("place in the") else "modifier" if how.startswith("place of") else "other")
    if "(governing clause)" in how:
        kind += "_up"
    elif "(dependent clause)" in how:
        kind += "_down"
    return kind


def build_input(
    doc_or_span: Any, verb: Any, chooser: LocationChooser, gaz: Gazetteer | None
) -> RankerInput:
    """Candidates and features of the event whose verb token is ``verb``."""
    rule = chooser.choose(verb)
    cands = location_candidates(doc_or_span, rule.token if rule else None, chooser.rules, gaz)
    rule_cand = next((c for c in cands if "rule" in c.sources), None)
    ctx = _context(doc_or_span, verb, cands, rule_cand, _how_kind(rule.how) if rule else "-", chooser.rules)
    feats = [candidate_features(verb, c, rule_cand, chooser.rules, gaz, ctx) for c in cands]
    # Design rule kept from the hand-written chooser: a place reached only through a
    # reporting verb ("said in Paris that ...") is where the report was made, never the event's.
    keep = [k for k, f in enumerate(feats) if "reporting_site" not in f]
    return RankerInput([cands[k] for k in keep], [feats[k] for k in keep], rule.how if rule else "")


# --------------------------------------------------------------------------- model


@dataclass(slots=True)
class LocationModel:
    """Linear scores over feature names; the highest-scoring candidate wins."""

    weights: dict[str, float]
    meta: dict[str, Any] = field(default_factory=dict)

    def scores(self, features: Sequence[Sequence[str]]) -> list[float]:
        """One score per candidate."""
        w = self.weights
        return [sum(w.get(f, 0.0) for f in feats) for feats in features]

    def choose(self, item: RankerInput, bonus: Sequence[float] | None = None) -> tuple[LocationCandidate, float]:
        """The best candidate and its softmax probability; ``bonus`` (one per candidate, e.g.
        the location encoder's) is added to the linear scores first."""
        scores = self.scores(item.features)
        if bonus is not None:
            scores = [s + b for s, b in zip(scores, bonus)]
        top = max(range(len(scores)), key=scores.__getitem__)
        z = sum(math.exp(s - scores[top]) for s in scores)
        return item.candidates[top], 1.0 / z

    def to_json(self, path: Path) -> None:
        """Write the model (rounded weights, sorted keys)."""
        body = {"format": MODEL_FORMAT, "meta": self.meta,
                "weights": {k: round(v, 5) for k, v in sorted(self.weights.items()) if abs(v) >= 1e-5}}
        Path(path).write_text(json.dumps(body, indent=0, sort_keys=False) + "\n", encoding="utf-8")

    @classmethod
    def from_json(cls, path: Path) -> LocationModel:
        """Read a model written by :meth:`to_json`."""
        body = json.loads(Path(path).read_text(encoding="utf-8"))
        if body.get("format") != MODEL_FORMAT:
            raise ValueError(f"{path}: not a {MODEL_FORMAT} file")
        return cls({str(k): float(v) for k, v in body["weights"].items()}, body.get("meta", {}))


@lru_cache(maxsize=2)
def load_location_model(path: Path = MODEL_PATH) -> LocationModel | None:
    """The shipped model, loaded once, or None when the file is missing."""
    return LocationModel.from_json(path) if Path(path).is_file() else None


class LearnedLocationChooser:
    """Choose an event's location span with the ranker (rules give candidates and a feature)."""

    def __init__(self, model: LocationModel, chooser: LocationChooser, use_gazetteer: bool = True,
                 encoder: Any | None = None) -> None:
        """``encoder`` (optional, e.g. :func:`eventwire.learn.geo_encoder.load_geo_encoder`'s
        :class:`~eventwire.learn.geo_encoder.GeoEncoder`) adds its ``combined_bonus`` to the
        ranker's scores; without it the ranker alone decides."""
        self.model = model
        self.chooser = chooser
        self.use_gazetteer = use_gazetteer
        self.encoder = encoder

    def choose(self, scope: Any, verb: Any) -> tuple[CharSpan | None, str]:
        """(doc character span or None, explanation) for the verb token ``verb`` in ``scope``."""
        gaz = load_gazetteer() if self.use_gazetteer else None
        item = build_input(scope, verb, self.chooser, gaz)
        use_encoder = self.encoder is not None and len(item.candidates) > 1  # NONE alone needs no encoder
        best, prob = self.model.choose(item, self._encoder_bonus(scope, verb, item) if use_encoder else None)
        if best.is_none:
            return None, f"learned ranker: no place (p={prob:.2f})"
        how = f"learned ranker (p={prob:.2f}, from {'+'.join(sorted(best.sources))})"
        if "rule" in best.sources:
            how += f": {item.rule_how}"
        return (best.start, best.end), how

    def _encoder_bonus(self, scope: Any, verb: Any, item: RankerInput) -> list[float]:
        """The encoder's addition to each candidate's ranker score (scope-relative offsets)."""
        base = getattr(scope, "start_char", 0)
        start = verb.idx - base
        spans = [None if c.is_none else (c.start - base, c.end - base) for c in item.candidates]
        return self.encoder.combined_bonus(scope.text, (start, start + len(verb.text)), spans)  # type: ignore[union-attr]


# --------------------------------------------------------------------------- training


def fit_ranker(
    items: Sequence[RankerInput], gold: Sequence[set[int]], l2: float = 1.0, min_count: int = 3,
    iterations: int = 400, lr: float = 0.1,
) -> LocationModel:
    """Fit a softmax ranker (full-batch Adam, L2) on items whose gold candidate indices are given.

    Items without a correct candidate are skipped. ``min_count`` drops rare features.
    """
    from collections import Counter

    import numpy as np

    usable = [(it, g) for it, g in zip(items, gold) if g]
    counts = Counter(f for it, _ in usable for feats in it.features for f in set(feats))
    vocab = {f: k for k, f in enumerate(sorted(f for f, c in counts.items() if c >= min_count))}
    feat_idx: list[int] = []
    cand_len: list[int] = []
    group_len: list[int] = []
    is_gold: list[float] = []
    for it, g in usable:
        group_len.append(len(it.candidates))
        for k, feats in enumerate(it.features):
            idx = [vocab[f] for f in feats if f in vocab]
            feat_idx += idx
            cand_len.append(len(idx))
            is_gold.append(1.0 if k in g else 0.0)
    fi = np.asarray(feat_idx, dtype=np.int64)
    clen = np.asarray(cand_len, dtype=np.int64)
    cand_of_feat = np.repeat(np.arange(len(clen)), clen)
    glen = np.asarray(group_len, dtype=np.int64)
    group_of_cand = np.repeat(np.arange(len(glen)), glen)
    gold_mask = np.asarray(is_gold)
    n_groups = len(glen)
    w = np.zeros(len(vocab))
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    for step in range(1, iterations + 1):
        s = np.bincount(cand_of_feat, weights=w[fi], minlength=len(clen))
        s_max = np.full(n_groups, -np.inf)
        np.maximum.at(s_max, group_of_cand, s)
        e = np.exp(s - s_max[group_of_cand])
        z = np.bincount(group_of_cand, weights=e, minlength=n_groups)
        p = e / z[group_of_cand]
        zg = np.bincount(group_of_cand, weights=e * gold_mask, minlength=n_groups)
        q = e * gold_mask / zg[group_of_cand]
        g_cand = (p - q) / n_groups
        grad = np.bincount(fi, weights=g_cand[cand_of_feat], minlength=len(w)) + l2 * w / n_groups
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad * grad
        w -= lr * (m / (1 - 0.9**step)) / (np.sqrt(v / (1 - 0.999**step)) + 1e-8)
    inv = {k: f for f, k in vocab.items()}
    return LocationModel({inv[k]: float(x) for k, x in enumerate(w)})


def gold_indices(item: RankerInput, gold_spans: Sequence[CharSpan], offset: int = 0) -> set[int]:
    """Indices of the candidates that are correct (NONE when there is no gold span)."""
    if not gold_spans:
        return {len(item.candidates) - 1}
    wanted = {(s + offset, e + offset) for s, e in gold_spans}
    return {k for k, c in enumerate(item.candidates) if not c.is_none and (c.start, c.end) in wanted}
