"""Point mock-okta's fixtures at this Flask hook, served on a free loopback port for the session."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from werkzeug.serving import make_server

from .app import create_app, expected_header


@pytest.fixture(scope="session")
def flask_hook_url() -> Iterator[str]:
    server = make_server("127.0.0.1", 0, create_app(), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/okta/registration"
    server.shutdown()


@pytest.fixture
def okta_hook_url(flask_hook_url: str) -> str:
    return flask_hook_url


@pytest.fixture
def okta_hook_auth_header() -> str:
    return f"Authorization: {expected_header()}"
