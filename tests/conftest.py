"""Shared test helpers: the spaCy pipeline, the place chooser, a real uvicorn server."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(scope="module")
def nlp() -> Any:
    from eventwire.stages.nlp import load_pipeline

    return load_pipeline("auto")


@pytest.fixture(scope="module")
def resolver() -> Any:
    from eventwire.stages.place import PlaceResolver

    return PlaceResolver()


def choose_place(nlp: Any, resolver: Any, text: str, verb: str) -> str | None:
    """The location span the resolver picks for the first occurrence of ``verb`` in ``text``."""
    doc = nlp(text)
    start = text.index(verb)
    got = resolver.choose_location_span(doc, start, start + len(verb))
    return None if got is None else text[got[0] : got[1]]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def running_server(store: Path, token: str | None) -> Iterator[str]:
    """Serve ``create_app(store, token)`` in a thread; yield its base URL; stop it after."""
    import uvicorn

    from eventwire.server import create_app

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(store, token=token), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
