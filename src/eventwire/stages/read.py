"""Stage 1 — read: turn a file, stdin or a string into an :class:`Article`.

Checks, in this order, each failing with :class:`InputError` whose ``reason`` is one of:

- ``not_found`` / ``not_a_file`` / ``unreadable``: the path cannot be read;
- ``too_large``: more than ``Config.max_bytes`` bytes (checked from the file size before reading);
- ``empty``: no bytes, or only white space;
- ``binary``: a known binary format (PDF, ZIP/DOCX, GZIP, PNG, ...), NUL bytes or many control
  characters;
- ``encoding``: not valid UTF-8 (UTF-8 with BOM, UTF-16 and UTF-32 with BOM are accepted);
- ``too_short``: fewer than ``Config.min_chars`` non-space characters;
- ``not_english``: the language check finds another language than ``Config.languages``;
- ``bad_meta``: a sidecar meta.json exists but cannot be used.

Offsets: after decoding, ``\\r\\n`` and lone ``\\r`` become ``\\n``; nothing else is changed. Every
character offset eventwire reports is an offset into that decoded, newline-normalised text
(``Article.text``).
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from ..config import Config
from ..errors import DataError, InputError
from ..records import Article

STDIN = "-"
STDIN_SOURCE = "<stdin>"
META_FIELDS = ("id", "url", "published", "outlet", "byline", "title")

#: Leading bytes of common binary formats people feed by mistake.
MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "PDF"),
    (b"PK\x03\x04", "ZIP archive (or DOCX/XLSX/ODT/EPUB)"),
    (b"\x1f\x8b", "GZIP"),
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF87a", "GIF image"),
    (b"GIF89a", "GIF image"),
    (b"BZh", "BZIP2"),
    (b"\xfd7zXZ\x00", "XZ"),
    (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
    (b"\x7fELF", "ELF executable"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "MS Office 97-2003 document"),
    (b"\x28\xb5\x2f\xfd", "Zstandard"),
    (b"SQLite format 3\x00", "SQLite database"),
)

#: Byte-order marks, longest first (UTF-32 LE starts like UTF-16 LE).
BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xef\xbb\xbf", "utf-8"),
    (b"\xfe\xff", "utf-16-be"),
    (b"\xff\xfe", "utf-16-le"),
)

_ALLOWED_CONTROL = frozenset(b"\t\n\r\x0b\x0c\x1b")
_CONTROL_SHARE_MAX = 0.05
_SNIFF_BYTES = 65536
_WORD_RE = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_LANG_SAMPLE_TOKENS = 3000
_LANG_MIN_HITS = 2.0
#: Unicode script name prefix -> language guess for text not written in Latin script.
_SCRIPTS: tuple[tuple[str, str], ...] = (
    ("CYRILLIC", "ru"),
    ("ARABIC", "ar"),
    ("GREEK", "el"),
    ("HEBREW", "he"),
    ("CJK", "zh"),
    ("HIRAGANA", "ja"),
    ("KATAKANA", "ja"),
    ("HANGUL", "ko"),
    ("DEVANAGARI", "hi"),
    ("THAI", "th"),
    ("BENGALI", "bn"),
    ("TAMIL", "ta"),
    ("GEORGIAN", "ka"),
    ("ARMENIAN", "hy"),
)
UNDETERMINED = "und"


# --------------------------------------------------------------------------- public API


def read_path(
    path: str,
    config: Config | None = None,
    *,
    published: date | None = None,
    outlet: str | None = None,
    title: str | None = None,
) -> Article:
    """Read a text file (or stdin when ``path`` is "-") into an Article.

    Metadata from a sidecar file next to it (``FILE.meta.json``, ``STEM.meta.json`` or
    ``meta.json`` in the same folder) fills id, url, published, outlet, byline and title;
    the explicit arguments win over the sidecar.
    """
    cfg = config or Config()
    explicit = {
        k: v
        for k, v in (("published", published), ("outlet", outlet), ("title", title))
        if v is not None
    }
    if path == STDIN:
        data = sys.stdin.buffer.read(cfg.max_bytes + 1)
        return read_bytes(data, STDIN_SOURCE, cfg, **explicit)
    p = Path(path)
    data = _read_limited(p, cfg.max_bytes)
    meta = {**read_sidecar(p), **explicit}
    return read_bytes(data, str(p), cfg, **meta)


def read_bytes(
    data: bytes, source: str, config: Config | None = None, **meta: Any
) -> Article:
    """Decode bytes (checking size, binary content and encoding) and build the Article."""
    cfg = config or Config()
    if len(data) > cfg.max_bytes:
        raise _too_large(source, len(data), cfg.max_bytes, exact=False)
    text = decode_bytes(data, source)
    return read_text(text, source, cfg, **meta)


def read_text(
    text: str,
    source: str = "<text>",
    config: Config | None = None,
    *,
    id: str | None = None,
    url: str | None = None,
    published: date | str | None = None,
    outlet: str | None = None,
    byline: str | None = None,
    title: str | None = None,
) -> Article:
    """Check an already-decoded text and build the Article (newlines normalised)."""
    cfg = config or Config()
    if len(text) * 4 > cfg.max_bytes and len(text.encode("utf-8")) > cfg.max_bytes:
        raise _too_large(source, len(text.encode("utf-8")), cfg.max_bytes, exact=True)
    text = normalise_newlines(text)
    _check_text(text, source, cfg)
    language, score = detect_language(text)
    if language != UNDETERMINED and language not in cfg.languages:
        raise InputError(
            source,
            "not_english",
            f"the text looks like {_language_name(language)} ({language}, confidence {score:.2f}), "
            f"not {' or '.join(cfg.languages)}; eventwire codes English news only "
            "(setting `languages`)",
        )
    return Article(
        id=id or article_id(text, url),
        text=text,
        title=title if title is not None else guess_title(text),
        url=url,
        published=parse_date(published, source),
        outlet=outlet,
        byline=byline,
        language=language,
        source=source,
    )


def detect_language(text: str) -> tuple[str, float]:
    """Guess the language of ``text`` without a model.

    Letters in a non-Latin script decide first (Cyrillic -> "ru", Arabic -> "ar", ...).
    Otherwise the first 3,000 word tokens (acronyms such as "MIT" skipped) are compared with
    the frequent function words of twelve languages (data/languages/stopwords.yaml); a word
    listed for k languages counts 1/k for each. Returns ``(code, confidence)`` where
    confidence is the winner's share of all function-word hits, or ``("und", 0.0)`` when the
    evidence is too thin to tell (fewer than 2 weighted hits for the best language).
    """
    script = _dominant_script(text)
    if script is not None:
        return script
    tokens = _WORD_RE.findall(text[: _LANG_SAMPLE_TOKENS * 12])[:_LANG_SAMPLE_TOKENS]
    weights = _stopword_weights()
    scores: dict[str, float] = {}
    for tok in tokens:
        if len(tok) > 1 and tok.isupper():
            continue
        for lang, w in weights.get(tok.lower().replace("’", "'"), ()):
            scores[lang] = scores.get(lang, 0.0) + w
    if not scores:
        return (UNDETERMINED, 0.0)
    best = max(sorted(scores), key=lambda lang: scores[lang])
    if scores[best] < _LANG_MIN_HITS:
        return (UNDETERMINED, 0.0)
    return (best, round(scores[best] / sum(scores.values()), 3))


# --------------------------------------------------------------------------- helpers (public)


def decode_bytes(data: bytes, source: str) -> str:
    """Bytes -> str: BOM-aware, strict UTF-8 otherwise; InputError on empty/binary/bad encoding."""
    if not data.strip():
        raise InputError(
            source,
            "empty",
            "the file is empty (no text); give eventwire a UTF-8 news text",
        )
    for bom, codec in BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(codec)
            except UnicodeDecodeError as e:
                raise InputError(
                    source,
                    "encoding",
                    f"starts with a {codec.upper()} byte-order mark but is not valid {codec.upper()} "
                    f"({e.reason} at byte {e.start + len(bom)}); re-save it as UTF-8",
                ) from None
    kind = sniff_binary(data)
    if kind is not None:
        raise InputError(
            source,
            "binary",
            f"looks like a binary file ({kind}), not text; give eventwire a UTF-8 text file",
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InputError(
            source, "encoding", _encoding_message(data, e, source)
        ) from None


def sniff_binary(data: bytes) -> str | None:
    """Name the binary format of ``data``, or None when it may be text."""
    for magic, name in MAGIC:
        if data.startswith(magic):
            return name
    head = data[:_SNIFF_BYTES]
    if b"\x00" in head:
        return "contains NUL bytes"
    control = sum(1 for b in head if b < 0x20 and b not in _ALLOWED_CONTROL)
    if head and control / len(head) > _CONTROL_SHARE_MAX:
        return f"{control / len(head):.0%} control characters"
    return None


def normalise_newlines(text: str) -> str:
    """``\\r\\n`` -> ``\\n`` (shifts offsets: done before anything else) and lone ``\\r`` -> ``\\n``."""
    if "\r" not in text:
        return text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def article_id(text: str, url: str | None = None) -> str:
    """Stable id: "sha1:" + 16 hex of the SHA-1 of the URL when given, else of the text."""
    basis = url if url else text
    return "sha1:" + hashlib.sha1(basis.encode("utf-8")).hexdigest()[:16]


def guess_title(text: str) -> str | None:
    """The first non-empty line when it looks like a headline (short, no final period,
    followed by more text); None otherwise. The text itself is not changed."""
    lines = text.split("\n")
    for i, line in enumerate(lines):
        head = line.strip()
        if not head:
            continue
        rest = "\n".join(lines[i + 1 :]).strip()
        looks = (
            len(head) <= 200
            and len(head.split()) <= 30
            and not head.endswith((".", ",", ";", ":"))
        )
        return head if looks and rest else None
    return None


def parse_date(value: date | str | None, source: str) -> date | None:
    """A date, an ISO "YYYY-MM-DD" string (a time part is ignored) or None."""
    if value is None or isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, datetime):
        return value.date()
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        raise InputError(
            source,
            "bad_meta",
            f"published date {value!r} is not an ISO date (YYYY-MM-DD)",
        ) from None


def sidecar_paths(path: Path) -> list[Path]:
    """Candidate sidecar metadata files for ``path``, most specific first."""
    return [
        path.with_name(path.name + ".meta.json"),
        path.with_name(path.stem + ".meta.json"),
        path.with_name("meta.json"),
    ]


def read_sidecar(path: Path) -> dict[str, Any]:
    """Metadata for ``path`` from the first sidecar found (only the known fields).

    A folder-level ``meta.json`` with a ``"file"`` key applies only to that file name.
    """
    for cand in sidecar_paths(path):
        if cand == path or not cand.is_file():
            continue
        try:
            meta = json.loads(cand.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
            raise InputError(
                str(cand),
                "bad_meta",
                f"metadata file cannot be read as UTF-8 JSON: {e}",
            ) from None
        if not isinstance(meta, dict):
            raise InputError(
                str(cand), "bad_meta", "metadata file must hold a JSON object"
            )
        if cand.name == "meta.json" and meta.get("file") not in (None, path.name):
            continue
        out = {k: meta[k] for k in META_FIELDS if meta.get(k) not in (None, "")}
        if "published" in out:
            out["published"] = parse_date(out["published"], str(cand))
        return out
    return {}


# --------------------------------------------------------------------------- internals


def _read_limited(path: Path, max_bytes: int) -> bytes:
    """Read at most max_bytes + 1 bytes, refusing early from the file size when known."""
    try:
        st = path.stat()
    except FileNotFoundError:
        raise InputError(
            str(path), "not_found", "no such file; check the path"
        ) from None
    except OSError as e:
        raise InputError(
            str(path), "unreadable", f"cannot read it ({e.strerror})"
        ) from None
    if path.is_dir():
        raise InputError(
            str(path),
            "not_a_file",
            "is a folder, not a text file; give one file per article",
        )
    if st.st_size > max_bytes:
        raise _too_large(str(path), st.st_size, max_bytes, exact=True)
    try:
        with path.open("rb") as fh:
            return fh.read(max_bytes + 1)
    except OSError as e:
        raise InputError(
            str(path), "unreadable", f"cannot read it ({e.strerror})"
        ) from None


def _too_large(source: str, size: int, limit: int, *, exact: bool) -> InputError:
    what = f"{size:,} bytes" if exact else f"more than {limit:,} bytes"
    return InputError(
        source,
        "too_large",
        f"is {what}, over the limit of {limit:,} bytes; split it into articles or raise "
        "the setting `max_bytes`",
    )


def _check_text(text: str, source: str, cfg: Config) -> None:
    if not text.strip():
        raise InputError(source, "empty", "the text is empty (only white space)")
    head = text[:_SNIFF_BYTES]
    control = sum(
        1
        for c in head
        if unicodedata.category(c) == "Cc" and c not in "\t\n\x0b\x0c\x1b"
    )
    if "\x00" in head or control / len(head) > _CONTROL_SHARE_MAX:
        raise InputError(
            source,
            "binary",
            "contains control characters (NUL or others): it is not plain text",
        )
    chars = sum(1 for c in text[: cfg.min_chars * 50] if not c.isspace())
    if chars < cfg.min_chars:
        raise InputError(
            source,
            "too_short",
            f"has only {chars} non-space characters, fewer than the minimum of {cfg.min_chars} "
            "(setting `min_chars`)",
        )


def _encoding_message(data: bytes, err: UnicodeDecodeError, source: str) -> str:
    bad = data[err.start : err.start + 1].hex()
    msg = f"is not valid UTF-8 (byte 0x{bad} at offset {err.start})"
    try:
        data.decode("cp1252")
        guess = "cp1252"
    except UnicodeDecodeError:
        guess = "latin1"
    name = source if source != STDIN_SOURCE else "FILE"
    return (
        f"{msg}; it may be Windows-1252/Latin-1 text: convert it with "
        f"`iconv -f {guess} -t utf-8 {name} > {Path(name).stem}.utf8.txt` and retry"
    )


def _dominant_script(text: str) -> tuple[str, float] | None:
    """A language guess from the script of the letters, when most are not Latin."""
    counts: dict[str, int] = {}
    letters = 0
    for ch in text[:20000]:
        if not ch.isalpha():
            continue
        letters += 1
        if ch.isascii():
            continue
        name = unicodedata.name(ch, "")
        for prefix, lang in _SCRIPTS:
            if name.startswith(prefix):
                counts[lang] = counts.get(lang, 0) + 1
                break
    if not letters or not counts:
        return None
    lang = max(sorted(counts), key=lambda k: counts[k])
    share = counts[lang] / letters
    return (lang, round(share, 3)) if share >= 0.5 else None


@dataclass(frozen=True, slots=True)
class _Language:
    code: str
    name: str
    words: frozenset[str]


@lru_cache(maxsize=1)
def load_stopwords() -> tuple[_Language, ...]:
    """The languages of data/languages/stopwords.yaml."""
    try:
        ref = resources.files("eventwire") / "data" / "languages" / "stopwords.yaml"
        raw = yaml.safe_load(ref.read_text(encoding="utf-8"))
        return tuple(
            _Language(
                code, str(v["name"]), frozenset(str(w).lower() for w in v["words"])
            )
            for code, v in raw["languages"].items()
        )
    except (OSError, yaml.YAMLError, KeyError, TypeError) as e:
        raise DataError(
            f"data/languages/stopwords.yaml is missing or malformed: {e}"
        ) from None


@lru_cache(maxsize=1)
def _stopword_weights() -> dict[str, tuple[tuple[str, float], ...]]:
    owners: dict[str, list[str]] = {}
    for lang in load_stopwords():
        for w in lang.words:
            owners.setdefault(w, []).append(lang.code)
    return {
        w: tuple((code, 1.0 / len(codes)) for code in codes)
        for w, codes in owners.items()
    }


def _language_name(code: str) -> str:
    names = {lang.code: lang.name for lang in load_stopwords()}
    extra = {
        "ru": "Russian (Cyrillic script)",
        "ar": "Arabic",
        "el": "Greek",
        "he": "Hebrew",
        "zh": "Chinese",
        "ja": "Japanese",
        "ko": "Korean",
        "hi": "Hindi (Devanagari)",
        "th": "Thai",
        "bn": "Bengali",
        "ta": "Tamil",
        "ka": "Georgian",
        "hy": "Armenian",
    }
    return names.get(code) or extra.get(code, code)
