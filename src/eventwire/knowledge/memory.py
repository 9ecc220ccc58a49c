"""Actor memory: what one article teaches about a person, used in later articles.

When an article says "Admiral Jane Holt, the head of the U.S. Pacific Command", the
actors stage codes Jane Holt as USA MIL from the text itself. With a memory file
(``Config.actor_memory``), that coding is remembered with its evidence (the article
and the words), and a later article that only says "Jane Holt said ..." gets USA MIL
from memory, with the reason shown in ``Actor.evidence``.

Users review and correct the memory (``eventwire actors memory list|set|forget``): a
corrected or confirmed entry wins over what a later text seems to say; a learned one
only fills in what the text leaves open. The file is plain JSON, one entry per name.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Literal

from ..errors import ConfigError
from ..records import Actor, Document

Status = Literal["learned", "confirmed", "corrected"]
SCHEMA_VERSION = 1


@dataclass(slots=True)
class MemoryEntry:
    name: str  # canonical full name ("Jane Holt")
    code: str | None
    sector: str | None
    status: Status = "learned"
    article_id: str = ""
    evidence: str = ""  # the words that taught it
    reasons: list[str] = field(default_factory=list)  # the actors stage's reasons then
    updated: str = ""
    seen: int = 1

    @property
    def label(self) -> str:
        return " ".join(x for x in (self.code or "---", self.sector or "") if x)


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class ActorMemory:
    """A JSON-backed map from a person's full name to their code, sector and evidence."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self.entries: dict[str, MemoryEntry] = {}
        self.dirty = False
        self.changed: dict[str, MemoryEntry] = {}  # learned since the last drain()
        self._mtime: int | None = None
        if self.path.exists():
            self._read()

    def refresh(self) -> None:
        """Re-read the file if someone else (``actors memory set``) changed it since."""
        if self.dirty or not self.path.exists():
            return
        if self.path.stat().st_mtime_ns != self._mtime:
            self._read()

    def _read(self) -> None:
        try:
            self._mtime = self.path.stat().st_mtime_ns
            self.entries = {}
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            for item in raw.get("entries", []):
                entry = MemoryEntry(**item)
                self.entries[_key(entry.name)] = entry
        except (OSError, ValueError, TypeError) as e:
            raise ConfigError(f"actor memory {self.path} cannot be read ({e}); fix or remove the file") from None

    def save(self) -> None:
        """Write atomically (a crash never leaves half a file)."""
        if not self.dirty and self.path.exists():
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        data = {"version": SCHEMA_VERSION, "entries": [asdict(e) for e in sorted(self.entries.values(), key=lambda e: e.name)]}
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".memory-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(data, fh, ensure_ascii=False, indent=1)
        os.replace(tmp, self.path)
        self._mtime = self.path.stat().st_mtime_ns
        self.dirty = False

    # -- look-up
    def lookup(self, name: str) -> MemoryEntry | None:
        return self.entries.get(_key(name))

    # -- learning from a coded document
    def learn(self, document: Document) -> list[MemoryEntry]:
        """Remember every named person the text itself coded with a country."""
        learned = []
        for actor in document.mentions.values():
            if not _teachable(actor):
                continue
            key = _key(actor.canonical or "")
            old = self.entries.get(key)
            if old is not None and old.status != "learned":
                continue  # a person's reviewed entry is not overwritten by a text
            if old is not None and (old.code, old.sector) == (actor.code, actor.sector):
                if old.article_id != document.article.id:
                    old.seen += 1
                    old.article_id = document.article.id
                    self.dirty = True
                    self.changed[key] = old
                continue
            entry = MemoryEntry(
                name=actor.canonical or actor.entity_text,
                code=actor.code,
                sector=actor.sector,
                article_id=document.article.id,
                evidence=_evidence_words(document, actor),
                reasons=list(actor.evidence),
                updated=_now(),
            )
            self.entries[key] = entry
            self.changed[key] = entry
            learned.append(entry)
            self.dirty = True
        return learned

    # -- one writer for many coding processes
    def drain(self) -> list[MemoryEntry]:
        """What this memory learned since the last call (a worker hands it to the run's writer)."""
        out = list(self.changed.values())
        self.changed = {}
        return out

    def merge(self, entries: list[MemoryEntry]) -> int:
        """Take in what a coding process learned; reviewed entries here are never overwritten.

        Returns how many entries changed. Call :meth:`save` to write them.
        """
        n = 0
        for new in entries:
            key = _key(new.name)
            old = self.entries.get(key)
            if old is not None and old.status != "learned":
                continue
            if old is not None and (old.code, old.sector) == (new.code, new.sector):
                if old.article_id == new.article_id:
                    continue
                old.seen += 1
                old.article_id = new.article_id
            else:
                self.entries[key] = replace(new, reasons=list(new.reasons))
            self.dirty = True
            n += 1
        return n

    # -- review and correction
    def set(self, name: str, code: str | None, sector: str | None, note: str = "") -> MemoryEntry:
        key = _key(name)
        old = self.entries.get(key)
        entry = MemoryEntry(
            name=old.name if old else " ".join(name.split()),
            code=code.upper() if code else None,
            sector=sector.upper() if sector else None,
            status="corrected" if old is None or (old.code, old.sector) != (code, sector) else "confirmed",
            article_id=old.article_id if old else "",
            evidence=note or (old.evidence if old else "set by hand"),
            reasons=old.reasons if old else [],
            updated=_now(),
            seen=old.seen if old else 0,
        )
        self.entries[key] = entry
        self.dirty = True
        return entry

    def forget(self, name: str) -> bool:
        gone = self.entries.pop(_key(name), None) is not None
        self.dirty = self.dirty or gone
        return gone

    def as_rows(self) -> list[dict[str, Any]]:
        return [asdict(e) for e in sorted(self.entries.values(), key=lambda e: e.name)]


def _teachable(actor: Actor) -> bool:
    """Only what the text itself says about a named person teaches the memory."""
    if actor.kind != "person" or not actor.code or not actor.canonical or len(actor.canonical.split()) < 2:
        return False
    if actor.confidence < 1.0:
        return False  # guesses ("the only country named in the sentence") teach nothing
    why = " ".join(actor.evidence)
    return "actor memory" not in why and "main country of the text" not in why and "country named in the sentence" not in why


def _evidence_words(document: Document, actor: Actor) -> str:
    text = document.article.text
    start = text.rfind("\n", 0, actor.start) + 1
    end = text.find("\n", actor.end)
    line = text[start : end if end >= 0 else len(text)].strip()
    return line[:300]
