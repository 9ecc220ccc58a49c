"""Who said what: attribution spans (source, cue, content) from a spaCy parse.

:func:`extract_attributions` reads a whole article (one spaCy ``Doc``) and returns one
:class:`Attribution` per reported statement, each with character offsets into the
document text. The rules are general English grammar over the dependency parse; the
words that can be cues come from the reporting lexicon (``data/lexicon/reporting.yaml``,
loaded by :func:`eventwire.stages.attribution.load_reporting`).

Span conventions (those of the PolNeAR attribution corpus, written here as rules):

* **cue** — the reporting verb with its auxiliaries, negation, adverbs standing between
  them and particles ("has also said", "did not deny", "pointed out"); a preposition
  that introduces the content joins it ("referring to", "called for"); "according to".
* **source** — the whole subject noun phrase, determiners and appositives included
  ("the city's fire chief, Ana Holt"), relative clauses and edge punctuation left out;
  the ``by``-agent of a passive cue; the object of "according to"; pronouns as written.
* **content** — the complement clause with its complementizer ("that the talks failed"),
  an infinitive or object complement, or the quotation with its quote marks and the
  punctuation inside them. A quotation that runs over several sentences is one content,
  and a quotation continuing right after an attributed quote in the same paragraph is
  content of that attribution.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from .errors import DataError
from .records import Span
from .stages.attribution import load_reporting

CONTENT_PREPS = frozenset({"to", "for", "about", "on", "of", "against", "at", "with"})
NOUN_CONTENT_PREPS = frozenset({"of", "about", "on", "for", "against", "over", "to", "with"})
# verbs that turn a speech noun into a cue ("made a statement", "expressed concern")
LIGHT_VERBS = frozenset({"make", "issue", "offer", "express", "deliver", "release", "give", "voice",
                         "raise", "draw", "put", "send", "post", "level", "launch", "lodge", "file",
                         "register", "take", "have", "publish", "share", "reiterate", "repeat"})
COPULAS = frozenset({"be", "remain", "seem", "appear", "become", "sound", "look", "feel", "make"})
DASHES = frozenset({"―", "—", "–", "-", "--"})
# reporting verbs that are cues only with some complements: "found that ..." reports, "found
# the keys" does not; "added that ..." vs "added a clause"; "went on to say" vs "went on TV"
WEAK_COMPLEMENTS: dict[str, frozenset[str]] = {
    "dobj": frozenset({"find", "maintain", "decide", "add", "focus", "speak", "address", "celebrate", "accept"}),
    "prep": frozenset({"appear", "go", "add", "react", "tell"}),
    "xcomp": frozenset({"continue"}),
    "quote": frozenset({"show"}),
}
# prepositions that take an attitude adjective's target ("angry at", "upbeat about")
ADJ_TARGET_PREPS = frozenset({"about", "of", "on", "over", "with", "at", "toward", "towards", "by", "to", "that"})


@lru_cache(maxsize=8)
def lex_section(name: str) -> frozenset[str]:
    """The words of one section of ``data/lexicon/reporting.yaml`` (e.g. ``source_nouns``)."""
    try:
        raw = yaml.safe_load(resources.files("eventwire").joinpath("data/lexicon/reporting.yaml").read_text("utf-8"))
    except (OSError, yaml.YAMLError) as e:
        raise DataError(f"cannot read the reporting lexicon: {e}") from None
    return frozenset(str(k) for k in raw.get(name, {}))


def stance_adjectives() -> frozenset[str]:
    """Adjectives that can be cues (``stance_adjectives`` in ``data/lexicon/reporting.yaml``)."""
    return lex_section("stance_adjectives")


def _word_forms(tok: Any) -> list[str]:
    """The lemma, then guesses from the lowercased form (the tagger's lemma is sometimes wrong:
    "hopes" -> "hop")."""
    low = tok.lower_
    forms = [tok.lemma_.lower(), low]
    if low.endswith("ies"):
        forms.append(low[:-3] + "y")
    if low.endswith("s"):
        forms += [low[:-1], low[:-2]]
    if low.endswith("ed"):
        forms += [low[:-1], low[:-2]]
    if low.endswith("ing"):
        forms += [low[:-3], low[:-3] + "e"]
    return forms


@dataclass(slots=True)
class Attribution:
    """One reported statement: who (source), the words that report (cue), what (content).

    ``content`` is the first (usually the only) piece of what is reported; when a
    quotation runs on in the next sentence, or the reporting clause interrupts the
    content ("The talks, she said, have failed"), the further pieces are in
    ``content_more``, in text order.
    """

    source: Span | None
    cue: Span
    content: Span | None
    content_more: list[Span] = field(default_factory=list)
    rule: str = ""  # which pattern found it, for debugging and evaluation reports

    @property
    def content_spans(self) -> list[Span]:
        """All pieces of the content, in text order."""
        return ([self.content] if self.content is not None else []) + list(self.content_more)


# ---------------------------------------------------------------- helpers
def _span(doc: Any, start_tok: int, end_tok: int) -> Span:
    """Span of tokens ``[start_tok, end_tok]`` (inclusive) as character offsets."""
    start = doc[start_tok].idx
    last = doc[end_tok]
    end = last.idx + len(last.text)
    return Span(start, end, doc.text[start:end])


def _is_quote(tok: Any) -> bool:
    return tok.text in ("“", "”", '"', "«", "»", "‘", "’", "``", "''") or (tok.is_quote and tok.is_punct)


def _trim(doc: Any, lo: int, hi: int, keep_quotes: bool = True) -> tuple[int, int] | None:
    """Drop punctuation (and, unless ``keep_quotes``, quote marks) at the edges of ``[lo, hi]``."""
    def droppable(t: Any) -> bool:
        if t.is_space:
            return True
        if keep_quotes and _is_quote(t):
            return False
        return bool(t.is_punct or t.dep_ == "cc")

    while lo <= hi and droppable(doc[lo]):
        lo += 1
    while hi >= lo and droppable(doc[hi]):
        hi -= 1
    return (lo, hi) if lo <= hi else None


def _balance_quotes(doc: Any, lo: int, hi: int, limit_tok: int | None = None) -> tuple[int, int]:
    """Grow a content span so that its quote marks pair up.

    An opening quote right before the span is taken in; an unclosed quote inside the
    span extends it to the closing mark (across sentences, within the paragraph); the
    punctuation between the span end and a closing quote right after it is taken in.
    """
    n = len(doc)
    if lo > 0 and _is_quote(doc[lo - 1]) and _opens(doc, lo - 1):
        lo -= 1
    depth = _quote_depth(doc, lo, hi)
    if depth > 0:
        j = hi + 1
        stop = min(n, hi + 400) if limit_tok is None else min(n, limit_tok)
        while j < stop:
            t = doc[j]
            if t.is_space and "\n" in t.text:
                break
            if _is_quote(t) and not _opens(doc, j):
                hi = j
                depth -= 1
                if depth == 0:
                    break
            elif _is_quote(t):
                depth += 1
            j += 1
    # "...so far," / "...see." followed by the closing quote
    j = hi + 1
    while j < n and j <= hi + 2 and doc[j].is_punct and not _is_quote(doc[j]):
        j += 1
    if j < n and j > hi and _is_quote(doc[j]) and not _opens(doc, j) and _quote_depth(doc, lo, j - 1) > 0:
        hi = j
    elif hi + 1 < n and _is_quote(doc[hi + 1]) and not _opens(doc, hi + 1) and _quote_depth(doc, lo, hi) > 0:
        hi += 1
    return lo, hi


def _opens(doc: Any, i: int) -> bool:
    """Is the quote mark at token ``i`` an opening one?"""
    t = doc[i].text
    if t in ("“", "«", "‘", "``"):
        return True
    if t in ("”", "»", "’", "''"):
        return False
    # straight quote: opening when followed by a word and preceded by space/start
    before = doc.text[doc[i].idx - 1] if doc[i].idx > 0 else " "
    after = doc.text[doc[i].idx + 1] if doc[i].idx + 1 < len(doc.text) else " "
    return (before.isspace() or before in "([—-") and not after.isspace()


def _quote_depth(doc: Any, lo: int, hi: int) -> int:
    depth = 0
    for i in range(lo, hi + 1):
        if _is_quote(doc[i]):
            depth += 1 if _opens(doc, i) else -1 if depth > 0 else 0
    return depth


def _subtree_bounds(tok: Any, skip: Iterable[Any] = ()) -> tuple[int, int]:
    """Token range of ``tok``'s subtree, without the subtrees of ``skip`` at its edges."""
    skipped: set[int] = set()
    for s in skip:
        skipped.update(t.i for t in s.subtree)
    idx = sorted(t.i for t in tok.subtree if t.i not in skipped)
    # keep the contiguous run around the head
    lo = hi = tok.i
    pos = set(idx)
    while lo - 1 in pos:
        lo -= 1
    while hi + 1 in pos:
        hi += 1
    return lo, hi


def _quote_regions(doc: Any) -> list[tuple[int, int]]:
    """Quotations as inclusive token ranges, from the opening to the closing mark.

    A quotation left open at a paragraph break ends there (news style reopens the
    quote in the next paragraph); nested quotes stay inside their outer quotation.
    """
    regions: list[tuple[int, int]] = []
    open_at: int | None = None
    depth = 0
    last = -1
    for t in doc:
        if t.is_space:
            if "\n" in t.text and open_at is not None:
                if last > open_at:
                    regions.append((open_at, last))
                open_at, depth = None, 0
            continue
        if _is_quote(t):
            if _opens(doc, t.i):
                if open_at is None:
                    open_at = t.i
                depth += 1
            elif open_at is not None:
                depth -= 1
                if depth <= 0:
                    regions.append((open_at, t.i))
                    open_at, depth = None, 0
        last = t.i
    if open_at is not None and last > open_at:
        regions.append((open_at, last))
    return regions


@dataclass(slots=True)
class _Candidate:
    """A possible attribution as inclusive token ranges, before overlap resolution."""

    source: tuple[int, int] | None
    cue: tuple[int, int]
    content: list[tuple[int, int]]
    rule: str

    @property
    def width(self) -> int:
        return sum(b - a + 1 for a, b in self.content)


Range = tuple[int, int]


# ---------------------------------------------------------------- the extractor
class _Extractor:
    """Rules over one parsed document; see the module docstring for conventions."""

    def __init__(self, doc: Any) -> None:
        self.doc = doc
        lex = load_reporting()
        self.cue_verbs = {**lex.verbs, **lex.stance_verbs}  # reporting and stance cues
        self.core_verbs = set(lex.verbs)
        self.cue_nouns = {**lex.nouns, **lex.stance_nouns}
        self.cue_adjs = stance_adjectives()
        self.source_nouns = lex_section("source_nouns")
        self.cands: list[_Candidate] = []
        self.regions = _quote_regions(doc)
        self.quoted = [False] * len(doc)
        self.region_closing: dict[int, Range] = {}
        self.region_opening: dict[int, Range] = {}
        for a, b in self.regions:
            self.region_opening[a] = (a, b)
            self.region_closing[b] = (a, b)
            for i in range(a + 1, b):
                self.quoted[i] = True

    # -- cue words
    def verb_key(self, verb: Any) -> str | None:
        """The lexicon entry a verb token matches ("point out" before "point")."""
        if verb.pos_ != "VERB":
            return None
        forms = _word_forms(verb)
        for lemma in forms:
            for c in verb.children:
                if c.dep_ in ("prt", "prep") and c.i > verb.i and f"{lemma} {c.lower_}" in self.cue_verbs:
                    return f"{lemma} {c.lower_}"
        return next((f for f in forms if f in self.cue_verbs), None)

    def cue_bounds(self, verb: Any, extra: Iterable[Any] = ()) -> Range:
        """The verb with its auxiliaries, negation, in-between adverbs and particles."""
        toks = {verb.i}
        for c in verb.children:
            if c.dep_ in ("aux", "auxpass", "neg", "prt") and abs(c.i - verb.i) <= 4:
                toks.add(c.i)
        toks.update(t.i for t in extra)
        lo, hi = min(toks), max(toks)
        for c in verb.children:  # adverbs inside the verb group ("has also said")
            if c.dep_ == "advmod" and lo - 1 <= c.i <= hi + 1 and c.i < verb.i and c.lower_ not in ("so", "then"):
                lo, hi = min(lo, c.i), max(hi, c.i)
        hi = self.extend_modifiers(verb, hi)
        if hi + 1 < len(self.doc) and self.doc[hi + 1].text == ":":  # 'said:' — PolNeAR keeps the colon
            hi += 1
        return lo, hi

    def extend_modifiers(self, verb: Any, hi: int) -> int:
        """Take in the verb's modifiers right after the cue ("said in a statement Sunday")."""
        mods = sorted((c for c in verb.children if c.dep_ in ("prep", "npadvmod", "advmod") and c.i > hi),
                      key=lambda c: c.i)
        for c in mods:
            lo_c, hi_c = _subtree_bounds(c)
            size = hi_c - lo_c + 1
            if lo_c != hi + 1 or c.lower_ in ("that", "as", "because", "while", "after", "before", "when", "by") \
                    or size > (6 if c.dep_ == "prep" else 3) or any(g.dep_ == "pcomp" for g in c.children):
                break
            hi = hi_c
        return hi

    # -- sources
    def source_bounds(self, verb: Any) -> Range | None:
        """The speaker noun phrase of a cue verb, if the clause has one."""
        subj = next((c for c in verb.children if c.dep_ in ("nsubj", "csubj")), None)
        if subj is None:
            agent = next((c for c in verb.children if c.dep_ == "agent"), None)
            if agent is not None:
                subj = next((c for c in agent.children if c.dep_ == "pobj"), None)
        inherits = verb.dep_ in ("conj", "xcomp") or (verb.dep_ == "advcl" and verb.tag_ == "VBG")
        if subj is None and inherits and verb.head.i != verb.i:
            return self.source_bounds(verb.head) if verb.head.pos_ in ("VERB", "AUX") else None
        if subj is None or (subj.lower_ in ("it", "there") and subj.dep_ != "pobj"):
            return None
        skip = [c for c in subj.children if c.dep_ == "relcl"]
        return _trim(self.doc, *_subtree_bounds(subj, skip), keep_quotes=False)

    # -- content
    def content_child(self, verb: Any, key: str) -> tuple[Any, str] | None:
        """The dependent that holds what is reported, and which rule found it."""
        kids = list(verb.children)
        for dep in ("ccomp", "csubjpass"):
            c = next((k for k in kids if k.dep_ == dep), None)
            if c is not None:
                return c, dep
        c = next((k for k in kids if k.dep_ == "parataxis" and k.i > verb.i), None)
        if c is not None:
            return c, "parataxis"
        c = next((k for k in kids if k.dep_ == "xcomp"), None)
        if c is not None:
            return c, "xcomp"
        c = next((k for k in kids if k.dep_ in ("dobj", "nsubjpass") and k.lower_ not in ("it",)), None)
        if c is not None and key not in ("tell", "inform", "brief", "ask"):
            return c, "dobj"
        for k in kids:
            if k.dep_ == "prep" and k.lower_ in CONTENT_PREPS and k.i > verb.i:
                obj = next((g for g in k.children if g.dep_ in ("pobj", "pcomp")), None)
                if obj is not None:
                    return obj, "prep"
        return None

    def adjacent_quote(self, lo: int, hi: int) -> Range | None:
        """A quotation ending just before token ``lo`` or starting just after ``hi``."""
        doc = self.doc
        j = lo - 1
        while j >= 0 and (doc[j].is_space or doc[j].text in (",", "—", "--")):
            j -= 1
        if j >= 0 and j in self.region_closing:
            return self.region_closing[j]
        j = hi + 1
        while j < len(doc) and (doc[j].is_space and "\n" not in doc[j].text or doc[j].text in (",", ":", "—")):
            j += 1
        if j < len(doc) and j in self.region_opening:
            return self.region_opening[j]
        return None

    def continuation(self, last: int) -> list[Range]:
        """Wholly quoted sentences right after a quotation that ends at token ``last``."""
        doc = self.doc
        more: list[Range] = []
        j = last + 1
        while j < len(doc):
            while j < len(doc) and (doc[j].is_space and "\n" not in doc[j].text or doc[j].is_punct and not _is_quote(doc[j])):
                j += 1
            if j >= len(doc) or j not in self.region_opening:
                break
            a, b = self.region_opening[j]
            sent = doc[a].sent
            if a != sent.start:
                break
            more.append((a, b))
            j = b + 1
        return more

    def verbs(self) -> None:
        for verb in self.doc:
            key = self.verb_key(verb)
            if key is None or self.quoted[verb.i]:
                continue
            found = self.content_child(verb, key)
            interrupting = verb.dep_ in ("parataxis", "ccomp") and verb.head.i != verb.i and verb.head.i < verb.i \
                or verb.dep_ == "parataxis" and verb.head.i != verb.i
            extra: list[Any] = []
            if found is not None and found[1] == "prep":
                extra.append(found[0].head)
            cue = self.cue_bounds(verb, extra)
            src = self.source_bounds(verb)
            edge_lo = min(cue[0], src[0]) if src else cue[0]
            edge_hi = max(cue[1], src[1]) if src else cue[1]
            quote = self.adjacent_quote(edge_lo, edge_hi)
            pieces: list[Range] = []
            rule = "quote"
            if interrupting and found is None:
                rule = "interrupting"
                pieces = self.clause_without(verb.head, verb)
            elif found is not None:
                child, rule = found
                lo, hi = _subtree_bounds(child)
                if quote is None or quote[1] < lo or quote[0] > hi:
                    piece = _trim(self.doc, lo, hi)
                    if piece is not None:
                        pieces = [_balance_quotes(self.doc, *piece)]
            if quote is not None:
                merged = [p for p in pieces if p[1] < quote[0] or p[0] > quote[1]]
                pieces = sorted([*merged, quote])
            raised = self.raised_subject(verb, found)
            if raised is not None:  # "X is expected to win": no source, X is content
                src, pieces, rule = None, sorted([*pieces, raised]), "raised"
            if not pieces and not (src is not None and key in self.core_verbs):
                continue
            if key in WEAK_COMPLEMENTS.get(rule, ()):
                continue
            if pieces and (quote is not None or _is_quote(self.doc[pieces[-1][1]])):
                pieces.extend(self.continuation(max(pieces[-1][1], edge_hi)))
            self.add(src, cue, pieces, rule)

    def raised_subject(self, verb: Any, found: tuple[Any, str] | None) -> Range | None:
        """The subject of a passive cue with an infinitive ("Kim is expected to win"), or None."""
        if found is None or found[1] != "xcomp" or verb.tag_ != "VBN":
            return None
        if any(c.dep_ == "agent" for c in verb.children):
            return None
        subj = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
        if subj is None or subj.i > verb.i:
            return None
        return _trim(self.doc, *_subtree_bounds(subj), keep_quotes=False)

    def clause_without(self, head: Any, verb: Any) -> list[Range]:
        """The head's clause around an inserted reporting clause, as pieces."""
        inner = {t.i for t in verb.subtree}
        idx = sorted(t.i for t in head.subtree if t.i not in inner)
        before = [i for i in idx if i < min(inner)]
        after = [i for i in idx if i > max(inner)]
        pieces = []
        for part in (before, after):
            if part:
                r = _trim(self.doc, part[0], part[-1])
                if r is not None:
                    pieces.append(_balance_quotes(self.doc, *r))
        return pieces

    def according_to(self) -> None:
        """'according to X': cue "according to", source X, content the rest of the clause."""
        doc = self.doc
        for t in doc:
            if t.lower_ != "according" or t.i + 1 >= len(doc) or doc[t.i + 1].lower_ != "to":
                continue
            to = doc[t.i + 1]
            obj = next((c for c in to.children if c.dep_ == "pobj"), None)
            src = _trim(doc, *_subtree_bounds(obj)) if obj is not None else None
            sent = t.sent
            phrase = {x.i for x in t.subtree} | {x.i for x in to.subtree}
            lo_p, hi_p = min(phrase), max(phrase)
            self.add(src, (t.i, to.i), self.around(sent, lo_p, hi_p), "according_to")

    def around(self, sent: Any, lo: int, hi: int, min_width: int = 0) -> list[Range]:
        """The sentence on either side of tokens ``[lo, hi]`` as quote-balanced content pieces,
        each spanning at least ``min_width`` + 1 tokens."""
        doc = self.doc
        pieces = [r for r in (_trim(doc, sent.start, lo - 1), _trim(doc, hi + 1, sent.end - 1)) if r]
        return [_balance_quotes(doc, *r) for r in pieces if r[1] - r[0] >= min_width]

    def owner(self, poss: Any) -> Range | None:
        """An owner phrase as a source, without its "'s" ("Kim's criticism" -> "Kim")."""
        return _trim(self.doc, *_subtree_bounds(poss, [c for c in poss.children if c.dep_ == "case"]), keep_quotes=False)

    def in_sources(self) -> None:
        """'in X' where X is a poll, a study or a view, opening the sentence ("In a new poll,
        40 percent back Vale": cue "in", source X) or owned ("..., in Vale's view": cue
        "view", source "Vale's"); the rest of the sentence is the content."""
        doc = self.doc
        for t in doc:
            if t.lower_ != "in" or t.dep_ != "prep" or self.quoted[t.i]:
                continue
            obj = next((c for c in t.children if c.dep_ == "pobj"), None)
            if obj is None or not any(f in self.source_nouns for f in _word_forms(obj)[:2]):
                continue
            opening = t.i == t.sent.start or doc[t.i - 1].is_punct and t.i - 1 == t.sent.start
            if not opening and not any(c.dep_ == "poss" for c in obj.children):
                continue  # "leads in the polls" is a standing, not a report
            poss = next((c for c in obj.children if c.dep_ == "poss"), None)
            src = _trim(doc, *_subtree_bounds(obj))
            cue = (t.i, t.i)
            if poss is not None:  # "in Vale's view": the owner is the source, the noun the cue
                src = _trim(doc, *_subtree_bounds(poss), keep_quotes=False)
                cue = (max(x.i for x in poss.subtree) + 1, obj.i)
            sent = t.sent
            lo_p, hi_p = min(x.i for x in t.subtree), max(x.i for x in t.subtree)
            pieces = self.around(sent, lo_p, hi_p, min_width=2)
            if pieces:
                self.add(src, cue, pieces, "in_source")

    def aux_bounds(self, verb: Any) -> Range:
        """A verb with its auxiliaries, negation and the adverbs between them."""
        toks = [verb.i] + [c.i for c in verb.children
                           if c.dep_ in ("aux", "auxpass", "neg") or c.dep_ == "advmod" and c.i < verb.i]
        lo = min(toks)
        while lo < verb.i and self.doc[lo].dep_ == "advmod" and not any(
                self.doc[k].dep_ in ("aux", "auxpass", "neg") for k in range(lo, verb.i)):
            lo += 1  # a leading adverb before any auxiliary is not part of the cue
        return lo, verb.i

    def prep_content(self, head: Any, preps: frozenset[str]) -> tuple[Any, Any] | None:
        """``(prep, object)`` of the first content-bearing preposition after ``head``."""
        for k in head.children:
            if k.dep_ == "prep" and k.lower_ in preps and k.i > head.i:
                obj = next((g for g in k.children if g.dep_ in ("pobj", "pcomp")), None)
                if obj is not None:
                    return k, obj
        return None

    def clause_content(self, head: Any) -> Range | None:
        """A clausal complement of ``head`` (ccomp, xcomp, acl), trimmed and quote-balanced."""
        c = next((k for k in head.children if k.dep_ in ("ccomp", "xcomp", "acl") and k.i > head.i), None)
        if c is None:
            return None
        r = _trim(self.doc, *_subtree_bounds(c))
        return _balance_quotes(self.doc, *r) if r else None

    def adjectives(self) -> None:
        """Adjectives after a copula: stance adjectives with a clause or a target ("she was
        sure that ...", "it is clear that ...", "they are furious at ..."), and any
        adjective with an "about" target when the subject is not "it" ("he was upbeat about ...")."""
        for adj in self.doc:
            if adj.pos_ != "ADJ" or self.quoted[adj.i]:
                continue
            cop = adj.head
            if adj.dep_ not in ("acomp", "ccomp", "oprd") or cop.lemma_.lower() not in COPULAS or cop.i > adj.i:
                continue
            found = self.adjective_content(adj, cop)
            if found is None:
                continue
            hi, content = found
            lo = self.aux_bounds(cop)[0]
            expl = next((c for c in cop.children if c.dep_ in ("nsubj", "expl") and c.lower_ == "it"), None)
            if expl is not None and expl.i < lo:
                lo = expl.i
            self.add(self.source_bounds(cop), (lo, hi), [content], "adjective")

    def adjective_content(self, adj: Any, cop: Any) -> tuple[int, Range] | None:
        """``(last cue token, content)`` of a predicative adjective, or None."""
        lexical = adj.lower_ in self.cue_adjs
        content = None
        if lexical:
            content = self.clause_content(adj) or (self.clause_content(cop) if cop.i < adj.i else None)
        hi = adj.i
        if content is None:
            pc = self.prep_content(adj, ADJ_TARGET_PREPS if lexical else frozenset({"about"}))
            if pc is None:
                return None
            if not lexical and not any(c.dep_ == "nsubj" and c.lower_ not in ("it", "this", "that", "there")
                                       for c in cop.children):
                return None
            hi = pc[0].i
            r = _trim(self.doc, *_subtree_bounds(pc[1]))
            content = _balance_quotes(self.doc, *r) if r else None
        if content is None or content[0] <= hi:
            return None
        return hi, content

    def nouns(self) -> None:
        """Speech and stance nouns: "Kim's criticism of the plan", "made a statement that ...",
        "expressed concern", "is a longtime supporter of ...", "the hope is that ..."."""
        for noun in self.doc:
            if noun.pos_ != "NOUN" or self.quoted[noun.i]:
                continue
            if not any(f in self.cue_nouns for f in _word_forms(noun)[:2]):
                continue
            head = noun.head
            if noun.dep_ == "nsubj" and head.lemma_.lower() == "be" and head.i > noun.i:
                self.subject_noun(noun, head)
                continue
            light = head.i < noun.i and (noun.dep_ == "dobj" and head.lemma_.lower() in LIGHT_VERBS
                                         or noun.dep_ == "attr" and head.lemma_.lower() == "be")
            poss = next((c for c in noun.children if c.dep_ == "poss"), None)
            lo, hi = noun.i, noun.i
            content = self.clause_content(noun)
            if content is None and (light or poss is not None):
                pc = self.prep_content(noun, NOUN_CONTENT_PREPS) or (
                    self.prep_content(head, NOUN_CONTENT_PREPS) if light else None)
                if pc is not None:
                    if pc[0].head.i == noun.i and pc[0].i == noun.i + 1:
                        hi = pc[0].i  # "criticism of", "calls for": the preposition joins the cue
                    r = _trim(self.doc, *_subtree_bounds(pc[1]))
                    content = _balance_quotes(self.doc, *r) if r else None
            src: Range | None = None
            if light:
                src = self.source_bounds(head)
                lo = self.aux_bounds(head)[0]
            elif poss is not None:
                src = self.owner(poss)
            if content is None or content[0] <= hi or (src is None and not light):
                continue
            self.add(src, (lo, hi), [content], "noun-" + ("light" if light else "poss" if poss is not None else "clause"))

    def subject_noun(self, noun: Any, cop: Any) -> None:
        """ "The hope is that ...", "Vale's view was that ...": the subject phrase and the copula
        are the cue, an owner is the source, the clause after the copula the content."""
        c = next((k for k in cop.children if k.dep_ == "ccomp" and k.i > cop.i), None)
        if c is None or not any(m.dep_ == "mark" and m.lower_ == "that" for m in c.children):
            return
        r = _trim(self.doc, *_subtree_bounds(c))
        if r is None or r[1] - r[0] < 2:
            return
        poss = next((k for k in noun.children if k.dep_ == "poss"), None)
        lo = min(t.i for t in noun.subtree)
        src = None
        if poss is not None:
            src = self.owner(poss)
            lo = max(t.i for t in poss.subtree) + 1
        self.add(src, (lo, cop.i), [_balance_quotes(self.doc, *r)], "noun_subject")

    def colons(self) -> None:
        """Headline and transcript labels: "Senator Vale: ..." / "VALE: ..." at the start of a line."""
        doc = self.doc
        line_start = 0
        for t in doc:
            if t.is_space and "\n" in t.text:
                line_start = t.i + 1
                continue
            if t.text != ":" or t.i == line_start:
                continue
            lo = line_start
            while lo < t.i and (_is_quote(doc[lo]) or doc[lo].is_space):
                lo += 1
            label = doc[lo:t.i]
            if not 1 <= len(label) <= 5 or not label[0].text[:1].isupper():
                continue
            if not self.is_speaker_label(label, quoted_line=lo > line_start):
                continue
            end = t.i + 1
            while end < len(doc) and not (doc[end].is_space and "\n" in doc[end].text):
                end += 1
            content = _trim(doc, t.i + 1, end - 1)
            if content is None or content[1] - content[0] < 2:
                continue
            self.add((lo, t.i - 1), (t.i, t.i), [content], "colon")

    @staticmethod
    def is_speaker_label(label: Any, quoted_line: bool) -> bool:
        """A name before a colon: proper nouns ("Senator Vale"), or one capitalised word
        ("VALE") on a transcript line that opens with a quote mark."""
        if len(label) == 1 and label[0].is_upper:
            return quoted_line
        return all(x.pos_ == "PROPN" or x.text in (".", "-") for x in label)

    def dash_signatures(self) -> None:
        """A quotation signed with a dash: “...” ― Name."""
        doc = self.doc
        for t in doc:
            if t.text not in DASHES:
                continue
            j = t.i - 1
            while j >= 0 and doc[j].is_space and "\n" not in doc[j].text:
                j -= 1
            if j < 0 or j not in self.region_closing:
                continue
            k = t.i + 1
            while k < len(doc) and k - t.i <= 6 and (doc[k].pos_ == "PROPN" or doc[k].text in (".", ",")) \
                    and not _is_quote(doc[k]):
                k += 1
            name = _trim(doc, t.i + 1, k - 1, keep_quotes=False)
            if name is None:
                continue
            self.add(name, (t.i, t.i), [self.region_closing[j]], "dash")

    def add(self, src: Range | None, cue: Range, content: list[Range], rule: str) -> None:
        """Keep a candidate; overlaps are resolved by :meth:`resolve`."""
        self.cands.append(_Candidate(src, cue, content, rule))

    def resolve(self) -> list[Attribution]:
        """One attribution per token (PolNeAR is univocal): outer attributions win.

        Candidates whose cue sits inside quotation marks or inside an accepted
        attribution's content are nested speech and are dropped (PolNeAR rarely splits
        a content for a report nested in it); candidates are taken widest content first.
        """
        taken: set[int] = set()
        out: list[Attribution] = []
        for c in sorted(self.cands, key=lambda c: -c.width):
            cue_toks = set(range(c.cue[0], c.cue[1] + 1))
            if cue_toks & taken:
                continue
            src = c.source
            if src is not None and set(range(src[0], src[1] + 1)) & taken:
                src = None
            content = [r for r in c.content if not set(range(r[0], r[1] + 1)) & cue_toks]
            for rng in (src, c.cue, *content):
                if rng is not None:
                    taken.update(range(rng[0], rng[1] + 1))
            out.append(self.attribution(src, c.cue, content, c.rule))
        return out

    def attribution(self, src: Range | None, cue: Range, content: list[Range], rule: str) -> Attribution:
        """Token ranges as an :class:`Attribution` with character spans."""
        spans = [_span(self.doc, *r) for r in content]
        return Attribution(source=_span(self.doc, *src) if src else None, cue=_span(self.doc, *cue),
                           content=spans[0] if spans else None, content_more=spans[1:], rule=rule)


def extract_attributions(doc: Any) -> list[Attribution]:
    """All attributions found in a parsed document, in text order of their cues."""
    ex = _Extractor(doc)
    ex.according_to()
    ex.in_sources()
    ex.verbs()
    ex.adjectives()
    ex.nouns()
    ex.colons()
    ex.dash_signatures()
    return sorted(ex.resolve(), key=lambda a: a.cue.start)


__all__ = ["Attribution", "extract_attributions"]
