"""Generate the synthetic dyad-typing training set from the project's templates.

Sources (see ``src/eventwire/data/training/README.md``):

- ``templates.yaml`` / ``vocab.yaml``: sentence patterns and fillers written for eventwire;
- ``cameo_phrases.json``: verb phrases per PLOVER type derived from the MIT Phoenix CAMEO verb
  dictionary (rebuilt with :func:`cameo_phrases`);
- optionally the PLOVER gold-standard records (CC BY-SA 4.0), read at training time with
  :func:`load_gsr` (their text is not stored in the project).
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from . import LABELS
from .markup import DyadExample

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "training"
SLOT_RE = re.compile(r"\{([A-Za-z_0-9]+)\}")
GSR_MAP = {"DEMAND": "REQUEST", "FIGHT": "ASSAULT", "DISAPPROVE": "ACCUSE", "INVESTIGATE": "ACCUSE"}
KINDS = ("gov", "mil", "rebel", "police", "civil", "biz", "igo")


def load_yaml(name: str) -> dict[str, Any]:
    """Load one YAML file from the training data folder."""
    with open(DATA_DIR / name, encoding="utf-8") as fh:
        return yaml.safe_load(fh)


class Generator:
    """Renders templates into :class:`DyadExample` records with exact character spans."""

    def __init__(self, seed: int = 0) -> None:
        self.rng = random.Random(seed)
        self.vocab = load_yaml("vocab.yaml")
        self.tpl = load_yaml("templates.yaml")
        path = DATA_DIR / "cameo_phrases.json"
        self.cameo: dict[str, list[str]] = json.loads(path.read_text()) if path.exists() else {}

    # ------------------------------------------------------------------ fillers
    def _pick(self, xs: list[Any]) -> Any:
        return xs[self.rng.randrange(len(xs))]

    def actor(self, kind: str | None = None) -> str:
        """An actor phrase of ``kind`` (random kind when None)."""
        kind = kind or self._pick(list(KINDS))
        v = self.vocab
        country, adj = self._pick(v["countries"])
        fills = {"C": country, "A": adj, "F": self._pick(v["first_names"]), "L": self._pick(v["last_names"]),
                 "X": self._pick(v["titles"]), "Y": self._pick(v["cities"]), "O": self._pick(v["org_stems"]),
                 "S2": self._pick(v["company_stems"])}
        return SLOT_RE.sub(lambda m: fills.get(m.group(1), m.group(0)), self._pick(v["actors"][kind]))

    def fill(self, slot: str) -> str:
        """Fill a non-actor slot ({time}, {topic}, {req_obj}...)."""
        tpl = self.tpl
        if slot == "city" or slot == "Y":
            return self._pick(self.vocab["cities"])
        if slot == "R":
            return self.actor("gov") if self.rng.random() < 0.3 else self.fill_text(self._pick(tpl["reporters"]))
        pool = tpl["fillers"].get(slot) or tpl["phrases"].get(slot)
        if pool is None:
            raise KeyError(f"unknown template slot {{{slot}}}")
        return self.fill_text(self._pick(pool))

    def fill_text(self, text: str) -> str:
        """Fill every slot of ``text`` except {S}, {T} and {C}."""
        def sub(m: re.Match[str]) -> str:
            name = m.group(1)
            if name in ("S", "T", "C"):
                return m.group(0)
            if name in ("A", "O"):
                return self._pick(self.vocab["countries"])[1] if name == "A" else self._pick(self.vocab["org_stems"])
            return self.fill(name)
        return SLOT_RE.sub(sub, text)

    # ------------------------------------------------------------------ rendering
    def render(self, pattern: str, src: str, tgt: str | None) -> tuple[str, tuple[int, int], tuple[int, int] | None]:
        """Render a pattern (already slot-filled except {S}/{T}) inside a wrapper."""
        wrapper = self.fill_text(self._pick(self.tpl["wrappers"]))
        full = wrapper.replace("{C}", pattern, 1)  # capitalised below
        parts = re.split(r"(\{S\}|\{T\})", full)
        out, pos, s_span, t_span = [], 0, (0, 0), None
        for part in parts:
            if part == "{S}":
                s_span = (pos, pos + len(src))
                part = src
            elif part == "{T}":
                if tgt is None:
                    raise ValueError("pattern has {T} but no target given")
                t_span = (pos, pos + len(tgt))
                part = tgt
            if part.startswith("'s") and out and out[-1].endswith("s") and out[-1] in (src, tgt):
                part = "'" + part[2:]
            out.append(part)
            pos += len(part)
        text = "".join(out)
        if text and text[0].islower():
            text = text[0].upper() + text[1:]
        return text, s_span, t_span

    def kinds(self, label: str) -> str | None:
        spec = self.tpl["types"].get(label, {})
        ks = spec.get("src_kinds")
        return self._pick(ks) if ks and self.rng.random() < 0.8 else None

    def example(self, label: str, pattern: str) -> list[DyadExample]:
        """Render one pattern into its main example plus optional NONE distractors."""
        rng = self.rng
        symmetric = pattern.startswith("~")
        pattern = pattern.lstrip("~")
        if "|" in pattern:
            pattern, label = pattern.split("|", 1)
        pattern = self.fill_text(self._decorate(pattern))
        src = self.actor(self.kinds(label))
        tgt = self.actor() if "{T}" in pattern else None
        while tgt is not None and tgt == src:
            tgt = self.actor()
        text, s, t = self.render(pattern, src, tgt)
        if symmetric and t is not None and rng.random() < 0.5:
            s, t = t, s
        out = [DyadExample(text, s, t, label)]
        if t is not None and label != "NONE":
            if not symmetric and rng.random() < 0.12:
                out.append(DyadExample(text, t, s, "NONE"))
            if rng.random() < 0.04:
                out.append(DyadExample(text, s, None, label))
        out += self._reporter_distractor(text, s, t)
        return out

    def _decorate(self, pattern: str) -> str:
        """Sometimes add an appositive after {S} and a context clause at the end."""
        tpl, rng = self.tpl, self.rng
        if tpl.get("appositives") and pattern.startswith("{S} ") and rng.random() < 0.12:
            pattern = "{S}, " + self._pick(tpl["appositives"]) + "," + pattern[3:]
        m = re.match(r"^\{S\} ([a-z]+ed) ", pattern)
        if m and rng.random() < 0.15:
            pattern = "{S} " + self._pick(["has", "have", "had"]) + pattern[3:]
        if tpl.get("extensions") and rng.random() < 0.35:
            ext = self._pick(tpl["extensions"])
            pattern = pattern + (", " if rng.random() < 0.5 else " ") + ext
        return pattern

    def _reporter_distractor(self, text: str, s: tuple[int, int], t: tuple[int, int] | None) -> list[DyadExample]:
        """Sometimes pair a third actor phrase in the sentence with the recipient as NONE."""
        if t is None or self.rng.random() > 0.1:
            return []
        spans = sorted([s, t])
        gaps = [(0, spans[0][0]), (spans[0][1], spans[1][0]), (spans[1][1], len(text))]
        for a, b in gaps:
            m = re.search(r"\b(?:[A-Z][a-z]+ ){0,3}(?:officials|media|agency|spokesman|witnesses|ministry|army|Reuters|Observatory|diplomat)\b", text[a:b])
            if m:
                d = (a + m.start(), a + m.end())
                return [DyadExample(text, d, t, "NONE")]
        return []

    def cameo_example(self, label: str) -> list[DyadExample]:
        """An example built from a CAMEO-dictionary phrase joined to a recipient."""
        phrase = self._pick(self.cameo[label])
        link = self._pick(self.tpl["cameo_links"][label])
        pattern = "{S} " + phrase + " " + link if self.rng.random() < 0.7 or label == "NONE" else "{S} " + phrase
        if "{T}" not in pattern and self.rng.random() < 0.5:
            pattern = "{S} " + phrase + " {T}"
        return self.example(label, pattern)

    def generate(self, per_type: int, cameo_share: float = 0.2) -> Iterator[DyadExample]:
        """Yield about ``per_type`` examples per label (NONE included), shuffled per type."""
        for label in LABELS:
            patterns = self.tpl["types"][label]["patterns"]
            n = 0
            while n < per_type:
                if self.cameo.get(label) and self.rng.random() < cameo_share:
                    exs = self.cameo_example(label)
                else:
                    exs = self.example(label, self._pick(patterns))
                yield from exs
                n += 1


# ---------------------------------------------------------------------- CAMEO dictionary
IRREGULAR = {"set": "set", "put": "put", "cut": "cut", "hit": "hit", "write": "wrote", "shut": "shut",
             "let": "let", "quit": "quit", "spread": "spread", "beat": "beat", "bid": "bid",
             "upset": "upset", "broadcast": "broadcast", "cast": "cast", "forecast": "forecast",
             "stop": "stopped", "plan": "planned", "ban": "banned", "bar": "barred", "drop": "dropped",
             "ship": "shipped", "step": "stepped", "grip": "gripped", "commit": "committed",
             "admit": "admitted", "submit": "submitted", "permit": "permitted", "refer": "referred",
             "shop": "shopped", "rob": "robbed", "rub": "rubbed", "trap": "trapped", "stab": "stabbed",
             "beg": "begged", "jail": "jailed", "kidnap": "kidnapped", "rig": "rigged", "slam": "slammed",
             "strip": "stripped", "swap": "swapped", "tap": "tapped", "tip": "tipped", "nab": "nabbed"}


def _past(lemma: str, forms: list[str]) -> str:
    """Past tense of a verb lemma: an irregular form from the dictionary, else regular."""
    low = lemma.lower()
    if low in IRREGULAR:
        return IRREGULAR[low]
    if low.endswith("ed") or low in IRREGULAR.values():
        return low
    for f in forms:
        f = f.lower()
        if not f.endswith("ing") and f != low + "s" and f != low + "es" and not (low.endswith("y") and f == low[:-1] + "ies"):
            return f
    if low.endswith("e"):
        return low + "d"
    if low.endswith("y") and len(low) > 1 and low[-2] not in "aeiou":
        return low[:-1] + "ied"
    return low + "ed"


def _plover_table(path: Path) -> dict[str, str]:
    table: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        m = re.match(r"^(\d+):\s*([A-Z]+)", line)
        if m:
            table[m.group(1)] = m.group(2)
    return table


def _code_label(code: str, table: dict[str, str]) -> str | None:
    code = code.strip(":").split(":")[0]
    if not code.isdigit():
        return None
    if code.startswith("01"):
        return "NONE"
    if code.startswith("02"):
        return "REQUEST"
    for k in (code, code[:3], code[:2]):
        if k in table:
            return table[k]
    return None


@dataclass(frozen=True, slots=True)
class VerbLine:
    """One line of the Phoenix CAMEO verb dictionary's VERB PATTERNS section.

    ``kind`` "lemma": a verb listed in a block (``verb`` as written, ``forms`` its irregular
    forms); "pattern": a ``- WORDS [code] # VERB`` line, ``verb`` its explicit verb or else the
    block's first lemma ("" when none), ``forms`` that verb's forms in the block.
    ``block_code`` is the code of the enclosing ``---  VERB  [code]  ---`` block.
    """

    kind: str
    block_code: str
    verb: str
    forms: tuple[str, ...] = ()
    words: str = ""
    code: str = ""


def verb_lines(verbs_path: Path) -> Iterator[VerbLine]:
    """The lemma and pattern lines of the verb dictionary (Latin-1), in file order."""
    lines = verbs_path.read_text(encoding="latin-1").splitlines()
    start = next(i for i, l in enumerate(lines) if "VERB PATTERNS" in l)
    block_code = ""
    lemmas: dict[str, list[str]] = {}
    for line in lines[start:]:
        if line.startswith("######## TRANSFORMATIONS"):
            break
        m = re.match(r"^---\s+(\S+)\s+\[([^\]]*)\]", line)
        if m:
            block_code, lemmas = m.group(2), {}
            continue
        m = re.match(r"^([A-Z][A-Z_'-]*)\s*(\{([^}]*)\})?", line)
        if m and not line.startswith("-"):
            lemmas[m.group(1)] = (m.group(3) or "").split()
            yield VerbLine("lemma", block_code, m.group(1), tuple(lemmas[m.group(1)]))
            continue
        m = re.match(r"^-\s+(.*?)\s*\[([^\]]*)\]\s*(?:#\s*(\S+))?", line)
        if m:
            verb = m.group(3) or next(iter(lemmas), "")
            yield VerbLine("pattern", block_code, verb, tuple(lemmas.get(verb.upper(), [])), m.group(1), m.group(2))


def cameo_phrases(verbs_path: Path, table_path: Path) -> dict[str, list[str]]:
    """Derive past-tense verb phrases per PLOVER type from the Phoenix CAMEO verb dictionary.

    A block ``---  VERB  [code]  ---`` lists verb lemmas (irregular forms in braces); each
    ``- * WORDS [code] # VERB`` line gives a phrase ``verb words``. Synonym-set references
    (``&SET``) and pattern markers are dropped; CAMEO codes map to PLOVER through the
    CAMEO->PLOVER table (01x statements -> NONE, 02x appeals -> REQUEST).
    """
    table = _plover_table(table_path)
    out: dict[str, set[str]] = {}
    for vl in verb_lines(verbs_path):
        if vl.kind == "lemma":
            lab = _code_label(vl.block_code, table)
            if lab and "_" not in vl.verb:
                out.setdefault(lab, set()).add(_past(vl.verb, list(vl.forms)))
            continue
        lab = _code_label(vl.code, table)
        verb = vl.verb.upper()
        if not lab or "*" not in vl.words or not verb or "_" in verb:
            continue
        after = vl.words.split("*", 1)[1]
        if "&" in after or "$" in after or "+" in after or "%" in after or "{" in after:
            continue
        obj = re.sub(r"[()]", "", after).strip().lower().replace("_", " ")
        if len(obj.split()) > 4 or "^" in obj:
            continue
        phrase = (_past(verb, list(vl.forms)) + " " + obj).strip()
        out.setdefault(lab, set()).add(phrase)
    return {k: sorted(v) for k, v in sorted(out.items())}


def cameo_cues(verbs_path: Path, table_path: Path, min_share: float = 0.2) -> dict[str, list[str]]:
    """Event-cue verb lemmas of the Phoenix CAMEO verb dictionary, each with its PLOVER types.

    Every lemma listed in a ``---  VERB  [code]  ---`` block counts for the block's code
    (weight 3) and every pattern line ``- ... [code] # VERB`` for its own code (weight 1);
    codes map to PLOVER as in :func:`cameo_phrases`. Only lemmas whose block has an event code
    are cues: a block coded ``[---]`` ("make", "take", "win") is an event only with particular
    objects, which the dictionary's patterns spell out and a lemma list cannot. A type is kept
    when it has at least ``min_share`` of the lemma's weight; lemmas whose only type is NONE
    (statements) are left out.
    """
    table = _plover_table(table_path)
    weights: dict[str, dict[str, int]] = {}
    coded: set[str] = set()
    for vl in verb_lines(verbs_path):
        verb = vl.verb.lower().replace("_", " ")
        lab = _code_label(vl.block_code if vl.kind == "lemma" else vl.code, table)
        if not lab or not verb:
            continue
        if vl.kind == "lemma":
            coded.add(verb)
        w = weights.setdefault(verb, {})
        w[lab] = w.get(lab, 0) + (3 if vl.kind == "lemma" else 1)
    out: dict[str, list[str]] = {}
    for lemma, w in sorted(weights.items()):
        if lemma not in coded:
            continue
        total = sum(w.values())
        types = sorted(t for t, n in w.items() if n / total >= min_share and t != "NONE")
        if types and re.fullmatch(r"[a-z][a-z' -]*", lemma):
            out[lemma] = types
    return out


# ---------------------------------------------------------------------- PLOVER GSR
def load_gsr(path: Path) -> list[DyadExample]:
    """Read the PLOVER gold-standard records (CC BY-SA 4.0) as dyad examples.

    Older labels map to PLOVER 2.0 (DEMAND->REQUEST, FIGHT->ASSAULT, DISAPPROVE and
    INVESTIGATE->ACCUSE). Records whose actor text is not found in the sentence are skipped.
    """
    out: list[DyadExample] = []
    for rec in json.loads(path.read_text(encoding="utf-8")):
        label = GSR_MAP.get(rec.get("event", ""), rec.get("event", ""))
        if label not in LABELS or "text" not in rec:
            continue
        text = rec["text"]
        src = _find(text, rec.get("source") or [])
        if src is None:
            continue
        tgt = _find(text, rec.get("target") or [], avoid=src)
        out.append(DyadExample(text, src, tgt, label))
    return out


def _find(text: str, actors: list[Any], avoid: tuple[int, int] | None = None) -> tuple[int, int] | None:
    for a in actors:
        name = (a.get("actorText") or "") if isinstance(a, dict) else str(a)
        name = name.strip()
        if not name:
            continue
        for m in re.finditer(re.escape(name), text):
            span = (m.start(), m.end())
            if avoid is None or not (span[0] < avoid[1] and avoid[0] < span[1]):
                return span
    return None


def write_jsonl(examples: list[DyadExample], path: Path) -> None:
    """Write examples in the ``eventwire train`` JSONL format."""
    with open(path, "w", encoding="utf-8") as fh:
        fh.writelines(json.dumps({"text": ex.text, "source": list(ex.source),
                                 "target": list(ex.target) if ex.target else None, "label": ex.label}) + "\n" for ex in examples)


def read_jsonl(path: Path) -> list[DyadExample]:
    """Read ``eventwire train`` JSONL (text, source [start,end], target [start,end]|null, label)."""
    out: list[DyadExample] = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            d = json.loads(line)
            tgt = tuple(d["target"]) if d.get("target") else None
            label = str(d["label"]).upper()
            if label not in LABELS:
                raise ValueError(f"{path}:{n}: unknown label {label!r}")
            out.append(DyadExample(d["text"], (int(d["source"][0]), int(d["source"][1])), tgt, label))  # type: ignore[arg-type]
    return out
