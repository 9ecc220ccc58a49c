"""The analyst's app: an HTTP API (FastAPI) and a web interface over a store.

``eventwire serve --store DIR [--port P] [--host 127.0.0.1] [--token T]`` calls :func:`serve`.
"""

from __future__ import annotations

from pathlib import Path

from ..errors import ConfigError

__all__ = ["create_app", "serve"]


def create_app(store_path: str | Path, token: str | None = None):
    """The FastAPI app over the store at ``store_path`` (see :mod:`eventwire.server.api`)."""
    from .api import create_app as _create

    return _create(store_path, token)


def serve(store: str | Path, host: str = "127.0.0.1", port: int = 8000, token: str | None = None) -> None:
    """Serve the API and the web app until interrupted. ConfigError when ``store`` is not a store."""
    import uvicorn

    path = Path(store)
    if not (path / "store.json").exists():
        raise ConfigError(f"{path} is not an eventwire store (no store.json); create one with eventwire run")
    if not 0 <= port <= 65535:
        raise ConfigError(f"port {port} is not between 0 and 65535")
    uvicorn.run(create_app(path, token), host=host, port=port, log_level="info")
