"""`mock-okta serve`: its one-line usage errors (in-process), and a real process serving, with a --db across
restarts."""

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


@contextmanager
def serving(*args: str, env: dict[str, str] | None = None) -> Iterator[tuple[str, list[str]]]:
    """`mock-okta serve` on a free port with these options, polled until it answers: (its URL, a list that holds
    what it printed once it has stopped)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    environment = {**os.environ, "COLUMNS": "200", **(env or {})}
    process = subprocess.Popen(
        [str(EXE), "serve", "--port", str(port), *args], stdout=subprocess.PIPE, text=True, env=environment
    )
    printed: list[str] = []
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 20
        while True:
            try:
                if httpx.get(base + "/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert time.monotonic() < deadline, "serve did not start"
            time.sleep(0.05)
        yield base, printed
    finally:
        process.terminate()
        printed.append(process.communicate(timeout=10)[0])


@pytest.mark.subprocess
def test_serve_runs_with_a_file_database_across_restarts(tmp_path):
    """`mock-okta serve --db`: users survive a restart and the sample hook is started and re-attached each time."""
    db = str(tmp_path / "org.sqlite3")

    def serve_once(email: str) -> int:
        with serving("--db", db, env={"MOCK_OKTA_API_TOKEN": "serve-token"}) as (base, printed):
            page = httpx.get(base + "/").text
            handle = re.search(r'"stateToken": "([^"]+)"', page).group(1)
            httpx.post(base + "/idp/idx/enroll", json={"stateHandle": handle})
            profile = {"firstName": "A", "lastName": "B", "email": email}
            reply = httpx.post(base + "/idp/idx/enroll/new", json={"stateHandle": handle, "userProfile": profile})
            users = httpx.get(base + "/api/v1/users", headers={"Authorization": "SSWS serve-token"}).json()
            assert reply.status_code == 200, reply.text
        assert "API token" not in printed[0], "a token given by the user is not printed back"
        assert "Sample hook" in printed[0]
        return len(users)

    assert serve_once("first@example.com") == 1
    assert serve_once("second@example.com") == 2


def test_db_of_another_schema_version_is_a_one_line_error(tmp_path):
    db = tmp_path / "old.sqlite3"
    Store(str(db)).close()
    with __import__("sqlite3").connect(db) as raw:
        raw.execute("PRAGMA user_version = 1")
    result = cli("serve", "--port", "0", "--db", str(db))
    assert result.returncode == 2 and "another version of mock-okta" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.subprocess
def test_serve_classic_engine_registers_through_the_sample_hook():
    """`serve --engine classic`: the v1 widget's API is served and the sample hook is self-service registration's
    Extension, so a gmail.com address gets the hook's cause back in E0000135."""
    with serving("--engine", "classic") as (base, printed):
        policy_id = httpx.get(base + "/api/v1/registration/form").json()["policyId"]
        profile = {"email": "pat@gmail.com", "password": "Sunny-Day-2026", "firstName": "Pat", "lastName": "Doe"}
        reply = httpx.post(f"{base}/api/v1/registration/{policy_id}/register", json={"userProfile": profile})
        assert reply.status_code == 400 and reply.json()["errorCode"] == "E0000135"
        assert reply.json()["errorCauses"][0]["errorSummary"] == "Only example.com emails can register."
    assert "Classic Engine" in printed[0]
