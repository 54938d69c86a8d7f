"""Start this team's Node hook (`node server.js --port 0`) for the session, as its own CI would."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

HERE = Path(__file__).parent
API_KEY = "acme-node-hook-key-for-tests"


@pytest.fixture(scope="session")
def node_hook_url() -> Iterator[str]:
    node = shutil.which("node")
    if node is None:
        pytest.fail("Node.js is required for the Node hook example (apt-get install -y nodejs)")
    process = subprocess.Popen(
        [node, str(HERE / "server.js"), "--port", "0"],
        env={**os.environ, "HOOK_API_KEY": API_KEY},
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()  # blocks until the server listens (or exits)
    if not line.startswith("listening on "):
        process.kill()
        pytest.fail(f"the Node hook did not start: {line!r}")
    yield f"http://127.0.0.1:{line.split()[-1]}/okta/registration"
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def okta_hook_url(node_hook_url: str) -> str:
    return node_hook_url


@pytest.fixture
def okta_hook_auth_header() -> str:
    return f"X-Api-Key: {API_KEY}"
