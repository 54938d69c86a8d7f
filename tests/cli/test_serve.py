"""`mock-okta serve`: its one-line usage errors (in-process), and real processes serving: with a --db across
restarts, and a Classic Engine org beside the first."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from mock_okta.org import Store

from .helpers import cli

EXE = Path(sys.executable).parent / "mock-okta"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--hook-url", "http://hooks.example.com/h"], "https"),
        (["--widget", "gen9"], "--widget"),
        (["--engine", "v1"], "--engine must be ie or classic"),
        (["--timeout", "0"], "timeout"),
    ],
)
def test_serve_usage_errors_are_one_line(args, message):
    result = cli("serve", "--port", "0", *args)
    assert result.returncode == 2 and message in result.stderr
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1


class Serving:
    """`mock-okta serve` on a free port with these options, started as a user starts it; `ready()` polls it until
    it answers, `stop()` ends it and keeps what it printed."""

    def __init__(self, *args: str, env: dict[str, str] | None = None) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        self.base = f"http://127.0.0.1:{port}"
        environment = {**os.environ, "COLUMNS": "200", **(env or {})}
        self.process = subprocess.Popen(
            [str(EXE), "serve", "--port", str(port), *args], stdout=subprocess.PIPE, text=True, env=environment
        )
        self.printed = ""

    def ready(self) -> str:
        deadline = time.monotonic() + 20
        while True:
            try:
                if httpx.get(self.base + "/healthz").status_code == 200:
                    return self.base
            except httpx.TransportError:
                pass
            assert self.process.poll() is None, "serve ended before it answered"
            assert time.monotonic() < deadline, "serve did not start"
            time.sleep(0.05)

    def stop(self) -> str:
        if self.process.returncode is None:
            self.process.terminate()
            self.printed = self.process.communicate(timeout=10)[0]
        return self.printed


@contextmanager
def serving(*args: str, env: dict[str, str] | None = None) -> Iterator[Serving]:
    server = Serving(*args, env=env)
    try:
        yield server
    finally:
        server.stop()


@pytest.mark.subprocess
def test_serve_with_a_file_database_across_restarts_and_on_a_classic_engine_org(tmp_path):
    """`mock-okta serve --db`: users survive a restart and the sample hook is started and re-attached each time.
    `serve --engine classic` (started beside the first, as most of a start is waiting for Python's imports): the v1
    widget's API is served and the sample hook is self-service registration's Extension, so a gmail.com address gets
    the hook's cause back in E0000135."""
    db = str(tmp_path / "org.sqlite3")

    def sign_up(server: Serving, email: str) -> int:
        base = server.ready()
        page = httpx.get(base + "/").text
        handle = re.search(r'"stateToken": "([^"]+)"', page).group(1)
        httpx.post(base + "/idp/idx/enroll", json={"stateHandle": handle})
        profile = {"firstName": "A", "lastName": "B", "email": email}
        reply = httpx.post(base + "/idp/idx/enroll/new", json={"stateHandle": handle, "userProfile": profile})
        users = httpx.get(base + "/api/v1/users", headers={"Authorization": "SSWS serve-token"}).json()
        assert reply.status_code == 200, reply.text
        printed = server.stop()
        assert "API token" not in printed, "a token given by the user is not printed back"
        assert "Sample hook" in printed
        return len(users)

    token = {"MOCK_OKTA_API_TOKEN": "serve-token"}
    with serving("--engine", "classic") as classic, serving("--db", db, env=token) as first:
        assert sign_up(first, "first@example.com") == 1
        base = classic.ready()
        policy_id = httpx.get(base + "/api/v1/registration/form").json()["policyId"]
        profile = {"email": "pat@gmail.com", "password": "Sunny-Day-2026", "firstName": "Pat", "lastName": "Doe"}
        reply = httpx.post(f"{base}/api/v1/registration/{policy_id}/register", json={"userProfile": profile})
        assert reply.status_code == 400 and reply.json()["errorCode"] == "E0000135"
        assert reply.json()["errorCauses"][0]["errorSummary"] == "Only example.com emails can register."
        assert "Classic Engine" in classic.stop()
    with serving("--db", db, env=token) as second:
        assert sign_up(second, "second@example.com") == 2


def test_db_of_another_schema_version_is_a_one_line_error(tmp_path):
    db = tmp_path / "old.sqlite3"
    Store(str(db)).close()
    with __import__("sqlite3").connect(db) as raw:
        raw.execute("PRAGMA user_version = 1")
    result = cli("serve", "--port", "0", "--db", str(db))
    assert result.returncode == 2 and "another version of mock-okta" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
