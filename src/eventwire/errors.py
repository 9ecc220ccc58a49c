"""The errors eventwire raises on purpose.

Every message says what went wrong and what to do about it. The CLI prints
``eventwire: error: <message>`` and exits non-zero, without a traceback.
"""

from __future__ import annotations


class EventwireError(Exception):
    """Base class: something the user can act on."""

    exit_code = 1


class InputError(EventwireError):
    """An input document cannot be coded (empty, binary, wrong encoding, too big, not English...).

    ``source`` names the file or URL; ``reason`` is a short machine-readable tag that
    quarantine records keep.
    """

    exit_code = 2

    def __init__(self, source: str, reason: str, message: str):
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {message}")


class ConfigError(EventwireError):
    """A setting is missing or has a wrong value."""

    exit_code = 3


class ModelError(EventwireError):
    """A model (spaCy pipeline, classifier) cannot be loaded."""

    exit_code = 4


class DataError(EventwireError):
    """A knowledge file shipped with eventwire (lexicon, actors) is missing or malformed."""

    exit_code = 5


class EvalError(EventwireError):
    """An evaluation data set is missing or not in the expected format."""

    exit_code = 6
