"""Exact and near-duplicate articles, so a wire story republished by ten sites is coded once.

Exact copies are found by a hash of the normalised text (lower case, runs of white space
collapsed); near copies by MinHash over word 3-grams with locality-sensitive hashing
(datasketch), confirmed by the estimated Jaccard similarity reaching ``threshold`` (0.7 by default:
a republished story with a new headline and a few edited words scores about 0.8). The first
article seen is kept; later copies are reported as :class:`Duplicate` records. Signatures are
bytes so a store can keep them and a resumed run can reload them.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import numpy as np

from ..records import Article

_WORD = re.compile(r"\w+", re.UNICODE)
SEED = 1
#: datasketch hashing scheme; signatures stored by a run are only comparable under the same one.
SCHEME = "affine32"


@dataclass(frozen=True, slots=True)
class Duplicate:
    """``article_id`` is a copy of the already-kept ``duplicate_of`` (similarity 1.0: exact)."""

    article_id: str
    duplicate_of: str
    similarity: float
    source: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class Verdict:
    """What the deduper decided about one article: a Duplicate, or kept with its signature."""

    duplicate: Duplicate | None
    signature: bytes


class Deduper:
    """Remembers kept articles and recognises copies of them."""

    def __init__(self, threshold: float = 0.7, num_perm: int = 128, shingle: int = 3) -> None:
        from datasketch import MinHashLSH

        self.threshold = threshold
        self.num_perm = num_perm
        self.shingle = shingle
        self._lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
        self._exact: dict[str, str] = {}
        self._signatures: dict[str, np.ndarray] = {}

    def __len__(self) -> int:
        return len(self._signatures)

    def __contains__(self, article_id: str) -> bool:
        return article_id in self._signatures

    def check(self, article: Article) -> Verdict:
        """Decide whether ``article`` copies a kept one; keep it (remember it) when not."""
        digest = content_digest(article.text)
        signature = self.signature(article.text)
        original = self._exact.get(digest)
        if original is not None and original != article.id:
            return Verdict(self._duplicate(article, original, 1.0), signature.tobytes())
        best = self._nearest(article.id, signature)
        if best is not None:
            return Verdict(self._duplicate(article, *best), signature.tobytes())
        self.remember(article.id, signature.tobytes(), digest)
        return Verdict(None, signature.tobytes())

    def remember(self, article_id: str, signature: bytes, digest: str | None = None) -> None:
        """Add a kept article (e.g. one reloaded from a store)."""
        if article_id in self._signatures:
            return
        values = np.frombuffer(signature, dtype=np.uint64)
        if len(values) != self.num_perm:
            return
        self._signatures[article_id] = values
        self._lsh.insert(article_id, self._minhash(values))
        if digest is not None:
            self._exact.setdefault(digest, article_id)

    def signature(self, text: str) -> np.ndarray:
        """The MinHash values (uint64) of the word 3-grams of ``text``."""
        from datasketch import MinHash

        words = _WORD.findall(text.lower())
        n = self.shingle
        grams = [" ".join(words[i : i + n]) for i in range(max(1, len(words) - n + 1))]
        mh = MinHash(num_perm=self.num_perm, seed=SEED, scheme=SCHEME)
        mh.update_batch([g.encode("utf-8") for g in grams])
        return mh.hashvalues.astype(np.uint64)

    def _nearest(self, article_id: str, values: np.ndarray) -> tuple[str, float] | None:
        candidates = [c for c in self._lsh.query(self._minhash(values)) if c != article_id]
        scored = [(c, float(np.mean(self._signatures[c] == values))) for c in candidates]
        scored = [(c, s) for c, s in scored if s >= self.threshold]
        if not scored:
            return None
        return min(scored, key=lambda cs: (-cs[1], cs[0]))

    def _minhash(self, values: np.ndarray):  # type: ignore[no-untyped-def]
        from datasketch import LeanMinHash

        return LeanMinHash(seed=SEED, hashvalues=values, scheme=SCHEME)

    @staticmethod
    def _duplicate(article: Article, original: str, similarity: float) -> Duplicate:
        return Duplicate(article.id, original, round(similarity, 4), article.source, article.url)


def content_digest(text: str) -> str:
    """SHA-1 of the text, lower-cased with white space collapsed."""
    norm = " ".join(text.lower().split())
    return hashlib.sha1(norm.encode("utf-8")).hexdigest()
