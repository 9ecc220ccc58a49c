"""Knowledge bases used by the coders (actors: countries, organisations, leaders, sectors)."""

from .kb import Entry, KnowledgeBase, LeaderTerm, get_kb

__all__ = ["Entry", "KnowledgeBase", "LeaderTerm", "get_kb"]
