"""Shared test helpers: a real uvicorn server on 127.0.0.1 over a demo store."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


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
